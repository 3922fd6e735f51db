package org.matcalc.methods.optimize;

/**
 * Limited-memory BFGS (Nocedal and Wright, <i>Numerical Optimization</i>, 2nd ed., Algorithm
 * 7.4 and 7.5): the search direction -H_k grad f comes from the last m pairs
 * s = x_{k+1} - x_k, y = g_{k+1} - g_k by the two-loop recursion, with the initial scaling
 * H_0 = (s'y / y'y) I (eq. 7.20), and a strong-Wolfe line search (c1 = 1e-4, c2 = 0.9) that
 * keeps s'y > 0. A pair with s'y <= 1e-10 |s| |y| is skipped rather than let it spoil H.
 * When the search finds no decrease the memory is dropped and steepest descent is tried once
 * before giving up.
 *
 * <pre>{@code
 * Objective rosenbrock = (x, g) -> { ... return value; };
 * Result r = Lbfgs.minimize(rosenbrock, new double[] {-1.2, 1}, Options.defaults());
 * }</pre>
 */
public final class Lbfgs {
    /** The number of correction pairs kept when none is given. */
    public static final int DEFAULT_MEMORY = 10;
    static final double C1 = 1e-4;
    static final double C2 = 0.9;

    private Lbfgs() {
    }

    /** {@link #minimize(Objective, double[], int, Options)} with memory {@value #DEFAULT_MEMORY}. */
    public static Result minimize(Objective f, double[] x0, Options o) {
        return minimize(f, x0, DEFAULT_MEMORY, o);
    }

    /**
     * Minimises f from x0 until |grad f| <= o.gradientTolerance() or o.maxIterations() steps.
     *
     * @param f      the objective with its gradient
     * @param x0     the starting point. Not modified.
     * @param memory the number m of (s, y) pairs kept, >= 1
     * @throws IllegalArgumentException on an empty or non-finite x0, memory < 1, bad options,
     *     or an objective that is not finite at x0
     */
    public static Result minimize(Objective f, double[] x0, int memory, Options o) {
        if (memory < 1) {
            throw new IllegalArgumentException("Lbfgs: memory must be >= 1, got " + memory);
        }
        Descent st = Descent.start("Lbfgs", f, x0, o);
        LineSearch ls = st.search;
        int n = st.x.length;
        double[][] s = new double[memory][], y = new double[memory][];
        double[] rho = new double[memory];
        int stored = 0, newest = -1;
        int skipped = 0;
        while (!st.done()) {
            double[] x = st.x, g = st.g;
            double fx = st.fx, gnorm = st.gnorm;
            double[] p = stored == 0 ? negate(g) : twoLoop(g, s, y, rho, stored, newest);
            double d0 = Vec.dot(g, p);
            if (!(d0 < 0)) { // rounding made H lose definiteness: restart from steepest descent
                stored = 0;
                p = negate(g);
                d0 = -gnorm * gnorm;
            }
            double alpha0 = stored == 0 ? Math.min(1, 1 / gnorm) : 1;
            LineSearch.Trial t = ls.strongWolfe(x, fx, g, d0, p, alpha0, C1, C2);
            if (t == null && stored > 0) {
                stored = 0;
                p = negate(g);
                d0 = -gnorm * gnorm;
                t = ls.strongWolfe(x, fx, g, d0, p, Math.min(1, 1 / gnorm), C1, C2);
            }
            if (t == null) {
                st.message = String.format("stopped: the line search found no decrease after %d iterations, "
                        + "|grad| = %.3e (the tolerance may be below rounding level, or the gradient is wrong)", st.k, gnorm);
                break;
            }
            double[] sk = new double[n], yk = new double[n];
            for (int i = 0; i < n; i++) {
                sk[i] = t.x[i] - x[i];
                yk[i] = t.g[i] - g[i];
            }
            double sy = Vec.dot(sk, yk);
            double stepNorm = Vec.norm(sk);
            if (sy > 1e-10 * stepNorm * Vec.norm(yk)) {
                newest = (newest + 1) % memory;
                s[newest] = sk;
                y[newest] = yk;
                rho[newest] = 1 / sy;
                stored = Math.min(stored + 1, memory);
            } else {
                skipped++;
            }
            st.advance(t, stepNorm);
        }
        String message = st.message;
        if (skipped > 0) {
            message += "; " + skipped + " curvature pair(s) with s'y <= 0 skipped";
        }
        return st.result(message);
    }

    /** -H g by N&W Algorithm 7.4; pairs are read newest first from the ring buffer. */
    private static double[] twoLoop(double[] g, double[][] s, double[][] y, double[] rho, int stored, int newest) {
        int m = s.length;
        double[] q = g.clone();
        double[] a = new double[m];
        for (int j = 0; j < stored; j++) {
            int i = Math.floorMod(newest - j, m);
            a[i] = rho[i] * Vec.dot(s[i], q);
            for (int l = 0; l < q.length; l++) q[l] -= a[i] * y[i][l];
        }
        double gamma = Vec.dot(s[newest], y[newest]) / Vec.dot(y[newest], y[newest]);
        for (int l = 0; l < q.length; l++) q[l] *= gamma;
        for (int j = stored - 1; j >= 0; j--) {
            int i = Math.floorMod(newest - j, m);
            double b = rho[i] * Vec.dot(y[i], q);
            for (int l = 0; l < q.length; l++) q[l] += (a[i] - b) * s[i][l];
        }
        for (int l = 0; l < q.length; l++) q[l] = -q[l];
        return q;
    }

    private static double[] negate(double[] g) {
        double[] p = new double[g.length];
        for (int i = 0; i < g.length; i++) p[i] = -g[i];
        return p;
    }
}
