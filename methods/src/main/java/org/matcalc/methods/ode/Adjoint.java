package org.matcalc.methods.ode;

import java.util.Arrays;

import org.hipparchus.ode.DenseOutputModel;
import org.hipparchus.ode.OrdinaryDifferentialEquation;
import org.matcalc.numeric.Mat;

/**
 * The adjoint method (MIT 18.063 §9.2.2; Cao, Li, Petzold and Serban, SIAM J. Sci. Comput.
 * 24(3), 2003): the gradient by p of one scalar G for about the cost of two solves, whatever
 * the number of parameters N.
 *
 * <p>First u is integrated forward from 0 to T, keeping every step's interpolator (Hipparchus'
 * {@link DenseOutputModel}, 7th-order dense output) so that u(t) can be read at any t. Then
 * lambda (n) and mu (N) are integrated backward from T to 0:
 * <pre>
 *   dlambda/dt = -f_u' lambda - g_u',    dmu/dt = -f_p' lambda - g_p',    mu(T) = 0,
 * </pre>
 * so mu(0) = integral_0^T (f_p' lambda + g_p') dt, and
 * <pre>
 *   grad G = (du0/dp)' lambda(0) + mu(0)              (+ g_p at T for a terminal G).
 * </pre>
 * For G = integral_0^T g dt, lambda(T) = 0 and g enters the equations above; for a terminal
 * G = g(u(T), p, T) the g terms drop out and lambda(T) = g_u'. (The seed's v is -lambda.)
 * Both solves are differentiate-then-discretise: the gradient is exact up to the
 * integrators' tolerances, not the exact derivative of the discrete solution.
 */
public final class Adjoint {
    private Adjoint() {
    }

    /** G = g(u(T), p, T) and its gradient by p. */
    public static OdeGradient gradientTerminal(OdeProblem problem, Objective g) {
        return gradient(problem, g, false);
    }

    /** G = integral_0^T g(u, p, t) dt and its gradient by p. */
    public static OdeGradient gradientIntegral(OdeProblem problem, Objective g) {
        return gradient(problem, g, true);
    }

    private static OdeGradient gradient(OdeProblem problem, Objective g, boolean integral) {
        int n = problem.dimension(), np = problem.parameterCount();
        double[] p = problem.p();
        double tEnd = problem.finalTime();
        Rhs rhs = problem.rhs();

        DenseOutputModel trajectory = new DenseOutputModel();
        Integration.End forward = problem.integrate(integral ? g : null, trajectory);
        double[] uT = Arrays.copyOf(forward.y(), n);

        double[] y0 = new double[n + np];
        double value;
        double[] terminalDp = new double[np];
        if (integral) {
            value = forward.y()[n];
        } else {
            Objective.Partials gT = checked(g.partials(tEnd, uT, p), n, np);
            value = gT.value();
            System.arraycopy(gT.du(), 0, y0, 0, n); // lambda(T) = g_u'
            terminalDp = gT.dp();
        }

        OrdinaryDifferentialEquation backward = new OrdinaryDifferentialEquation() {
            @Override
            public int getDimension() {
                return n + np;
            }

            @Override
            public double[] computeDerivatives(double t, double[] y) {
                double[] u = Arrays.copyOf(trajectory.getInterpolatedState(t).getPrimaryState(), n);
                double[] lambda = Arrays.copyOf(y, n);
                Rhs.Vjp vjp = rhs.vjp(t, u, p, lambda);
                double[] dy = new double[n + np];
                for (int i = 0; i < n; i++) {
                    dy[i] = -vjp.u()[i];
                }
                for (int k = 0; k < np; k++) {
                    dy[n + k] = -vjp.p()[k];
                }
                if (integral) {
                    Objective.Partials gp = checked(g.partials(t, u, p), n, np);
                    for (int i = 0; i < n; i++) {
                        dy[i] -= gp.du()[i];
                    }
                    for (int k = 0; k < np; k++) {
                        dy[n + k] -= gp.dp()[k];
                    }
                }
                return dy;
            }
        };
        Integration.End back = Integration.run("the adjoint (backward) integration", backward, tEnd, y0, 0,
                problem.tolerances(), null);

        Mat lambda0 = Mat.column(Arrays.copyOf(back.y(), n));
        Mat du0dp = ForwardSensitivity.requireShape("InitialCondition.jacobian", problem.initial().jacobian(p), n, np);
        Mat grad = du0dp.transposeTimes(lambda0)
                .plus(Mat.column(Arrays.copyOfRange(back.y(), n, n + np)))
                .plus(Mat.column(terminalDp));
        return new OdeGradient(value, grad, forward.evaluations() + back.evaluations());
    }

    private static Objective.Partials checked(Objective.Partials gp, int n, int np) {
        if (gp.du().length != n || gp.dp().length != np) {
            throw new IllegalArgumentException("Objective.partials: required g_u of length " + n + " and g_p of length "
                    + np + ", got " + gp.du().length + " and " + gp.dp().length);
        }
        return gp;
    }
}
