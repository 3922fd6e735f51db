package org.matcalc.methods.optimize;

/**
 * Truncated Newton (Newton-CG, Nocedal and Wright, Algorithm 7.1): the Newton step solved by
 * conjugate gradients from Hessian-vector products only, to the forcing tolerance
 * min(0.5, sqrt(|g|)) |g| (superlinear convergence), stopped at the first direction of
 * non-positive curvature; then a strong Wolfe line search from the full step. For objectives
 * whose Hessian is never formed: a cluster sums Hessian-vector products over partitions as it
 * sums gradients.
 */
public final class NewtonCg {
    /** The Hessian at x applied to v. */
    @FunctionalInterface
    public interface HessianTimes {
        /** The Hessian of the objective at x times v. */
        double[] apply(double[] x, double[] v);
    }

    private NewtonCg() {
    }

    /**
     * Minimises f from x0 until |grad f| <= o.gradientTolerance() or o.maxIterations() steps.
     *
     * @throws IllegalArgumentException on an empty or non-finite x0, bad options, or an objective
     *     that is not finite at x0
     */
    public static Result minimize(Objective f, HessianTimes hv, double[] x0, Options o) {
        Descent st = Descent.start("NewtonCg", f, x0, o);
        int n = st.x.length;
        int products = 0, negative = 0;
        while (!st.done()) {
            double[] x = st.x, g = st.g;
            double gnorm = st.gnorm;
            double eta = Math.min(0.1, Math.sqrt(gnorm));
            double[] z = new double[n], r = g.clone(), d = negate(g);
            double rr = Vec.dot(r, r);
            double[] p = null;
            boolean steepest = false;
            for (int j = 0; j < Math.max(2 * n, 10); j++) {
                double[] bd = hv.apply(x, d);
                products++;
                double dbd = Vec.dot(d, bd);
                if (!(dbd > 0)) { // non-positive curvature: the step so far, or steepest descent at the start
                    negative++;
                    steepest = j == 0;
                    p = steepest ? negate(g) : z;
                    break;
                }
                double alpha = rr / dbd;
                for (int i = 0; i < n; i++) {
                    z[i] += alpha * d[i];
                    r[i] += alpha * bd[i];
                }
                double rr2 = Vec.dot(r, r);
                if (Math.sqrt(rr2) <= eta * gnorm) {
                    p = z;
                    break;
                }
                double beta = rr2 / rr;
                rr = rr2;
                for (int i = 0; i < n; i++) {
                    d[i] = -r[i] + beta * d[i];
                }
            }
            if (p == null) {
                p = z;
            }
            double d0 = Vec.dot(g, p);
            if (!(d0 < 0)) {
                p = negate(g);
                d0 = -gnorm * gnorm;
                steepest = true;
            }
            // the Newton step is tried whole; a steepest-descent one is scaled to unit length first
            LineSearch.Trial t = st.search.strongWolfe(x, st.fx, g, d0, p, steepest ? Math.min(1, 1 / gnorm) : 1, Lbfgs.C1, Lbfgs.C2);
            if (t == null) {
                st.message = String.format("stopped: the line search found no decrease after %d iterations, |grad| = %.3e", st.k, gnorm);
                break;
            }
            double[] s = new double[n];
            for (int i = 0; i < n; i++) {
                s[i] = t.x[i] - x[i];
            }
            st.advance(t, Vec.norm(s));
        }
        String message = st.message + "; " + products + " Hessian-vector products";
        if (negative > 0) {
            message += ", " + negative + " direction(s) of non-positive curvature";
        }
        return st.result(message);
    }

    private static double[] negate(double[] g) {
        double[] p = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            p[i] = -g[i];
        }
        return p;
    }
}
