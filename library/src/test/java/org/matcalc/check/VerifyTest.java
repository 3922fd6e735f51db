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
    void randomInputsNearAKinkAreDrawnAgainAndTheReportSaysSo() {
        Declarations decls = Declarations.fromLines("X: matrix(n,m)");
        Expr f = Expr.parse("max(X) + sum(abs(X))");
        Derivative d = Derivatives.derive(f, decls, "X", 1, Layout.MIXED);
        int noted = 0;
        for (long seed = 1; seed <= 40; seed++) {
            Verify.Result r = Verify.atRandom(f, decls, "X", d, 1, seed);
            assertTrue(r.passed(), r.describe());
            if (r.kink() != null) {
                noted++;
                assertTrue(r.describe().matches(".*random inputs? within 0.01 of a kink of (max\\(X\\)|abs\\(X\\)) drawn again"), r.describe());
            }
        }
        // 30 entries in [-1, 1]: some draws have two largest entries, or an entry, within 0.01 of a kink
        assertTrue(noted > 0, "no draw sat near a kink");
    }

    @Test
    void aValidPointNearTheEdgeOfTheDomainIsCheckedWithTheStepsThatStayInside() {
        Declarations spd = Declarations.fromLines("S: spd(2)");
        Expr f = Expr.parse("logdet(S)");
        Derivative d = Derivatives.derive(f, spd, "S", 1, Layout.MIXED);
        java.util.Map<String, org.matcalc.numeric.Mat> at = java.util.Map.of("S", org.matcalc.numeric.Mat.of(new double[][] {{1e-3, 0}, {0, 1}}));
        Verify.Result r = Verify.at(f, spd, "S", d, 1, at, java.util.Map.of(), new java.util.Random(1));
        assertTrue(r.passed(), r.describe());
        Expr g = Expr.parse("log(a)");
        Derivative dg = Derivatives.derive(g, Declarations.NONE, "a", 1, Layout.MIXED);
        Verify.Result rg = Verify.at(g, Declarations.NONE, "a", dg, 1, java.util.Map.of("a", org.matcalc.numeric.Mat.scalar(1e-3)),
                java.util.Map.of(), new java.util.Random(1));
        assertTrue(rg.passed(), rg.describe());
        // a wrong derivative there still fails
        assertFalse(Verify.at(g, Declarations.NONE, "a", replaced(dg, "2/a"), 1, java.util.Map.of("a", org.matcalc.numeric.Mat.scalar(1e-3)),
                java.util.Map.of(), new java.util.Random(1)).passed());
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

    /**
     * Hessians by structured variables are checked on the structure: the differences are of the
     * symmetric (diagonal) gradient, and the Hessian's convention (entries independent) agrees
     * there. Before, --check reported 5e-1 for a right Hessian by an spd variable.
     */
    @Test
    void hessiansByStructuredVariablesAreCheckedOnTheStructure() {
        for (String[] c : new String[][] {{"sum(inv(S) .* C)", "S: spd(n); C: matrix(n)", "S"},
                {"logdet(S) + tr(inv(S)*C)", "S: spd(n); C: symmetric(n)", "S"}, {"tr(D*A*D)", "D: diagonal(n)", "D"}}) {
            Declarations decls = Declarations.fromLines(c[1]);
            Expr f = Expr.parse(c[0]);
            Derivative h = Derivatives.derive(f, decls, c[2], 2, Layout.MIXED);
            Verify.Result r = Verify.atRandom(f, decls, c[2], h, 2, 1L);
            assertTrue(r.passed(), c[0] + ": " + r.describe());
        }
        // and a wrong Hessian still fails there: twice the right one
        Declarations decls = Declarations.fromLines("S: spd(n); C: matrix(n)");
        Expr f = Expr.parse("sum(inv(S) .* C)");
        Derivative h = Derivatives.derive(f, decls, "S", 2, Layout.MIXED);
        Derivative doubled = new Derivative(new org.matcalc.expr.Expr.Binary(org.matcalc.expr.BinaryOp.MUL, new org.matcalc.expr.Expr.Num(2),
                h.expr()), h.shape(), h.layout(), h.description(), h.convention(), h.declarations(), h.derivation());
        assertFalse(Verify.atRandom(f, decls, "S", doubled, 2, 1L).passed());
    }
}
