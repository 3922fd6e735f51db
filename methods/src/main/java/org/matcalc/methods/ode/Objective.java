package org.matcalc.methods.ode;

import org.matcalc.numeric.Num;
import org.matcalc.ad.ScalarTape;

/**
 * A scalar g(u, p, t): the terminal objective G = g(u(T), p, T) or the integrand of
 * G = integral_0^T g(u, p, t) dt. Implement it with hand-written partials, or write g once over
 * {@link Num} and let {@link #of(Program)} take g_u and g_p from one reverse sweep.
 */
public interface Objective {
    /** g and its partial derivatives g_u (length n) and g_p (length N) at one point. */
    record Partials(double value, double[] du, double[] dp) {
    }

    /** g(u, p, t) with g_u and g_p. */
    Partials partials(double t, double[] u, double[] p);

    /** g(u, p, t) alone. */
    default double value(double t, double[] u, double[] p) {
        return partials(t, u, p).value();
    }

    /** g written once over any {@link Num}. */
    interface Program {
        /** The integrand (or terminal cost) at time t, state u and parameters p. */
        <T extends Num<T>> T apply(double t, T[] u, T[] p);
    }

    /** An Objective with g_u and g_p from the reverse tape (one sweep per point). */
    static Objective of(Program program) {
        return new Objective() {
            @Override
            public Partials partials(double t, double[] u, double[] p) {
                ScalarTape tape = new ScalarTape();
                ScalarTape.Var[] us = tape.variables(u), ps = tape.variables(p);
                ScalarTape.Var g = program.apply(t, us, ps);
                double[] adj = tape.backward(new ScalarTape.Var[] {g}, new double[] {1});
                return new Partials(g.real(), ScalarTape.gradient(us, adj), ScalarTape.gradient(ps, adj));
            }

            @Override
            public double value(double t, double[] u, double[] p) {
                return program.apply(t, Seeds.reals(u), Seeds.reals(p)).real();
            }
        };
    }
}
