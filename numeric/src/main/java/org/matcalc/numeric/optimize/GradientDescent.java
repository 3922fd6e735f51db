package org.matcalc.numeric.optimize;

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
        String name = "GradientDescent";
        Checks.notNull(name, "objective", f);
        double[] x = Checks.start(name, x0);
        Checks.options(name, o);
        int n = x.length;
        LineSearch ls = new LineSearch(f);
        double[] g = new double[n];
        double fx = ls.evaluate(x, g);
        requireFinite(name, fx, g);
        Trace trace = new Trace(o);
        double gnorm = Vec.norm(g);
        trace.add(0, fx, gnorm, 0, 0);
        double alphaPrev = 0, alphaSafe = 0;
        String message = null;
        boolean converged = false;
        int k = 0;
        while (true) {
            if (gnorm <= o.gradientTolerance()) {
                converged = true;
                message = Trace.converged(gnorm, o.gradientTolerance(), k);
                break;
            }
            if (k >= o.maxIterations()) {
                message = Trace.limit(gnorm, k);
                break;
            }
            double[] p = new double[n];
            for (int i = 0; i < n; i++) p[i] = -g[i];
            double d0 = -gnorm * gnorm;
            // first a step of length at most 1 in x, then twice the last step so that it can grow again
            double alpha0 = k == 0 ? Math.min(1, 1 / gnorm) : 2 * alphaPrev;
            LineSearch.Trial t = ls.armijo(x, fx, d0, p, alpha0, C1, alphaSafe);
            if (t == null) {
                message = String.format("stopped: no sufficient decrease along -grad after %d iterations, "
                        + "|grad| = %.3e (the tolerance may be below rounding level, or the gradient is wrong)", k, gnorm);
                break;
            }
            k++;
            double stepNorm = t.alpha * gnorm;
            alphaPrev = t.alpha;
            if (LineSearch.genuineDecrease(t, fx)) {
                alphaSafe = t.alpha;
            }
            x = t.x;
            g = t.g;
            fx = t.f;
            gnorm = Vec.norm(g);
            trace.add(k, fx, gnorm, t.alpha, stepNorm);
        }
        return new Result(x, fx, gnorm, converged, message, trace.rows(), ls.evaluations());
    }

    static void requireFinite(String name, double fx, double[] g) {
        if (!Double.isFinite(fx)) {
            throw new IllegalArgumentException(name + ": the objective is " + fx + " at the starting point");
        }
        if (!Vec.allFinite(g)) {
            throw new IllegalArgumentException(name + ": the gradient has a non-finite entry at the starting point");
        }
    }
}
