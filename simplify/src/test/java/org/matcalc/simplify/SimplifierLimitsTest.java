package org.matcalc.simplify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.matcalc.expr.BinaryOp;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.expr.ScalarFunction;
import org.matcalc.expr.TextPrinter;

/** No swell, no blow-up: deep chains and heavily shared trees simplify in milliseconds. */
class SimplifierLimitsTest {
    private static final Declarations DECLS = Declarations.fromLines("A : matrix(n); B : matrix(n); x : vector(n)");

    private static long millis(Runnable r) {
        for (int i = 0; i < 3; i++) {
            r.run(); // warm up
        }
        long t = System.nanoTime();
        r.run();
        return (System.nanoTime() - t) / 1_000_000;
    }

    /** 50 nested operations of every kind, each level a little redundant: ((A*e*eye)')' + 0*e, sin, ... */
    @Test
    void fiftyNestedOperations() {
        Expr e = Expr.var("x");
        for (int i = 0; i < 50; i++) {
            switch (i % 5) {
                case 0:
                    e = Expr.transpose(Expr.transpose(Expr.mul(Expr.mul(Expr.var("A"), e), new Expr.Identity(null))));
                    break;
                case 1:
                    e = Expr.add(Expr.mul(Expr.num(2), e), Expr.mul(Expr.num(0), e));
                    break;
                case 2:
                    e = Expr.apply(ScalarFunction.TANH, Expr.neg(Expr.neg(e)));
                    break;
                case 3:
                    e = Expr.sub(Expr.mul(Expr.var("B"), e), Expr.transpose(Expr.mul(Expr.transpose(e), Expr.transpose(Expr.var("A")))));
                    break;
                default:
                    e = Expr.div(Expr.mul(Expr.num(3), e), Expr.num(3));
                    break;
            }
        }
        Expr input = e;
        Expr[] out = new Expr[1];
        long ms = millis(() -> out[0] = Simplifier.simplify(input, DECLS));
        String printed = TextPrinter.print(out[0]);
        assertTrue(printed.length() < TextPrinter.print(input).length() / 2, printed);
        assertTrue(ms < 200, ms + " ms");
        assertEquals(printed, TextPrinter.print(Simplifier.simplify(out[0], DECLS)));
    }

    /**
     * A derivative-like tree in which each level uses the previous one twice (as the product
     * rule does): printed in full it would be 2^50 times the size, but the simplifier works on
     * the shared tree and collects each level to one term.
     */
    @Test
    void sharedTreeDoesNotBlowUp() {
        Expr e = Expr.var("x");
        for (int i = 0; i < 50; i++) {
            Expr t = Expr.transpose(Expr.mul(Expr.transpose(e), Expr.transpose(Expr.var("A"))));
            e = new Expr.Binary(BinaryOp.ADD, t, Expr.mul(Expr.var("A"), e));
        }
        Expr input = e;
        Expr[] out = new Expr[1];
        long ms = millis(() -> out[0] = Simplifier.simplify(input, DECLS));
        // 2^50 copies of A*A*...*A (50 factors), the adjacent powers merged
        assertEquals("1.125899906842624e15*A^50*x", TextPrinter.print(out[0]));
        assertTrue(ms < 200, ms + " ms");
    }

    @Test
    void longSumOfLikeTerms() {
        StringBuilder sb = new StringBuilder("A*x");
        for (int i = 0; i < 300; i++) {
            sb.append(i % 2 == 0 ? " + A'*x" : " - (x'*A)'");
        }
        Expr input = Expr.parse(sb.toString());
        Expr[] out = new Expr[1];
        long ms = millis(() -> out[0] = Simplifier.simplify(input, DECLS));
        assertEquals("A*x", TextPrinter.print(out[0]));
        assertTrue(ms < 500, ms + " ms");
    }

    /** As deep as the language allows (Limits.MAX_TREE_DEPTH), without overflowing the stack. */
    @Test
    void deepestTree() {
        Expr e = Expr.var("x");
        for (int i = 0; i < org.matcalc.expr.Limits.MAX_TREE_DEPTH - 10; i++) {
            e = i % 3 == 0 ? Expr.add(e, Expr.var("x")) : i % 3 == 1 ? Expr.neg(e) : Expr.mul(Expr.var("A"), e);
        }
        Expr out = Simplifier.simplify(e, DECLS);
        assertTrue(TextPrinter.print(out).length() <= TextPrinter.print(e).length());
    }

    /** Collecting a long sum of products over few factors (many common prefixes and suffixes) stays fast. */
    @Test
    void sumOfManyProducts() {
        java.util.Random rnd = new java.util.Random(3);
        String[] letters = {"A", "B", "A'", "B'"};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 120; i++) {
            sb.append(i == 0 ? "" : rnd.nextBoolean() ? " + " : " - ");
            for (int j = 0; j < 8; j++) {
                sb.append(j == 0 ? "" : "*").append(letters[rnd.nextInt(4)]);
            }
        }
        Expr input = Expr.parse(sb.toString());
        Expr[] out = new Expr[1];
        long ms = millis(() -> out[0] = Simplifier.simplify(input, DECLS));
        assertTrue(ms < 1000, ms + " ms");
        assertTrue(TextPrinter.print(out[0]).length() <= sb.length());
    }

    @Test
    void hugeExponentsStayAsWritten() {
        Expr e = Expr.var("a");
        for (int i = 0; i < 8; i++) {
            e = Expr.pow(e, Expr.num(64));
        }
        Expr in = Expr.mul(e, Expr.var("a"));
        String out = TextPrinter.print(Simplifier.simplify(in, Declarations.NONE));
        // exponents merge while they stay below 2^16, never overflowing
        assertEquals("(((a^4096)^4096)^4096)^4096*a", out);
    }

    /**
     * Numbers fold only to numbers that mean the same: a product of nonzero numbers that
     * underflows to 0 or overflows is left as written (1e-300*1e-300*x is not 0*x), in products
     * and in element-wise monomials.
     */
    @Test
    void numbersFoldOnlyWhenTheProductIsRepresentable() {
        for (String f : new String[] {"1e-300*(1e-300*x)", "(1e-300*x).*(1e-300*x)", "1e300*(1e300*x)", "(1e200*x).^2",
                "x./(1e-300*x.*(1e-300*x))"}) {
            Expr out = Simplifier.simplify(Expr.parse(f), DECLS);
            String text = TextPrinter.print(out);
            assertTrue(!text.contains("zeros") && !text.startsWith("0") && !text.contains("Infinity"), f + " simplified to " + text);
        }
        assertEquals("2*x", TextPrinter.print(Simplifier.simplify(Expr.parse("0.5*(4*x)"), DECLS)));
    }
}
