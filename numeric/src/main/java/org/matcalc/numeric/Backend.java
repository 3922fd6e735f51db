package org.matcalc.numeric;

import org.matcalc.expr.Builtin;
import org.matcalc.expr.Expr;
import org.matcalc.expr.ScalarFunction;

/**
 * What a {@link Plan} runs on: dense matrices ({@link #DENSE}), reverse-mode tape nodes,
 * forward-mode duals. The plan does the walk once (evaluation order, shared subexpressions,
 * concrete sizes of context-sized leaves, commutation matrices); a backend says what each
 * kind of step means for its values. The language's primitives ({@link Builtin}) are not
 * listed one by one: {@link #call} reads their blocks from the registry.
 *
 * @param <V> the value type of the backend
 */
public interface Backend<V> {
    /** The value of a leaf that is a constant of the program (numbers, eye, zeros, commutation). */
    V constant(Mat m);

    /** The value of variable {@code name}. */
    V variable(String name);

    V negate(V a);

    V transpose(V a);

    V plus(V a, V b);

    V minus(V a, V b);

    /** The matrix product, or scaling when either side is 1 x 1. */
    V times(V a, V b);

    /** Division by a 1 x 1 value. */
    V divide(V a, V b);

    /** Element-wise product; a 1 x 1 side scales. */
    V hadamard(V a, V b);

    /** Element-wise quotient; a 1 x 1 side broadcasts. */
    V hadamardDiv(V a, V b);

    /** {@code a .^ b} (also a scalar {@code a ^ b}); a 1 x 1 side broadcasts. */
    V elementPower(V a, V b);

    /** The matrix power {@code a ^ k} for an integer-valued 1 x 1 {@code k}. */
    V matrixPower(V a, V k, Expr at);

    /** A primitive of the language. */
    V call(Builtin fn, java.util.List<V> args);

    V map(ScalarFunction f, V a);

    /** A 1 x 1 value spread to rows x cols. */
    V fill(V c, int rows, int cols);

    // ---- structured products (Plan.Fused); by default as written, a backend may do better ----

    /** a' * b. */
    default V transposeTimes(V a, V b) {
        return times(transpose(a), b);
    }

    /** x' * x. */
    default V inner(V x) {
        return transposeTimes(x, x);
    }

    /** x' * diag(d) * x, for an m-vector d. */
    default V scaledInner(V x, V d) {
        return transposeTimes(x, scaleRows(d, x));
    }

    /** a * b'. */
    default V timesTranspose(V a, V b) {
        return times(a, transpose(b));
    }

    /** diag(v) * x for a vector v. */
    default V scaleRows(V v, V x) {
        return times(call(Builtin.DIAG, java.util.List.of(v)), x);
    }

    /** x * diag(v) for a vector v. */
    default V scaleColumns(V x, V v) {
        return times(x, call(Builtin.DIAG, java.util.List.of(v)));
    }

    /** fill(c, rows, k) * x for a 1 x 1 c and x with k rows. */
    default V fillTimes(V c, V x, int rows, int k) {
        return times(fill(c, rows, k), x);
    }

    /** x * fill(c, k, cols) for x with k columns and a 1 x 1 c. */
    default V timesFill(V x, V c, int k, int cols) {
        return times(x, fill(c, k, cols));
    }

    /** commutation(m, n) * x, x with m*n rows. */
    default V commuteRows(V x, int m, int n) {
        return times(constant(Kernels.commutation(m, n)), x);
    }

    /** kron(a, b) * x. */
    default V kronTimes(V a, V b, V x) {
        return times(call(Builtin.KRON, java.util.List.of(a, b)), x);
    }

    /** inv(a) * b. */
    default V solve(V a, V b) {
        return times(call(Builtin.INV, java.util.List.of(a)), b);
    }

    /**
     * Whether the plan checks this backend's values ({@link #checked}) for non-finite entries and
     * reports its kernels' argument errors at the step that raised them (dense evaluation does;
     * AD backends leave both to their callers).
     */
    default boolean checksValues() {
        return false;
    }

    /** The dense value to check, for a backend that {@link #checksValues}. */
    default Mat checked(V v) {
        return null;
    }

    /** Dense evaluation: every step is a kernel call. */
    static Backend<Mat> dense(java.util.Map<String, Mat> values) {
        return new DenseBackend(values);
    }
}
