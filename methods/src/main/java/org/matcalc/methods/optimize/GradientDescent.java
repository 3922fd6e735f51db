package org.matcalc.methods.optimize;

/**
 * Steepest descent x_{k+1} = x_k - a_k grad f(x_k) with Armijo backtracking (Nocedal and Wright
 * sec. 3.1). Linear convergence with rate about (cond - 1)/(cond + 1) on a quadratic of
 * condition number cond, so it is a baseline; prefer {@link Lbfgs}. Where f no longer changes
 * beyond rounding, a step passes on slopes alone only if it is no longer than the last step
 * that made a genuine decrease (see {@link LineSearch}), so the iteration cannot blow up along
 * stiff directions it cannot see.
 *
 * <pre>{@code
 * Result r = GradientDescent.minimize(f, new double[] {1, 1}, Options.defaults());
 * r.converged();  r.x();  System.out.println(r.table());
 * }</pre>
 */
public final class GradientDescent {
    /** Sufficient-decrease constant of the Armijo condition. */
    static final double C1 = 1e-4;

    private GradientDescent() {
    }

    /**
     * Minimises f from x0 until |grad f| <= o.gradientTolerance() or o.maxIterations() steps.
     *
     * @param f  the objective with its gradient
     * @param x0 the starting point. Not modified.
     * @throws IllegalArgumentException on an empty or non-finite x0, bad options, or an
     *     objective that is not finite at x0
     */
    public static Result minimize(Objective f, double[] x0, Options o) {
        Descent s = Descent.start("GradientDescent", f, x0, o);
        int n = s.x.length;
        double alphaPrev = 0, alphaSafe = 0;
        while (!s.done()) {
            double[] p = new double[n];
            for (int i = 0; i < n; i++) p[i] = -s.g[i];
            double d0 = -s.gnorm * s.gnorm;
            // first a step of length at most 1 in x, then twice the last step so that it can grow again
            double alpha0 = s.k == 0 ? Math.min(1, 1 / s.gnorm) : 2 * alphaPrev;
            LineSearch.Trial t = s.search.armijo(s.x, s.fx, d0, p, alpha0, C1, alphaSafe);
            if (t == null) {
                s.message = String.format("stopped: no sufficient decrease along -grad after %d iterations, "
                        + "|grad| = %.3e (the tolerance may be below rounding level, or the gradient is wrong)", s.k, s.gnorm);
                break;
            }
            alphaPrev = t.alpha;
            if (LineSearch.genuineDecrease(t, s.fx)) {
                alphaSafe = t.alpha;
            }
            s.advance(t, t.alpha * s.gnorm);
        }
        return s.result(s.message);
    }
}
