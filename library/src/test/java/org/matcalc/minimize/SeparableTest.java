package org.matcalc.minimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.matcalc.expr.Declarations;
import org.matcalc.expr.MatcalcException;
import org.matcalc.methods.optimize.Lbfgs;
import org.matcalc.methods.optimize.Result;
import org.matcalc.numeric.Evaluator;
import org.matcalc.numeric.Mat;

/**
 * The separable split without Spark: the row part summed over blocks plus the rest equals the
 * objective and its gradient, L-BFGS over blocks reaches the single-machine optimum in the same
 * number of iterations, and objectives that are not sums over rows are refused with the part
 * and the reason.
 */
class SeparableTest {
    /** Least squares, ridge, logistic regression, softmax regression: the four models. */
    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("least squares", "norm2(X*w - y)^2", "w", regression(1)),
                Arguments.of("ridge", "norm2(X*w - y)^2 + 0.5*norm2(w)^2", "w", regression(2)),
                Arguments.of("logistic", "sum(softplus(X*w)) - y'*X*w + 0.1*norm2(w)^2", "w", labels(3)),
                Arguments.of("softmax regression", "sum(log(exp(X*W)*vector(1, 3))) - sum(Y .* (X*W)) + 0.1*norm2(W)^2", "W",
                        classes(4)));
    }

    static Map<String, Mat> regression(long seed) {
        Random r = new Random(seed);
        Mat x = org.matcalc.numeric.RandomInputs.gaussian(203, 6, r);
        Map<String, Mat> d = new LinkedHashMap<>();
        d.put("X", x);
        d.put("y", x.times(org.matcalc.numeric.RandomInputs.gaussian(6, 1, r)).plus(org.matcalc.numeric.RandomInputs.gaussian(203, 1, r)));
        return d;
    }

    static Map<String, Mat> labels(long seed) {
        Random r = new Random(seed);
        Mat x = org.matcalc.numeric.RandomInputs.gaussian(251, 5, r);
        double[] y = new double[251];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextDouble() < 0.5 ? 0 : 1;
        }
        Map<String, Mat> d = new LinkedHashMap<>();
        d.put("X", x);
        d.put("y", Mat.column(y));
        return d;
    }

    static Map<String, Mat> classes(long seed) {
        Random r = new Random(seed);
        Mat x = org.matcalc.numeric.RandomInputs.gaussian(180, 4, r);
        double[][] y = new double[180][3];
        for (int i = 0; i < 180; i++) {
            y[i][r.nextInt(3)] = 1;
        }
        Map<String, Mat> d = new LinkedHashMap<>();
        d.put("X", x);
        d.put("Y", Mat.of(y));
        return d;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void blocksReachTheSingleMachineOptimumInTheSameIterations(String name, String objective, String wrt, Map<String, Mat> data) {
        Problem one = Problem.of(objective, Declarations.NONE, wrt, data, null);
        Separable s = Separable.of(objective, Declarations.NONE, wrt, Evaluator.shapesOf(data), Map.of());
        List<Map<String, Mat>> blocks = s.blocks(data, 37); // uneven: the last block is shorter
        assertTrue(blocks.size() > 3);

        // the same value and gradient at a random point
        Random r = new Random(9);
        double[] x = new double[s.dimension()];
        for (int i = 0; i < x.length; i++) {
            x[i] = 0.3 * r.nextGaussian();
        }
        double[] g1 = new double[x.length], g2 = new double[x.length];
        double f1 = one.objective().evaluate(x, g1), f2 = s.over(blocks).evaluate(x, g2);
        assertEquals(f1, f2, 1e-10 * Math.abs(f1), name);
        for (int i = 0; i < x.length; i++) {
            assertEquals(g1[i], g2[i], 1e-9 * (1 + Math.abs(g1[i])), name + " gradient " + i);
        }

        org.matcalc.methods.optimize.Options o = MinimizeTest.TIGHT;
        double[] x0 = new double[x.length];
        Result a = Lbfgs.minimize(one.objective(), x0, o), b = Lbfgs.minimize(s.over(blocks), x0, o);
        assertTrue(a.converged() && b.converged(), name);
        assertEquals(a.value(), b.value(), 1e-8 * Math.abs(a.value()), name + ": the same optimum");
        assertEquals(a.iterations(), b.iterations(), name + ": the same iterations");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void newtonCgOverBlocksReachesTheSameOptimum(String name, String objective, String wrt, Map<String, Mat> data) {
        Problem one = Problem.of(objective, Declarations.NONE, wrt, data, null);
        Separable s = Separable.of(objective, Declarations.NONE, wrt, Evaluator.shapesOf(data), Map.of());
        List<Map<String, Mat>> blocks = s.blocks(data, 37);
        double[] x0 = new double[s.dimension()];
        // the summed Hessian-vector product is the Hessian's, by differences of the gradient
        double[] v = new double[x0.length], g1 = new double[x0.length], g2 = new double[x0.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.sin(i + 1);
        }
        double h = 1e-6;
        double[] xp = v.clone(), xm = v.clone();
        for (int i = 0; i < v.length; i++) {
            xp[i] = 0.1 + h * v[i];
            xm[i] = 0.1 - h * v[i];
        }
        s.over(blocks).evaluate(xp, g1);
        s.over(blocks).evaluate(xm, g2);
        double[] at = new double[x0.length];
        java.util.Arrays.fill(at, 0.1);
        double[] hv = s.hessianTimes(blocks).apply(at, v);
        for (int i = 0; i < v.length; i++) {
            assertEquals((g1[i] - g2[i]) / (2 * h), hv[i], 1e-5 * (1 + Math.abs(hv[i])), name + " H*v " + i);
        }
        Result a = Lbfgs.minimize(one.objective(), x0, MinimizeTest.TIGHT);
        Result b = org.matcalc.methods.optimize.NewtonCg.minimize(s.over(blocks), s.hessianTimes(blocks), x0, MinimizeTest.TIGHT);
        assertTrue(b.converged(), b.message());
        assertEquals(a.value(), b.value(), 1e-8 * Math.abs(a.value()), name + ": the same optimum");
    }

    @Test
    void whatIsNotASumOverRowsIsRefusedWithTheReason() {
        Map<String, Mat> d = regression(5);
        Map<String, org.matcalc.expr.Shape> shapes = Evaluator.shapesOf(d);
        MatcalcException norm = assertThrows(MatcalcException.class,
                () -> Separable.of("norm2(X*w - y)", Declarations.NONE, "w", shapes, Map.of()));
        assertTrue(norm.getMessage().contains("norm2(X*w - y)") && norm.getMessage().contains("without its square"), norm.getMessage());
        MatcalcException gram = assertThrows(MatcalcException.class,
                () -> Separable.of("sum(inv(X'*X + eye(6))*w)", Declarations.NONE, "w", shapes, Map.of()));
        assertTrue(gram.getMessage().contains("not separable over the rows") && gram.getMessage().contains("inv(X'*X + eye(6))*w"),
                gram.getMessage());
        MatcalcException product = assertThrows(MatcalcException.class,
                () -> Separable.of("sum(X*w)*sum(y)", Declarations.NONE, "w", shapes, Map.of()));
        assertTrue(product.getMessage().contains("product of sums"), product.getMessage());
        assertTrue(norm.span() != null && norm.span().column() == 1, "the refusal points into the objective");
    }

    @Test
    void otherDataIsTheSameOnEveryBlock() {
        // w0 (6 entries) is not row data: it is used whole, on the driver
        Map<String, Mat> d = regression(6);
        Mat w0 = Mat.fill(6, 1, 0.25);
        Map<String, Mat> all = new LinkedHashMap<>(d);
        all.put("w0", w0);
        String f = "norm2(X*w - y)^2 + norm2(w - w0)^2";
        Separable s = Separable.of(f, Declarations.NONE, "w", Evaluator.shapesOf(all), Map.of("w0", w0));
        assertEquals(List.of("X", "y"), List.copyOf(s.rowData()));
        assertEquals("norm2(w - w0)^2", s.rest());
        Problem one = Problem.of(f, Declarations.NONE, "w", all, null);
        double[] x = {1, 2, 3, 4, 5, 6}, g1 = new double[6], g2 = new double[6];
        assertEquals(one.objective().evaluate(x, g1), s.over(s.blocks(d, 50)).evaluate(x, g2), 1e-9);
    }
}
