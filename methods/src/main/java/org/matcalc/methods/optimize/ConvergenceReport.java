package org.matcalc.methods.optimize;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;


/**
 * How fast a solver converged: the observed order p_k = log(e_{k+1}/e_k) / log(e_k/e_{k-1})
 * of an error sequence (1 linear, 2 quadratic, between them superlinear), a text table of a
 * history (its plot is {@code examples.Plots.convergence}).
 */
public final class ConvergenceReport {
    private ConvergenceReport() {
    }

    /**
     * The observed orders p_k = log(e_{k+1}/e_k) / log(e_k/e_{k-1}) of e_0, e_1, ...: entry k
     * (1 <= k <= n - 2) uses e_{k-1}, e_k, e_{k+1}. The first and last entries, and any whose
     * errors are zero, not finite, or do not change (log(1) = 0 below), are NaN: no order can be
     * read there.
     *
     * @param e non-negative errors or residual norms. Not modified.
     */
    public static double[] observedOrders(double[] e) {
        double[] p = new double[e.length];
        for (int k = 0; k < e.length; k++) {
            p[k] = Double.NaN;
            if (k < 1 || k > e.length - 2) continue;
            double a = e[k - 1], b = e[k], c = e[k + 1];
            if (!(a > 0 && b > 0 && c > 0) || !Double.isFinite(a) || !Double.isFinite(b) || !Double.isFinite(c)) continue;
            double den = Math.log(b / a);
            if (den == 0) continue;
            p[k] = Math.log(c / b) / den;
        }
        return p;
    }

    /** The gradient (or residual) norms of a history, in order. */
    public static double[] gradientNorms(List<Iteration> history) {
        return history.stream().mapToDouble(Iteration::gradientNorm).toArray();
    }

    /**
     * A text table with one row per iteration: k, value, |grad|, step length, |dx| and the
     * observed order p_k of the gradient norms (from rows k - 1, k, k + 1).
     */
    public static String table(List<Iteration> history) {
        double[] order = observedOrders(gradientNorms(history));
        StringBuilder b = new StringBuilder();
        b.append(String.format("%5s  %23s  %11s  %10s  %10s  %6s%n", "k", "value", "|grad|", "step", "|dx|", "order"));
        for (int i = 0; i < history.size(); i++) {
            Iteration it = history.get(i);
            b.append(String.format("%5d  %23.16e  %11.4e  %10.3e  %10.3e  %6s%n", it.k(), it.value(), it.gradientNorm(),
                    it.stepLength(), it.stepNorm(), Double.isNaN(order[i]) ? "" : String.format("%.2f", order[i])));
        }
        return b.toString();
    }
}
