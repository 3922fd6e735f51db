package org.matcalc.numeric.fd;

import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import org.matcalc.numeric.Mat;

/**
 * Finite-difference derivatives (MIT 18.063 ch. 4). The error of a difference quotient is
 * truncation (falls with h) plus round-off (about eps*|f|/h, rises as h falls); the default
 * steps balance the two for each scheme:
 * <ul>
 *   <li>forward (f(x+h) - f(x))/h: error O(h) + O(eps/h), best h ~ sqrt(eps) ~ 1.5e-8;</li>
 *   <li>central (f(x+h) - f(x-h))/(2h): O(h^2) + O(eps/h), best h ~ cbrt(eps) ~ 6e-6;</li>
 *   <li>Richardson (4 D(h/2) - D(h))/3 on central D: O(h^4) + O(eps/h), best h ~ eps^(1/5).</li>
 * </ul>
 * Steps are scaled by max(1, |x|) so that x + h differs from x in about the same digits.
 */
public final class FiniteDifferences {
    private FiniteDifferences() {
    }

    private static final double EPS = Math.ulp(1.0);

    public enum Scheme {
        FORWARD, CENTRAL, RICHARDSON
    }

    /** The automatic step for {@code scheme} at {@code x}. */
    public static double step(Scheme scheme, double x) {
        double scale = Math.max(1, Math.abs(x));
        return switch (scheme) {
            case FORWARD -> Math.sqrt(EPS) * scale;
            case CENTRAL -> Math.cbrt(EPS) * scale;
            case RICHARDSON -> Math.pow(EPS, 0.2) * scale;
        };
    }

    /** f'(x) with the automatic step. */
    public static double derivative(DoubleUnaryOperator f, double x, Scheme scheme) {
        return derivative(f, x, scheme, step(scheme, x));
    }

    /** f'(x) with step h. */
    public static double derivative(DoubleUnaryOperator f, double x, Scheme scheme, double h) {
        return switch (scheme) {
            case FORWARD -> (f.applyAsDouble(x + h) - f.applyAsDouble(x)) / h;
            case CENTRAL -> central(f, x, h);
            case RICHARDSON -> (4 * central(f, x, h / 2) - central(f, x, h)) / 3;
        };
    }

    private static double central(DoubleUnaryOperator f, double x, double h) {
        return (f.applyAsDouble(x + h) - f.applyAsDouble(x - h)) / (2 * h);
    }

    /** The gradient of a scalar function of a matrix by central differences, shaped like x. */
    public static Mat gradient(ToDoubleFunction<Mat> f, Mat x) {
        return gradient(f, x, Scheme.CENTRAL);
    }

    public static Mat gradient(ToDoubleFunction<Mat> f, Mat x, Scheme scheme) {
        double[] base = x.toRowMajor();
        double[] g = new double[base.length];
        for (int k = 0; k < base.length; k++) {
            final int kk = k;
            g[k] = derivative(t -> f.applyAsDouble(replace(x, base, kk, t)), base[k], scheme);
        }
        return Mat.rowMajor(x.rows(), x.cols(), g);
    }

    /** The directional derivative d/dt f(x + t v) at t = 0, by central differences. */
    public static double directional(ToDoubleFunction<Mat> f, Mat x, Mat v) {
        double scale = Math.max(1, x.maxAbs()) / Math.max(1e-300, v.maxAbs());
        return derivative(t -> f.applyAsDouble(x.plusScaled(t, v)), 0, Scheme.CENTRAL, Math.cbrt(EPS) * scale);
    }

    /** The directional derivative of a matrix function, entry by entry, by central differences. */
    public static Mat directionalMatrix(Function<Mat, Mat> f, Mat x, Mat v) {
        return directionalMatrix(f, x, v, Scheme.CENTRAL);
    }

    /**
     * d/dt f(x + t v) at t = 0, entry by entry, by central differences or their Richardson
     * extrapolation (4 D(h/2) - D(h))/3; the step is the scheme's for max(1, |x|), over |v|.
     */
    public static Mat directionalMatrix(Function<Mat, Mat> f, Mat x, Mat v, Scheme scheme) {
        double h = directionalStep(x, v, scheme);
        return switch (scheme) {
            case CENTRAL -> centralMatrix(f, x, v, h);
            case RICHARDSON -> centralMatrix(f, x, v, h / 2).scale(4).minus(centralMatrix(f, x, v, h)).scale(1.0 / 3);
            case FORWARD -> f.apply(x.plusScaled(h, v)).minus(f.apply(x)).scale(1 / h);
        };
    }

    /** The step {@link #directionalMatrix} takes along v at x. */
    public static double directionalStep(Mat x, Mat v, Scheme scheme) {
        return step(scheme, Math.max(1, x.maxAbs())) / Math.max(1e-300, v.maxAbs());
    }

    private static Mat centralMatrix(Function<Mat, Mat> f, Mat x, Mat v, double h) {
        return f.apply(x.plusScaled(h, v)).minus(f.apply(x.plusScaled(-h, v))).scale(1 / (2 * h));
    }

    /**
     * The Jacobian d vec(f) / d vec(x) (column-major vec; rows = outputs) by central differences.
     */
    public static Mat jacobian(Function<Mat, Mat> f, Mat x) {
        Mat xv = x.vec();
        int n = xv.size();
        double[][] cols = new double[n][];
        int m = 0;
        for (int j = 0; j < n; j++) {
            double h = step(Scheme.CENTRAL, xv.at(j));
            Mat e = Mat.unvec(unit(n, j, h), x.rows(), x.cols());
            Mat d = f.apply(x.plus(e)).minus(f.apply(x.minus(e))).scale(1 / (2 * h));
            cols[j] = d.vec().toRowMajor();
            m = cols[j].length;
        }
        double[] data = new double[m * n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                data[i * n + j] = cols[j][i];
            }
        }
        return Mat.rowMajor(m, n, data);
    }

    private static Mat unit(int n, int j, double h) {
        double[] e = new double[n];
        e[j] = h;
        return Mat.column(e);
    }

    private static Mat replace(Mat x, double[] base, int k, double t) {
        double[] c = base.clone();
        c[k] = t;
        return Mat.rowMajor(x.rows(), x.cols(), c);
    }
}
