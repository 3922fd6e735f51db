package org.matcalc.methods.optimize;

import java.util.function.Consumer;

/**
 * Stopping rules and progress for every solver in this package.
 *
 * @param maxIterations     iteration limit
 * @param gradientTolerance stop when the gradient (or residual) norm is at most this
 * @param progress          called with each history row, the start (k = 0) included, as it is
 *                          recorded (for progress output); may be a no-op
 */
public record Options(int maxIterations, double gradientTolerance, Consumer<Iteration> progress) {
    /** At most 1000 iterations, |grad| &lt;= 1e-8, no progress output. */
    public static Options defaults() {
        return new Options(1000, 1e-8, it -> { });
    }

    /** The same options with another iteration limit. */
    public Options withMaxIterations(int n) {
        return new Options(n, gradientTolerance, progress);
    }

    /** The same options with another gradient tolerance. */
    public Options withGradientTolerance(double tol) {
        return new Options(maxIterations, tol, progress);
    }

    /** The same options reporting each iteration to {@code p}. */
    public Options withProgress(Consumer<Iteration> p) {
        return new Options(maxIterations, gradientTolerance, p);
    }
}
