package org.matcalc.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.expr.Temporaries;
import java.util.List;
import java.util.Map;

import org.matcalc.expr.Substitution;
import org.matcalc.expr.Shared;

/**
 * No expression swell: on chains of 50 nested operations the displayed first derivative (with
 * repeated subexpressions named, {@code where t1 = ...}) stays within a small constant factor
 * of the input's size, and derivation stays fast.
 */
class ExpressionSizeTest {
    private static final String DECLS = "X: matrix(n,n); C: matrix(n); x: vector(n)";

    private static String chain(int depth, String[] layers) {
        String f = "x";
        for (int i = 0; i < depth; i++) {
            f = String.format(layers[i % layers.length], f);
        }
        return "sum(" + f + ")";
    }

    @ParameterizedTest
    @ValueSource(strings = {"sin(C*%s)|tanh(X'*%s)|sigmoid(X*%s)", "exp(-%s)|C*%s + x", "softplus(%s) .* x|X*%s/2"})
    void fiftyNestedOperations(String layerSpec) {
        String[] layers = layerSpec.split("\\|");
        for (int k = 0; k < layers.length; k++) {
            layers[k] = layers[k].replace("%s", "%1$s");
        }
        String f = chain(50, layers);
        Declarations d = Declarations.fromLines(DECLS);
        for (String wrt : new String[] {"x", "C"}) {
            long t0 = System.nanoTime();
            Derivative g = Derivatives.derive(Expr.parse(f), d, wrt, 1, Layout.MIXED);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            org.matcalc.expr.Shared sh = Temporaries.share(g.expr(), Set.of("x", "X", "C"));
            String shown = sh.print();
            assertEquals(g.expr(), expand(sh), "substituting the temporaries back");
            assertTrue(shown.length() <= 8 * f.length(), "by " + wrt + ": input " + f.length() + " chars, derivative shown in "
                    + shown.length() + ": " + shown);
            assertTrue(ms < 5000, "took " + ms + " ms");
        }
    }

    static Expr expand(Shared s) {
        Expr e = s.body();
        List<Map.Entry<String, Expr>> defs = s.temporaries();
        for (int i = defs.size() - 1; i >= 0; i--) {
            e = Substitution.replace(e, Map.of(defs.get(i).getKey(), defs.get(i).getValue()));
        }
        return e;
    }
}
