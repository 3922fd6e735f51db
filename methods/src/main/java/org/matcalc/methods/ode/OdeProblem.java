package org.matcalc.methods.ode;

import java.util.Arrays;

import org.hipparchus.ode.OrdinaryDifferentialEquation;
import org.hipparchus.ode.sampling.ODEStepHandler;
import org.matcalc.numeric.Mat;

/**
 * An initial-value problem with parameters (MIT 18.063 ch. 9): du/dt = f(u, p, t) on
 * [0, T], u(0) = u0(p), u in R^n, p in R^N. Immutable; {@link #withParameters} gives the same
 * problem at other parameters (for finite differences and optimisers).
 *
 * <pre>{@code
 * Rhs f = Rhs.of(new Rhs.Program() {          // u' = -p u
 *     public <T extends Num<T>> void apply(double t, T[] u, T[] p, T[] du) {
 *         du[0] = p[0].times(u[0]).negate();
 *     }
 * });
 * OdeProblem problem = OdeProblem.of(f, InitialCondition.constant(2.0), new double[] {0.5}, 3.0);
 * ForwardSensitivity.Solution s = ForwardSensitivity.solve(problem);   // u(T), du/dp(T)
 * }</pre>
 */
public final class OdeProblem {
    private final Rhs rhs;
    private final InitialCondition initial;
    private final double[] p;
    private final double tEnd;
    private final Tolerances tolerances;
    private final int n;

    private OdeProblem(Rhs rhs, InitialCondition initial, double[] p, double tEnd, Tolerances tolerances) {
        if (rhs == null || initial == null || p == null || tolerances == null) {
            throw new IllegalArgumentException("OdeProblem: rhs, initial condition, parameters and tolerances are required");
        }
        if (p.length == 0) {
            throw new IllegalArgumentException("OdeProblem: required at least one parameter, got none");
        }
        Integration.requireFiniteInput("OdeProblem: parameters p", p);
        if (!(tEnd > 0) || !Double.isFinite(tEnd)) {
            throw new IllegalArgumentException("OdeProblem: required a finite final time T > 0, got " + tEnd);
        }
        this.rhs = rhs;
        this.initial = initial;
        this.p = p.clone();
        this.tEnd = tEnd;
        this.tolerances = tolerances;
        double[] u0 = initial.value(this.p);
        if (u0.length == 0) {
            throw new IllegalArgumentException("OdeProblem: required a state of dimension n >= 1, got u0 of length 0");
        }
        Integration.requireFiniteInput("OdeProblem: u0(p)", u0);
        this.n = u0.length;
        double[] f0 = rhs.value(0, u0, this.p);
        if (f0.length != n) {
            throw new IllegalArgumentException("OdeProblem: f(u0, p, 0) has length " + f0.length
                    + ", required n = " + n + " (the length of u0)");
        }
    }

    /** The problem with {@link Tolerances#DEFAULT}. */
    public static OdeProblem of(Rhs rhs, InitialCondition initial, double[] p, double tEnd) {
        return new OdeProblem(rhs, initial, p, tEnd, Tolerances.DEFAULT);
    }

    /** The same problem with other parameters. */
    public OdeProblem withParameters(double[] newP) {
        if (newP.length != p.length) {
            throw new IllegalArgumentException("withParameters: required " + p.length + " parameters, got " + newP.length);
        }
        return new OdeProblem(rhs, initial, newP, tEnd, tolerances);
    }

    /** The same problem with other tolerances. */
    public OdeProblem withTolerances(Tolerances newTolerances) {
        return new OdeProblem(rhs, initial, p, tEnd, newTolerances);
    }

    /** The right-hand side f of du/dt = f(t, u, p). */
    public Rhs rhs() {
        return rhs;
    }

    /** The initial condition u(0) = u0(p). */
    public InitialCondition initial() {
        return initial;
    }

    /** A copy of the parameters. */
    public double[] parameters() {
        return p.clone();
    }

    /** The parameters as an N x 1 column. */
    public Mat parameterColumn() {
        return Mat.column(p);
    }

    /** The final time T. */
    public double finalTime() {
        return tEnd;
    }

    /** The integrator's tolerances. */
    public Tolerances tolerances() {
        return tolerances;
    }

    /** n, the dimension of u. */
    public int dimension() {
        return n;
    }

    /** N, the number of parameters. */
    public int parameterCount() {
        return p.length;
    }

    /** u(T), n x 1, by one adaptive integration. */
    public Mat solve() {
        return Mat.column(integrate(null, null).y());
    }

    /** G = g(u(T), p, T). */
    public double terminalValue(Objective g) {
        return g.value(tEnd, solve().toRowMajor(), p);
    }

    /** G = integral_0^T g(u, p, t) dt, integrated alongside u as one more state (so under the same error control). */
    public double integralValue(Objective g) {
        return integrate(g, null).y()[n];
    }

    /**
     * u (and, with g, the running integral of g as component n) from 0 to T; the handler, if
     * any, sees every step (the adjoint method keeps them as a dense output).
     */
    Integration.End integrate(Objective g, ODEStepHandler handler) {
        int dim = g == null ? n : n + 1;
        OrdinaryDifferentialEquation ode = new OrdinaryDifferentialEquation() {
            @Override
            public int getDimension() {
                return dim;
            }

            @Override
            public double[] computeDerivatives(double t, double[] y) {
                double[] u = Arrays.copyOf(y, n);
                double[] dy = Arrays.copyOf(rhs.value(t, u, p), dim);
                if (g != null) {
                    dy[n] = g.value(t, u, p);
                }
                return dy;
            }
        };
        double[] y0 = Arrays.copyOf(initial.value(p), dim);
        return Integration.run("integrating u", ode, 0, y0, tEnd, tolerances, handler);
    }

    /** p as given (no copy), for this package's solvers. */
    double[] p() {
        return p;
    }
}
