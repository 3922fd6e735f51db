package org.matcalc.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.matcalc.numeric.TestMats.assertClose;
import static org.matcalc.numeric.TestMats.assertRelClose;
import static org.matcalc.numeric.TestMats.gaussian;
import static org.matcalc.numeric.TestMats.spd;
import static org.matcalc.numeric.TestMats.symmetric;

import java.util.Random;

import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.junit.jupiter.api.Test;

/** eigSym, eigvals, lambdaMax/Min, sqrtm, sylvesterSym, cholesky. */
class SymmetricKernelsTest {

    private static final int[] SIZES = {1, 2, 3, 5, 8, 20};

    @Test
    void eigSymReconstructsWithOrthonormalAscendingPairs() {
        Random rnd = new Random(31);
        for (int n : SIZES) {
            Mat s = symmetric(rnd, n);
            Kernels.EigenSym e = Kernels.eigSym(s);
            Mat v = e.vectors(), l = e.values();
            assertEquals(n + "x1", l.shapeString());
            assertEquals(n + "x" + n, v.shapeString());
            for (int i = 1; i < n; i++) {
                assertTrue(l.at(i - 1) <= l.at(i), "ascending at " + i + ": " + l);
            }
            assertClose(v.times(Kernels.diag(l)), s.times(v), 1e-13, "S V = V diag(l), n=" + n);
            assertClose(Mat.eye(n), v.transposeTimes(v), 1e-14, "V'V = I, n=" + n);
            assertClose(l, Kernels.eigvals(s), 1e-14, "eigvals agrees, n=" + n);
            assertEquals(Kernels.eigvals(s).at(0), Kernels.lambdaMin(s));
            assertEquals(Kernels.eigvals(s).at(n - 1), Kernels.lambdaMax(s));
        }
    }

    @Test
    void eigSymAgreesWithHipparchus() {
        Random rnd = new Random(32);
        for (int n : SIZES) {
            Mat s = symmetric(rnd, n);
            EigenDecompositionSymmetric h = new EigenDecompositionSymmetric(new Array2DRowRealMatrix(s.toArray()),
                    EigenDecompositionSymmetric.DEFAULT_EPSILON, false); // ascending
            Kernels.EigenSym e = Kernels.eigSym(s);
            double scale = Kernels.norm2(s);
            for (int i = 0; i < n; i++) {
                assertEquals(h.getEigenvalue(i), e.values().at(i), 1e-13 * scale, "eigenvalue " + i + ", n=" + n);
                // Random symmetric matrices have well separated eigenvalues: vectors agree up to sign.
                double[] hv = h.getEigenvector(i).toArray();
                double dot = 0;
                for (int k = 0; k < n; k++) {
                    dot += hv[k] * e.vectors().get(k, i);
                }
                assertEquals(1.0, Math.abs(dot), 1e-9, "eigenvector " + i + ", n=" + n);
            }
        }
    }

    @Test
    void eigSymOfKnownMatrixWithSignConvention() {
        Mat s = Mat.of(new double[][] {{2, 1}, {1, 2}});
        Kernels.EigenSym e = Kernels.eigSym(s);
        assertClose(Mat.column(1, 3), e.values(), 1e-15, "values");
        double r = Math.sqrt(0.5);
        // Largest-magnitude entry positive (ties: the first).
        assertClose(Mat.of(new double[][] {{r, r}, {-r, r}}), e.vectors(), 1e-15, "vectors");
    }

    @Test
    void symmetricKernelsRefuseNonSymmetric() {
        Mat ns = Mat.of(new double[][] {{1, 2}, {0, 1}});
        for (var f : java.util.List.<java.util.function.Function<Mat, Object>>of(Kernels::eigSym, Kernels::eigvals,
                Kernels::lambdaMax, Kernels::lambdaMin, Kernels::sqrtm, Kernels::cholesky,
                x -> Kernels.sylvesterSym(x, Mat.eye(2)))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.apply(ns));
            assertTrue(e.getMessage().contains("symmetric"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Kernels.eigSym(Mat.zeros(2, 3)));
        // Asymmetry at rounding level is accepted and symmetrised away.
        Mat nearly = Mat.of(new double[][] {{2, 1 + 1e-14}, {1, 2}});
        assertClose(Mat.column(1, 3), Kernels.eigvals(nearly), 1e-13, "nearly symmetric");
    }

    @Test
    void sqrtmSquaresBack() {
        Random rnd = new Random(33);
        for (int n : SIZES) {
            Mat s = spd(rnd, n);
            Mat r = Kernels.sqrtm(s);
            assertTrue(Kernels.isSymmetric(r, 0), "exactly symmetric");
            assertClose(s, r.times(r), 1e-13, "sqrtm(S)^2 = S, n=" + n);
            assertTrue(Kernels.lambdaMin(r) > 0, "positive definite root");
        }
        assertClose(Kernels.diag(Mat.column(2, 3)), Kernels.sqrtm(Kernels.diag(Mat.column(4, 9))), 1e-15, "diag");
    }

    @Test
    void sqrtmOfSingularPsd() {
        Random rnd = new Random(34);
        Mat b = gaussian(rnd, 5, 2);
        Mat s = b.timesTranspose(b); // rank 2: three eigenvalues are zero up to rounding
        Mat r = Kernels.sqrtm(s);
        assertClose(s, r.times(r), 1e-12, "rank-deficient psd");
    }

    @Test
    void sqrtmRefusesIndefinite() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.sqrtm(Kernels.diag(Mat.column(1, -0.5))));
        assertTrue(e.getMessage().contains("positive semidefinite"), e.getMessage());
    }

    @Test
    void sylvesterSymSolvesAndDifferentiatesSqrtm() {
        Random rnd = new Random(35);
        for (int n : SIZES) {
            Mat s = spd(rnd, n);
            Mat c = gaussian(rnd, n, n); // not symmetric
            Mat x = Kernels.sylvesterSym(s, c);
            assertClose(c, s.times(x).plus(x.times(s)), 1e-13, "S X + X S = C, n=" + n);

            Mat ds = TestMats.symmetric(rnd, n);
            double h = 1e-5;
            Mat fd = Kernels.sqrtm(s.plusScaled(h, ds)).minus(Kernels.sqrtm(s.plusScaled(-h, ds))).scale(0.5 / h);
            assertClose(fd, Kernels.sylvesterSym(Kernels.sqrtm(s), ds), 1e-7, "d sqrtm, n=" + n);
        }
        assertThrows(IllegalArgumentException.class, () -> Kernels.sylvesterSym(Mat.eye(3), Mat.eye(2)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.sylvesterSym(Kernels.diag(Mat.column(1, 0)), Mat.eye(2)));
        assertTrue(e.getMessage().contains("positive definite"), e.getMessage());
    }

    @Test
    void choleskyFactorsSpd() {
        Random rnd = new Random(36);
        for (int n : SIZES) {
            Mat s = spd(rnd, n);
            Mat l = Kernels.cholesky(s);
            for (int i = 0; i < n; i++) {
                assertTrue(l.get(i, i) > 0, "positive diagonal");
                for (int j = i + 1; j < n; j++) {
                    assertEquals(0.0, l.get(i, j), "upper triangle zero");
                }
            }
            assertClose(s, l.timesTranspose(l), 1e-14, "L L' = S, n=" + n);
            double twiceLogDiag = 0;
            for (int i = 0; i < n; i++) {
                twiceLogDiag += 2 * Math.log(l.get(i, i));
            }
            assertRelClose(Kernels.logdet(s), twiceLogDiag, 1e-12, "logdet via Cholesky, n=" + n);
        }
    }

    @Test
    void choleskyRefusesNonSpd() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.cholesky(Mat.of(new double[][] {{1, 2}, {2, 1}})));
        assertTrue(e.getMessage().contains("positive definite"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Kernels.cholesky(Kernels.diag(Mat.column(1, -1))));
        assertThrows(IllegalArgumentException.class, () -> Kernels.cholesky(Mat.zeros(2, 3)));
    }

    @Test
    void emptyAndOneByOne() {
        assertEquals("0x1", Kernels.eigvals(Mat.zeros(0, 0)).shapeString());
        assertThrows(IllegalArgumentException.class, () -> Kernels.lambdaMax(Mat.zeros(0, 0)));
        assertEquals(Mat.scalar(3), Kernels.sqrtm(Mat.scalar(9)));
        assertEquals(Mat.scalar(2), Kernels.cholesky(Mat.scalar(4)));
        assertClose(Mat.scalar(0.25), Kernels.sylvesterSym(Mat.scalar(2), Mat.scalar(1)), 1e-16, "1x1 sylvester");
    }
}
