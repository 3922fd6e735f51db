package org.matcalc.methods.optimize;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link Newton} found: the {@link Result} (value and gradientNorm are the residual norm
 * |F(x)|) and every iterate x_0, x_1, ..., so that errors against a known root and the
 * observed order can be read off. {@code roundingLimited} is true when Newton stopped short of
 * the tolerance only because the full Newton step no longer changes x: the root is then known
 * to working precision although |F| could not be pushed below the tolerance.
 */
public record RootResult(Result result, List<double[]> iterates, boolean roundingLimited) {
    /** The iterates are copied. */
    public RootResult {
        iterates = iterates.stream().map(double[]::clone).toList();
    }

    /** Copies of the iterates x_0, x_1, ... */
    @Override
    public List<double[]> iterates() {
        return iterates.stream().map(double[]::clone).toList();
    }

    /** The last iterate. */
    public double[] x() {
        return result.x();
    }

    /** Whether the residual met the tolerance. */
    public boolean converged() {
        return result.converged();
    }

    /** Converged, or stopped at the rounding level of x: a root either way. */
    public boolean foundRoot() {
        return result.converged() || roundingLimited;
    }

    /** Why the iteration stopped. */
    public String message() {
        return result.message();
    }

    /** The number of iterations taken. */
    public int iterations() {
        return result.iterations();
    }

    /** |F(x_k)| for k = 0, 1, ... */
    public double[] residuals() {
        return ConvergenceReport.gradientNorms(result.history());
    }

    /** |x_k - root| for k = 0, 1, ... */
    public double[] errors(double[] root) {
        if (root.length != result.x().length) {
            throw new IllegalArgumentException("errors: the root has " + root.length + " entries, required "
                    + result.x().length);
        }
        return iterates.stream().mapToDouble(x -> Vec.distance(x, root)).toArray();
    }

    /**
     * The observed order when the root is unknown, from the residual norms |F(x_k)|
     * (proportional to the error near a simple root).
     */
    public double[] observedOrders() {
        return ConvergenceReport.observedOrders(residuals());
    }

    /**
     * The observed order from the successive step norms d_k = |x_k - x_{k-1}|, the other
     * estimate when the root is unknown: near the root d_{k+1} ~ e_k, so entry k, from d_k,
     * d_{k+1}, d_{k+2}, estimates p_k. NaN where it cannot be read (entry 0, the last two).
     */
    public double[] stepOrders() {
        List<Iteration> h = result.history();
        double[] d = new double[Math.max(0, h.size() - 1)];
        for (int k = 1; k < h.size(); k++) d[k - 1] = h.get(k).stepNorm();
        double[] p = ConvergenceReport.observedOrders(d); // p[j] from d[j-1], d[j], d[j+1] = d_j, d_{j+1}, d_{j+2}
        double[] out = new double[h.size()];
        Arrays.fill(out, Double.NaN);
        System.arraycopy(p, 0, out, 0, p.length);
        return out;
    }

    /**
     * A table with one row per iterate: k, x_k (up to three coordinates), |F(x_k)|, the step
     * length and |x_k - x_{k-1}|; with a known root also the error e_k and e_k / e_{k-1}^2 (bounded
     * under quadratic convergence); and the observed order, from the errors when the root is
     * given and from the residuals otherwise.
     *
     * @param root the exact root, or null when unknown
     */
    public String table(double[] root) {
        int n = result.x().length;
        int shown = Math.min(n, 3);
        double[] e = root == null ? null : errors(root);
        double[] order = ConvergenceReport.observedOrders(root == null ? residuals() : e);
        StringBuilder b = new StringBuilder();
        b.append(String.format("%3s", "k"));
        for (int i = 0; i < shown; i++) b.append(String.format("  %22s", n == 1 ? "x_k" : "x_k[" + i + "]"));
        if (n > shown) b.append("  ...");
        b.append(String.format("  %10s  %6s  %10s", "|F(x_k)|", "step", "|dx|"));
        if (e != null) b.append(String.format("  %10s  %12s", "error e_k", "e_k/e_k-1^2"));
        b.append(String.format("  %6s%n", "order"));
        List<Iteration> h = result.history();
        for (int k = 0; k < iterates.size(); k++) {
            double[] x = iterates.get(k);
            Iteration it = h.get(k);
            b.append(String.format("%3d", k));
            for (int i = 0; i < shown; i++) b.append(String.format("  %22.16g", x[i]));
            if (n > shown) b.append("  ...");
            b.append(String.format("  %10.3e  %6.3g  %10.3e", it.gradientNorm(), it.stepLength(), it.stepNorm()));
            if (e != null) {
                String ratio = k > 0 && e[k - 1] > 0 && e[k] > 0 ? String.format("%.4g", e[k] / (e[k - 1] * e[k - 1])) : "";
                b.append(String.format("  %10.3e  %12s", e[k], ratio));
            }
            b.append(String.format("  %6s%n", Double.isNaN(order[k]) ? "" : String.format("%.3f", order[k])));
        }
        return b.toString();
    }

    /** {@link #table(double[])} without a known root. */
    public String table() {
        return table(null);
    }
}
