package org.matcalc.methods.optimize;

/** Argument checks shared by the solvers, so every one refuses bad input with the same words. */
final class Checks {
    private Checks() {
    }

    static double[] start(String solver, double[] x0) {
        if (x0 == null || x0.length == 0) {
            throw new IllegalArgumentException(solver + ": the starting point must have at least one entry");
        }
        for (int i = 0; i < x0.length; i++) {
            if (!Double.isFinite(x0[i])) {
                throw new IllegalArgumentException(solver + ": starting point entry " + i + " is " + x0[i]);
            }
        }
        return x0.clone();
    }

    static Options options(String solver, Options o) {
        if (o == null) {
            throw new IllegalArgumentException(solver + ": options must not be null (use Options.defaults())");
        }
        if (o.maxIterations() < 0) {
            throw new IllegalArgumentException(solver + ": maxIterations must be >= 0, got " + o.maxIterations());
        }
        if (!(o.gradientTolerance() >= 0)) {
            throw new IllegalArgumentException(solver + ": gradientTolerance must be >= 0, got " + o.gradientTolerance());
        }
        if (o.progress() == null) {
            throw new IllegalArgumentException(solver + ": progress must not be null (use it -> { })");
        }
        return o;
    }

    static <T> T notNull(String solver, String what, T v) {
        if (v == null) {
            throw new IllegalArgumentException(solver + ": " + what + " must not be null");
        }
        return v;
    }
}
