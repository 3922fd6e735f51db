package org.matcalc.ad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.matcalc.expr.Builtin;
import org.matcalc.numeric.Kernels;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.fd.FiniteDifferences;
import org.matcalc.numeric.primitives.Primitives;
import org.matcalc.numeric.MatDual;

/**
 * det, logdet and inv derivatives (MIT 18.063 ch. 7): their blocks' forward and reverse rules
 * against finite differences and closed forms.
 */
class DetInvDerivativesTest {
    /** The forward rule of fn at a along e: d fn(a)[e]. */
    private static Mat jvp(Builtin fn, Mat a, Mat e) {
        return Primitives.jvp(fn, new MatDual(a, e)).tangent();
    }

    static double err(Mat a, Mat b) {
        return Agreement.error(a, b);
    }

    static double err(double a, double b) {
        return Math.abs(a - b) / Math.max(1, Math.max(Math.abs(a), Math.abs(b)));
    }

    static Mat gaussian(Random rnd, int rows, int cols) {
        double[] d = new double[rows * cols];
        for (int k = 0; k < d.length; k++) {
            d[k] = rnd.nextGaussian();
        }
        return Mat.rowMajor(rows, cols, d);
    }

    /** The reverse rule of det: adj(A)'. */
    private static Mat detGradient(Mat a) {
        return AD.gradient(x -> x.det(), a);
    }

    @Test
    void detLogdetAndInvMatchFiniteDifferencesAndAd() {
        Random rnd = new Random(7);
        for (int n = 1; n <= 6; n++) {
            for (int rep = 0; rep < 3; rep++) {
                Mat a = gaussian(rnd, n, n).plus(Mat.eye(n).scale(n)); // well conditioned
                Mat e = gaussian(rnd, n, n); // not symmetric: det and inv have no structure to respect
                String at = "n=" + n + ", rep=" + rep;

                double dd = jvp(Builtin.DET, a, e).scalarValue();
                assertTrue(err(dd, FiniteDifferences.directional(Kernels::det, a, e)) <= 1e-8 * Math.abs(Kernels.det(a)) + 1e-8, at);
                assertTrue(err(Mat.scalar(dd), AD.jvp(x -> x.det(), a, e).tangent()) <= 1e-11 * Math.max(1, Math.abs(dd)), at);
                Mat g = detGradient(a);
                assertTrue(err(g, Kernels.inv(a).transpose().scale(Kernels.det(a))) <= 1e-10 * Math.max(1, g.maxAbs()),
                        at + ": adj(A)' = det(A) inv(A)'");
                assertTrue(err(g, AD.gradient(x -> x.det(), a)) <= 1e-10 * Math.max(1, g.maxAbs()), at + ": det gradient vs AD");
                assertEquals(dd, g.dot(e), 1e-10 * Math.max(1, Math.abs(dd)), at);

                double dl = jvp(Builtin.LOGDET, a, e).scalarValue();
                assertTrue(err(dl, FiniteDifferences.directional(Kernels::logdet, a, e)) <= 1e-8, at);
                assertTrue(err(Kernels.inv(a).transpose(), AD.gradient(x -> x.logdet(), a)) <= 1e-12, at);

                Mat di = jvp(Builtin.INV, a, e);
                double fdErr = err(di, FiniteDifferences.directionalMatrix(Kernels::inv, a, e));
                assertTrue(fdErr <= 1e-7, at + ": d inv vs FD " + fdErr); // O(h^2) truncation, h ~ 6e-6 max|A|/max|E|
                assertTrue(err(di, AD.jvp(x -> x.inv(), a, e).tangent()) <= 1e-12, at + ": d inv vs AD");
            }
        }
    }

    @Test
    void twoByTwoCofactorsOfTheSeed() {
        // §7.1: M = [[a, c], [b, d]] has cofactor(M) = [[d, -b], [-c, a]] = grad det(M)
        double a = 3, b = -1, c = 2, d = 5;
        Mat m = Mat.of(new double[][] {{a, c}, {b, d}});
        assertTrue(err(Mat.of(new double[][] {{d, -b}, {-c, a}}), detGradient(m)) <= 1e-14);
        assertTrue(err(Mat.of(new double[][] {{d, -c}, {-b, a}}), Kernels.adjugate(m)) <= 1e-14);
    }

    @Test
    void detGradientOfASingularMatrixIsTheAdjugateNotNaN() {
        Random rnd = new Random(11);
        for (int n = 2; n <= 5; n++) {
            Mat b = gaussian(rnd, n, n - 1);
            Mat a = b.timesTranspose(gaussian(rnd, n, n - 1)); // rank n - 1: det = 0, gradient != 0
            Mat g = detGradient(a);
            Mat fd = FiniteDifferences.gradient(Kernels::det, a);
            assertTrue(g.maxAbs() > 1e-3, "rank n-1 has a nonzero det gradient, n=" + n);
            assertTrue(err(g, fd) <= 1e-8, "n=" + n + ": " + g + " vs FD " + fd);
            Mat rank2Less = n >= 3 ? gaussian(rnd, n, n - 2).timesTranspose(gaussian(rnd, n, n - 2)) : Mat.zeros(n, n);
            assertTrue(detGradient(rank2Less).maxAbs() <= 1e-12, "rank n-2: gradient 0, n=" + n);
        }
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> jvp(Builtin.INV, Mat.zeros(2, 2), Mat.eye(2)));
        assertTrue(x.getMessage().contains("singular"), x.getMessage());
        x = assertThrows(IllegalArgumentException.class, () -> jvp(Builtin.DET, Mat.eye(2), Mat.eye(3)));
        assertTrue(x.getMessage().contains("shaped like A"), x.getMessage());
    }
}
