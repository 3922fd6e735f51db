package org.matcalc.methods.ode;

import org.hipparchus.exception.MathRuntimeException;
import org.hipparchus.ode.ODEState;
import org.hipparchus.ode.ODEStateAndDerivative;
import org.hipparchus.ode.OrdinaryDifferentialEquation;
import org.hipparchus.ode.nonstiff.DormandPrince853Integrator;
import org.hipparchus.ode.sampling.ODEStepHandler;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.MatcalcException.Kind;

/**
 * One adaptive Dormand-Prince 8(5,3) run (Hipparchus) with matcalc's tolerances, its failures
 * turned into {@link MatcalcException}s that say which integration failed and why.
 *
 * <p>Every component is a primary state: Hipparchus controls the step size on the primary
 * state only, so sensitivities or adjoints added as its "secondary equations" would ride on
 * the steps chosen for u without any error control of their own.
 */
final class Integration {
    private Integration() {
    }

    /** The state at t1 and how many times the right-hand side was evaluated. */
    record End(double[] y, int evaluations) {
    }

    static End run(String what, OrdinaryDifferentialEquation ode, double t0, double[] y0, double t1,
                   Tolerances tol, ODEStepHandler handler) {
        requireFinite(what + ": initial state", y0);
        DormandPrince853Integrator integrator = new DormandPrince853Integrator(0, Math.abs(t1 - t0),
                tol.absolute(), tol.relative());
        integrator.setMaxEvaluations(tol.maxEvaluations());
        if (handler != null) {
            integrator.addStepHandler(handler);
        }
        ODEStateAndDerivative end;
        try {
            end = integrator.integrate(ode, new ODEState(t0, y0), t1);
        } catch (MathRuntimeException e) {
            throw new MatcalcException(Kind.EVALUATION, what + " failed between t = " + t0 + " and " + t1 + ": "
                    + e.getMessage() + " (tolerances " + tol + ", at most " + tol.maxEvaluations()
                    + " evaluations; a stiff or blowing-up system needs other methods)");
        }
        double[] y = end.getPrimaryState();
        requireFinite(what + ": state at t = " + t1, y);
        return new End(y, integrator.getEvaluations());
    }

    /** Refuses bad input: an IllegalArgumentException naming the entry. */
    static void requireFiniteInput(String what, double[] v) {
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new IllegalArgumentException(what + " has a non-finite entry " + v[i] + " at index " + i);
            }
        }
    }

    /** Refuses a computed state that overflowed or became NaN. */
    static void requireFinite(String what, double[] v) {
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new MatcalcException(Kind.EVALUATION, what + " has a non-finite entry " + v[i] + " at index " + i);
            }
        }
    }
}
