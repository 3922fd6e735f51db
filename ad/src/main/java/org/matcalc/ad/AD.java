package org.matcalc.ad;

import org.matcalc.numeric.Mat;
import org.matcalc.numeric.Dual;

/**
 * The derivative API people know from JAX and PyTorch, over matcalc's types. Functions are
 * ordinary Java lambdas over {@link Node} (matrix programs: loops and branches simply run)
 * or {@link ScalarProgram}s over any {@link Num}.
 *
 * <pre>{@code
 * Mat g = AD.gradient(x -> x.norm2().pow(-1), Mat.column(1, 2, 3));
 * AD.Jacobian j = AD.jacobian(x -> x.apply(ScalarFunction.TANH), Mat.column(1, 2));
 * j.mode();   // FORWARD or REVERSE, chosen by shape
 * Mat hv = AD.hvp(x -> x.norm2().pow(-1), x, v);   // forward-over-reverse, H never formed
 * }</pre>
 *
 * Conventions (those of CONTRACT.md): gradients are shaped like the variable; Jacobians and
 * Hessians index vec(X), stacked column by column (column-major), rows = outputs.
 */
public final class AD {
    private AD() {
    }

    /** Which sweep computed a Jacobian. */
    public enum Mode {
        /** One forward (jvp) pass per input entry: cheaper when inputs are fewer than outputs. */
        FORWARD,
        /** One reverse (vjp) pass per output entry: cheaper when outputs are fewer. */
        REVERSE
    }

    /** A Jacobian d vec(f) / d vec(x) and the mode that computed it. */
    public record Jacobian(Mat matrix, Mode mode) {
    }

    /** f(x) and J*v. */
    public record Jvp(Mat value, Mat tangent) {
    }

    /** f(x) and w'*J, shaped like x. */
    public record Vjp(Mat value, Mat cotangent) {
    }

    /** f(x) and its gradient, shaped like x. */
    public record ValueAndGradient(double value, Mat gradient) {
    }

    /** A matrix program of one matrix argument. */
    @FunctionalInterface
    public interface MatFunction {
        /** The program applied to x, a node of the tape. */
        Node apply(Node x);
    }

    /** A matrix program of several matrix arguments. */
    @FunctionalInterface
    public interface MultiFunction {
        /** The program applied to xs, nodes of one tape. */
        Node apply(Node[] xs);
    }

    /** A scalar program over dual numbers. */
    @FunctionalInterface
    public interface DualFunction {
        /** The program applied to x, a dual number. */
        Dual apply(Dual x);
    }

    // ---- forward mode on scalars ----

    /** f'(x) by one dual-number pass. */
    public static double derivative(DualFunction f, double x) {
        return f.apply(Dual.variable(x)).derivative();
    }

    /** f''(x) of a one-input program, by nested duals (forward-over-forward). */
    public static double secondDerivative(ScalarProgram f, double x) {
        @SuppressWarnings("unchecked")
        NDual<Dual>[] xs = (NDual<Dual>[]) new NDual<?>[] {new NDual<>(Dual.variable(x), new Dual(1, 0))};
        return f.apply(xs).derivative().derivative();
    }

    /** The gradient by one multi-direction forward pass (value + gradient vector). */
    public static double[] gradientForward(ScalarProgram f, double[] x) {
        int n = x.length;
        DualVec[] xs = new DualVec[n];
        for (int k = 0; k < n; k++) {
            xs[k] = DualVec.variable(x[k], k, n);
        }
        return f.apply(xs).gradient();
    }

    /**
     * The Hessian by nested forward mode: run k seeds e_k on the outer level and the whole
     * gradient on the inner level, giving row k. n passes of O(n) work per operation.
     */
    public static Mat hessianForward(ScalarProgram f, double[] x) {
        int n = x.length;
        double[][] h = new double[n][];
        for (int k = 0; k < n; k++) {
            @SuppressWarnings("unchecked")
            NDual<DualVec>[] xs = (NDual<DualVec>[]) new NDual<?>[n];
            for (int i = 0; i < n; i++) {
                DualVec v = DualVec.variable(x[i], i, n);
                xs[i] = new NDual<>(v, v.constant(i == k ? 1 : 0));
            }
            h[k] = f.apply(xs).derivative().gradient();
        }
        return Mat.of(h);
    }

    // ---- reverse mode ----

    /** The gradient of a scalar program by one reverse sweep over a flat scalar tape ({@link ScalarTape}). */
    public static double[] gradient(ScalarProgram f, double[] x) {
        ScalarTape tape = new ScalarTape();
        ScalarTape.Var[] xs = tape.variables(x);
        ScalarTape.Var y = f.apply(xs);
        return ScalarTape.gradient(xs, tape.backward(new ScalarTape.Var[] {y}, new double[] {1}));
    }

    /**
     * The Hessian of a scalar program, a column per sweep: the program runs on nested duals
     * over a flat scalar tape ({@link ScalarTape}), carrying direction e_j forward, and the
     * reverse sweep of that directional derivative gives H*e_j (reverse-over-forward).
     */
    public static Mat hessian(ScalarProgram f, double[] x) {
        int n = x.length;
        double[][] h = new double[n][n];
        for (int j = 0; j < n; j++) {
            ScalarTape tape = new ScalarTape();
            ScalarTape.Var[] xs = tape.variables(x);
            @SuppressWarnings("unchecked")
            NDual<ScalarTape.Var>[] in = new NDual[n];
            for (int k = 0; k < n; k++) {
                in[k] = new NDual<>(xs[k], tape.constant(k == j ? 1 : 0));
            }
            ScalarTape.Var dfj = f.apply(in).derivative();
            double[] column = ScalarTape.gradient(xs, tape.backward(new ScalarTape.Var[] {dfj}, new double[] {1}));
            for (int i = 0; i < n; i++) {
                h[i][j] = column[i];
            }
        }
        return Mat.of(h);
    }

    /** The gradient of a scalar-valued matrix program, shaped like x. */
    public static Mat gradient(MatFunction f, Mat x) {
        return valueAndGradient(f, x).gradient();
    }

    /** f(x) and its gradient by one reverse sweep: f must be scalar. */
    public static ValueAndGradient valueAndGradient(MatFunction f, Mat x) {
        Tape tape = new Tape();
        Node xv = tape.variable(x);
        Node out = requireScalar(f.apply(xv));
        tape.backward(out);
        return new ValueAndGradient(out.real(), xv.grad());
    }

    /** Gradients by each argument of a scalar-valued program of several matrices. */
    public static Mat[] gradient(MultiFunction f, Mat... xs) {
        Tape tape = new Tape();
        Node[] vs = new Node[xs.length];
        for (int k = 0; k < xs.length; k++) {
            vs[k] = tape.variable(xs[k]);
        }
        tape.backward(requireScalar(f.apply(vs)));
        Mat[] g = new Mat[xs.length];
        for (int k = 0; k < xs.length; k++) {
            g[k] = vs[k].grad();
        }
        return g;
    }

    /** f(x) and the directional derivative J*v, by one forward pass of matrix duals (nothing recorded). */
    public static Jvp jvp(MatFunction f, Mat x, Mat v) {
        Tape tape = Tape.forwardOnly();
        Node out = f.apply(tape.variable(x, requireShape("jvp direction", v, x)));
        return new Jvp(out.value(), out.tangent());
    }

    /** f(x) and w'*J (shaped like x), by one reverse sweep seeded with w (shaped like f(x)). */
    public static Vjp vjp(MatFunction f, Mat x, Mat w) {
        Tape tape = new Tape();
        Node xv = tape.variable(x);
        Node out = f.apply(xv);
        tape.backward(out, w);
        return new Vjp(out.value(), xv.grad());
    }

    /**
     * The Jacobian d vec(f) / d vec(x), by forward mode when x has no more entries than f(x),
     * else by reverse mode; {@link Jacobian#mode()} says which.
     */
    public static Jacobian jacobian(MatFunction f, Mat x) {
        int m = f.apply(Tape.forwardOnly().constant(x)).value().size();
        return jacobian(f, x, x.size() <= m ? Mode.FORWARD : Mode.REVERSE);
    }

    /** The Jacobian of vec(f) by vec(x) in the given mode (forward: one sweep per input, reverse: one per output). */
    public static Jacobian jacobian(MatFunction f, Mat x, Mode mode) {
        int n = x.size();
        if (mode == Mode.FORWARD) {
            double[][] cols = new double[n][];
            int m = 0;
            for (int j = 0; j < n; j++) {
                Mat t = jvp(f, x, unitVec(j, x.rows(), x.cols())).tangent();
                cols[j] = t.vec().toRowMajor();
                m = cols[j].length;
            }
            double[][] jac = new double[m][n];
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < m; i++) {
                    jac[i][j] = cols[j][i];
                }
            }
            return new Jacobian(matrixOf(jac, m, n), mode);
        }
        Tape tape = new Tape();
        Node xv = tape.variable(x);
        Node out = f.apply(xv);
        int m = out.value().size();
        double[][] jac = new double[m][];
        for (int i = 0; i < m; i++) {
            tape.backward(out, unitVec(i, out.rows(), out.cols()));
            jac[i] = xv.grad().vec().toRowMajor();
        }
        return new Jacobian(matrixOf(jac, m, n), mode);
    }

    /**
     * H*v for a scalar-valued f, by forward-over-reverse: x carries tangent v, the reverse
     * sweep runs in dual arithmetic, and the gradient's tangent is H*v. Never forms H; costs
     * a small multiple of one gradient.
     */
    public static Mat hvp(MatFunction f, Mat x, Mat v) {
        Tape tape = new Tape();
        Node xv = tape.variable(x, requireShape("hvp direction", v, x));
        tape.backward(requireScalar(f.apply(xv)));
        return xv.gradTangent();
    }

    /** The Hessian over vec(x) (column-major), one {@link #hvp} per column. */
    public static Mat hessian(MatFunction f, Mat x) {
        int n = x.size();
        double[][] h = new double[n][];
        for (int j = 0; j < n; j++) {
            h[j] = hvp(f, x, unitVec(j, x.rows(), x.cols())).vec().toRowMajor();
        }
        // h[j] is column j; H is symmetric up to rounding, but return exactly what was computed
        double[][] t = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                t[i][j] = h[j][i];
            }
        }
        return matrixOf(t, n, n);
    }

    /** The matrix of shape rows x cols whose vec has a 1 at index k. */
    static Mat unitVec(int k, int rows, int cols) {
        double[] e = new double[rows * cols];
        e[k] = 1;
        return Mat.unvec(Mat.column(e), rows, cols);
    }

    private static Mat matrixOf(double[][] a, int rows, int cols) {
        return rows == 0 ? Mat.zeros(0, cols) : Mat.of(a);
    }

    private static Node requireScalar(Node out) {
        if (!out.isScalar()) {
            throw new IllegalArgumentException("required a 1x1 (scalar) output, got " + out.value().shapeString());
        }
        return out;
    }

    private static Mat requireShape(String what, Mat v, Mat x) {
        if (!v.sameShape(x)) {
            throw new IllegalArgumentException(what + ": required " + x.shapeString() + ", got " + v.shapeString());
        }
        return v;
    }
}
