package org.matcalc.methods.optimize;

import java.util.ArrayList;
import java.util.List;

/** A solver's history as it grows: each row is recorded and passed to the progress callback. */
final class Trace {
    private final List<Iteration> rows = new ArrayList<>();
    private final Options options;

    Trace(Options options) {
        this.options = options;
    }

    void add(int k, double value, double gradientNorm, double stepLength, double stepNorm) {
        Iteration it = new Iteration(k, value, gradientNorm, stepLength, stepNorm);
        rows.add(it);
        options.progress().accept(it);
    }

    List<Iteration> rows() {
        return List.copyOf(rows);
    }

    static String converged(double gnorm, double tol, int k) {
        return String.format("converged: |grad| = %.3e <= %.1e after %d iterations", gnorm, tol, k);
    }

    /** v to 6 significant digits without trailing zeros: -2, -0.97, 4.34211. */
    static String num(double v) {
        if (!Double.isFinite(v)) return Double.toString(v);
        return new java.math.BigDecimal(v, new java.math.MathContext(6)).stripTrailingZeros().toString();
    }

    static String limit(double gnorm, int k) {
        return String.format("not converged: iteration limit %d reached with |grad| = %.3e", k, gnorm);
    }
}
