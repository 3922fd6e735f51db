package org.matcalc.methods.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.matcalc.numeric.Kernels;
import org.matcalc.numeric.Mat;
import org.matcalc.ad.AD;
import org.matcalc.numeric.Num;
import org.matcalc.ad.ScalarProgram;
import org.matcalc.numeric.fd.DerivativeCheck;
import org.matcalc.numeric.fd.FiniteDifferences;

class NewtonMinimizerTest {
    static final Options TIGHT = Options.defaults().withGradientTolerance(1e-10);

    static final ScalarProgram ROSENBROCK = new ScalarProgram() {
        @Override
        public <T extends Num<T>> T apply(T[] x) {
            T a = x[1].minus(x[0].square()), b = x[0].negate().plus(1);
            return a.square().times(100).plus(b.square());
        }
    };

    @Test
    void aQuadraticTakesOneFullStep() {
        Random rnd = new Random(11);
        Mat a = Problems.rotatedDiagonal(rnd, 1, 10, 100, 1000), b = Problems.gaussian(rnd, 4, 1);
        Result r = NewtonMinimizer.minimize(Problems.quadratic(a, b), x -> a, new double[4], TIGHT);
        assertTrue(r.converged(), r.message());
        assertEquals(1, r.iterations());
        assertEquals(1.0, r.history().get(1).stepLength());
        assertTrue(Mat.column(r.x()).approxEquals(Kernels.solve(a, b), 1e-12));
        assertFalse(r.message().contains("warning"), r.message());
    }

    @Test
    void rosenbrockWithAdHessianConvergesQuadratically() {
        Result r = NewtonMinimizer.minimize(Objective.of(ROSENBROCK), Hessian.of(ROSENBROCK), new double[] {-1.2, 1}, TIGHT);
        assertTrue(r.converged(), r.message());
        assertEquals(1, r.x()[0], 1e-10);
        assertEquals(1, r.x()[1], 1e-10);
        assertTrue(r.iterations() < 40, r.table());
        // the final full steps: |grad| squares from row to row, observed order near 2
        double[] p = ConvergenceReport.observedOrders(ConvergenceReport.gradientNorms(r.history()));
        double best = 0;
        for (int k = p.length - 3; k < p.length - 1; k++) best = Math.max(best, p[k]);
        assertTrue(best > 1.7, r.table());
    }

    @Test
    void adObjectiveAndHessianAgreeWithTheHandWrittenOnes() {
        double[] x = {-0.7, 0.4};
        Mat g = Problems.gradient(Objective.of(ROSENBROCK), x);
        assertTrue(g.approxEquals(Problems.gradient(Problems.ROSENBROCK, x), 1e-12));
        assertTrue(Hessian.of(ROSENBROCK).at(x).approxEquals(Problems.rosenbrockHessian(x), 1e-10));
        // and the hand-written Hessian against finite differences of the gradient
        Mat fdH = FiniteDifferences.jacobian(v -> Problems.gradient(Problems.ROSENBROCK, v.toRowMajor()), Mat.column(x));
        DerivativeCheck.Report rep = DerivativeCheck.compare(Problems.rosenbrockHessian(x), fdH);
        assertTrue(rep.passed(1e-7), rep.toString());
    }

    @Test
    void indefiniteHessianIsReportedAndTheMethodStillDescends() {
        // f = x^4/4 - x^2/2 + y^2: H = diag(3x^2 - 1, 2) is indefinite for |x| < 1/sqrt(3); minima at (+-1, 0)
        ScalarProgram f = new ScalarProgram() {
            @Override
            public <T extends Num<T>> T apply(T[] x) {
                return x[0].pow(4).times(0.25).minus(x[0].square().times(0.5)).plus(x[1].square());
            }
        };
        Result r = NewtonMinimizer.minimize(Objective.of(f), Hessian.of(f), new double[] {0.1, 1}, TIGHT);
        assertTrue(r.converged(), r.message() + "\n" + r.table());
        assertEquals(1, r.x()[0], 1e-10);
        assertEquals(0, r.x()[1], 1e-10);
        assertTrue(r.message().contains("warning: the Hessian was not positive definite"), r.message());
        assertTrue(r.message().contains("smallest eigenvalue -0.97"), r.message());
        assertFalse(r.message().contains("final point"), r.message());
        for (int k = 1; k < r.history().size(); k++) { // descent, up to rounding in the last rows
            assertTrue(r.history().get(k).value() <= r.history().get(k - 1).value() + 1e-15, r.table());
        }
    }

    @Test
    void startingOnASaddleSaysItIsNotAMinimum() {
        Objective saddle = (x, g) -> {
            g[0] = 2 * x[0];
            g[1] = -2 * x[1];
            return x[0] * x[0] - x[1] * x[1];
        };
        Result r = NewtonMinimizer.minimize(saddle, x -> Mat.of(new double[][] {{2, 0}, {0, -2}}), new double[] {0, 0}, TIGHT);
        assertTrue(r.converged());
        assertTrue(r.message().contains("final point is not positive definite (smallest eigenvalue -2)"), r.message());
        assertTrue(r.message().contains("saddle or maximum"), r.message());
    }

    @Test
    void logisticRegressionAgreesAcrossGradientDescentLbfgsAndNewton() {
        Problems.Logistic lr = new Problems.Logistic(17, 300, 6, 0.1);
        double[] w0 = new double[6];
        Result gd = GradientDescent.minimize(lr.objective, w0, Options.defaults().withMaxIterations(50000));
        Result lb = Lbfgs.minimize(lr.objective, w0, Options.defaults());
        Result nt = NewtonMinimizer.minimize(lr.objective, lr::hessian, w0, Options.defaults());
        for (Result r : new Result[] {gd, lb, nt}) assertTrue(r.converged(), r.message());
        // Hessian >= 0.1 I, so |w - w*| <= |grad| / 0.1 <= 1e-7 for each
        assertTrue(Mat.column(gd.x()).approxEquals(Mat.column(nt.x()), 2e-7));
        assertTrue(Mat.column(lb.x()).approxEquals(Mat.column(nt.x()), 2e-7));
        assertTrue(nt.iterations() < lb.iterations() && lb.iterations() < gd.iterations(),
                nt.iterations() + " < " + lb.iterations() + " < " + gd.iterations());
        // the Hessian used is the derivative of the gradient
        Mat fdH = FiniteDifferences.jacobian(v -> Problems.gradient(lr.objective, v.toRowMajor()), Mat.column(nt.x()));
        assertTrue(DerivativeCheck.compare(lr.hessian(nt.x()), fdH).passed(1e-6));
    }

    @Test
    void hessianFromAMatrixProgram() {
        // f = 0.5 x'Ax - b'x as a Node program: the Hessian by AD is A
        Mat a = Mat.of(new double[][] {{4, 1}, {1, 3}}), bv = Mat.column(1, 2);
        AD.MatFunction f = x -> x.transposeTimes(x.constant(a).times(x)).times(0.5).minus(x.constant(bv).transposeTimes(x));
        Result r = NewtonMinimizer.minimize(Objective.of(f), Hessian.of(f), new double[] {5, 5}, TIGHT);
        assertTrue(r.converged(), r.message());
        assertTrue(Mat.column(r.x()).approxEquals(Kernels.solve(a, bv), 1e-12));
        assertTrue(Hessian.of(f).at(new double[] {0.3, 0.1}).approxEquals(a, 1e-14));
    }

    @Test
    void badHessiansAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NewtonMinimizer.minimize(
                Problems.ROSENBROCK, x -> Mat.eye(3), new double[] {1, 2}, Options.defaults()));
        assertTrue(e.getMessage().contains("required 2x2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NewtonMinimizer.minimize(
                Problems.ROSENBROCK, x -> Mat.of(new double[][] {{1, 2}, {0, 1}}), new double[] {0, 2}, Options.defaults()));
        assertTrue(e.getMessage().contains("not symmetric"), e.getMessage());
    }
}
