package org.matcalc.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.matcalc.numeric.TestMats.assertClose;
import static org.matcalc.numeric.TestMats.gaussian;
import static org.matcalc.numeric.TestMats.relErr;
import static org.matcalc.numeric.TestMats.withNorm1;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** expm and its Frechet derivative, against closed forms, series and finite differences. */
class ExpmTest {

    /**
     * Norms that land in each branch of Higham 2005's algorithm: degrees 3, 5, 7, 9, then 13
     * without and with scaling (thresholds 0.015, 0.25, 0.95, 2.1, 5.4).
     */
    private static final double[] NORMS = {0.001, 0.01, 0.2, 0.9, 2.0, 5.0, 20.0, 60.0};

    /** sum_{k < terms} A^k / k!, summed from the small end. */
    private static Mat taylor(Mat a, int terms) {
        Mat[] t = new Mat[terms];
        t[0] = Mat.eye(a.rows());
        for (int k = 1; k < terms; k++) {
            t[k] = t[k - 1].times(a).scale(1.0 / k);
        }
        Mat s = t[terms - 1];
        for (int k = terms - 2; k >= 0; k--) {
            s = s.plus(t[k]);
        }
        return s;
    }

    @Test
    void padeCoefficientsFollowTheClosedForm() {
        // b_j = (2m - j)! m! / ((2m)! j! (m - j)!), normalised so that b_m = 1 (Higham 2005, eq. 2.11):
        // consecutive ratios b_j / b_{j+1} = (j + 1)(2m - j) / (m - j).
        for (int m : new int[] {3, 5, 7, 9, 13}) {
            double[] b = Kernels.padeCoefficients(m);
            assertEquals(m + 1, b.length, "degree " + m);
            assertEquals(1.0, b[m]);
            for (int j = 0; j < m; j++) {
                assertEquals((j + 1.0) * (2 * m - j) / (m - j), b[j] / b[j + 1], 1e-12, "m=" + m + ", j=" + j);
            }
        }
    }

    @Test
    void degreeAndScalingFollowHigham2005() {
        assertEquals(3, Kernels.padeDegree(0));
        assertEquals(3, Kernels.padeDegree(0.0149));
        assertEquals(5, Kernels.padeDegree(0.016));
        assertEquals(7, Kernels.padeDegree(0.26));
        assertEquals(9, Kernels.padeDegree(0.96));
        assertEquals(13, Kernels.padeDegree(2.1));
        assertEquals(0, Kernels.squarings(5.37));
        assertEquals(1, Kernels.squarings(5.38));
        assertEquals(4, Kernels.squarings(50)); // 50 / 2^4 = 3.1 <= 5.37 < 50 / 2^3
    }

    @Test
    void expmOfZeroIsIdentity() {
        for (int n = 0; n <= 4; n++) {
            assertEquals(Mat.eye(n), Kernels.expm(Mat.zeros(n, n)), "n=" + n);
        }
    }

    @Test
    void expmOfDiagonalIsDiagonalOfExp() {
        double[][] cases = {{0.001, -0.002, 0.0005}, {0.1, -0.05, 0.02}, {0.5, -0.3, 0.1}, {1.5, -0.5, 0.0},
            {3, -2, 0.5}, {10, -7, 1}, {30, -25, 0.5}, {-700, 0, 700}};
        for (double[] d : cases) {
            Mat expected = Kernels.diag(Mat.column(d).map(Math::exp));
            assertClose(expected, Kernels.expm(Kernels.diag(Mat.column(d))), 1e-13,
                    "diag " + java.util.Arrays.toString(d));
        }
    }

    @Test
    void expmTimesExpmOfNegativeIsIdentity() {
        Random rnd = new Random(21);
        for (double norm : NORMS) {
            if (norm > 10) {
                continue; // cond(expm A) ~ e^{2 norm}: the product test loses too much beyond
            }
            for (int n : new int[] {1, 3, 6}) {
                Mat a = withNorm1(rnd, n, norm);
                Mat p = Kernels.expm(a).times(Kernels.expm(a.negate()));
                assertClose(Mat.eye(n), p, 1e-12 * Math.exp(norm), "norm " + norm + ", n=" + n);
            }
        }
    }

    @Test
    void expmMatchesTaylorSeriesForSmallNorms() {
        Random rnd = new Random(22);
        for (double norm : new double[] {0.001, 0.01, 0.2, 0.9, 2.0, 4.0}) {
            for (int n : new int[] {2, 5}) {
                Mat a = withNorm1(rnd, n, norm);
                assertClose(taylor(a, 60), Kernels.expm(a), 1e-14, "norm " + norm + ", n=" + n);
            }
        }
    }

    @Test
    void expmOfNilpotentIsFiniteSeries() {
        Random rnd = new Random(23);
        int n = 6;
        double[][] u = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                u[i][j] = 3 * rnd.nextGaussian(); // norm well above theta_13: scaling is exercised
            }
        }
        Mat nil = Mat.of(u);
        assertEquals(Mat.zeros(n, n), Kernels.power(nil, n), "nilpotent");
        Mat series = Mat.zeros(n, n);
        Mat term = Mat.eye(n);
        for (int k = 0; k < n; k++) {
            series = series.plus(term);
            term = term.times(nil).scale(1.0 / (k + 1));
        }
        assertClose(series, Kernels.expm(nil), 1e-13, "finite series");
    }

    @Test
    void expmOfLargeRotationGeneratorHasClosedForm() {
        // A = a I + theta J with J = [[0,-1],[1,0]]: I and J commute, so
        // expm(A) = e^a [[cos theta, -sin theta], [sin theta, cos theta]]; ||A||_1 ~ 50.
        for (double[] c : new double[][] {{0, 50}, {0, -47.3}, {1.5, 50}, {-2, 33}}) {
            double a = c[0], theta = c[1];
            Mat gen = Mat.of(new double[][] {{a, -theta}, {theta, a}});
            double ea = Math.exp(a);
            Mat expected = Mat.of(new double[][] {{ea * Math.cos(theta), -ea * Math.sin(theta)},
                {ea * Math.sin(theta), ea * Math.cos(theta)}});
            assertClose(expected, Kernels.expm(gen), 1e-12, "a=" + a + ", theta=" + theta);
        }
        // The same block inside a 4x4 block-diagonal matrix with a decaying 2x2 block.
        Mat big = Mat.of(new double[][] {{0, -50, 0, 0}, {50, 0, 0, 0}, {0, 0, -1, 0}, {0, 0, 0, -3}});
        Mat expected = Mat.of(new double[][] {{Math.cos(50), -Math.sin(50), 0, 0}, {Math.sin(50), Math.cos(50), 0, 0},
            {0, 0, Math.exp(-1), 0}, {0, 0, 0, Math.exp(-3)}});
        assertClose(expected, Kernels.expm(big), 1e-12, "4x4 block");
    }

    @Test
    void expmRefusesBadInput() {
        assertThrows(IllegalArgumentException.class, () -> Kernels.expm(Mat.zeros(2, 3)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.expm(Mat.of(new double[][] {{1, Double.NaN}, {0, 1}})));
        assertTrue(e.getMessage().contains("finite"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Kernels.expm(Mat.of(new double[][] {{Double.POSITIVE_INFINITY}})));
    }

    // ---------------------------------------------------------------- Frechet derivative

    @Test
    void frechetMatchesCentralDifferences() {
        Random rnd = new Random(24);
        for (double norm : NORMS) {
            for (int n : new int[] {1, 2, 4}) {
                Mat a = withNorm1(rnd, n, norm);
                Mat e = gaussian(rnd, n, n);
                Mat l = Kernels.expmFrechet(a, e);
                double h = 1e-6 * Math.max(1, norm);
                Mat fd = Kernels.expm(a.plusScaled(h, e)).minus(Kernels.expm(a.plusScaled(-h, e))).scale(0.5 / h);
                double err = relErr(fd, l);
                assertTrue(err < 1e-6, "norm " + norm + ", n=" + n + ": relative error " + err);
            }
        }
    }

    @Test
    void frechetOfDiagonalIsDividedDifferences() {
        // L(diag(d), E)_ij = E_ij (e^{d_i} - e^{d_j}) / (d_i - d_j), and E_ii e^{d_i} on the diagonal.
        double[] d = {-1.2, 0.3, 2.5, 9};
        Random rnd = new Random(25);
        Mat e = gaussian(rnd, 4, 4);
        double[][] expected = new double[4][4];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                double dd = i == j ? Math.exp(d[i]) : (Math.exp(d[i]) - Math.exp(d[j])) / (d[i] - d[j]);
                expected[i][j] = e.get(i, j) * dd;
            }
        }
        assertClose(Mat.of(expected), Kernels.expmFrechet(Kernels.diag(Mat.column(d)), e), 1e-13, "divided differences");
    }

    @Test
    void frechetInTheDirectionOfACommutingMatrix() {
        Random rnd = new Random(26);
        Mat a = withNorm1(rnd, 5, 3);
        // A commutes with itself: L(A, A) = A expm(A); and L is linear in E.
        assertClose(a.times(Kernels.expm(a)), Kernels.expmFrechet(a, a), 1e-13, "L(A, A)");
        Mat e = gaussian(rnd, 5, 5);
        assertClose(Kernels.expmFrechet(a, e).scale(-1e5), Kernels.expmFrechet(a, e.scale(-1e5)), 1e-13, "linear");
        assertEquals(Mat.zeros(5, 5), Kernels.expmFrechet(a, Mat.zeros(5, 5)));
        assertClose(e, Kernels.expmFrechet(Mat.zeros(5, 5), e), 1e-15, "L(0, E) = E");
        assertThrows(IllegalArgumentException.class, () -> Kernels.expmFrechet(a, Mat.zeros(5, 4)));
    }
}
