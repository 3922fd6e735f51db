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

        Primitives.add(Builtin.MAX, x -> Mat.scalar(Kernels.extreme(x[0], true)), x -> extremeJvp(x[0], true), unary((x, y, g) -> extremeVjp(x, g, true)));
        Primitives.add(Builtin.MIN, x -> Mat.scalar(Kernels.extreme(x[0], false)), x -> extremeJvp(x[0], false), unary((x, y, g) -> extremeVjp(x, g, false)));
        Primitives.add(Builtin.MAXIMUM, x -> pairwise(x[0], x[1], true), x -> pairwiseJvp(x, true), (x, y, g, n) -> pairwiseVjp(x, g, n, true));
        Primitives.add(Builtin.MINIMUM, x -> pairwise(x[0], x[1], false), x -> pairwiseJvp(x, false), (x, y, g, n) -> pairwiseVjp(x, g, n, false));

        Primitives.add(Builtin.ISMAX, x -> Kernels.extremeWeights(x[0], true), x -> MatDual.constant(Kernels.extremeWeights(x[0].value(), true)),
                unary((x, y, g) -> MatDual.constant(Mat.zeros(x.rows(), x.cols()))));
        Primitives.add(Builtin.ISMIN, x -> Kernels.extremeWeights(x[0], false), x -> MatDual.constant(Kernels.extremeWeights(x[0].value(), false)),
                unary((x, y, g) -> MatDual.constant(Mat.zeros(x.rows(), x.cols()))));

        Primitives.code(Builtin.ISMAX, weights("_ismax", "max"));
        Primitives.code(Builtin.ISMIN, weights("_ismin", "min"));
        Primitives.code(Builtin.MAX, Emitters.of("np.max({0})", "torch.max({0})"));
        Primitives.code(Builtin.MIN, Emitters.of("np.min({0})", "torch.min({0})"));
        Primitives.code(Builtin.MAXIMUM, Emitters.of("np.maximum({0}, {1})", "torch.maximum({0}, {1})"));
        Primitives.code(Builtin.MINIMUM, Emitters.of("np.minimum({0}, {1})", "torch.minimum({0}, {1})"));
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
        Primitives.code(ScalarFunction.STEP, Emitters.of("np.heaviside({0}, 0.5)",
                "(torch.sign(torch.as_tensor({0}, dtype=torch.float64, device=dev)) + 1) / 2"));
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

    /** ismax/ismin in Python: 1/k at the k entries tied with the extreme ({@code fn} max or min), as Kernels.extremeWeights. */
    private static Emitters weights(String name, String fn) {
        return new Emitters(Emitters.Emitter.helper(name, """
                def NAME(a):
                    w = (np.abs(a - np.FN(a)) <= 1e-12 * max(1.0, np.max(np.abs(a)))) * 1.0
                    return w / np.sum(w)
                """.replace("NAME", name).replace("FN", fn), name + "({0})"), Emitters.Emitter.helper(name, """
                def NAME(a):
                    w = (torch.abs(a - torch.FN(a)) <= 1e-12 * max(1.0, float(torch.max(torch.abs(a))))).to(a.dtype)
                    return w / torch.sum(w)
                """.replace("NAME", name).replace("FN", fn), name + "({0})"));
    }

    private static void code(ScalarFunction f, String numpy, String torch) {
        Primitives.code(f, Emitters.of(numpy + "({0})", torch + "({0})"));
    }

    // ---- max(A), min(A): d = sum(W .* dA), W = 1/k at the k entries equal to the extreme (ties share) ----

    static MatDual extremeJvp(MatDual x, boolean max) {
        Mat y = Mat.scalar(Kernels.extreme(x.value(), max));
        return new MatDual(y, x.hasTangent() ? Mat.scalar(Kernels.extremeWeights(x.value(), max).dot(x.tangent())) : null);
    }

    static MatDual extremeVjp(MatDual x, MatDual g, boolean max) {
        return MatDual.constant(Kernels.extremeWeights(x.value(), max)).scaleBy(g);
    }

    // ---- max(A, B), min(A, B): d = W .* dA + (1 - W) .* dB, W = step(A - B) (1/2 at a tie) ----

    /** The operands at one shape: a scalar operand is spread over the other's shape. */
    private static Mat[] alike(Mat a, Mat b) {
        if (a.isScalar() && !b.isScalar()) {
            a = Mat.fill(b.rows(), b.cols(), a.scalarValue());
        } else if (b.isScalar() && !a.isScalar()) {
            b = Mat.fill(a.rows(), a.cols(), b.scalarValue());
        }
        return new Mat[] {a, b};
    }

    static Mat pairwise(Mat a, Mat b, boolean max) {
        Mat[] x = alike(a, b);
        return x[0].zip(x[1], max ? Math::max : Math::min);
    }

    /** step(A - B) for max, step(B - A) for min: the share of A in the derivative. */
    private static Mat share(Mat a, Mat b, boolean max) {
        Mat[] x = alike(a, b);
        return x[0].zip(x[1], (u, v) -> u == v ? 0.5 : (u > v) == max ? 1 : 0);
    }

    static MatDual pairwiseJvp(MatDual[] x, boolean max) {
        Mat a = x[0].value(), b = x[1].value();
        Mat y = pairwise(a, b, max);
        if (!x[0].hasTangent() && !x[1].hasTangent()) {
            return MatDual.constant(y);
        }
        Mat w = share(a, b, max);
        Mat t = Mat.zeros(y.rows(), y.cols());
        if (x[0].hasTangent()) {
            t = t.plus(w.hadamard(alike(x[0].tangent(), w)[0]));
        }
        if (x[1].hasTangent()) {
            t = t.plus(w.map(v -> 1 - v).hadamard(alike(x[1].tangent(), w)[0]));
        }
        return new MatDual(y, t);
    }

    static MatDual[] pairwiseVjp(MatDual[] x, MatDual g, boolean[] needs, boolean max) {
        Mat w = share(x[0].value(), x[1].value(), max);
        MatDual ga = g.hadamard(MatDual.constant(w)), gb = g.hadamard(MatDual.constant(w.map(v -> 1 - v)));
        // a scalar operand spread over the shape collects the sum of its adjoint
        return new MatDual[] {needs[0] ? (x[0].isScalar() && !ga.isScalar() ? ga.sum() : ga) : null,
                needs[1] ? (x[1].isScalar() && !gb.isScalar() ? gb.sum() : gb) : null};
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
