package org.matcalc.numeric.primitives;

import static org.matcalc.numeric.primitives.Primitive.unary;

import org.matcalc.expr.Builtin;
import org.matcalc.expr.ScalarFunction;
import org.matcalc.numeric.Kernels;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.MatDual;

/**
 * The norms, reductions of element-wise maps (the element-wise functions themselves are rows
 * of {@link ScalarFunction}'s table), each as one block of kernel, forward and reverse rule.
 */
final class ElementwiseBlocks {
    private ElementwiseBlocks() {
    }

    static void register() {
        Primitives.add(Builtin.NORM1, ElementwiseBlocks::norm1, ElementwiseBlocks::norm1Jvp, unary(ElementwiseBlocks::norm1Vjp));
        Primitives.add(Builtin.NORM2, ElementwiseBlocks::norm2, ElementwiseBlocks::norm2Jvp, unary(ElementwiseBlocks::norm2Vjp));
    }

    // ---- norm1(A) = sum(abs(A)): d = sum(sign(A) .* dA), adjoint g*sign(A) ----

    static Mat norm1(Mat[] x) {
        return Mat.scalar(Kernels.norm1(x[0]));
    }

    static MatDual norm1Jvp(MatDual[] x) {
        return x[0].map(ScalarFunction.ABS).sum();
    }

    static MatDual norm1Vjp(MatDual x, MatDual y, MatDual g) {
        return x.mapDerivative(ScalarFunction.ABS).scaleBy(g);
    }

    // ---- norm2(A): d = sum(A .* dA)/norm2(A), adjoint (g/norm2(A))*A; undefined at A = 0 ----

    static Mat norm2(Mat[] x) {
        return Mat.scalar(Kernels.norm2(x[0]));
    }

    static MatDual norm2Jvp(MatDual[] x) {
        MatDual a = x[0];
        double n = Kernels.norm2(a.value());
        return new MatDual(Mat.scalar(n), a.hasTangent() ? Mat.scalar(a.value().dot(a.tangent()) / n) : null);
    }

    static MatDual norm2Vjp(MatDual x, MatDual y, MatDual g) {
        return x.scaleBy(g.hadamardDiv(y));
    }
}
