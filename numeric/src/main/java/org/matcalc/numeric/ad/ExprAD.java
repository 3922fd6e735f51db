package org.matcalc.numeric.ad;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.matcalc.expr.Builtin;
import org.matcalc.expr.Decl;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.MatcalcException.Kind;
import org.matcalc.expr.ScalarFunction;
import org.matcalc.expr.Shape;
import org.matcalc.expr.Size;
import org.matcalc.expr.SourceMap;
import org.matcalc.expr.TextPrinter;
import org.matcalc.expr.Typer;
import org.matcalc.expr.Typing;
import org.matcalc.numeric.Evaluator;
import org.matcalc.numeric.Kernels;
import org.matcalc.numeric.Mat;

/**
 * One evaluator for both worlds (issue 4): any expression of the language runs on the
 * reverse {@link Tape} and in forward mode, so that its symbolic, forward, reverse and
 * finite-difference derivatives can be compared. The expression is typed once (shapes of
 * context-sized {@code eye} and {@code vector(c)} come from the {@link Typing}), then
 * interpreted node by node onto {@link Node} operations; every operator, built-in and
 * element-wise function has its rule (a switch expression over each enum, so a new
 * primitive without a rule does not compile).
 *
 * <pre>{@code
 * Expr f = Expr.parse("logdet(S) + tr(inv(S)*C)");
 * Mat g  = ExprAD.gradient(f, decls, values, "S");            // reverse, shaped like S
 * AD.Jacobian j = ExprAD.jacobian(Expr.parse("A*x"), decls, values, "x");  // mode by shape
 * Mat h  = ExprAD.hessian(f, decls, values, "S");             // forward-over-reverse, over vec(S)
 * }</pre>
 *
 * Gradients are unconstrained (not projected onto a variable's symmetric or diagonal
 * space), like the rest of the tape; Jacobians and Hessians index vec(X), column-major, rows =
 * outputs (CONTRACT.md). Variables other than {@code wrt} are held at their values.
 */
public final class ExprAD {
    private ExprAD() {
    }

    /** {@code f} as a matrix program of the variable {@code wrt}, the others held at {@code values}. */
    public static AD.MatFunction function(Expr f, Declarations decls, Map<String, Mat> values, String wrt) {
        return function(f, decls, values, Map.of(), wrt);
    }

    /** As {@link #function(Expr, Declarations, Map, String)}, with size symbols bound by {@code sizes} as well. */
    public static AD.MatFunction function(Expr f, Declarations decls, Map<String, Mat> values, Map<String, Integer> sizes,
                                          String wrt) {
        Typing typing = typing(f, decls, values, sizes);
        if (!values.containsKey(wrt)) {
            throw new MatcalcException(Kind.REQUEST, "no value for " + wrt + ", the variable to differentiate by");
        }
        return x -> {
            Map<String, Node> bound = Map.of(wrt, x);
            return new Interpreter(typing, values, sizes, bound, x.tape).eval(typing.root());
        };
    }

    /** The gradient of a scalar {@code f} by {@code wrt}, shaped like it: one reverse sweep. */
    public static Mat gradient(Expr f, Declarations decls, Map<String, Mat> values, String wrt) {
        return AD.gradient(function(f, decls, values, wrt), values.get(wrt));
    }

    /** The gradients of a scalar {@code f} by every variable, from one reverse sweep. */
    public static Map<String, Mat> gradients(Expr f, Declarations decls, Map<String, Mat> values) {
        Typing typing = typing(f, decls, values, Map.of());
        Tape tape = new Tape();
        Map<String, Node> bound = new LinkedHashMap<>();
        for (String name : typing.variables().keySet()) {
            bound.put(name, tape.variable(values.get(name)));
        }
        Node out = new Interpreter(typing, values, Map.of(), bound, tape).eval(typing.root());
        tape.backward(out);
        Map<String, Mat> g = new LinkedHashMap<>();
        bound.forEach((name, node) -> g.put(name, node.grad()));
        return g;
    }

    /** d vec(f) / d vec(wrt), rows = outputs; forward or reverse chosen by shape and reported. */
    public static AD.Jacobian jacobian(Expr f, Declarations decls, Map<String, Mat> values, String wrt) {
        return AD.jacobian(function(f, decls, values, wrt), values.get(wrt));
    }

    public static AD.Jacobian jacobian(Expr f, Declarations decls, Map<String, Mat> values, String wrt, AD.Mode mode) {
        return AD.jacobian(function(f, decls, values, wrt), values.get(wrt), mode);
    }

    /** f and its directional derivative along {@code v} (shaped like wrt): one forward pass of matrix duals. */
    public static AD.Jvp jvp(Expr f, Declarations decls, Map<String, Mat> values, String wrt, Mat v) {
        return AD.jvp(function(f, decls, values, wrt), values.get(wrt), v);
    }

    /** f and w' J (shaped like wrt), {@code w} shaped like f: one reverse sweep. */
    public static AD.Vjp vjp(Expr f, Declarations decls, Map<String, Mat> values, String wrt, Mat w) {
        return AD.vjp(function(f, decls, values, wrt), values.get(wrt), w);
    }

    /** The Hessian of a scalar f over vec(wrt), by forward-over-reverse (one hvp per column). */
    public static Mat hessian(Expr f, Declarations decls, Map<String, Mat> values, String wrt) {
        return AD.hessian(function(f, decls, values, wrt), values.get(wrt));
    }

    /** H v (shaped like wrt) by forward-over-reverse, without forming H. */
    public static Mat hvp(Expr f, Declarations decls, Map<String, Mat> values, String wrt, Mat v) {
        return AD.hvp(function(f, decls, values, wrt), values.get(wrt), v);
    }

    private static Typing typing(Expr f, Declarations decls, Map<String, Mat> values, Map<String, Integer> sizes) {
        Typing typing = Typer.check(f, decls, SourceMap.EMPTY, sizes, Evaluator.shapesOf(values));
        for (Map.Entry<String, Shape> v : typing.variables().entrySet()) {
            if (!values.containsKey(v.getKey())) {
                throw new MatcalcException(Kind.REQUEST, "no value for " + v.getKey() + " (" + v.getValue().describe() + ")");
            }
        }
        return typing;
    }

    /**
     * Interprets a typed expression onto one tape. Equal subtrees of equal shape become one
     * node (as in the evaluator's Plan); equal context-sized leaves of different shapes do not.
     */
    private static final class Interpreter implements Expr.Visitor<Node> {
        private final Typing typing;
        private final Map<String, Mat> values;
        private final Map<String, Node> bound;
        private final Tape tape;
        private final Map<Key, Node> memo = new HashMap<>();
        private final Map<String, Integer> sizeValues;

        private record Key(Expr expr, int rows, int cols) {
        }

        Interpreter(Typing typing, Map<String, Mat> values, Map<String, Integer> sizes, Map<String, Node> bound, Tape tape) {
            this.typing = typing;
            this.values = values;
            this.bound = bound;
            this.tape = tape;
            this.sizeValues = sizeValues(typing, sizes);
        }

        Node eval(Expr e) {
            Shape s = typing.shapeOf(e);
            Key k = new Key(e, concrete(s.rows(), e), concrete(s.cols(), e));
            Node n = memo.get(k);
            if (n == null) {
                n = e.accept(this);
                memo.put(k, n);
            }
            return n;
        }

        private int[] shape(Expr e) {
            Shape s = typing.shapeOf(e);
            return new int[] {concrete(s.rows(), e), concrete(s.cols(), e)};
        }

        private static int concrete(Size s, Expr at) {
            if (s instanceof Size.Fixed f) {
                return f.value();
            }
            throw new MatcalcException(Kind.REQUEST, "cannot tell the size of " + TextPrinter.print(at)
                    + "; give its size symbols values or write it with explicit sizes");
        }

        /** A node with no variable behind it and no tangent: its value is a constant of the program. */
        private static boolean isConstant(Node n) {
            return !n.needsGrad && !n.value.hasTangent();
        }

        public Node num(Expr.Num e) {
            return tape.constant(e.value());
        }

        public Node var(Expr.Var e) {
            Node b = bound.get(e.name());
            return b != null ? b : tape.constant(values.get(e.name()));
        }

        public Node neg(Expr.Neg e) {
            return eval(e.arg()).negate();
        }

        public Node transpose(Expr.Transpose e) {
            return eval(e.arg()).transpose();
        }

        public Node binary(Expr.Binary e) {
            Node l = eval(e.left()), r = eval(e.right());
            return switch (e.op()) {
                case ADD -> l.plus(r);
                case SUB -> l.minus(r);
                case MUL -> l.times(r);          // 1x1 operands scale (Node.times broadcasts)
                case DIV -> l.div(r);            // the divisor is 1x1
                case HADAMARD -> l.hadamard(r);
                case HADAMARD_DIV -> l.div(r);
                case POW -> typing.shapeOf(e.left()).isScalar() ? elementPower(l, r) : matrixPower(e, l, r);
                case ELEM_POW -> elementPower(l, r);
            };
        }

        /** l .^ r: a constant 1x1 exponent is Node.pow; otherwise exp(r .* log(l)), for l > 0. */
        private Node elementPower(Node l, Node r) {
            if (r.isScalar() && isConstant(r)) {
                return l.pow(r.real());
            }
            return l.apply(ScalarFunction.LOG).hadamard(r).apply(ScalarFunction.EXP);
        }

        /** A^k for a constant integer k: k - 1 products (k < 0: of inv(A)); A^0 = I. */
        private Node matrixPower(Expr.Binary e, Node a, Node k) {
            if (!isConstant(k)) {
                throw new MatcalcException(Kind.UNSUPPORTED, "derivative of the matrix power " + TextPrinter.print(e)
                        + " by its exponent not implemented");
            }
            double kv = k.real();
            if (kv != Math.rint(kv)) {
                throw new MatcalcException(Kind.EVALUATION, "matrix power with a non-integer exponent: " + TextPrinter.print(e));
            }
            int n = (int) Math.abs(kv);
            Node base = kv < 0 ? a.inv() : a;
            Node out = n == 0 ? tape.constant(Mat.eye(a.rows())) : base;
            for (int i = 1; i < n; i++) {
                out = out.times(base);
            }
            return out;
        }

        public Node call(Expr.Call e) {
            Node x = eval(e.args().get(0));
            Builtin fn = e.fn();
            return switch (fn) {
                case SUM -> x.sum();
                case NORM1 -> x.apply(ScalarFunction.ABS).sum();
                case NORM2 -> x.norm2();
                case TR -> x.trace();
                case DET -> x.det();
                case LOGDET -> x.logdet();
                case LOGSUMEXP -> x.logsumexp();
                case INV -> x.inv();
                case DIAG -> x.diag();
                case VEC -> x.vec();
                case KRON -> x.kron(eval(e.args().get(1)));
                case SOFTMAX -> x.softmax();
                case EXPM -> x.expm();
                case SQRTM -> x.sqrtm();
                case EIGVALS -> x.eigvalsSym();
                case LAMBDA_MAX -> x.eigvalsSym().slice(x.rows() - 1, x.rows(), 0, 1);
                case LAMBDA_MIN -> x.eigvalsSym().slice(0, 1, 0, 1);
                case EXPM_FRECHET -> x.expmFrechet(eval(e.args().get(1)));
                case SYLVESTER -> x.sylvester(eval(e.args().get(1)));
                case EIGVECS -> x.eigvecsSym();
                case EIGVEC_MAX -> x.eigvecsSym().slice(0, x.rows(), x.rows() - 1, x.rows());
                case EIGVEC_MIN -> x.eigvecsSym().slice(0, x.rows(), 0, 1);
            };
        }

        public Node elementwise(Expr.Elementwise e) {
            return eval(e.arg()).apply(e.fn());
        }

        public Node identity(Expr.Identity e) {
            return tape.constant(Mat.eye(shape(e)[0]));
        }

        public Node zeros(Expr.Zeros e) {
            int[] s = shape(e);
            return tape.constant(Mat.zeros(s[0], s[1]));
        }

        public Node fill(Expr.Fill e) {
            int[] s = shape(e);
            return eval(e.value()).broadcast(s[0], s[1]);
        }

        public Node commutation(Expr.Commutation e) {
            int side = shape(e)[0];
            int m = e.m() instanceof Size.Fixed f ? f.value() : symbol(e.m());
            return tape.constant(Kernels.commutation(m, side / Math.max(1, m)));
        }

        private int symbol(Size s) {
            Integer v = sizeValues.get(s.toString());
            if (v == null) {
                throw new MatcalcException(Kind.REQUEST, "size " + s + " has no value");
            }
            return v;
        }

        /** Values of size symbols: the given ones, and those read off the variables' shapes against their declarations. */
        private static Map<String, Integer> sizeValues(Typing typing, Map<String, Integer> given) {
            Map<String, Integer> m = new HashMap<>(given);
            for (Map.Entry<String, Shape> v : typing.variables().entrySet()) {
                Decl d = typing.declOf(v.getKey());
                bind(m, d.rows(), v.getValue().rows());
                bind(m, d.cols(), v.getValue().cols());
            }
            return m;
        }

        private static void bind(Map<String, Integer> m, Size declared, Size resolved) {
            if (declared instanceof Size.Sym s && resolved instanceof Size.Fixed f) {
                m.put(s.name(), f.value());
            }
        }
    }
}
