package org.matcalc.methods.optimize;

import java.util.List;

/**
 * What a solver found and how: the point, its objective and gradient norm, whether the
 * tolerance was met, a message saying why it stopped (and warnings such as an indefinite
 * Hessian), and the whole history.
 */
public record Result(double[] x, double value, double gradientNorm, boolean converged, String message,
                     List<Iteration> history, int evaluations) {
    /** Copies x and the history, so that a Result never shares a solver's (or a caller's) arrays. */
    public Result {
        x = x.clone();
        history = List.copyOf(history);
    }

    /** A copy of the point. */
    @Override
    public double[] x() {
        return x.clone();
    }

    /** The number of iterations taken. */
    public int iterations() {
        return history.size() - 1;
    }

    /** The history as a text table with the observed order; see {@link ConvergenceReport#table}. */
    public String table() {
        return ConvergenceReport.table(history);
    }
}
