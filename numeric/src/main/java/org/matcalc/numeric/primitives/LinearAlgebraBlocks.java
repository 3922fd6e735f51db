package org.matcalc.numeric.primitives;

import static org.matcalc.numeric.primitives.Primitive.unary;

import org.matcalc.expr.Builtin;
import org.matcalc.numeric.Kernels;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.MatDual;

/**
 * Linear algebra: det, logdet and inv (MIT 18.063 ch. 7; Matrix Cookbook eqs. 46, 51, 59), each
 * as one block of kernel, forward and reverse rule. The adjugate comes from the SVD
 * ({@link Kernels#adjugate}), so det differentiates exactly at a singular A, where
 * det(A)*inv(A) is 0 * Infinity; its own derivative (second order) needs a nonsingular A.
 */
final class LinearAlgebraBlocks {
    private LinearAlgebraBlocks() {
    }

    static void register() {
        Primitives.add(Builtin.DET, LinearAlgebraBlocks::det, LinearAlgebraBlocks::detJvp, unary(LinearAlgebraBlocks::detVjp));
        Primitives.add(Builtin.LOGDET, LinearAlgebraBlocks::logdet, LinearAlgebraBlocks::logdetJvp, unary(LinearAlgebraBlocks::logdetVjp));
        Primitives.add(Builtin.INV, LinearAlgebraBlocks::inv, LinearAlgebraBlocks::invJvp, unary(LinearAlgebraBlocks::invVjp));

        Primitives.code(Builtin.DET, Emitters.of("np.linalg.det({0})", "torch.linalg.det({0})"));
        // log|det|, as the kernel (LU pivots) computes it
        Primitives.code(Builtin.LOGDET, Emitters.of("np.linalg.slogdet({0})[1]", "torch.linalg.slogdet({0})[1]"));
        Primitives.code(Builtin.INV, Emitters.of("np.linalg.inv({0})", "torch.linalg.inv({0})"));
    }

    // ---- det(A): d = tr(adj(A)*dA), adjoint g*adj(A)' ----

    static Mat det(Mat[] x) {
        return Mat.scalar(Kernels.det(x[0]));
    }

    static MatDual detJvp(MatDual[] x) {
        MatDual a = x[0];
        double d = Kernels.det(a.value());
        return new MatDual(Mat.scalar(d), a.hasTangent() ? Mat.scalar(Kernels.adjugate(a.value()).times(a.tangent()).trace()) : null);
    }

    static MatDual detVjp(MatDual x, MatDual y, MatDual g) {
        return adjugate(x).transpose().scaleBy(g);
    }

    /** adj(A) with its tangent d adj(A) = det(A)*(tr(inv(A)*dA)*inv(A) - inv(A)*dA*inv(A)), for nonsingular A. */
    private static MatDual adjugate(MatDual a) {
        Mat adj = Kernels.adjugate(a.value());
        if (!a.hasTangent()) {
            return MatDual.constant(adj);
        }
        Mat inv = Kernels.inv(a.value());
        double d = Kernels.det(a.value());
        Mat dA = a.tangent();
        Mat t = inv.scale(inv.times(dA).trace()).minus(inv.times(dA).times(inv)).scale(d);
        return new MatDual(adj, t);
    }

    // ---- logdet(A) = log|det A|: d = tr(inv(A)*dA), adjoint g*inv(A)' ----

    static Mat logdet(Mat[] x) {
        return Mat.scalar(Kernels.logdet(x[0]));
    }

    static MatDual logdetJvp(MatDual[] x) {
        MatDual a = x[0];
        return new MatDual(Mat.scalar(Kernels.logdet(a.value())),
                a.hasTangent() ? Mat.scalar(Kernels.solve(a.value(), a.tangent()).trace()) : null);
    }

    static MatDual logdetVjp(MatDual x, MatDual y, MatDual g) {
        return Primitives.jvp(Builtin.INV, x).transpose().scaleBy(g);
    }

    // ---- inv(A): d = -inv(A)*dA*inv(A), adjoint -inv(A)'*G*inv(A)' ----

    static Mat inv(Mat[] x) {
        return Kernels.inv(x[0]);
    }

    static MatDual invJvp(MatDual[] x) {
        MatDual a = x[0];
        Mat y = Kernels.inv(a.value());
        return new MatDual(y, a.hasTangent() ? y.times(a.tangent()).times(y).negate() : null);
    }

    static MatDual invVjp(MatDual x, MatDual y, MatDual g) {
        return y.transposeTimes(g).timesTranspose(y).negate();
    }
}
