package org.matcalc.numeric;

import org.matcalc.expr.ScalarFunction;

import java.util.function.UnaryOperator;

import org.matcalc.numeric.Kernels;
import org.matcalc.numeric.Mat;

/**
 * A matrix with its tangent, X + dX*eps: forward-mode AD at matrix speed. Each operation
 * computes its value and its differential rule side by side (DESIGN.md's linearisation):
 * {@code d(A*B) = dA*B + A*dB}, {@code d(inv(X)) = -inv(X)*dX*inv(X)}, ...
 *
 * <p>A null tangent is the symbolic zero (JAX's {@code Zero}): constants carry none, and
 * rules skip the work for it. The reverse {@link Tape} stores MatDuals as node values and
 * adjoints, and writes its adjoint rules with these operations; run on tangent-carrying
 * values, a reverse sweep therefore yields Hessian-vector products (forward-over-reverse).
 * Immutable.
 */
public final class MatDual {
    private final Mat value;
    private final Mat tangent;

    public MatDual(Mat value, Mat tangent) {
        if (tangent != null && !tangent.sameShape(value)) {
            throw new IllegalArgumentException("the tangent dA must be shaped like A (" + value.shapeString() + "), got " + tangent.shapeString());
        }
        this.value = value;
        this.tangent = tangent;
    }

    public static MatDual constant(Mat value) {
        return new MatDual(value, null);
    }

    public static MatDual scalar(double v, double dv) {
        return new MatDual(Mat.scalar(v), dv == 0 ? null : Mat.scalar(dv));
    }

    public Mat value() {
        return value;
    }

    /** The tangent (a zero matrix when there is none). */
    public Mat tangent() {
        return tangent == null ? Mat.zeros(value.rows(), value.cols()) : tangent;
    }

    public boolean hasTangent() {
        return tangent != null;
    }

    public int rows() {
        return value.rows();
    }

    public int cols() {
        return value.cols();
    }

    public boolean isScalar() {
        return value.isScalar();
    }

    public String shapeString() {
        return value.shapeString();
    }

    // ---- linear operations: the same map on value and tangent ----

    /** Applies a linear map to value and tangent alike. */
    public MatDual linear(UnaryOperator<Mat> op) {
        return new MatDual(op.apply(value), tangent == null ? null : op.apply(tangent));
    }

    private static Mat add(Mat a, Mat b) {
        return a == null ? b : b == null ? a : a.plus(b);
    }

    public MatDual plus(MatDual b) {
        return new MatDual(value.plus(b.value), add(tangent, b.tangent));
    }

    public MatDual minus(MatDual b) {
        return new MatDual(value.minus(b.value), add(tangent, b.tangent == null ? null : b.tangent.negate()));
    }

    /** Adds c to every entry of the value; the tangent is unchanged. */
    public MatDual plusConstant(double c) {
        return new MatDual(value.map(x -> x + c), tangent);
    }

    public MatDual negate() {
        return linear(Mat::negate);
    }

    public MatDual scale(double c) {
        return linear(m -> m.scale(c));
    }

    public MatDual transpose() {
        return linear(Mat::transpose);
    }

    public MatDual sum() {
        return linear(m -> Mat.scalar(m.sum()));
    }

    public MatDual trace() {
        return linear(m -> Mat.scalar(m.trace()));
    }

    /** A 1 x 1 dual spread over a rows x cols matrix. */
    public MatDual broadcast(int rows, int cols) {
        requireScalar("broadcast");
        return linear(m -> Mat.fill(rows, cols, m.scalarValue()));
    }

    public MatDual slice(int r0, int r1, int c0, int c1) {
        return linear(m -> MatOps.slice(m, r0, r1, c0, c1));
    }

    public MatDual embed(int rows, int cols, int r0, int c0) {
        return linear(m -> MatOps.embed(m, rows, cols, r0, c0));
    }

    public MatDual hcat(MatDual b) {
        return new MatDual(MatOps.hcat(value, b.value),
                tangent == null && b.tangent == null ? null : MatOps.hcat(tangent(), b.tangent()));
    }

    public MatDual vcat(MatDual b) {
        return new MatDual(MatOps.vcat(value, b.value),
                tangent == null && b.tangent == null ? null : MatOps.vcat(tangent(), b.tangent()));
    }

    // ---- bilinear operations: d(a*b) = da*b + a*db ----

    public MatDual times(MatDual b) {
        return new MatDual(value.times(b.value),
                add(tangent == null ? null : tangent.times(b.value), b.tangent == null ? null : value.times(b.tangent)));
    }

    /** this * b' without forming the transpose. */
    public MatDual timesTranspose(MatDual b) {
        return new MatDual(value.timesTranspose(b.value),
                add(tangent == null ? null : tangent.timesTranspose(b.value),
                        b.tangent == null ? null : value.timesTranspose(b.tangent)));
    }

    /** this' * b without forming the transpose. */
    public MatDual transposeTimes(MatDual b) {
        return new MatDual(value.transposeTimes(b.value),
                add(tangent == null ? null : tangent.transposeTimes(b.value),
                        b.tangent == null ? null : value.transposeTimes(b.tangent)));
    }

    public MatDual hadamard(MatDual b) {
        return new MatDual(value.hadamard(b.value),
                add(tangent == null ? null : tangent.hadamard(b.value), b.tangent == null ? null : value.hadamard(b.tangent)));
    }

    /** this ./ b; d(a/b) = (da - (a/b) .* db) ./ b. */
    public MatDual hadamardDiv(MatDual b) {
        Mat q = value.hadamardDiv(b.value);
        Mat num = add(tangent, b.tangent == null ? null : q.hadamard(b.tangent).negate());
        return new MatDual(q, num == null ? null : num.hadamardDiv(b.value));
    }

    /** s * this for a 1 x 1 dual s. */
    public MatDual scaleBy(MatDual s) {
        s.requireScalar("scaleBy");
        double sv = s.value.scalarValue();
        return new MatDual(value.scale(sv),
                add(tangent == null ? null : tangent.scale(sv), s.tangent == null ? null : value.scale(s.tangent.scalarValue())));
    }

    /** Frobenius inner product sum(this .* b), as a 1 x 1 dual. */
    public MatDual dot(MatDual b) {
        double t = (tangent == null ? 0 : tangent.dot(b.value)) + (b.tangent == null ? 0 : value.dot(b.tangent));
        return new MatDual(Mat.scalar(value.dot(b.value)), tangent == null && b.tangent == null ? null : Mat.scalar(t));
    }

    /** op(this, b) for a bilinear map op: d op(a, b) = op(da, b) + op(a, db). */
    public MatDual bilinear(MatDual b, java.util.function.BinaryOperator<Mat> op) {
        return new MatDual(op.apply(value, b.value),
                add(tangent == null ? null : op.apply(tangent, b.value), b.tangent == null ? null : op.apply(value, b.tangent)));
    }

    // ---- element-wise functions: d f(X) = f'(X) .* dX ----

    public MatDual map(ScalarFunction f) {
        return new MatDual(value.map(f::apply), tangent == null ? null : tangent.hadamard(value.map(f::derivative)));
    }

    /** f'(this) as a dual: (f'(X), f''(X) .* dX). What a reverse rule for f multiplies by. */
    /**
     * g .* f'(this), the reverse rule of an element-wise f, given y = f(this): one pass over
     * memory, with f' read off y where that is cheaper (tanh' = 1 - y^2). With tangents (a
     * forward-over-reverse sweep), g .* mapDerivative(f).
     */
    public MatDual timesDerivative(MatDual g, MatDual y, ScalarFunction f) {
        if (tangent != null || g.tangent != null) {
            return g.hadamard(mapDerivative(f));
        }
        return new MatDual(Mat.derivativeTimes(g.value, value, y.value, f), null);
    }

    public MatDual mapDerivative(ScalarFunction f) {
        return new MatDual(value.map(f::derivative),
                tangent == null ? null : tangent.hadamard(value.map(x -> ScalarRules.secondDerivative(f, x))));
    }

    /** this .^ p for a constant p. */
    public MatDual pow(double p) {
        return new MatDual(value.map(x -> Math.pow(x, p)),
                tangent == null ? null : tangent.hadamard(value.map(x -> p == 0 ? 0 : p * Math.pow(x, p - 1))));
    }

    /** p * this .^ (p-1) as a dual. */
    public MatDual powDerivative(double p) {
        return new MatDual(value.map(x -> p == 0 ? 0 : p * Math.pow(x, p - 1)),
                tangent == null ? null : tangent.hadamard(value.map(x -> p == 0 || p == 1 ? 0 : p * (p - 1) * Math.pow(x, p - 2))));
    }

    // ---- solve and Cholesky (tape operations; the language's primitives are in numeric.primitives) ----

    /** this \ b; d(A\B) = A \ (dB - dA * (A\B)). */
    public MatDual solve(MatDual b) {
        Mat x = Kernels.solve(value, b.value);
        Mat rhs = add(b.tangent, tangent == null ? null : tangent.times(x).negate());
        return new MatDual(x, rhs == null ? null : Kernels.solve(value, rhs));
    }

    /** Lower L with X = L L'; dL = L Phi(L^-1 dX L^-T) (Murray 2016, eq. 8). */
    public MatDual cholesky() {
        Mat l = Kernels.cholesky(value);
        if (tangent == null) {
            return new MatDual(l, null);
        }
        Mat inner = Kernels.solve(l, Kernels.solve(l, tangent).transpose()).transpose();
        return new MatDual(l, l.times(MatOps.lowerHalfDiag(inner)));
    }

    private void requireScalar(String op) {
        if (!value.isScalar()) {
            throw new IllegalArgumentException(op + ": required a 1x1 value, got " + value.shapeString());
        }
    }

    @Override
    public String toString() {
        return value + " + " + (tangent == null ? "0" : tangent.toString()) + "ε";
    }
}
