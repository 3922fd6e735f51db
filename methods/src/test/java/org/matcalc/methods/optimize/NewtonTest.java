package org.matcalc.methods.optimize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.Num;
import org.matcalc.ad.Node;
import org.matcalc.numeric.fd.DerivativeCheck;

class NewtonTest {
    static final double SQRT2 = Math.sqrt(2);
    static final Options TIGHT = Options.defaults().withGradientTolerance(1e-15);

    @Test
    void sqrt2IteratesAreTheClosedFormOnes() {
        RootResult r = Newton.solveScalar(x -> 2 - x * x, x -> -2 * x, 1.0, TIGHT);
        assertTrue(r.converged(), r.message());
        // x_{k+1} = (x_k + 2/x_k)/2: 1, 3/2, 17/12, 577/408, 665857/470832
        double[] exact = {1, 1.5, 17.0 / 12, 577.0 / 408, 665857.0 / 470832};
        for (int k = 0; k < exact.length; k++) assertEquals(exact[k], r.iterates().get(k)[0], 1e-15);
        assertEquals(SQRT2, r.x()[0], 4e-16);
    }

    @Test
    void sqrt2ConvergesQuadratically() {
        RootResult r = Newton.solveScalar(x -> 2 - x * x, x -> -2 * x, 1.0, TIGHT);
        double[] e = r.errors(new double[] {SQRT2});
        // e_{k+1} = e_k^2 / (2 x_k) exactly for this f: the ratio tends to 1/(2 sqrt 2) = 0.3536
        for (int k = 1; k < e.length && e[k] > 1e-10; k++) { // below, rounding in e_k shows
            double ratio = e[k] / (e[k - 1] * e[k - 1]);
            assertEquals(1 / (2 * r.iterates().get(k - 1)[0]), ratio, 1e-6 * ratio, "k = " + k);
        }
        double[] p = ConvergenceReport.observedOrders(e);
        assertEquals(2, p[2], 0.05, r.table(new double[] {SQRT2}));
        assertEquals(2, p[3], 0.01);
        // from residuals (root unknown) the order is visible as well
        double[] pr = r.observedOrders();
        assertEquals(2, pr[3], 0.02, r.table());
        // and from the step norms |x_k - x_{k-1}|
        double[] ps = r.stepOrders();
        assertEquals(r.iterates().size(), ps.length);
        assertTrue(Double.isNaN(ps[0]));
        assertEquals(2, ps[3], 0.02, java.util.Arrays.toString(ps));
    }

    @Test
    void derivativeByDualNumbersGivesTheSameIterates() {
        RootResult given = Newton.solveScalar(x -> 2 - x * x, x -> -2 * x, 1.0, TIGHT);
        RootResult dual = Newton.solveScalar(x -> x.times(x).negate().plus(2), 1.0, TIGHT);
        assertEquals(given.iterates().size(), dual.iterates().size());
        for (int k = 0; k < given.iterates().size(); k++) {
            assertArrayEquals(given.iterates().get(k), dual.iterates().get(k), 0);
        }
    }

    /** F(x, y) = (x^2 + y^2 - 2, x^2 - y^2): roots (+-1, +-1); from (2, 0.5) to (1, 1). */
    static final SystemProgram CIRCLE = new SystemProgram() {
        @Override
        public <T extends Num<T>> List<T> apply(T[] u) {
            T x2 = u[0].square(), y2 = u[1].square();
            return List.of(x2.plus(y2).minus(2), x2.minus(y2));
        }
    };

    @Test
    void twoDimensionalSystemConvergesQuadraticallyWithEveryJacobianSource() {
        double[] x0 = {2, 0.5}, root = {1, 1};
        RootResult byDualVec = Newton.solve(CIRCLE, x0, TIGHT);
        RootResult byGiven = Newton.solve(x -> new double[] {x[0] * x[0] + x[1] * x[1] - 2, x[0] * x[0] - x[1] * x[1]},
                x -> Mat.of(new double[][] {{2 * x[0], 2 * x[1]}, {2 * x[0], -2 * x[1]}}), x0, TIGHT);
        RootResult byTape = Newton.solve((Node u) -> {
            Node x2 = u.get(0, 0).square(), y2 = u.get(1, 0).square();
            return x2.plus(y2).minus(2).vcat(x2.minus(y2));
        }, x0, TIGHT);
        for (RootResult r : List.of(byDualVec, byGiven, byTape)) {
            assertTrue(r.converged(), r.message());
            assertArrayEquals(root, r.x(), 1e-15);
            double[] e = r.errors(root);
            for (int k = 1; k < e.length && e[k] > 1e-12; k++) {
                assertTrue(e[k] / (e[k - 1] * e[k - 1]) < 2, "bounded e_k/e_k-1^2\n" + r.table(root));
            }
            double[] p = ConvergenceReport.observedOrders(e);
            int last = e.length - 1;
            while (e[last] < 1e-12) last--; // the last rows sit at rounding level
            assertEquals(2, p[last - 1], 0.1, r.table(root));
        }
        assertEquals(byGiven.iterates().size(), byDualVec.iterates().size());
        assertEquals(byGiven.iterates().size(), byTape.iterates().size());
    }

    @Test
    void forwardJacobianMatchesFiniteDifferences() {
        Mat x = Mat.column(0.3, -1.7);
        Mat j = Newton.jacobianForward(CIRCLE, x.toRowMajor());
        DerivativeCheck.Report rep = DerivativeCheck.jacobian(v -> Mat.column(Newton.values(CIRCLE, v.toRowMajor())), x, j);
        assertTrue(rep.passed(1e-8), rep.toString());
    }

    @Test
    void singularJacobianIsReportedNotNaN() {
        RootResult r = Newton.solveScalar(x -> x * x - 1, x -> 2 * x, 0.0, Options.defaults());
        assertFalse(r.converged());
        assertTrue(r.message().contains("singular"), r.message());
        assertEquals(0.0, r.x()[0]);
        RootResult s = Newton.solve(x -> new double[] {x[0] + x[1], x[0] + x[1] - 1},
                x -> Mat.of(new double[][] {{1, 1}, {1, 1}}), new double[] {0, 0}, Options.defaults());
        assertTrue(s.message().contains("singular"), s.message());
        assertTrue(Double.isFinite(s.x()[0]) && Double.isFinite(s.x()[1]));
    }

    @Test
    void dampingRescuesAStartWherePlainNewtonDiverges() {
        // plain Newton on atan(x) diverges from |x0| > 1.3917; backtracking on |F|^2 converges
        RootResult r = Newton.solveScalar(Math::atan, x -> 1 / (1 + x * x), 3.0, Options.defaults());
        assertTrue(r.converged(), r.message());
        assertEquals(0, r.x()[0], 1e-8);
        double[] res = r.residuals();
        for (int k = 1; k < res.length; k++) assertTrue(res[k] < res[k - 1], "monotone |F|");
        assertTrue(r.result().history().get(1).stepLength() < 1, "the first step was damped");
    }

    @Test
    void aDoubleRootConvergesOnlyLinearly() {
        // f = (x - 1)^2: f' vanishes at the root, e_{k+1} = e_k / 2, order 1
        RootResult r = Newton.solveScalar(x -> (x - 1) * (x - 1), x -> 2 * (x - 1), 2.0, Options.defaults().withGradientTolerance(1e-20));
        double[] e = r.errors(new double[] {1});
        for (int k = 1; k < 20; k++) assertEquals(0.5, e[k] / e[k - 1], 1e-12);
        assertEquals(1, ConvergenceReport.observedOrders(e)[10], 1e-9);
    }

    @Test
    void aToleranceBelowRoundingStopsAtTheRootAndSaysSo() {
        // |F| of a system scaled by 1e6 cannot fall below about 1e-10 in double precision
        RootResult r = Newton.solve(x -> new double[] {1e6 * (x[0] * x[0] - 2), 1e6 * (x[1] - x[0])},
                x -> Mat.of(new double[][] {{2e6 * x[0], 0}, {-1e6, 1e6}}), new double[] {1, 1},
                Options.defaults().withGradientTolerance(1e-20));
        assertFalse(r.converged());
        assertTrue(r.roundingLimited() && r.foundRoot(), r.message());
        assertTrue(r.message().contains("stopped at rounding level"), r.message());
        assertEquals(SQRT2, r.x()[0], 4e-16);
        // and the critical-point finder still keeps such roots
        SystemProgram scaled = new SystemProgram() {
            @Override
            public <T extends Num<T>> List<T> apply(T[] u) {
                return List.of(u[0].square().minus(2).times(1e6), u[1].minus(u[0]).times(1e6));
            }
        };
        assertEquals(2, CriticalPoints.find(scaled, CriticalPoints.grid(new double[] {-2, -2}, new double[] {2, 2}, 3),
                Options.defaults().withGradientTolerance(1e-20)).size());
    }

    @Test
    void aWrongJacobianStopsWithoutClaimingARoot() {
        RootResult r = Newton.solveScalar(x -> x * x - 2, x -> -2 * x, 1.0, Options.defaults());
        assertFalse(r.foundRoot(), r.message());
        assertTrue(r.message().contains("Jacobian may be wrong"), r.message());
    }

    @Test
    void resultsHandOutCopies() {
        RootResult r = Newton.solveScalar(x -> 2 - x * x, x -> -2 * x, 1.0, Options.defaults());
        r.x()[0] = 99;
        r.iterates().get(0)[0] = 99;
        r.result().x()[0] = 99;
        assertEquals(SQRT2, r.x()[0], 1e-8);
        assertEquals(1.0, r.iterates().get(0)[0]);
    }

    @Test
    void badInputIsRefusedClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Newton.solve(x -> new double[] {x[0]}, x -> Mat.eye(1), new double[] {1, 2}, Options.defaults()));
        assertTrue(e.getMessage().contains("square system"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Newton.solveScalar(Math::log, x -> 1 / x, -1.0, Options.defaults()));
        assertTrue(e.getMessage().contains("not finite"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Newton.solve(x -> x.clone(), x -> Mat.eye(3), new double[] {1, 2}, Options.defaults()));
        assertTrue(e.getMessage().contains("required 2x2"), e.getMessage());
    }

    @Test
    void table() {
        RootResult r = Newton.solveScalar(x -> 2 - x * x, x -> -2 * x, 1.0, TIGHT);
        String t = r.table(new double[] {SQRT2});
        assertTrue(t.contains("1.414213562373095"), t);
        assertTrue(t.contains("error e_k"), t);
    }
}
