package org.matcalc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.matcalc.expr.MatcalcException;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.RandomInputs;

/** The library facade: declare, parse, differentiate, print, evaluate, on non-square inputs. */
class MatcalcTest {
    @Test
    void leastSquaresGradientEndToEnd() {
        Matcalc mc = Matcalc.declare("X: matrix(n,m); w: vector(m); y: vector(n)");
        Matcalc.Formula loss = mc.parse("norm2(X*w - y)^2");
        Matcalc.Formula grad = loss.gradient("w");
        assertEquals("2*X'*(X*w - y)", grad.text());
        assertTrue(grad.latex().contains("X^{T}"), grad.latex());
        assertTrue(!grad.steps().isEmpty());
        Random rnd = new Random(3);
        Mat x = RandomInputs.entries(5, 3, rnd, RandomInputs.Style.SIGNED);
        Mat w = RandomInputs.entries(3, 1, rnd, RandomInputs.Style.SIGNED);
        Mat y = RandomInputs.entries(5, 1, rnd, RandomInputs.Style.SIGNED);
        Mat want = x.transposeTimes(x.times(w).minus(y)).scale(2);
        assertTrue(want.approxEquals(grad.evaluate(Map.of("X", x, "w", w, "y", y)), 1e-12));
        Mat hessian = loss.hessian("w").evaluate(Map.of("X", x, "w", w, "y", y));
        assertTrue(x.transposeTimes(x).scale(2).approxEquals(hessian, 1e-12));
    }

    @Test
    void compiledFormulasRunOftenAndRefuseOtherShapes() {
        Matcalc mc = Matcalc.declare("X: matrix(m,n); w: vector(n); y: vector(m)");
        Matcalc.Formula loss = mc.parse("sum(log(exp(-y.*(X*w)) + vector(1)))");
        Random rnd = new Random(5);
        Mat x = RandomInputs.entries(7, 4, rnd, RandomInputs.Style.SIGNED);
        Mat y = RandomInputs.entries(7, 1, rnd, RandomInputs.Style.SIGNED);
        Map<String, Mat> example = Map.of("X", x, "w", Mat.zeros(4, 1), "y", y);
        Matcalc.Compiled f = loss.compile(example), g = loss.gradient("w").compile(example),
                h = loss.hessian("w").compile(example);
        for (int run = 0; run < 3; run++) {
            Map<String, Mat> at = Map.of("X", x, "w", RandomInputs.entries(4, 1, rnd, RandomInputs.Style.SIGNED), "y", y);
            assertEquals(loss.evaluate(at), f.evaluate(at));
            assertTrue(loss.gradient("w").evaluate(at).approxEquals(g.evaluate(at), 1e-13));
            assertTrue(loss.hessian("w").evaluate(at).approxEquals(h.evaluate(at), 1e-13));
        }
        MatcalcException shape = assertThrows(MatcalcException.class,
                () -> g.evaluate(Map.of("X", x, "w", Mat.zeros(5, 1), "y", y)));
        assertTrue(shape.getMessage().contains("the value of w is 5x1") && shape.getMessage().contains("compiled for 4x1"),
                shape.getMessage());
        MatcalcException missing = assertThrows(MatcalcException.class, () -> g.evaluate(Map.of("X", x, "y", y)));
        assertTrue(missing.getMessage().contains("no value for w"), missing.getMessage());
    }

    /** One compiled plan, four threads, large enough for the native BLAS: every thread gets the answer of one. */
    @Test
    void aCompiledFormulaIsSharedBetweenThreads() throws Exception {
        Matcalc.Formula h = Matcalc.declare("X: matrix(m,n); w: vector(n); y: vector(m)")
                .parse("sum(log(exp(-y.*(X*w)) + vector(1)))").hessian("w");
        Random rnd = new Random(6);
        Mat x = RandomInputs.entries(400, 60, rnd, RandomInputs.Style.SIGNED);
        Mat y = RandomInputs.entries(400, 1, rnd, RandomInputs.Style.SIGNED);
        Map<String, Mat> at = Map.of("X", x, "w", RandomInputs.entries(60, 1, rnd, RandomInputs.Style.SIGNED), "y", y);
        Matcalc.Compiled c = h.compile(at);
        Mat want = h.evaluate(at);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<Mat>> runs = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                runs.add(pool.submit(() -> c.evaluate(at)));
            }
            for (java.util.concurrent.Future<Mat> r : runs) {
                assertTrue(r.get().approxEquals(want, 1e-12));
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void formulasWriteTheirCode() {
        Matcalc mc = Matcalc.declare("X: matrix(n,m); w: vector(m); y: vector(n)");
        Matcalc.Formula loss = mc.parse("norm2(X*w - y)^2");
        assertTrue(loss.code(org.matcalc.codegen.Language.NUMPY).contains("def f(X, w, y):"));
        String g = loss.gradient("w").code(org.matcalc.codegen.Language.NUMPY);
        assertTrue(g.contains("def f_and_g(X, w, y):") && g.contains("Gradient: 2*X'*(X*w - y)"), g);
        String h = loss.hessian("w").code(org.matcalc.codegen.Language.JAVA,
                new org.matcalc.codegen.Codegen.Options("LeastSquares", "org.example", Map.of("n", 10000, "m", 10)));
        assertTrue(h.contains("public final class LeastSquares") && h.contains("fGH(Mat X, Mat w, Mat y)"), h);
        // the Jacobian of a gradient: the gradient is the function whose code is written
        String j = loss.gradient("w").gradient("w").code(org.matcalc.codegen.Language.TORCH);
        assertTrue(j.contains("Value: 2*X'*(X*w - y)") && j.contains("Jacobian:"), j);
    }

    @Test
    void refusalsCarryPositions() {
        MatcalcException e = assertThrows(MatcalcException.class, () -> Matcalc.undeclared().parse("x*y"));
        assertEquals(1, e.span().line());
        assertEquals(2, e.span().column());
    }
}
