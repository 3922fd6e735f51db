package org.matcalc.methods.ode;

import java.util.Arrays;

import org.hipparchus.ode.OrdinaryDifferentialEquation;
import org.matcalc.numeric.Mat;

/**
 * Forward sensitivity analysis (MIT 18.063 §9.2.1): S = du/dp (n x N) solves
 * <pre>
 *   dS/dt = f_u S + f_p,   S(0) = du0/dp,
 * </pre>
 * integrated together with u as one system of n + nN equations, every component under the
 * same error control. Cost grows with N (one more n-vector per parameter): the method of
 * choice for few parameters or when the whole Jacobian du/dp is wanted. For the gradient of
 * one scalar with many parameters, see {@link Adjoint}.
 */
public final class ForwardSensitivity {
    private ForwardSensitivity() {
    }

    /** u(T) (n x 1), S(T) = du/dp at T (n x N), and the right-hand-side evaluations used. */
    public record Solution(Mat state, Mat sensitivity, int evaluations) {
    }

    /** u(T) and du/dp(T). */
    public static Solution solve(OdeProblem problem) {
        Integration.End end = run(problem, null);
        int n = problem.dimension(), np = problem.parameterCount();
        return new Solution(Mat.column(Arrays.copyOf(end.y(), n)),
                Mat.rowMajor(n, np, Arrays.copyOfRange(end.y(), n, n + n * np)), end.evaluations());
    }

    /** G = g(u(T), p, T) and its gradient (du/dp)' g_u + g_p, by the chain rule on S(T). */
    public static OdeGradient gradientTerminal(OdeProblem problem, Objective g) {
        Solution s = solve(problem);
        Objective.Partials gp = g.partials(problem.finalTime(), s.state().toRowMajor(), problem.p());
        Mat grad = s.sensitivity().transposeTimes(Mat.column(gp.du())).plus(Mat.column(gp.dp()));
        return new OdeGradient(gp.value(), grad, s.evaluations());
    }

    /**
     * G = integral_0^T g(u, p, t) dt and its gradient integral_0^T (S' g_u + g_p) dt, both
     * integrated as N + 1 more states of the same system.
     */
    public static OdeGradient gradientIntegral(OdeProblem problem, Objective g) {
        Integration.End end = run(problem, g);
        int n = problem.dimension(), np = problem.parameterCount(), q = n + n * np;
        return new OdeGradient(end.y()[q], Mat.column(Arrays.copyOfRange(end.y(), q + 1, q + 1 + np)), end.evaluations());
    }

    /** The state y = [u; S row by row] (and, with g, [G; dG/dp]) integrated from 0 to T. */
    private static Integration.End run(OdeProblem problem, Objective g) {
        Rhs rhs = problem.rhs();
        double[] p = problem.p();
        int n = problem.dimension(), np = problem.parameterCount(), q = n + n * np;
        int dim = g == null ? q : q + 1 + np;
        OrdinaryDifferentialEquation ode = new OrdinaryDifferentialEquation() {
            @Override
            public int getDimension() {
                return dim;
            }

            @Override
            public double[] computeDerivatives(double t, double[] y) {
                double[] u = Arrays.copyOf(y, n);
                Mat s = Mat.rowMajor(n, np, Arrays.copyOfRange(y, n, q));
                double[] dy = new double[dim];
                System.arraycopy(rhs.value(t, u, p), 0, dy, 0, n);
                Mat ds = requireShape("Rhs.sensitivity", rhs.sensitivity(t, u, p, s), n, np);
                System.arraycopy(ds.toRowMajor(), 0, dy, n, n * np);
                if (g != null) {
                    Objective.Partials gp = g.partials(t, u, p);
                    dy[q] = gp.value();
                    double[] dg = s.transposeTimes(Mat.column(gp.du())).toRowMajor();
                    for (int k = 0; k < np; k++) {
                        dy[q + 1 + k] = dg[k] + gp.dp()[k];
                    }
                }
                return dy;
            }
        };
        double[] y0 = new double[dim];
        System.arraycopy(problem.initial().value(p), 0, y0, 0, n);
        Mat s0 = requireShape("InitialCondition.jacobian", problem.initial().jacobian(p), n, np);
        System.arraycopy(s0.toRowMajor(), 0, y0, n, n * np);
        return Integration.run("forward sensitivities", ode, 0, y0, problem.finalTime(), problem.tolerances(), null);
    }

    static Mat requireShape(String what, Mat m, int rows, int cols) {
        if (m.rows() != rows || m.cols() != cols) {
            throw new IllegalArgumentException(what + ": required " + rows + "x" + cols + ", got " + m.shapeString());
        }
        return m;
    }
}
