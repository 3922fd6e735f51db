package org.matcalc.simplify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.matcalc.expr.Decl;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Size;
import org.matcalc.expr.Expr;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.Substitution;
import org.matcalc.expr.TextPrinter;
import org.matcalc.numeric.Mat;

class SharingTest {

    /** The body with the temporaries substituted back, last first. */
    static Expr unshare(Shared s) {
        Expr e = s.body();
        List<Map.Entry<String, Expr>> ts = s.temporaries();
        for (int i = ts.size() - 1; i >= 0; i--) {
            e = Substitution.replace(e, Map.of(ts.get(i).getKey(), ts.get(i).getValue()));
        }
        return e;
    }

    @Test
    void softmaxResidualIsNamedOnce() {
        Expr e = Expr.parse("(softmax(W*x) - y)*x' + (softmax(W*x) - y)*z'");
        Shared s = Sharing.share(e, Set.of());
        assertEquals("t1*x' + t1*z'  where t1 = softmax(W*x) - y", s.print());
        assertEquals(e, unshare(s));
    }

    @Test
    void nothingIsNamedWhenThatDoesNotShorten() {
        Expr e = Expr.parse("x'*y + y'*x");
        Shared s = Sharing.share(e, Set.of());
        assertEquals("x'*y + y'*x", s.print());
        assertTrue(s.temporaries().isEmpty());
    }

    @Test
    void takenNamesAreAvoided() {
        Expr e = Expr.parse("inv(A + B)*x + inv(A + B)*y + inv(A + B)*t1");
        Shared s = Sharing.share(e, Set.of("t2"));
        assertEquals("t3*x + t3*y + t3*t1  where t3 = inv(A + B)", s.print());
        assertEquals(e, unshare(s));
    }

    @Test
    void nestedTemporariesAreDefinedBeforeUse() {
        Expr e = Expr.parse("exp(inv(A + B)*inv(A + B)*x) + exp(inv(A + B)*inv(A + B)*x) .* (inv(A + B)*y)");
        Shared s = Sharing.share(e, Set.of());
        assertTrue(s.print().length() < TextPrinter.print(e).length(), s.print());
        assertEquals(e, unshare(s));
        // each definition uses only earlier names
        for (int i = 0; i < s.temporaries().size(); i++) {
            for (int j = i; j < s.temporaries().size(); j++) {
                String later = s.temporaries().get(j).getKey();
                assertTrue(!TextPrinter.print(s.temporaries().get(i).getValue()).contains(later), s.print());
            }
        }
    }

    /** Random expressions: never longer, substitutes back exactly, and the temporaries evaluate to the same value. */
    @Test
    void randomExpressionsShareSafely() {
        Random rnd = new Random(7);
        int named = 0;
        for (int i = 0; i < 1500; i++) {
            SimplifierPropertyTest.Case k = SimplifierPropertyTest.randomCase(rnd);
            Expr x = Simplifier.simplify(k.expr(), k.decls());
            // x .* sin(x): a repeat that simplification keeps
            Expr e = new Expr.Binary(org.matcalc.expr.BinaryOp.HADAMARD, x,
                    new Expr.Elementwise(org.matcalc.expr.ScalarFunction.SIN, x));
            Shared s = Sharing.share(e, k.values().keySet());
            String where = "case " + i + ": " + TextPrinter.print(e) + "\n  shared: " + s.print();
            assertTrue(s.print().length() <= TextPrinter.print(e).length(), where);
            assertEquals(e, unshare(s), where);
            if (s.temporaries().isEmpty()) {
                continue;
            }
            named++;
            Mat expected;
            try {
                expected = SimplifierPropertyTest.evaluate(e, k);
            } catch (MatcalcException ex) {
                continue;
            }
            Map<String, Mat> values = new HashMap<>(k.values());
            Declarations d = k.decls();
            for (Map.Entry<String, Expr> t : s.temporaries()) {
                Mat v = SimplifierPropertyTest.evaluate(t.getValue(), new SimplifierPropertyTest.Case(t.getValue(), d, k.sizes(), values));
                values.put(t.getKey(), v);
                d = d.with(t.getKey(), Decl.matrix(Size.of(v.rows()), Size.of(v.cols())));
            }
            Mat actual = SimplifierPropertyTest.evaluate(s.body(), new SimplifierPropertyTest.Case(s.body(), d, k.sizes(), values));
            assertTrue(actual.approxEquals(expected, 1e-9), where);
        }
        assertTrue(named > 300, "only " + named + " expressions had anything to share");
    }
}
