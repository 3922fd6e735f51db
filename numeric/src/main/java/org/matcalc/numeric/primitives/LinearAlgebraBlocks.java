package org.matcalc.numeric.primitives;

import static org.matcalc.numeric.primitives.Primitive.unary;

import org.matcalc.expr.Builtin;
import org.matcalc.numeric.Kernels;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.MatDual;

/**
 * Linear algebra: det, logdet and inv (MIT 18.063 ch. 7; Matrix Cookbook eqs. 46, 51, 59).
 * <pre>
 *   d det(A)    = tr(adj(A)*dA)       adjoint g*adj(A)'
 *   d logdet(A) = tr(inv(A)*dA)       adjoint g*inv(A)'      (log|det A|)
 *   d inv(A)    = -inv(A)*dA*inv(A)   adjoint -inv(A)'*G*inv(A)'
 * </pre>
 * The adjugate comes from the SVD ({@link Kernels#adjugate}), so det differentiates exactly at a
 * singular A, where det(A)*inv(A) is 0 * Infinity; its own derivative (second order) needs a
 * nonsingular A.
 */
final class LinearAlgebraBlocks {
    private LinearAlgebraBlocks() {
    }

    static void register() {
        Primitives.add(Builtin.DET, x -> Mat.scalar(Kernels.det(x[0])), LinearAlgebraBlocks::det,
                unary((x, y, g) -> adjugate(x).transpose().scaleBy(g)));
        Primitives.add(Builtin.LOGDET, x -> Mat.scalar(Kernels.logdet(x[0])), LinearAlgebraBlocks::logdet,
                unary((x, y, g) -> Primitives.jvp(Builtin.INV, x).transpose().scaleBy(g)));
        Primitives.add(Builtin.INV, x -> Kernels.inv(x[0]), LinearAlgebraBlocks::inv,
                unary((x, y, g) -> y.transposeTimes(g).timesTranspose(y).negate()));
    }

    private static MatDual det(MatDual[] x) {
        MatDual a = x[0];
        double d = Kernels.det(a.value());
        return new MatDual(Mat.scalar(d), a.hasTangent() ? Mat.scalar(Kernels.adjugate(a.value()).times(a.tangent()).trace()) : null);
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

    private static MatDual logdet(MatDual[] x) {
        MatDual a = x[0];
        return new MatDual(Mat.scalar(Kernels.logdet(a.value())),
                a.hasTangent() ? Mat.scalar(Kernels.solve(a.value(), a.tangent()).trace()) : null);
    }

    private static MatDual inv(MatDual[] x) {
        MatDual a = x[0];
        Mat y = Kernels.inv(a.value());
        return new MatDual(y, a.hasTangent() ? y.times(a.tangent()).times(y).negate() : null);
    }
}
