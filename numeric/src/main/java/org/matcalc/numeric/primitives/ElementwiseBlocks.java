package org.matcalc.numeric.primitives;

import static org.matcalc.numeric.primitives.Primitive.unary;

import org.matcalc.expr.Builtin;
import org.matcalc.expr.ScalarFunction;
import org.matcalc.numeric.Kernels;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.MatDual;

/**
 * The norms, reductions of element-wise maps (the element-wise functions themselves are rows
 * of {@link ScalarFunction}'s table).
 * <pre>
 *   norm1(A) = sum(abs(A)):  d = sum(sign(A) .* dA),  adjoint g*sign(A)
 *   norm2(A):                d = sum(A .* dA)/norm2(A), adjoint (g/norm2(A))*A; undefined at A = 0
 * </pre>
 */
final class ElementwiseBlocks {
    private ElementwiseBlocks() {
    }

    static void register() {
        Primitives.add(Builtin.NORM1, x -> Mat.scalar(Kernels.norm1(x[0])), x -> x[0].map(ScalarFunction.ABS).sum(),
                unary((x, y, g) -> x.mapDerivative(ScalarFunction.ABS).scaleBy(g)));
        Primitives.add(Builtin.NORM2, x -> Mat.scalar(Kernels.norm2(x[0])), ElementwiseBlocks::norm2,
                unary((x, y, g) -> x.scaleBy(g.hadamardDiv(y))));
    }

    private static MatDual norm2(MatDual[] x) {
        MatDual a = x[0];
        double n = Kernels.norm2(a.value());
        return new MatDual(Mat.scalar(n), a.hasTangent() ? Mat.scalar(a.value().dot(a.tangent()) / n) : null);
    }
}
