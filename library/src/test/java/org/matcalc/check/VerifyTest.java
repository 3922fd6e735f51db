package org.matcalc.check;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.matcalc.diff.Derivative;
import org.matcalc.diff.Derivatives;
import org.matcalc.diff.Layout;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;

/** The check accepts finite differences' rounding noise on a function that is zero, and still catches a wrong derivative. */
class VerifyTest {
    private static final Declarations SPD = Declarations.fromLines("S: spd(n)");

    private static Derivative replaced(Derivative d, String expr) {
        return new Derivative(Expr.parse(expr), d.shape(), d.layout(), d.description(), d.convention(), d.declarations(), d.derivation());
    }

    @Test
    void aFunctionThatIsZeroUpToRoundingPasses() {
        Expr f = Expr.parse("logdet(S) - tr(logm(S))");
        Derivative d = Derivatives.derive(f, SPD, "S", 1, Layout.MIXED);
        for (long seed = 1; seed <= 5; seed++) {
            Verify.Result r = Verify.atRandom(f, SPD, "S", d, 1, seed);
            assertTrue(r.passed(), r.describe());
        }
    }

    @Test
    void aWrongDerivativeFailsEvenWhereFiniteDifferencesAreNoisy() {
        Expr f = Expr.parse("logdet(S) - tr(logm(S))");
        Derivative d = Derivatives.derive(f, SPD, "S", 1, Layout.MIXED);
        for (long seed = 1; seed <= 5; seed++) {
            Verify.Result r = Verify.atRandom(f, SPD, "S", replaced(d, "1e-4*inv(S)"), 1, seed);
            assertFalse(r.passed(), r.describe());
        }
        Expr g = Expr.parse("tr(logm(S)*S)");
        Derivative dg = Derivatives.derive(g, SPD, "S", 1, Layout.MIXED);
        assertTrue(Verify.atRandom(g, SPD, "S", dg, 1, 7).passed());
        assertFalse(Verify.atRandom(g, SPD, "S", replaced(dg, "logm(S)"), 1, 7).passed(), "missing the + I term");
    }
}
