package org.matcalc.methods.optimize;

import org.matcalc.numeric.Kernels;
import org.matcalc.numeric.Mat;

/**
 * Newton's method for minimisation with a line search and a Hessian modification (Nocedal and
 * Wright, <i>Numerical Optimization</i>, 2nd ed., Algorithms 3.2 and 3.3): solve
 * (H + tau I) p = -g, with tau = 0 when the Cholesky factorisation of H succeeds and otherwise
 * the first of beta, 2 beta, 4 beta, ... (beta = 1e-3 max(1, max|h_ii|)) for which it does, so
 * p is always a descent direction; then Armijo backtracking from the full step a = 1. Near a
 * minimiser with positive definite Hessian the unit step is taken and convergence is quadratic.
 *
 * <p>When the Hessian is not positive definite, the method says so: the result's message
 * carries a warning with the number of iterations affected and the first smallest eigenvalue
 * seen; and after stopping it checks the Hessian at the final point, warning when that point is
 * a saddle or maximum rather than a minimum (possible when started on a stationary point).
 *
 * <pre>{@code
 * Result r = NewtonMinimizer.minimize(Objective.of(program), Hessian.of(program), x0, Options.defaults());
 * }</pre>
 */
public final class NewtonMinimizer {
    static final double C1 = 1e-4;

    private NewtonMinimizer() {
    }

    /**
     * Minimises f from x0 until |grad f| <= o.gradientTolerance() or o.maxIterations() steps.
     *
     * @param f       the objective with its gradient
     * @param hessian the Hessian of f (symmetric n x n)
     * @param x0      the starting point. Not modified.
     * @throws IllegalArgumentException on an empty or non-finite x0, bad options, an objective
     *     not finite at x0, or a Hessian of the wrong shape or not symmetric
     */
    public static Result minimize(Objective f, Hessian hessian, double[] x0, Options o) {
        String name = "NewtonMinimizer";
        Checks.notNull(name, "Hessian", hessian);
        Descent s = Descent.start(name, f, x0, o);
        LineSearch ls = s.search;
        int n = s.x.length;
        int modified = 0, gradientSteps = 0;
        String firstIndefinite = null;
        while (!s.done()) {
            double[] x = s.x, g = s.g;
            double fx = s.fx, gnorm = s.gnorm;
            Mat h = checked(name, hessian.at(x.clone()), n);
            Modified step = direction(h, g);
            if (step.tau > 0) {
                modified++;
                if (firstIndefinite == null) {
                    firstIndefinite = "first at iteration " + s.k + ", smallest eigenvalue " + Trace.num(Kernels.lambdaMin(sym(h)));
                }
            }
            double[] p = step.p;
            double d0 = p == null ? Double.NaN : Vec.dot(g, p);
            LineSearch.Trial t = d0 < 0 ? ls.armijo(x, fx, d0, p, 1, C1, 1) : null;
            if (t == null) { // the modified Newton step failed: one steepest-descent step instead
                p = new double[n];
                for (int i = 0; i < n; i++) p[i] = -g[i];
                t = ls.armijo(x, fx, -gnorm * gnorm, p, Math.min(1, 1 / gnorm), C1, 0);
                if (t == null) {
                    s.message = String.format("stopped: no decrease along the Newton or gradient direction after %d "
                            + "iterations, |grad| = %.3e (the tolerance may be below rounding level, or the gradient "
                            + "or Hessian is wrong)", s.k, gnorm);
                    break;
                }
                gradientSteps++;
            }
            s.advance(t, t.alpha * Vec.norm(p));
        }
        StringBuilder m = new StringBuilder(s.message);
        if (modified > 0) {
            m.append(String.format("; warning: the Hessian was not positive definite at %d of %d iterations (%s), "
                    + "so H + tau I was used there", modified, s.k, firstIndefinite));
        }
        if (gradientSteps > 0) {
            m.append(String.format("; %d steepest-descent step(s) replaced a failed Newton step", gradientSteps));
        }
        Mat hEnd = checked(name, hessian.at(s.x.clone()), n);
        double lmin = Kernels.lambdaMin(sym(hEnd));
        if (!(lmin > 0)) {
            m.append(String.format("; warning: the Hessian at the final point is not positive definite (smallest "
                    + "eigenvalue %s): %s", Trace.num(lmin), lmin < 0 ? "a saddle or maximum, not a minimum"
                    : "the second-order test is inconclusive"));
        }
        return s.result(m.toString());
    }

    /** A descent direction and the shift tau that made the Hessian positive definite. */
    private record Modified(double[] p, double tau) {
    }

    /** N&W Algorithm 3.3: Cholesky with an added multiple of the identity. */
    private static Modified direction(Mat h, double[] g) {
        int n = g.length;
        double maxDiag = 0, minDiag = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            maxDiag = Math.max(maxDiag, Math.abs(h.get(i, i)));
            minDiag = Math.min(minDiag, h.get(i, i));
        }
        double beta = 1e-3 * Math.max(1, maxDiag);
        Mat gcol = Mat.column(g).negate();
        double tau = 0;
        Mat hs = sym(h);
        for (int attempt = 0; attempt < 200; attempt++) {
            Mat shifted = tau == 0 ? hs : hs.plus(Mat.eye(n).scale(tau));
            Mat l = choleskyOrNull(shifted);
            if (l != null) {
                double[] p = Kernels.solve(l.transpose(), Kernels.solve(l, gcol)).toRowMajor();
                return new Modified(Vec.allFinite(p) ? p : null, tau);
            }
            tau = tau == 0 ? (minDiag > 0 ? beta : beta - minDiag) : 2 * tau;
        }
        return new Modified(null, tau);
    }

    private static Mat choleskyOrNull(Mat s) {
        try {
            return Kernels.cholesky(s);
        } catch (IllegalArgumentException notPositiveDefinite) {
            return null;
        }
    }

    private static Mat sym(Mat h) {
        return h.plus(h.transpose()).scale(0.5);
    }

    private static Mat checked(String name, Mat h, int n) {
        if (h == null || h.rows() != n || h.cols() != n) {
            throw new IllegalArgumentException(name + ": the Hessian is " + (h == null ? "null" : h.shapeString())
                    + ", required " + n + "x" + n);
        }
        for (int i = 0; i < h.size(); i++) {
            if (!Double.isFinite(h.at(i))) {
                throw new IllegalArgumentException(name + ": the Hessian has a non-finite entry");
            }
        }
        if (!Kernels.isSymmetric(h, 1e-8)) {
            throw new IllegalArgumentException(name + ": the Hessian is not symmetric (|h_ij - h_ji| > 1e-8 max|h|)");
        }
        return h;
    }
}
