package org.matcalc.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

/** Seeded generators and tolerant comparisons shared by the numeric tests. */
final class TestMats {
    private TestMats() {
    }

    /** Standard normal entries. */
    static Mat gaussian(Random rnd, int rows, int cols) {
        double[] d = new double[rows * cols];
        for (int k = 0; k < d.length; k++) {
            d[k] = rnd.nextGaussian();
        }
        return Mat.rowMajor(rows, cols, d);
    }

    /** B B' + n I: symmetric positive definite, eigenvalues at least n. */
    static Mat spd(Random rnd, int n) {
        Mat b = gaussian(rnd, n, n);
        return b.timesTranspose(b).plus(Mat.eye(n).scale(n));
    }

    /** A symmetric matrix (B + B') / 2, usually indefinite. */
    static Mat symmetric(Random rnd, int n) {
        Mat b = gaussian(rnd, n, n);
        return b.plus(b.transpose()).scale(0.5);
    }

    /** Gaussian plus n on the diagonal: well conditioned and safely nonsingular. */
    static Mat wellConditioned(Random rnd, int n) {
        return gaussian(rnd, n, n).plus(Mat.eye(n).scale(n));
    }

    /** Gaussian scaled to the given induced 1-norm. */
    static Mat withNorm1(Random rnd, int n, double norm) {
        Mat a = gaussian(rnd, n, n);
        return a.scale(norm / induced1(a));
    }

    static double induced1(Mat a) {
        double best = 0;
        for (int j = 0; j < a.cols(); j++) {
            double s = 0;
            for (int i = 0; i < a.rows(); i++) {
                s += Math.abs(a.get(i, j));
            }
            best = Math.max(best, s);
        }
        return best;
    }

    /** Relative Frobenius distance ||actual - expected|| / max(||expected||, tiny). */
    static double relErr(Mat expected, Mat actual) {
        assertEquals(expected.shapeString(), actual.shapeString(), "shape");
        double num = Kernels.norm2(actual.minus(expected));
        double den = Kernels.norm2(expected);
        return den == 0 ? num : num / den;
    }

    static void assertClose(Mat expected, Mat actual, double relTol, String what) {
        double e = relErr(expected, actual);
        assertTrue(e <= relTol, what + ": relative error " + e + " > " + relTol + "\nexpected " + expected
                + "\nactual   " + actual);
    }

    static void assertRelClose(double expected, double actual, double relTol, String what) {
        double scale = Math.max(Math.abs(expected), Double.MIN_NORMAL);
        assertTrue(Math.abs(actual - expected) <= relTol * scale,
                what + ": expected " + expected + ", got " + actual);
    }
}
