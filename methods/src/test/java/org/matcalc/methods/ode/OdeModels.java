package org.matcalc.methods.ode;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.ToDoubleFunction;

import org.matcalc.numeric.Kernels;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.Num;
import org.matcalc.numeric.fd.FiniteDifferences;

/** The ODEs the sensitivity tests share, and comparisons. */
final class OdeModels {
    private OdeModels() {
    }

    /** u' = -p0 u, u(0) = p1. */
    static final Rhs DECAY = Rhs.of(new Rhs.Program() {
        @Override
        public <T extends Num<T>> void apply(double t, T[] u, T[] p, T[] du) {
            du[0] = p[0].times(u[0]).negate();
        }
    });

    static final InitialCondition DECAY_U0 = InitialCondition.of(1, new InitialCondition.Program() {
        @Override
        public <T extends Num<T>> void apply(T[] p, T[] u0) {
            u0[0] = p[1];
        }
    });

    /** Lotka-Volterra: prey u0' = a u0 - b u0 u1, predator u1' = -c u1 + d u0 u1, p = (a, b, c, d). */
    static final Rhs LOTKA_VOLTERRA = Rhs.of(new Rhs.Program() {
        @Override
        public <T extends Num<T>> void apply(double t, T[] u, T[] p, T[] du) {
            T uv = u[0].times(u[1]);
            du[0] = p[0].times(u[0]).minus(p[1].times(uv));
            du[1] = p[3].times(uv).minus(p[2].times(u[1]));
        }
    });

    /** MIT 18.063 §9.3: u' = p0 + p1 u + p2 u^2, u(0) = 0. */
    static final Rhs SEED_QUADRATIC = Rhs.of(new Rhs.Program() {
        @Override
        public <T extends Num<T>> void apply(double t, T[] u, T[] p, T[] du) {
            du[0] = p[0].plus(p[1].times(u[0])).plus(p[2].times(u[0].square()));
        }
    });

    /** A(p) = [[-p0, p1], [-p1, -p2]] for u' = A(p) u. */
    static Mat linearA(double[] p) {
        return Mat.of(new double[][] {{-p[0], p[1]}, {-p[1], -p[2]}});
    }

    /** dA/dp_k. */
    static Mat linearADerivative(int k) {
        return switch (k) {
            case 0 -> Mat.of(new double[][] {{-1, 0}, {0, 0}});
            case 1 -> Mat.of(new double[][] {{0, 1}, {-1, 0}});
            case 2 -> Mat.of(new double[][] {{0, 0}, {0, -1}});
            default -> throw new AssertionError(k);
        };
    }

    /** u' = A(p) u with hand-written Jacobians f_u = A, f_p = [dA/dp_k u]: the non-AD path. */
    static final Rhs LINEAR_BY_HAND = new Rhs() {
        @Override
        public double[] value(double t, double[] u, double[] p) {
            return linearA(p).times(Mat.column(u)).toRowMajor();
        }

        @Override
        public Mat dfdu(double t, double[] u, double[] p) {
            return linearA(p);
        }

        @Override
        public Mat dfdp(double t, double[] u, double[] p) {
            double[] j = new double[2 * 3];
            for (int k = 0; k < 3; k++) {
                Mat c = linearADerivative(k).times(Mat.column(u));
                j[k] = c.at(0);
                j[3 + k] = c.at(1);
            }
            return Mat.rowMajor(2, 3, j);
        }
    };

    /** The same system written over Num, for AD. */
    static final Rhs LINEAR_AD = Rhs.of(new Rhs.Program() {
        @Override
        public <T extends Num<T>> void apply(double t, T[] u, T[] p, T[] du) {
            du[0] = p[1].times(u[1]).minus(p[0].times(u[0]));
            du[1] = p[1].times(u[0]).plus(p[2].times(u[1])).negate();
        }
    });

    /** Central differences (matcalc's FiniteDifferences) of a function of the parameters. */
    static Mat fdGradient(ToDoubleFunction<double[]> f, double[] p) {
        return FiniteDifferences.gradient(q -> f.applyAsDouble(q.toRowMajor()), Mat.column(p));
    }

    /** ||actual - expected|| / ||expected|| in the Frobenius norm. */
    static double relErr(Mat expected, Mat actual) {
        assertTrue(expected.sameShape(actual), expected.shapeString() + " vs " + actual.shapeString());
        return Kernels.norm2(actual.minus(expected)) / Kernels.norm2(expected);
    }

    static void assertRel(Mat expected, Mat actual, double tol, String what) {
        double e = relErr(expected, actual);
        assertTrue(e <= tol, what + ": relative error " + e + " > " + tol + "\nexpected " + expected + "\nactual   " + actual);
    }
}
