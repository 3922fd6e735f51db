package org.matcalc.numeric;

import org.matcalc.expr.ScalarFunction;

/**
 * A number type that differentiable code can be written against once and run in several
 * modes: {@link Real} (plain values), {@link Dual} (one directional derivative),
 * {@link DualVec} (a whole gradient in one pass), {@link NDual} (duals of any of these, for
 * second and higher derivatives) and the reverse-mode {@link Node} (1 x 1 entries).
 *
 * <p>Write a program once as a {@link ScalarProgram} and hand it to {@link AD}.
 *
 * @param <T> the implementing type itself
 */
public interface Num<T extends Num<T>> {
    /** The innermost plain value (for a nested dual: the value of its value). */
    double real();

    /** A constant of this type (zero derivative), with the same number of directions. */
    T constant(double c);

    T plus(T b);

    T minus(T b);

    T times(T b);

    T div(T b);

    T negate();

    T plus(double c);

    T times(double c);

    /** this ^ p for a constant exponent p. */
    T pow(double p);

    /** An element-wise function from the one table, {@link ScalarFunction} (in expr). */
    T apply(ScalarFunction f);

    default T minus(double c) {
        return plus(-c);
    }

    default T div(double c) {
        return times(1 / c);
    }

    default T square() {
        return pow(2);
    }

    default T sin() { return apply(ScalarFunction.SIN); }

    default T cos() { return apply(ScalarFunction.COS); }

    default T tan() { return apply(ScalarFunction.TAN); }

    default T exp() { return apply(ScalarFunction.EXP); }

    default T log() { return apply(ScalarFunction.LOG); }

    default T sqrt() { return apply(ScalarFunction.SQRT); }

    default T tanh() { return apply(ScalarFunction.TANH); }

    default T sigmoid() { return apply(ScalarFunction.SIGMOID); }

    default T softplus() { return apply(ScalarFunction.SOFTPLUS); }

    default T relu() { return apply(ScalarFunction.RELU); }

    default T abs() { return apply(ScalarFunction.ABS); }
}
