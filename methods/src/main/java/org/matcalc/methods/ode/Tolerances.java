package org.matcalc.methods.ode;

/**
 * Error control for the adaptive Dormand-Prince 8(5,3) integrator: each step keeps the local
 * error estimate of every component y_i below {@code absolute + relative * |y_i|}, and an
 * integration gives up (with a clear message, never a hang) after {@code maxEvaluations}
 * evaluations of its right-hand side. The tolerances apply to every component integrated,
 * sensitivities and adjoints included.
 */
public record Tolerances(double relative, double absolute, int maxEvaluations) {
    /** rel 1e-10, abs 1e-12: about ten correct digits on well-scaled problems. */
    public static final Tolerances DEFAULT = new Tolerances(1e-10, 1e-12, 1_000_000);

    /** rel 1e-13, abs 1e-15: near the limit of double precision, for finite-difference checks. */
    public static final Tolerances TIGHT = new Tolerances(1e-13, 1e-15, 5_000_000);

    /** Requires 0 &lt; relative &lt; 1 and a finite absolute &gt; 0. */
    public Tolerances {
        if (!(relative > 0 && relative < 1) || !(absolute > 0 && Double.isFinite(absolute))) {
            throw new IllegalArgumentException("Tolerances: required 0 < relative < 1 and absolute > 0, got relative "
                    + relative + ", absolute " + absolute);
        }
        if (maxEvaluations < 100) {
            throw new IllegalArgumentException("Tolerances: required maxEvaluations >= 100, got " + maxEvaluations);
        }
    }

    @Override
    public String toString() {
        return String.format("relative %.0e, absolute %.0e", relative, absolute);
    }
}
