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

        Primitives.code(Builtin.NORM1, Emitters.of("np.sum(np.abs({0}))", "torch.sum(torch.abs({0}))"));
        Primitives.code(Builtin.NORM2, Emitters.of("np.sqrt(np.sum({0} * {0}))", "torch.sqrt(torch.sum({0} * {0}))"));

        // the element-wise functions of ScalarFunction's table
        code(ScalarFunction.SIN, "np.sin", "torch.sin");
        code(ScalarFunction.COS, "np.cos", "torch.cos");
        code(ScalarFunction.TAN, "np.tan", "torch.tan");
        code(ScalarFunction.ARCSIN, "np.arcsin", "torch.asin");
        code(ScalarFunction.ARCCOS, "np.arccos", "torch.acos");
        code(ScalarFunction.ARCTAN, "np.arctan", "torch.atan");
        code(ScalarFunction.SINH, "np.sinh", "torch.sinh");
        code(ScalarFunction.COSH, "np.cosh", "torch.cosh");
        code(ScalarFunction.TANH, "np.tanh", "torch.tanh");
        code(ScalarFunction.EXP, "np.exp", "torch.exp");
        code(ScalarFunction.LOG, "np.log", "torch.log");
        code(ScalarFunction.SQRT, "np.sqrt", "torch.sqrt");
        code(ScalarFunction.ABS, "np.abs", "torch.abs");
        code(ScalarFunction.SIGN, "np.sign", "torch.sign");
        Primitives.code(ScalarFunction.RELU, Emitters.of("np.maximum({0}, 0.0)", "torch.relu({0})"));
        // 1/(1 + e^-|z|) or e^-|z|/(1 + e^-|z|): no overflow at either end
        Primitives.code(ScalarFunction.SIGMOID, new Emitters(Emitters.Emitter.helper("_sigmoid", """
                def _sigmoid(z):
                    e = np.exp(-np.abs(z))
                    return np.where(z >= 0, 1.0, e) / (1.0 + e)
                """, "_sigmoid({0})"), Emitters.Emitter.of("torch.sigmoid({0})")));
        // log(1 + e^z) without overflow (torch's softplus switches to z above 20, off by 2e-9)
        Primitives.code(ScalarFunction.SOFTPLUS, Emitters.of("np.logaddexp(0.0, {0})", "torch.logaddexp({0}, torch.zeros_like({0}))"));
    }

    private static void code(ScalarFunction f, String numpy, String torch) {
        Primitives.code(f, Emitters.of(numpy + "({0})", torch + "({0})"));
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
