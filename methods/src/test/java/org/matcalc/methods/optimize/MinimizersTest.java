package org.matcalc.methods.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.matcalc.numeric.Kernels;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.fd.DerivativeCheck;

class MinimizersTest {
    static final Options TIGHT = Options.defaults().withGradientTolerance(1e-9);

    @Test
    void testObjectivesHaveTheirGradients() {
        Random rnd = new Random(1);
        Mat a = Problems.rotatedDiagonal(rnd, 1, 3, 10), b = Problems.gaussian(rnd, 3, 1);
        Objective q = Problems.quadratic(a, b);
        Problems.Logistic lr = new Problems.Logistic(2, 40, 3, 0.1);
        for (Objective f : List.of(q, Problems.ROSENBROCK, lr.objective)) {
            int n = f == Problems.ROSENBROCK ? 2 : 3;
            Mat x = Problems.gaussian(rnd, n, 1);
            DerivativeCheck.Report r = DerivativeCheck.gradient(v -> Problems.value(f, v), x, Problems.gradient(f, x.toRowMajor()));
            assertTrue(r.passed(1e-7), r.toString());
        }
    }

    @Test
    void lbfgsSolvesAQuadratic() {
        Random rnd = new Random(3);
        Mat a = Problems.rotatedDiagonal(rnd, 1, 2, 3, 5, 8, 13), b = Problems.gaussian(rnd, 6, 1);
        Result r = Lbfgs.minimize(Problems.quadratic(a, b), new double[6], TIGHT);
        assertTrue(r.converged(), r.message());
        assertTrue(Mat.column(r.x()).approxEquals(Kernels.solve(a, b), 1e-8), r.table());
        // with memory >= n, L-BFGS on a quadratic with exact-ish line searches finishes in about n steps
        assertTrue(r.iterations() <= 30, r.table());
    }

    @Test
    void lbfgsSolvesBadlyScaledQuadratics() {
        // rotated, n = 10, condition number 1e6; axis-aligned, n = 50 (more than the memory), 1e4
        Random rnd = new Random(4);
        for (int[] c : new int[][] {{10, 6, 1}, {50, 4, 0}}) {
            int n = c[0];
            double[] d = new double[n];
            for (int i = 0; i < n; i++) d[i] = Math.pow(10, c[1] * (double) i / (n - 1));
            Mat a = c[2] == 1 ? Problems.rotatedDiagonal(rnd, d) : Problems.rotatedDiagonal(null, d);
            Mat b = Problems.gaussian(rnd, n, 1);
            Result r = Lbfgs.minimize(Problems.quadratic(a, b), new double[n],
                    Options.defaults().withGradientTolerance(1e-7));
            assertTrue(r.converged(), r.message());
            // |x - x*| <= |grad| / lambda_min = 1e-7
            assertTrue(Mat.column(r.x()).minus(Kernels.solve(a, b)).maxAbs() <= 1e-7, r.message());
        }
    }

    @Test
    void lbfgsSolvesRosenbrockFromTheClassicStart() {
        for (int m : new int[] {1, 3, 10}) {
            Result r = Lbfgs.minimize(Problems.ROSENBROCK, new double[] {-1.2, 1}, m, TIGHT);
            assertTrue(r.converged(), "m = " + m + ": " + r.message());
            assertEquals(1, r.x()[0], 1e-8);
            assertEquals(1, r.x()[1], 1e-8);
            assertTrue(r.value() < 1e-16, "value " + r.value());
            assertTrue(r.iterations() < 100, "m = " + m + ": " + r.iterations());
        }
    }

    @Test
    void gradientDescentSolvesAWellConditionedQuadraticLinearly() {
        Random rnd = new Random(5);
        Mat a = Problems.rotatedDiagonal(rnd, 1, 2, 4), b = Problems.gaussian(rnd, 3, 1);
        Result r = GradientDescent.minimize(Problems.quadratic(a, b), new double[3], TIGHT);
        assertTrue(r.converged(), r.message());
        assertTrue(Mat.column(r.x()).approxEquals(Kernels.solve(a, b), 1e-8));
        // linear convergence: |grad| contracts by a roughly constant factor, on average
        // below 1 but far from the superlinear collapse of Newton's method
        double[] e = ConvergenceReport.gradientNorms(r.history());
        double rate = Math.pow(e[e.length - 1] / e[0], 1.0 / (e.length - 1));
        assertTrue(rate > 0.05 && rate < 0.9, "mean contraction " + rate + "\n" + r.table());
    }

    @Test
    void gradientDescentStopsAtTheIterationLimitOnRosenbrockAndSaysSo() {
        Result r = GradientDescent.minimize(Problems.ROSENBROCK, new double[] {-1.2, 1}, TIGHT.withMaxIterations(200));
        assertFalse(r.converged());
        assertEquals(200, r.iterations());
        assertTrue(r.message().contains("iteration limit"), r.message());
        assertTrue(r.value() < Problems.ROSENBROCK.evaluate(new double[] {-1.2, 1}, new double[2]), "descent");
        for (int k = 1; k < r.history().size(); k++) {
            assertTrue(r.history().get(k).value() < r.history().get(k - 1).value(), "monotone at " + k);
        }
    }

    @Test
    void logisticRegressionAgreesAcrossSolvers() {
        Problems.Logistic lr = new Problems.Logistic(7, 200, 5, 0.5);
        Result gd = GradientDescent.minimize(lr.objective, new double[5], Options.defaults().withMaxIterations(20000));
        Result lb = Lbfgs.minimize(lr.objective, new double[5], Options.defaults());
        assertTrue(gd.converged(), gd.message());
        assertTrue(lb.converged(), lb.message());
        // strongly convex with Hessian >= lambda I: |w - w*| <= |grad| / lambda
        assertTrue(Mat.column(gd.x()).minus(Mat.column(lb.x())).maxAbs() < 1e-7);
        assertTrue(lb.iterations() < gd.iterations(), lb.iterations() + " vs " + gd.iterations());
    }

    @Test
    void progressSeesEveryRowAndTheTableShowsThem() {
        List<Iteration> seen = new ArrayList<>();
        Result r = Lbfgs.minimize(Problems.ROSENBROCK, new double[] {-1.2, 1}, TIGHT.withProgress(seen::add));
        assertEquals(r.history(), seen);
        assertEquals(0, seen.get(0).k());
        String t = r.table();
        assertTrue(t.startsWith("    k"), t);
        assertEquals(r.history().size() + 1, t.split("\n").length);
        assertTrue(r.evaluations() >= r.iterations());
    }

    @Test
    void aWrongGradientStopsWithAMessageNotAHang() {
        Objective wrong = (x, g) -> {
            g[0] = -2 * x[0]; // the sign is wrong: -g points uphill
            return x[0] * x[0];
        };
        for (Result r : List.of(Lbfgs.minimize(wrong, new double[] {1}, Options.defaults()),
                GradientDescent.minimize(wrong, new double[] {1}, Options.defaults()))) {
            assertFalse(r.converged());
            assertTrue(r.message().contains("gradient is wrong"), r.message());
            assertEquals(1, r.x()[0]);
        }
    }

    @Test
    void nonFiniteTrialsShortenTheStep() {
        // f is +Inf beyond |x| = 2: the first trial steps there and must be pulled back
        Objective walled = (x, g) -> {
            g[0] = 2 * (x[0] - 1.5);
            return Math.abs(x[0]) > 2 ? Double.POSITIVE_INFINITY : (x[0] - 1.5) * (x[0] - 1.5);
        };
        for (Result r : List.of(Lbfgs.minimize(walled, new double[] {-1.9}, Options.defaults()),
                GradientDescent.minimize(walled, new double[] {-1.9}, Options.defaults()))) {
            assertTrue(r.converged(), r.message());
            assertEquals(1.5, r.x()[0], 1e-8);
        }
    }

    @Test
    void badInputIsRefusedClearly() {
        Options o = Options.defaults();
        assertThrows(IllegalArgumentException.class, () -> Lbfgs.minimize(Problems.ROSENBROCK, new double[0], o));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradientDescent.minimize(Problems.ROSENBROCK, new double[] {Double.NaN, 1}, o));
        assertTrue(e.getMessage().contains("entry 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Lbfgs.minimize(Problems.ROSENBROCK, new double[] {1, 1}, 0, o));
        assertThrows(IllegalArgumentException.class, () -> Lbfgs.minimize(Problems.ROSENBROCK, new double[] {1, 1}, o.withMaxIterations(-1)));
        e = assertThrows(IllegalArgumentException.class,
                () -> Lbfgs.minimize((x, g) -> Double.NaN, new double[] {1}, o));
        assertTrue(e.getMessage().contains("NaN at the starting point"), e.getMessage());
    }

    @Test
    void zeroIterationsReturnsTheStart() {
        Result r = Lbfgs.minimize(Problems.ROSENBROCK, new double[] {-1.2, 1}, Options.defaults().withMaxIterations(0));
        assertEquals(0, r.iterations());
        assertEquals(-1.2, r.x()[0]);
        assertFalse(r.converged());
    }

    @Test
    void observedOrdersOfKnownSequences() {
        double[] lin = {1, 0.5, 0.25, 0.125}, quad = {1e-1, 1e-2, 1e-4, 1e-8}, stuck = {1, 1, 1, 0};
        assertEquals(1, ConvergenceReport.observedOrders(lin)[2], 1e-12);
        assertEquals(2, ConvergenceReport.observedOrders(quad)[1], 1e-12);
        assertEquals(2, ConvergenceReport.observedOrders(quad)[2], 1e-12);
        assertTrue(Double.isNaN(ConvergenceReport.observedOrders(quad)[0]));
        assertTrue(Double.isNaN(ConvergenceReport.observedOrders(quad)[3]));
        for (double p : ConvergenceReport.observedOrders(stuck)) assertTrue(Double.isNaN(p));
    }
}
