package org.matcalc.methods.ode;

import java.lang.reflect.Array;

import org.matcalc.numeric.Mat;
import org.matcalc.ad.DualVec;
import org.matcalc.numeric.Num;
import org.matcalc.ad.Real;

/**
 * The initial state u(0) = u0(p) and its Jacobian du0/dp (n x N), which seeds the forward
 * sensitivities (S(0) = du0/dp) and gives the adjoint gradient its initial-condition term
 * (du0/dp)' lambda(0).
 */
public interface InitialCondition {
    /** u0(p), a fresh array of length n. */
    double[] value(double[] p);

    /** du0/dp, n x N. */
    Mat jacobian(double[] p);

    /** A fixed u0 that does not depend on p (du0/dp = 0). */
    static InitialCondition constant(double... u0) {
        double[] copy = u0.clone();
        return new InitialCondition() {
            @Override
            public double[] value(double[] p) {
                return copy.clone();
            }

            @Override
            public Mat jacobian(double[] p) {
                return Mat.zeros(copy.length, p.length);
            }
        };
    }

    /** u0(p) written once over any {@link Num}: read {@code p}, write every entry of {@code u0}. */
    interface Program {
        /** Writes u(0) for parameters p into u0. */
        <T extends Num<T>> void apply(T[] p, T[] u0);
    }

    /** u0(p) of dimension n with its Jacobian by one multi-direction forward pass. */
    static InitialCondition of(int n, Program program) {
        if (n < 1) {
            throw new IllegalArgumentException("InitialCondition: required a state dimension n >= 1, got " + n);
        }
        return new InitialCondition() {
            @Override
            public double[] value(double[] p) {
                Real[] u0 = run(Seeds.reals(p));
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = u0[i].real();
                }
                return v;
            }

            @Override
            public Mat jacobian(double[] p) {
                DualVec[] ps = new DualVec[p.length];
                for (int k = 0; k < p.length; k++) {
                    ps[k] = DualVec.variable(p[k], k, p.length);
                }
                DualVec[] u0 = run(ps);
                double[] j = new double[n * p.length];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(u0[i].gradient(), 0, j, i * p.length, p.length);
                }
                return Mat.rowMajor(n, p.length, j);
            }

            private <T extends Num<T>> T[] run(T[] ps) {
                @SuppressWarnings("unchecked")
                T[] u0 = (T[]) Array.newInstance(ps.getClass().getComponentType(), n);
                program.apply(ps, u0);
                for (int i = 0; i < n; i++) {
                    if (u0[i] == null) {
                        throw new IllegalArgumentException("InitialCondition program: u0[" + i
                                + "] was not written (it must set all " + n + " entries)");
                    }
                }
                return u0;
            }
        };
    }
}
