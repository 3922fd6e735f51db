package org.matcalc.methods.eigen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.matcalc.numeric.Kernels;
import org.matcalc.numeric.Mat;
import org.matcalc.ad.AD;
import org.matcalc.numeric.fd.FiniteDifferences;

/**
 * Eigenvalue and eigenvector derivatives of random symmetric matrices (sizes 2..6, fixed
 * seeds, eigenvalues at least 0.05 apart) in random symmetric directions, against central
 * finite differences of {@link Kernels#eigSym} (eigenvector signs aligned with the unperturbed
 * ones before differencing) and against the reverse tape's eigvalsSym / eigvecsSym.
 */
class EigenDerivativesTest {
    static Mat symmetric(Random rnd, int n) {
        double[] d = new double[n * n];
        for (int k = 0; k < d.length; k++) {
            d[k] = rnd.nextGaussian();
        }
        Mat b = Mat.rowMajor(n, n, d);
        return b.plus(b.transpose()).scale(0.5);
    }

    /** A random symmetric matrix whose eigenvalues are at least minGap apart (redrawn otherwise). */
    static Mat withDistinctEigenvalues(Random rnd, int n, double minGap) {
        while (true) {
            Mat a = symmetric(rnd, n);
            Mat l = Kernels.eigvals(a);
            boolean ok = true;
            for (int i = 1; i < n; i++) {
                ok &= l.at(i) - l.at(i - 1) >= minGap;
            }
            if (ok) {
                return a;
            }
        }
    }

    /** |a - b| / max(1, |a|, |b|) entry by entry, the worst. */
    static double err(Mat a, Mat b) {
        assertTrue(a.sameShape(b), a.shapeString() + " vs " + b.shapeString());
        double worst = 0;
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                double x = a.get(i, j), y = b.get(i, j);
                worst = Math.max(worst, Math.abs(x - y) / Math.max(1, Math.max(Math.abs(x), Math.abs(y))));
            }
        }
        return worst;
    }

    static double err(double a, double b) {
        return Math.abs(a - b) / Math.max(1, Math.max(Math.abs(a), Math.abs(b)));
    }

    /** Eigenvector i of m with its sign chosen to agree with reference (so differences are smooth). */
    static Mat alignedEigenvector(Mat m, int i, Mat reference) {
        Mat v = Kernels.eigSym(m).vectors();
        double[] q = new double[m.rows()];
        for (int r = 0; r < q.length; r++) {
            q[r] = v.get(r, i);
        }
        Mat c = Mat.column(q);
        return c.dot(reference) < 0 ? c.negate() : c;
    }

    @Test
    void firstOrderMatchesFiniteDifferencesAndAd() {
        Random rnd = new Random(13);
        int cases = 0;
        for (int n = 2; n <= 6; n++) {
            for (int rep = 0; rep < 4; rep++) {
                Mat a = withDistinctEigenvalues(rnd, n, 0.05);
                Mat e = symmetric(rnd, n);
                EigenDerivatives d = EigenDerivatives.of(a);
                Mat adValues = AD.jvp(x -> x.eigvalsSym(), a, e).tangent();
                Mat adVectors = AD.jvp(x -> x.eigvecsSym(), a, e).tangent();
                assertTrue(err(adValues, d.eigenvaluesDirectional(e)) <= 1e-12, "AD eigenvalues, n=" + n);
                for (int i = 0; i < n; i++) {
                    final int ii = i;
                    String at = "n=" + n + ", rep=" + rep + ", i=" + i;
                    double dl = d.eigenvalueDirectional(i, e);
                    double fd = FiniteDifferences.directional(m -> Kernels.eigvals(m).at(ii), a, e);
                    assertTrue(err(dl, fd) <= 1e-8, at + ": d lambda " + dl + " vs FD " + fd);
                    assertEquals(dl, adValues.at(i), 1e-12 * Math.max(1, Math.abs(dl)), at);

                    Mat q = d.eigenvector(i);
                    Mat dq = d.eigenvectorDirectional(i, e);
                    Mat fdq = FiniteDifferences.directionalMatrix(m -> alignedEigenvector(m, ii, q), a, e);
                    assertTrue(err(dq, fdq) <= 1e-6, at + ": dq " + dq + " vs FD " + fdq);
                    assertTrue(err(dq, columnOf(adVectors, i)) <= 1e-10, at + ": dq vs AD");
                    assertEquals(0, q.dot(dq), 1e-12 * Math.max(1, Kernels.norm2(dq)), at + ": q'dq = 0");

                    Mat grad = d.eigenvalueGradient(i);
                    assertTrue(err(grad, AD.gradient(x -> x.eigvalsSym().get(ii, 0), a)) <= 1e-12, at + ": gradient vs AD");
                    assertEquals(dl, grad.dot(e), 1e-12 * Math.max(1, Math.abs(dl)), at + ": <grad, dA> = d lambda");
                    cases++;
                }
            }
        }
        assertEquals(4 * (2 + 3 + 4 + 5 + 6), cases);
    }

    @Test
    void secondOrderMatchesFiniteDifferencesOfTheFirst() {
        Random rnd = new Random(29);
        for (int n = 2; n <= 6; n++) {
            for (int rep = 0; rep < 3; rep++) {
                Mat a = withDistinctEigenvalues(rnd, n, 0.05);
                Mat e = symmetric(rnd, n);
                EigenDerivatives d = EigenDerivatives.of(a);
                for (int i = 0; i < n; i++) {
                    final int ii = i;
                    double d2 = d.eigenvalueSecondDirectional(i, e);
                    // d/dt of d lambda_i(A + t E)[E] = q_i(t)' E q_i(t), by central differences
                    double fd = FiniteDifferences.directional(m -> EigenDerivatives.of(m).eigenvalueDirectional(ii, e), a, e);
                    assertTrue(err(d2, fd) <= 1e-6, "n=" + n + ", i=" + i + ": d2 lambda " + d2 + " vs FD " + fd);
                    // forward-over-reverse on the tape: <E, H E> with H the Hessian of lambda_i
                    double ad = AD.hvp(x -> x.eigvalsSym().get(ii, 0), a, e).dot(e);
                    assertTrue(err(d2, ad) <= 1e-9, "n=" + n + ", i=" + i + ": d2 lambda " + d2 + " vs AD " + ad);
                }
            }
        }
    }

    @Test
    void secondOrderPerturbationSeriesOfTheSeed() {
        // §13.2.1: lambda_i(Lambda + eps E) = lambda_i + eps E_ii + eps^2 sum_{k != i} E_ik^2 / (lambda_i - lambda_k) + O(eps^3)
        Mat lambda = Kernels.diag(Mat.column(-1.0, 0.5, 2.0, 3.5));
        Mat e = Mat.of(new double[][] {{0.3, 1, -0.5, 0.2}, {1, -0.7, 0.4, 0.1}, {-0.5, 0.4, 0.2, -1}, {0.2, 0.1, -1, 0.6}});
        EigenDerivatives d = EigenDerivatives.of(lambda);
        double[] l = {-1.0, 0.5, 2.0, 3.5};
        for (int i = 0; i < 4; i++) {
            double s = 0;
            for (int k = 0; k < 4; k++) {
                if (k != i) {
                    s += e.get(i, k) * e.get(i, k) / (l[i] - l[k]);
                }
            }
            assertEquals(e.get(i, i), d.eigenvalueDirectional(i, e), 1e-15);
            assertEquals(2 * s, d.eigenvalueSecondDirectional(i, e), 1e-14);
            double eps = 1e-3;
            double series = l[i] + eps * e.get(i, i) + eps * eps * s;
            assertEquals(series, Kernels.eigvals(lambda.plusScaled(eps, e)).at(i), 1e-8, "Taylor series, i=" + i);
        }
    }

    @Test
    void repeatedEigenvaluesAreRefusedAndSimpleOnesStillWork() {
        Mat a = Kernels.diag(Mat.column(1.0, 1.0, 2.0));
        Mat e = Mat.of(new double[][] {{0, 1, 0}, {1, 0, 0}, {0, 0, 1}});
        EigenDerivatives d = EigenDerivatives.of(a);
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> d.eigenvectorDirectional(0, e));
        assertTrue(x.getMessage().contains("repeated"), x.getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.eigenvalueDirectional(1, e));
        assertThrows(IllegalArgumentException.class, () -> d.eigenvaluesDirectional(e));
        assertEquals(1.0, d.eigenvalueDirectional(2, e), 1e-15);
        // a gap of 1e-9 * max|lambda| counts as repeated by default, not with a smaller tolerance
        Mat close = Kernels.diag(Mat.column(1.0, 1.0 + 1e-9, 2.0));
        assertThrows(IllegalArgumentException.class, () -> EigenDerivatives.of(close).eigenvectorDirectional(0, e));
        Mat dq = EigenDerivatives.of(close, 1e-12).eigenvectorDirectional(0, e);
        assertTrue(Double.isFinite(dq.maxAbs()) && dq.maxAbs() > 1e8, "1/gap amplification: " + dq);
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> EigenDerivatives.of(Mat.of(new double[][] {{1, 2}, {0, 1}})));
        EigenDerivatives d = EigenDerivatives.of(Kernels.diag(Mat.column(1.0, 2.0)));
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> d.eigenvalueDirectional(0, Mat.eye(3)));
        assertTrue(x.getMessage().contains("2x2"), x.getMessage());
        x = assertThrows(IllegalArgumentException.class, () -> d.eigenvalueDirectional(2, Mat.eye(2)));
        assertTrue(x.getMessage().contains("out of range"), x.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EigenDerivatives.of(Mat.eye(2), -1));
    }

    static Mat columnOf(Mat m, int j) {
        double[] c = new double[m.rows()];
        for (int r = 0; r < c.length; r++) {
            c[r] = m.get(r, j);
        }
        return Mat.column(c);
    }
}
