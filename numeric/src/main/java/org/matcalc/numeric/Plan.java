package org.matcalc.numeric;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.matcalc.expr.BinaryOp;
import org.matcalc.expr.Decl;
import org.matcalc.expr.Expr;
import org.matcalc.expr.Limits;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.MatcalcException.Kind;
import org.matcalc.expr.Shape;
import org.matcalc.expr.Size;
import org.matcalc.expr.SourceMap;
import org.matcalc.expr.TextPrinter;
import org.matcalc.expr.TreeDepth;
import org.matcalc.expr.Typing;

/**
 * An expression compiled for concrete sizes: its distinct subexpressions in evaluation order
 * (equal subtrees are computed once, since {@link Expr} equality is structural), each with its
 * resolved shape. Running it checks every value for non-finite entries and names the
 * subexpression that produced them.
 */
public final class Plan {
    private final Typing typing;
    private final SourceMap spans;
    private final List<Expr> steps = new ArrayList<>();
    /** Steps by value and shape: equal context-sized leaves (eye, vector(1)) may differ in size. */
    private final Map<Key, Integer> index = new HashMap<>();
    private final List<int[]> shapes = new ArrayList<>();

    private final Map<String, Integer> givenSizes;

    private Plan(Typing typing, SourceMap spans, Map<String, Integer> givenSizes) {
        this.typing = typing;
        this.spans = spans;
        this.givenSizes = givenSizes;
    }

    static Plan of(Typing typing, SourceMap spans, Map<String, Integer> sizes) {
        Plan p = new Plan(typing, spans, sizes);
        p.add(typing.root());
        return p;
    }

    /** The shape of the result. */
    public int[] shape() {
        return shapes.get(shapes.size() - 1).clone();
    }

    /** How many distinct subexpressions are computed. */
    public int size() {
        return steps.size();
    }

    private record Key(Expr expr, int rows, int cols) {
    }

    private Key key(Expr e) {
        Shape s = typing.shapeOf(e);
        return new Key(e, concrete(s.rows(), e), concrete(s.cols(), e));
    }

    private int add(Expr e) {
        Key k = key(e);
        Integer known = index.get(k);
        if (known != null) {
            return known;
        }
        for (Expr child : TreeDepth.children(e)) {
            add(child);
        }
        int rows = k.rows(), cols = k.cols();
        if ((long) rows * cols > Limits.MAX_ENTRIES) {
            throw new MatcalcException(Kind.LIMIT, spans.spanOf(e), TextPrinter.print(e) + " would have " + rows + "x" + cols
                    + " entries; the limit is " + Limits.MAX_ENTRIES);
        }
        steps.add(e);
        shapes.add(new int[] {rows, cols});
        index.put(k, steps.size() - 1);
        return steps.size() - 1;
    }

    private int concrete(Size s, Expr at) {
        if (s instanceof Size.Fixed f) {
            return f.value();
        }
        String what = s instanceof Size.Sym sym ? "size " + sym.name() + " has no value; give it (e.g. \"" + sym.name() + "\": 3)"
                : "cannot tell the size of " + TextPrinter.print(at) + " from its context; write it with explicit sizes (e.g. eye(n), vector(1, n))";
        throw new MatcalcException(Kind.REQUEST, spans.spanOf(at), what);
    }

    /** Evaluates on {@code values}, which must have the shapes the plan was compiled for. */
    public Mat run(Map<String, Mat> values) {
        for (Map.Entry<String, Shape> v : typing.variables().entrySet()) {
            Mat m = values.get(v.getKey());
            if (m == null) {
                throw new MatcalcException(Kind.REQUEST, "no value for " + v.getKey() + " (" + v.getValue().describe() + ")");
            }
            checkProperties(v.getKey(), typing.declOf(v.getKey()), m);
        }
        Mat[] out = new Mat[steps.size()];
        for (int i = 0; i < steps.size(); i++) {
            Limits.checkInterrupted();
            Expr e = steps.get(i);
            Mat r;
            try {
                r = compute(e, out, values);
            } catch (IllegalArgumentException | ArithmeticException ex) {
                throw new MatcalcException(Kind.EVALUATION, spans.spanOf(e), "cannot evaluate " + brief(e) + ": " + ex.getMessage());
            }
            for (int k = 0; k < r.size(); k++) {
                if (!Double.isFinite(r.at(k))) {
                    throw new MatcalcException(Kind.EVALUATION, spans.spanOf(e), "the value of " + brief(e)
                            + " is not finite (" + r.at(k) + "); check that the inputs are in its domain");
                }
            }
            out[i] = r;
        }
        return out[out.length - 1];
    }

    private static String brief(Expr e) {
        String s = TextPrinter.print(e);
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    private Mat arg(Expr e, Mat[] out) {
        return out[index.get(key(e))];
    }

    private Mat compute(Expr e, Mat[] out, Map<String, Mat> values) {
        int[] shape = shapes.get(index.get(key(e)));
        return e.accept(new Expr.Visitor<Mat>() {
            public Mat num(Expr.Num n) {
                return Mat.scalar(n.value());
            }

            public Mat var(Expr.Var v) {
                return values.get(v.name());
            }

            public Mat neg(Expr.Neg n) {
                return arg(n.arg(), out).negate();
            }

            public Mat transpose(Expr.Transpose t) {
                return arg(t.arg(), out).transpose();
            }

            public Mat binary(Expr.Binary b) {
                Mat l = arg(b.left(), out), r = arg(b.right(), out);
                switch (b.op()) {
                    case ADD:
                        return l.plus(r);
                    case SUB:
                        return l.minus(r);
                    case MUL:
                        if (l.isScalar()) {
                            return r.scale(l.scalarValue());
                        }
                        return r.isScalar() ? l.scale(r.scalarValue()) : l.times(r);
                    case DIV:
                        return l.scale(1 / r.scalarValue());
                    case HADAMARD:
                        if (l.isScalar() && !r.isScalar()) {
                            return r.scale(l.scalarValue());
                        }
                        return r.isScalar() ? l.scale(r.scalarValue()) : l.hadamard(r);
                    case HADAMARD_DIV:
                        if (l.isScalar() && !r.isScalar()) {
                            double s = l.scalarValue();
                            return r.map(v -> s / v);
                        }
                        if (r.isScalar()) {
                            double s = r.scalarValue();
                            return l.map(v -> v / s);
                        }
                        return l.hadamardDiv(r);
                    case POW:
                        if (l.isScalar() && shape[0] == 1 && shape[1] == 1 && !isMatrixPower(b)) {
                            return Mat.scalar(Math.pow(l.scalarValue(), r.scalarValue()));
                        }
                        return Kernels.power(l, (int) r.scalarValue());
                    case ELEM_POW:
                        if (r.isScalar()) {
                            double p = r.scalarValue();
                            return l.map(v -> Math.pow(v, p));
                        }
                        if (l.isScalar()) {
                            double base = l.scalarValue();
                            return r.map(v -> Math.pow(base, v));
                        }
                        return l.zip(r, Math::pow);
                    default:
                        throw new AssertionError(b.op());
                }
            }

            private boolean isMatrixPower(Expr.Binary b) {
                return !typing.shapeOf(b.left()).isScalar();
            }

            public Mat call(Expr.Call c) {
                Mat x = arg(c.args().get(0), out);
                // A switch expression: a Builtin without a kernel here does not compile.
                return switch (c.fn()) {
                    case SUM -> Mat.scalar(x.sum());
                    case NORM1 -> Mat.scalar(Kernels.norm1(x));
                    case NORM2 -> Mat.scalar(Kernels.norm2(x));
                    case TR -> Mat.scalar(x.trace());
                    case DET -> Mat.scalar(Kernels.det(x));
                    case LOGDET -> Mat.scalar(Kernels.logdet(x));
                    case LOGSUMEXP -> Mat.scalar(Kernels.logsumexp(x));
                    case INV -> Kernels.inv(x);
                    case DIAG -> Kernels.diag(x);
                    case VEC -> x.vec();
                    case KRON -> Kernels.kron(x, arg(c.args().get(1), out));
                    case SOFTMAX -> Kernels.softmax(x);
                    case EXPM -> Kernels.expm(x);
                    case SQRTM -> Kernels.sqrtm(x);
                    case EIGVALS -> Kernels.eigvals(x);
                    case LAMBDA_MAX -> Mat.scalar(Kernels.lambdaMax(x));
                    case LAMBDA_MIN -> Mat.scalar(Kernels.lambdaMin(x));
                    case EXPM_FRECHET -> Kernels.expmFrechet(x, arg(c.args().get(1), out));
                    case SYLVESTER -> Kernels.sylvesterSym(x, arg(c.args().get(1), out));
                    case EIGVECS -> Kernels.eigSym(x).vectors();
                    case EIGVEC_MAX -> column(Kernels.eigSym(x).vectors(), x.rows() - 1);
                    case EIGVEC_MIN -> column(Kernels.eigSym(x).vectors(), 0);
                };
            }

            private Mat column(Mat m, int j) {
                double[] v = new double[m.rows()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = m.get(i, j);
                }
                return Mat.column(v);
            }

            public Mat elementwise(Expr.Elementwise f) {
                return arg(f.arg(), out).map(f.fn()::apply);
            }

            public Mat identity(Expr.Identity i) {
                return Mat.eye(shape[0]);
            }

            public Mat zeros(Expr.Zeros z) {
                return Mat.zeros(shape[0], shape[1]);
            }

            public Mat fill(Expr.Fill f) {
                return Mat.fill(shape[0], shape[1], arg(f.value(), out).scalarValue());
            }

            public Mat commutation(Expr.Commutation c) {
                // The side is m*n; m is a number or a size symbol bound by some variable.
                int m = c.m() instanceof Size.Fixed f ? f.value() : concreteSymbol(c.m());
                return Kernels.commutation(m, shape[0] / Math.max(1, m));
            }
        });
    }

    private int concreteSymbol(Size s) {
        Integer v = symbolValues().get(s.toString());
        if (v == null) {
            throw new MatcalcException(Kind.REQUEST, "size " + s + " has no value");
        }
        return v;
    }

    private Map<String, Integer> symbolValues;

    /** Values of size symbols, read off the variables' resolved shapes against their declarations. */
    private Map<String, Integer> symbolValues() {
        if (symbolValues == null) {
            Map<String, Integer> m = new HashMap<>(givenSizes);
            for (Map.Entry<String, Shape> v : typing.variables().entrySet()) {
                Decl d = typing.declOf(v.getKey());
                record(m, d.rows(), v.getValue().rows());
                record(m, d.cols(), v.getValue().cols());
            }
            symbolValues = m;
        }
        return symbolValues;
    }

    private static void record(Map<String, Integer> m, Size declared, Size resolved) {
        if (declared instanceof Size.Sym s && resolved instanceof Size.Fixed f) {
            m.put(s.name(), f.value());
        }
    }

    /** Values of structured variables must have their structure (CONTRACT.md §2). */
    private void checkProperties(String name, Decl d, Mat m) {
        if (d.isSymmetric() && !Kernels.isSymmetric(m, 1e-9)) {
            throw new MatcalcException(Kind.REQUEST, "the value of " + name + " is not symmetric, but it is declared " + d.describe());
        }
        if (d.has(Decl.Property.SPD)) {
            try {
                Kernels.cholesky(m);
            } catch (IllegalArgumentException ex) {
                throw new MatcalcException(Kind.REQUEST, "the value of " + name + " is not positive definite, but it is declared " + d.describe());
            }
        }
        if (d.has(Decl.Property.DIAGONAL)) {
            for (int i = 0; i < m.rows(); i++) {
                for (int j = 0; j < m.cols(); j++) {
                    if (i != j && m.get(i, j) != 0) {
                        throw new MatcalcException(Kind.REQUEST, "the value of " + name + " has a nonzero entry off the diagonal at ("
                                + (i + 1) + "," + (j + 1) + "), but it is declared " + d.describe());
                    }
                }
            }
        }
        if (d.has(Decl.Property.SIMPLEX) && !(Math.abs(m.sum() - 1) <= 1e-9 * Math.max(1, m.size()))) {
            throw new MatcalcException(Kind.REQUEST, "the entries of " + name + " sum to " + m.sum()
                    + ", but it is declared " + d.describe() + " (entries summing to one)");
        }
        if (d.has(Decl.Property.ORTHOGONAL)) {
            Mat qtq = m.transposeTimes(m);
            if (!qtq.approxEquals(Mat.eye(m.cols()), 1e-8)) {
                throw new MatcalcException(Kind.REQUEST, "the value of " + name + " is not orthogonal (Q'*Q != I), but it is declared " + d.describe());
            }
        }
    }
}
