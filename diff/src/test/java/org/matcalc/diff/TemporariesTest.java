package org.matcalc.diff;

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
import org.matcalc.expr.Temporaries;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.Substitution;
import org.matcalc.expr.TextPrinter;
import org.matcalc.numeric.Mat;
import org.matcalc.expr.Shared;
import org.matcalc.simplify.Simplifier;

class TemporariesTest {

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
        Shared s = Temporaries.share(e, Set.of());
        assertEquals("t1*x' + t1*z'  where t1 = softmax(W*x) - y", s.print());
        assertEquals(e, unshare(s));
    }

    @Test
    void nothingIsNamedWhenThatDoesNotShorten() {
        Expr e = Expr.parse("x'*y + y'*x");
        Shared s = Temporaries.share(e, Set.of());
        assertEquals("x'*y + y'*x", s.print());
        assertTrue(s.temporaries().isEmpty());
    }

    @Test
    void takenNamesAreAvoided() {
        Expr e = Expr.parse("inv(A + B)*x + inv(A + B)*y + inv(A + B)*t1");
        Shared s = Temporaries.share(e, Set.of("t2"));
        assertEquals("t3*x + t3*y + t3*t1  where t3 = inv(A + B)", s.print());
        assertEquals(e, unshare(s));
    }

    @Test
    void nestedTemporariesAreDefinedBeforeUse() {
        Expr e = Expr.parse("exp(inv(A + B)*inv(A + B)*x) + exp(inv(A + B)*inv(A + B)*x) .* (inv(A + B)*y)");
        Shared s = Temporaries.share(e, Set.of());
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

}
