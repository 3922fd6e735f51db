package org.matcalc.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/** Trees are values: equal iff built alike, hashing alike, even when deeper than a small stack allows recursion. */
class StructuralEqualityTest {

    @Test
    void equalityIsStructuralAndMatchesTheRecordSemantics() {
        for (long seed = 0; seed < 2000; seed++) {
            Expr a = new ExprGenerator(seed).arbitrary(6);
            Expr b = new ExprGenerator(seed).arbitrary(6);
            assertEquals(a, b);
            assertEquals(a.hashCode(), b.hashCode());
            Expr c = new ExprGenerator(seed + 7919).arbitrary(6);
            if (!TextPrinter.print(a).equals(TextPrinter.print(c))) {
                assertNotEquals(a, c, "seed " + seed);
            }
        }
        assertNotEquals(new Expr.Num(0.0), new Expr.Num(-0.0));
        assertNotEquals(Expr.parse("a - b"), Expr.parse("a + b"));
        assertNotEquals(Expr.parse("sin(x)"), Expr.parse("cos(x)"));
        assertNotEquals(Expr.parse("eye"), Expr.parse("eye(n)"));
        assertNotEquals(Expr.parse("eye(n)"), Expr.parse("eye(m)"));
        assertNotEquals(Expr.parse("zeros(n, m)"), Expr.parse("zeros(m, n)"));
        assertNotEquals(Expr.parse("vector(1)"), Expr.parse("matrix(1)"));
        assertNotEquals(Expr.parse("vector(1, n)"), Expr.parse("vector(1)"));
        assertNotEquals(Expr.parse("commutation(m, n)"), Expr.parse("commutation(n, m)"));
        assertNotEquals(Expr.parse("x'"), Expr.parse("-x"));
        assertNotEquals(Expr.parse("kron(A, B)"), Expr.parse("kron(B, A)"));
        assertNotEquals(Expr.parse("x"), "x");
        assertEquals(new Expr.Num(2).hashCode(), Expr.parse("2").hashCode());
    }

    @Test
    void deepTreesCompareAndHashOnASmallStack() throws InterruptedException {
        Expr a = new Expr.Var("x");
        Expr b = new Expr.Var("x");
        for (int i = 0; i < 100_000; i++) {
            a = i % 2 == 0 ? new Expr.Transpose(a) : Expr.add(a, Expr.num(i));
            b = i % 2 == 0 ? new Expr.Transpose(b) : Expr.add(b, Expr.num(i));
        }
        Expr fa = a;
        Expr fb = b;
        Expr fc = Expr.add(a, Expr.num(-1));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                assertEquals(fa, fb);
                assertEquals(fa.hashCode(), fb.hashCode());
                assertNotEquals(fa, fc);
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "deep-equals", 256 * 1024);
        t.start();
        t.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }
}
