package org.matcalc.numeric.primitives;

import org.matcalc.expr.Builtin;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.MatDual;

/**
 * The numeric side of one primitive of the language, in one place: its kernel (the dense
 * value), its forward rule (value and tangent, in {@link MatDual} arithmetic) and its reverse
 * rule (the adjoints of its arguments, written in MatDual arithmetic too, so that a reverse
 * sweep over tangent-carrying values gives Hessian-vector products). Every evaluation engine
 * reads these: the dense plan the kernel, forward mode the JVP, the tape the VJP.
 *
 * @param kernel the value for dense arguments
 * @param jvp    the value and, where an argument carries a tangent, the tangent of the result
 * @param vjp    given the arguments, the result and its adjoint g, the adjoint contribution of
 *               each argument i with {@code needs[i]} (null for the others)
 */
public record Primitive(Builtin fn, Kernel kernel, Jvp jvp, Vjp vjp) {

    @FunctionalInterface
    public interface Kernel {
        Mat apply(Mat[] x);
    }

    @FunctionalInterface
    public interface Jvp {
        MatDual apply(MatDual[] x);
    }

    @FunctionalInterface
    public interface Vjp {
        MatDual[] apply(MatDual[] x, MatDual y, MatDual g, boolean[] needs);
    }

    /** A one-argument reverse rule: the adjoint of the argument. */
    @FunctionalInterface
    public interface Vjp1 {
        MatDual apply(MatDual x, MatDual y, MatDual g);
    }

    /** A reverse rule for a one-argument primitive. */
    public static Vjp unary(Vjp1 rule) {
        return (x, y, g, needs) -> new MatDual[] {rule.apply(x[0], y, g)};
    }
}
