package org.matcalc.methods.ode;

import org.matcalc.numeric.Mat;
import org.matcalc.ad.DualVec;
import org.matcalc.numeric.Num;

/**
 * The right-hand side f(u, p, t) of du/dt = f(u, p, t), with the two Jacobians the
 * sensitivity methods need: f_u (n x n) and f_p (n x N). Implement it directly to supply the
 * Jacobians by hand, or write f once over {@link Num} as a {@link Program} and let
 * {@link #of(Program)} take them from matcalc's AD.
 *
 * <p>The forward method only ever needs f_u S + f_p ({@link #sensitivity}) and the adjoint
 * method only f_u' lambda and f_p' lambda ({@link #vjp}); the defaults form both from the
 * Jacobians, the AD version computes each in one pass without forming them.
 */
public interface Rhs {
    /** f(u, p, t), a fresh array of length n. */
    double[] value(double t, double[] u, double[] p);

    /** f_u = df/du, n x n. */
    Mat dfdu(double t, double[] u, double[] p);

    /** f_p = df/dp, n x N. */
    Mat dfdp(double t, double[] u, double[] p);

    /** f_u S + f_p for S = du/dp (n x N): the right-hand side of the forward sensitivity equations. */
    default Mat sensitivity(double t, double[] u, double[] p, Mat s) {
        return dfdu(t, u, p).times(s).plus(dfdp(t, u, p));
    }

    /** f_u' lambda and f_p' lambda: the vector-Jacobian products of the adjoint equations. */
    default Vjp vjp(double t, double[] u, double[] p, double[] lambda) {
        Mat l = Mat.column(lambda);
        return new Vjp(dfdu(t, u, p).transposeTimes(l).toRowMajor(), dfdp(t, u, p).transposeTimes(l).toRowMajor());
    }

    /** The two vector-Jacobian products lambda' f_u (length n) and lambda' f_p (length N). */
    record Vjp(double[] u, double[] p) {
    }

    /**
     * f written once over any {@link Num}: read {@code u} and {@code p}, write each entry of
     * {@code du} (an array of length n of the same number type). Java lambdas cannot be generic,
     * so write it as an anonymous class.
     */
    interface Program {
        /** Writes f(t, u, p) into du. */
        <T extends Num<T>> void apply(double t, T[] u, T[] p, T[] du);
    }

    /**
     * An Rhs whose derivatives come from AD: f_u S + f_p by one multi-direction forward pass
     * ({@link DualVec} with u seeded by the rows of S and p by unit vectors), f_u' lambda and
     * f_p' lambda by one reverse sweep of lambda' f over a flat scalar tape (this package's
     * ScalarTape, about the cost of a few evaluations of f).
     */
    static Rhs of(Program program) {
        return new AdRhs(program);
    }
}
