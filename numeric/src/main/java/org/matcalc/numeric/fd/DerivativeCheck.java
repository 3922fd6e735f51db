package org.matcalc.numeric.fd;

import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import org.matcalc.numeric.Mat;

/**
 * Compares a computed gradient or Jacobian with central finite differences and reports the
 * worst error and where it is. The error of an entry is |a - n| / max(1, |a|, |n|): relative
 * for large entries, absolute for small ones (where a relative error means nothing).
 */
public final class DerivativeCheck {
    private DerivativeCheck() {
    }

    /** The worst entry of a comparison: its error, position (row, col) and the two values. */
    public record Report(double worstError, int row, int col, double computed, double numeric) {
        public boolean passed(double tolerance) {
            return worstError <= tolerance; // false for NaN
        }

        @Override
        public String toString() {
            return String.format("worst error %.3e at (%d, %d): computed %.12g, finite differences %.12g",
                    worstError, row, col, computed, numeric);
        }
    }

    /** Compares two matrices of the same shape entry by entry. */
    public static Report compare(Mat computed, Mat numeric) {
        if (!computed.sameShape(numeric)) {
            throw new IllegalArgumentException("compare: required equal shapes, got " + computed.shapeString()
                    + " and " + numeric.shapeString());
        }
        double worst = -1;
        int wr = -1, wc = -1;
        for (int i = 0; i < computed.rows(); i++) {
            for (int j = 0; j < computed.cols(); j++) {
                double a = computed.get(i, j), n = numeric.get(i, j);
                double e = Math.abs(a - n) / Math.max(1, Math.max(Math.abs(a), Math.abs(n)));
                if (Double.isNaN(e)) {
                    e = Double.POSITIVE_INFINITY;
                }
                if (e > worst) {
                    worst = e;
                    wr = i;
                    wc = j;
                }
            }
        }
        if (wr < 0) {
            return new Report(0, -1, -1, 0, 0);
        }
        return new Report(worst, wr, wc, computed.get(wr, wc), numeric.get(wr, wc));
    }

    /** Checks a gradient (shaped like x) of f at x. */
    public static Report gradient(ToDoubleFunction<Mat> f, Mat x, Mat gradient) {
        return compare(gradient, FiniteDifferences.gradient(f, x));
    }

    /** Checks a Jacobian d vec(f) / d vec(x) of f at x. */
    public static Report jacobian(Function<Mat, Mat> f, Mat x, Mat jacobian) {
        return compare(jacobian, FiniteDifferences.jacobian(f, x));
    }
}
