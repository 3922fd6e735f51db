package org.matcalc.methods.optimize;

/**
 * Line searches along a descent direction p from x, on phi(alpha) = f(x + alpha p) with
 * phi'(0) = g'p < 0: Armijo backtracking, and the strong-Wolfe search of Nocedal and Wright,
 * <i>Numerical Optimization</i> (2nd ed.), Algorithms 3.5 (bracketing) and 3.6 (zoom), with
 * safeguarded cubic interpolation (their eq. 3.59). A trial where f or g is not finite is
 * treated as "too far" (the Armijo test fails), so an overflow shortens the step instead of
 * poisoning the iterate.
 *
 * <p>Near a minimiser the decrease a step can make, about |g|^2 / (2 lambda), falls below the
 * rounding noise of f, and value-based tests fail although the gradient still points the way.
 * There both searches also accept Hager and Zhang's approximate Wolfe conditions (SIAM J.
 * Optim. 16 (2005), eq. 4.1), which test slopes instead of values:
 * (2 c1 - 1) d0 >= d(a) >= c2 d0 with f(a) <= f0 + 1e-10 |f0|. A trial that leaves x unchanged
 * (a step below rounding) is never accepted.
 */
final class LineSearch {
    /** Evaluations allowed per search; beyond this the search gives up (no hang). */
    static final int MAX_EVALUATIONS = 40;
    /** Relative slack in f for the approximate Wolfe test (rounding noise of f is far smaller). */
    static final double F_SLACK = 1e-10;

    /** One evaluated trial point. */
    static final class Trial {
        final double alpha;
        final double f;
        final double d;
        final double[] x;
        final double[] g;
        /** True when x + alpha p rounds to x. */
        final boolean still;

        Trial(double alpha, double f, double d, double[] x, double[] g, boolean still) {
            this.alpha = alpha;
            this.f = f;
            this.d = d;
            this.x = x;
            this.g = g;
            this.still = still;
        }
    }

    private final Objective objective;
    private int evaluations;

    LineSearch(Objective objective) {
        this.objective = objective;
    }

    int evaluations() {
        return evaluations;
    }

    /** f and its gradient at x, counted. */
    double evaluate(double[] x, double[] g) {
        evaluations++;
        return objective.evaluate(x, g);
    }

    private Trial trial(double[] x, double[] p, double alpha) {
        int n = x.length;
        double[] xt = new double[n];
        Vec.step(x, alpha, p, xt);
        double[] gt = new double[n];
        double ft = evaluate(xt, gt);
        double dt = Vec.allFinite(gt) ? Vec.dot(gt, p) : Double.NaN;
        if (!Double.isFinite(ft) || !Double.isFinite(dt)) {
            ft = Double.POSITIVE_INFINITY;
            dt = Double.NaN;
        }
        return new Trial(alpha, ft, dt, xt, gt, java.util.Arrays.equals(x, xt));
    }

    /** Hager-Zhang's approximate Wolfe conditions (see the class comment). */
    private static boolean approximateWolfe(Trial t, double f0, double d0, double c1, double c2) {
        return !t.still && t.f <= f0 + F_SLACK * Math.abs(f0) && t.d <= (2 * c1 - 1) * d0 && t.d >= c2 * d0;
    }

    private static boolean armijoHolds(Trial t, double f0, double d0, double c1) {
        return !t.still && t.f <= f0 + c1 * t.alpha * d0;
    }

    /**
     * Backtracking until the Armijo condition f(x + a p) <= f0 + c1 a d0 holds, shrinking by
     * safeguarded quadratic interpolation (into [0.1 a, 0.5 a]). Steps no longer than
     * {@code approximateCap} may instead pass the slope test (2 c1 - 1) d0 >= d(a) with f within
     * rounding slack of f0: the caller sets the cap to a step length that a genuine decrease has
     * shown to be safe, since a slope along p alone cannot see overshooting in other directions.
     * Returns null when no step within {@link #MAX_EVALUATIONS} trials passes.
     */
    Trial armijo(double[] x, double f0, double d0, double[] p, double alpha0, double c1, double approximateCap) {
        double alpha = alpha0;
        for (int i = 0; i < MAX_EVALUATIONS; i++) {
            Trial t = trial(x, p, alpha);
            if (t.still) {
                return null;
            }
            if (armijoHolds(t, f0, d0, c1)) {
                return t;
            }
            if (alpha <= approximateCap && t.f <= f0 + F_SLACK * Math.abs(f0) && t.d <= (2 * c1 - 1) * d0) {
                return t;
            }
            double q = Double.isFinite(t.f) ? -d0 * alpha * alpha / (2 * (t.f - f0 - d0 * alpha)) : 0.1 * alpha;
            alpha = Math.min(0.5 * alpha, Math.max(0.1 * alpha, q));
        }
        return null;
    }

    /** True when f fell by more than rounding noise could explain. */
    static boolean genuineDecrease(Trial t, double f0) {
        return f0 - t.f > F_SLACK * Math.abs(f0);
    }

    /**
     * A step satisfying the strong Wolfe conditions f(x + a p) <= f0 + c1 a d0 and
     * |g(x + a p)'p| <= c2 |d0|, with 0 < c1 < c2 < 1. When the trial budget runs out it returns
     * the best point found that satisfies the Armijo condition, or null when there is none.
     */
    Trial strongWolfe(double[] x, double f0, double[] g0, double d0, double[] p, double alpha0, double c1, double c2) {
        Trial prev = new Trial(0, f0, d0, x, g0, true);
        double alpha = alpha0;
        for (int i = 0; i < MAX_EVALUATIONS; i++) {
            Trial t = trial(x, p, alpha);
            if (t.still) {
                break;
            }
            if (approximateWolfe(t, f0, d0, c1, c2)) {
                return t;
            }
            if (t.f > f0 + c1 * alpha * d0 || (i > 0 && t.f >= prev.f)) {
                return zoom(x, f0, d0, p, prev, t, c1, c2, MAX_EVALUATIONS - i - 1);
            }
            if (Math.abs(t.d) <= -c2 * d0) {
                return t;
            }
            if (t.d >= 0) {
                return zoom(x, f0, d0, p, t, prev, c1, c2, MAX_EVALUATIONS - i - 1);
            }
            prev = t;
            alpha *= 3; // still descending with a steep slope: the minimiser lies further out
        }
        return prev.alpha > 0 ? prev : null;
    }

    /**
     * N&W Algorithm 3.6. Invariants: lo satisfies the Armijo condition and has the lowest f of
     * such trials; the interval between lo and hi contains strong-Wolfe points.
     */
    private Trial zoom(double[] x, double f0, double d0, double[] p, Trial lo, Trial hi, double c1, double c2, int budget) {
        for (int j = 0; j < budget; j++) {
            double a = interpolate(lo, hi);
            Trial t = trial(x, p, a);
            if (t.still) {
                break;
            }
            if (approximateWolfe(t, f0, d0, c1, c2)) {
                return t;
            }
            if (t.f > f0 + c1 * a * d0 || t.f >= lo.f) {
                hi = t;
            } else {
                if (Math.abs(t.d) <= -c2 * d0) {
                    return t;
                }
                if (t.d * (hi.alpha - lo.alpha) >= 0) {
                    hi = lo;
                }
                lo = t;
            }
            if (Math.abs(hi.alpha - lo.alpha) <= 1e-16 * Math.max(1, Math.abs(lo.alpha))) {
                break; // the interval has shrunk to rounding level
            }
        }
        return lo.alpha > 0 ? lo : null;
    }

    /**
     * The minimiser of the cubic through both ends' values and slopes (N&W eq. 3.59), kept
     * inside the middle 80% of the interval; bisection when the cubic is unusable.
     */
    static double interpolate(Trial a, Trial b) {
        double lo = Math.min(a.alpha, b.alpha), hi = Math.max(a.alpha, b.alpha), w = hi - lo;
        double mid = 0.5 * (lo + hi);
        if (!Double.isFinite(a.f) || !Double.isFinite(b.f) || !Double.isFinite(a.d) || !Double.isFinite(b.d)) {
            return mid;
        }
        double d1 = a.d + b.d - 3 * (a.f - b.f) / (a.alpha - b.alpha);
        double disc = d1 * d1 - a.d * b.d;
        if (!(disc >= 0)) {
            return mid;
        }
        double d2 = Math.signum(b.alpha - a.alpha) * Math.sqrt(disc);
        double c = b.alpha - (b.alpha - a.alpha) * (b.d + d2 - d1) / (b.d - a.d + 2 * d2);
        if (!Double.isFinite(c) || c < lo + 0.1 * w || c > hi - 0.1 * w) {
            return mid;
        }
        return c;
    }
}
