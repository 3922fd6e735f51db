package org.matcalc.expr;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
import java.util.function.Supplier;

import org.matcalc.expr.MatcalcException.Kind;

/**
 * Shape inference: every node gets rows x cols. Unknown sizes (of undeclared names, and of
 * {@code eye}, {@code vector(c)}, {@code matrix(c)} sized by context) are solved by
 * unification across the whole expression; declared size symbols are rigid, so two different
 * symbols never unify, and a contradiction is reported at the operator where it shows, naming
 * the shapes on both sides and where an inferred size came from.
 *
 * <p>The shape rule of each node is one method of the visitor below.
 */
public final class Typer {
    private final Declarations decls;
    private final SourceMap spans;
    private final Map<String, Shape> givenShapes;
    private final Map<Expr, Shape> shapes = new IdentityHashMap<>();
    private final Map<String, Shape> variables = new LinkedHashMap<>();
    private final Map<Size, Size> parent = new HashMap<>();
    private final Map<Size, Span> boundAt = new HashMap<>();
    private final Set<Size> variableUnknowns = new HashSet<>();
    private int nextUnknown;
    private boolean bindingValues;
    /** Whether operands broadcast (user text, before {@link Elaboration} writes them out); engine trees are typed strictly. */
    private final boolean broadcasting;
    /** The nodes whose operand {@code i} broadcasts to the node's shape, in the order they were typed. */
    final Map<Expr, Integer> expansions = new IdentityHashMap<>();
    /** The same nodes in the order they were typed (kinds from use tries the first broadcast first). */
    final java.util.List<Expr> expansionOrder = new java.util.ArrayList<>();

    private Typer(Declarations decls, SourceMap spans, Map<String, Shape> givenShapes, boolean broadcasting) {
        this.decls = decls;
        this.spans = spans;
        this.givenShapes = givenShapes;
        this.broadcasting = broadcasting;
    }

    /** Types a parsed expression with its declarations; errors carry source positions. */
    public static Typing check(Parsed parsed, Declarations decls) {
        return check(parsed.expr(), decls, parsed.spans(), Map.of(), Map.of());
    }

    /** Types an engine-built tree. */
    public static Typing check(Expr e, Declarations decls) {
        return check(e, decls, SourceMap.EMPTY, Map.of(), Map.of());
    }

    /**
     * Types {@code e} with concrete sizes: {@code sizeValues} binds size symbols (n = 5) and
     * {@code valueShapes} gives the shape of each variable's value, so every size resolves to
     * an integer. Used by the evaluator.
     */
    public static Typing check(Expr e, Declarations decls, SourceMap spans, Map<String, Integer> sizeValues,
                               Map<String, Shape> valueShapes) {
        return run(e, decls, spans, sizeValues, valueShapes, false).typing(e);
    }

    /** Types {@code e}, with operands broadcasting or not; the typer keeps what broadcasts ({@link #expansions}). */
    static Typer run(Expr e, Declarations decls, SourceMap spans, Map<String, Integer> sizeValues,
                     Map<String, Shape> valueShapes, boolean broadcasting) {
        Typer t = new Typer(decls, spans, valueShapes, broadcasting);
        sizeValues.forEach((name, v) -> t.parent.put(new Size.Sym(name), Size.of(v)));
        e.accept(t.rules);
        return t;
    }

    Typing typing(Expr e) {
        Map<Expr, Shape> resolved = new IdentityHashMap<>();
        shapes.forEach((node, s) -> resolved.put(node, resolve(s)));
        Map<String, Shape> vars = new LinkedHashMap<>();
        variables.forEach((name, s) -> vars.put(name, resolve(s)));
        return new Typing(e, resolved, vars, decls);
    }

    /** The resolved shape of a typed node. */
    Shape resolvedShape(Expr e) {
        return resolve(shapes.get(e));
    }

    // ---- unification ---------------------------------------------------------------------

    private Size fresh() {
        return new Size.Unknown(nextUnknown++);
    }

    private Size find(Size s) {
        for (int steps = 0; parent.containsKey(s); steps++) {
            if (steps > parent.size()) {
                throw new IllegalStateException("a cycle among inferred sizes at " + s); // a bug: never a hang
            }
            s = parent.get(s);
        }
        return s;
    }

    /**
     * The size with every unknown replaced by what it is bound to, all the way down: an unknown
     * bound to a product (vec(A) of an undeclared A) reads through to the product's factors as
     * they are bound now, so that no binding is made on a size that is already bound.
     */
    private Size resolve(Size s) {
        if (s instanceof Size.Prod p) {
            Size out = Size.ONE;
            for (Size f : p.factors()) {
                out = Size.times(out, resolve(f));
            }
            return out;
        }
        Size root = find(s);
        return root instanceof Size.Prod ? resolve(root) : root;
    }

    private Shape resolve(Shape s) {
        return new Shape(resolve(s.rows()), resolve(s.cols()));
    }

    /** Makes a and b the same size, or throws the error {@code fail} describes. */
    private void unify(Size a, Size b, Expr at, Supplier<String> fail) {
        Size x = resolve(a), y = resolve(b);
        if (x.equals(y)) {
            return;
        }
        if (x instanceof Size.Unknown && !factors(y).contains(x) && canBind(x, y)) {
            bind(x, y, at);
        } else if (y instanceof Size.Unknown && !factors(x).contains(y) && canBind(y, x)) {
            bind(y, x, at);
        } else if (x instanceof Size.Sym && y instanceof Size.Fixed && canBindSymbol(y)) {
            bind(x, y, at);
        } else if (y instanceof Size.Sym && x instanceof Size.Fixed && canBindSymbol(x)) {
            bind(y, x, at);
        } else if (!unifyProducts(x, y, at)) {
            throw new MatcalcException(Kind.SHAPE, spans.spanOf(at), fail.get() + origins(a, b));
        }
    }

    /**
     * A declared size symbol takes an integer only from a value (when evaluating): inferring
     * n = 1 from the expression would silently turn a declared matrix(n,m) into a vector.
     */
    private boolean canBindSymbol(Size fixed) {
        return !fixed.isOne() || bindingValues;
    }

    /**
     * Products such as {@code m*?} = {@code m*n} (from {@code kron} or {@code vec}): common factors
     * cancel; a single unknown left on one side is solved; a rest with several unknowns cannot be
     * solved yet and is accepted as undetermined. False when the sizes contradict.
     */
    private boolean unifyProducts(Size x, Size y, Expr at) {
        if (!(x instanceof Size.Prod) && !(y instanceof Size.Prod)) {
            return false;
        }
        java.util.List<Size> rx = new java.util.ArrayList<>(factors(x));
        java.util.List<Size> ry = new java.util.ArrayList<>(factors(y));
        for (java.util.Iterator<Size> it = rx.iterator(); it.hasNext(); ) {
            if (ry.remove(it.next())) {
                it.remove();
            }
        }
        if (rx.isEmpty() || ry.isEmpty()) {
            // ? = ?*k (e.g. A + kron(A, B)): every factor left over must be 1.
            java.util.List<Size> rest = rx.isEmpty() ? ry : rx;
            for (Size f : rest) {
                if (!(f instanceof Size.Unknown) || !canBind(f, Size.ONE)) {
                    return false;
                }
            }
            for (Size f : rest) {
                bind(f, Size.ONE, at);
            }
            return true;
        }
        Size px = product(rx), py = product(ry);
        if (rx.size() == 1 && rx.get(0) instanceof Size.Unknown u && canBind(u, py)) {
            bind(u, py, at);
            return true;
        }
        if (ry.size() == 1 && ry.get(0) instanceof Size.Unknown u && canBind(u, px)) {
            bind(u, px, at);
            return true;
        }
        return rx.stream().anyMatch(f -> f instanceof Size.Unknown) || ry.stream().anyMatch(f -> f instanceof Size.Unknown);
    }

    private static java.util.List<Size> factors(Size s) {
        return s instanceof Size.Prod p ? p.factors() : java.util.List.of(s);
    }

    private static Size product(java.util.List<Size> factors) {
        Size out = Size.ONE;
        for (Size f : factors) {
            out = Size.times(out, f);
        }
        return out;
    }

    /** The size of an undeclared vector or matrix is never 1: that would silently change its kind. */
    private boolean canBind(Size unknown, Size to) {
        return !(to.isOne() && variableUnknowns.contains(unknown));
    }

    private void bind(Size from, Size to, Expr at) {
        parent.put(from, to);
        if (variableUnknowns.contains(from) && to instanceof Size.Unknown) {
            // The size of an undeclared vector or matrix stays not-1 whatever it is unified with.
            variableUnknowns.add(to);
        }
        Span s = spans.spanOf(at);
        if (s != null) {
            boundAt.putIfAbsent(from, s);
        }
    }

    /** Where the sizes that clash were inferred, e.g. {@code " (n was inferred at 1:2)"}: the other place of a contradiction. */
    private String origins(Size a, Size b) {
        StringBuilder sb = new StringBuilder();
        for (Size s : new Size[] {a, b}) {
            Size cur = s;
            while (cur != null) {
                Span where = boundAt.get(cur);
                if (where != null) {
                    Size value = resolve(s);
                    sb.append(sb.length() == 0 ? " (" : " and ")
                            .append(value instanceof Size.Unknown ? "a size" : "the size " + value)
                            .append(" was inferred at ").append(where.position());
                    break;
                }
                cur = parent.get(cur);
            }
        }
        return sb.length() == 0 ? "" : sb.append(')').toString();
    }

    /** "m columns", "1 row", or, for a size not yet inferred (never 1 when a product fails), "more than one row". */
    private static String count(Size s, String word) {
        if (s instanceof Size.Unknown) {
            return "more than one " + word;
        }
        return s + " " + word + (s.isOne() ? "" : "s");
    }

    /** How to write the transpose of e: the argument of a transpose, else e followed by '. */
    private static String transposed(Expr e) {
        return e instanceof Expr.Transpose t ? TextPrinter.operand(t.arg()) : TextPrinter.operand(e) + "'";
    }

    private Shape shapeOf(Expr e) {
        Shape s = shapes.get(e);
        if (s == null) {
            s = e.accept(rules);
        }
        return s;
    }

    private Shape now(Expr e) {
        return resolve(shapeOf(e));
    }

    private Shape record(Expr e, Shape s) {
        shapes.put(e, s);
        return s;
    }

    private void expand(Expr node, int operand) {
        if (expansions.put(node, operand) == null) {
            expansionOrder.add(node);
        }
    }

    private MatcalcException shapeError(Expr at, String message) {
        return new MatcalcException(Kind.SHAPE, spans.spanOf(at), message);
    }

    private void requireSquare(Expr at, Expr arg, String what) {
        Shape s = now(arg);
        if (s.isVector()) {
            throw shapeError(at, what + " needs a square matrix, got " + s.describe());
        }
        unify(s.rows(), s.cols(), at, () -> what + " needs a square matrix, got " + now(arg).describe());
    }

    private void requireScalar(Expr at, Expr arg, String what, String hint) {
        Shape s = now(arg);
        if (!s.isScalar()) {
            throw shapeError(at, what + ", got " + s.describe() + hint);
        }
    }

    // ---- the shape rule of each node ---------------------------------------------------------

    private final Expr.Visitor<Shape> rules = new Expr.Visitor<>() {
        public Shape num(Expr.Num e) {
            return record(e, Shape.SCALAR);
        }

        public Shape var(Expr.Var e) {
            Shape s = variables.get(e.name());
            if (s == null) {
                Decl d = decls.get(e.name()).orElseGet(() -> Declarations.byLetter(e.name()));
                Size rows = d.rows() == null ? fresh() : d.rows();
                Size cols = d.cols() == null ? fresh() : d.cols();
                if (d.rows() == null) {
                    variableUnknowns.add(rows);
                }
                if (d.cols() == null) {
                    variableUnknowns.add(cols);
                }
                s = new Shape(rows, cols);
                variables.put(e.name(), s);
                Shape given = givenShapes.get(e.name());
                if (given != null) {
                    Shape declared = s;
                    Supplier<String> fail = () -> "the value of " + e.name() + " is " + shapeWords(given)
                            + " but it is declared " + resolve(declared).describe();
                    try {
                        // A value's own size is the truth, even 1.
                        variableUnknowns.remove(rows);
                        variableUnknowns.remove(cols);
                        bindingValues = true;
                        unify(rows, given.rows(), e, fail);
                        unify(cols, given.cols(), e, fail);
                    } catch (MatcalcException ex) {
                        throw new MatcalcException(Kind.REQUEST, fail.get());
                    } finally {
                        bindingValues = false;
                    }
                }
            }
            return record(e, s);
        }

        public Shape neg(Expr.Neg e) {
            return record(e, shapeOf(e.arg()));
        }

        public Shape transpose(Expr.Transpose e) {
            return record(e, shapeOf(e.arg()).transpose());
        }

        public Shape binary(Expr.Binary e) {
            Shape l = shapeOf(e.left());
            Shape r = shapeOf(e.right());
            switch (e.op()) {
                case ADD:
                case SUB:
                    return record(e, sum(e, l, r));
                case MUL:
                    return record(e, product(e, l, r));
                case DIV:
                    requireScalar(e, e.right(), "can only divide by a scalar", "; for element-wise division use ./");
                    return record(e, l);
                case HADAMARD:
                case HADAMARD_DIV:
                    return record(e, elementwisePair(e, l, r));
                case POW:
                    return record(e, power(e, l));
                case ELEM_POW:
                    return record(e, elementwisePair(e, l, r));
                default:
                    throw new AssertionError(e.op());
            }
        }

        private Shape sum(Expr.Binary e, Shape l, Shape r) {
            String verb = e.op() == BinaryOp.ADD ? "add" : "subtract";
            return pair(e, e.left(), e.right(), l, r, false, verb + " ", " and ");
        }

        private Shape product(Expr.Binary e, Shape l, Shape r) {
            Shape a = resolve(l), b = resolve(r);
            if (a.isScalar()) {
                return r;
            }
            if (b.isScalar()) {
                return l;
            }
            if (a.isColumn() && b.isColumn()) {
                throw shapeError(e, "cannot multiply " + a.describe() + " by " + b.describe() + "; did you mean "
                        + transposed(e.left()) + "*" + TextPrinter.operand(e.right()) + " (inner product) or "
                        + TextPrinter.operand(e.left()) + "*" + transposed(e.right()) + " (outer product)?");
            }
            unify(l.cols(), r.rows(), e, () -> {
                Shape x = now(e.left()), y = now(e.right());
                String hint = x.isRow() && y.isRow() ? "; did you mean " + TextPrinter.operand(e.left()) + "*"
                        + transposed(e.right()) + "?" : "";
                return "cannot multiply " + x.describe() + " by " + y.describe() + ": the left has " + count(x.cols(), "column")
                        + " but the right has " + count(y.rows(), "row") + hint;
            });
            return new Shape(l.rows(), r.cols());
        }

        private Shape elementwisePair(Expr.Binary e, Shape l, Shape r) {
            return pair(e, e.left(), e.right(), l, r, true, "apply " + e.op().symbol() + " to ", " and ");
        }

        /**
         * The shape rule of + - .* ./ .^ max min: equal shapes; or, broadcasting as NumPy and
         * MATLAB's implicit expansion do, a scalar with anything and an n x m matrix with a 1 x m row
         * or an n x 1 column. Scalars in .* ./ .^ are native (nothing to expand).
         */
        private Shape pair(Expr at, Expr left, Expr right, Shape l, Shape r, boolean scalarsNative, String verb, String and) {
            Shape a = resolve(l), b = resolve(r);
            if (a.isScalar() && b.isScalar()) {
                return l;
            }
            if (a.isScalar() || b.isScalar()) {
                if (!scalarsNative) {
                    if (!broadcasting) {
                        throw shapeError(at, "cannot " + verb + a.describe() + and + b.describe()
                                + "; in this tree scalars are not broadcast: write c*vector(1) or c*matrix(1) for a constant vector or matrix");
                    }
                    expand(at, a.isScalar() ? 0 : 1);
                }
                return a.isScalar() ? r : l;
            }
            if (a.isColumn() && b.isRow() || a.isRow() && b.isColumn()) {
                throw shapeError(at, "cannot " + verb + a.describe() + and + b.describe() + "; transpose one of them");
            }
            boolean vectorWithMatrix = a.isVector() && b.isMatrix() || a.isMatrix() && b.isVector();
            if (vectorWithMatrix && broadcasting) {
                boolean leftVector = a.isVector();
                Shape v = leftVector ? l : r, m = leftVector ? r : l;
                Supplier<String> fail = () -> "cannot broadcast " + now(leftVector ? right : left).describe() + " with "
                        + now(leftVector ? left : right).describe() + ": a column needs as many rows as the matrix, a row as many columns";
                if (resolve(v).isColumn()) {
                    unify(v.rows(), m.rows(), at, fail);
                } else {
                    unify(v.cols(), m.cols(), at, fail);
                }
                expand(at, leftVector ? 0 : 1);
                return m;
            }
            Supplier<String> fail = () -> "cannot " + verb + now(left).describe() + and + now(right).describe()
                    + (vectorWithMatrix ? ": shapes differ (a row or column broadcasts against a matrix only in expressions read from text)"
                    : ": shapes differ");
            if (vectorWithMatrix) {
                throw shapeError(at, fail.get());
            }
            unify(l.rows(), r.rows(), at, fail);
            unify(l.cols(), r.cols(), at, fail);
            return l;
        }

        private Shape power(Expr.Binary e, Shape base) {
            requireScalar(e, e.right(), "the exponent of ^ must be a scalar", "; for element-wise powers use .^");
            Shape b = resolve(base);
            if (b.isScalar()) {
                return base;
            }
            if (b.isVector()) {
                throw shapeError(e, "cannot raise " + b.describe() + " to a power; use .^ for element-wise powers, e.g. "
                        + TextPrinter.operand(e.left()) + ".^" + TextPrinter.operand(e.right())
                        + (b.isColumn() ? " or " + TextPrinter.operand(e.left()) + "'*" + TextPrinter.operand(e.left()) + " for the squared norm" : ""));
            }
            if (!(e.right() instanceof Expr.Num n) || n.value() != Math.rint(n.value()) || Math.abs(n.value()) > 1e6) {
                throw shapeError(e, "a matrix can only be raised to a whole-number power such as A^2 or A^-1; for element-wise powers use .^");
            }
            requireSquare(e, e.left(), "a matrix power");
            return base;
        }

        public Shape call(Expr.Call e) {
            for (Expr a : e.args()) {
                shapeOf(a);
            }
            String name = e.fn().languageName();
            Expr x = e.args().get(0);
            // The checks (and unification) of each function's arguments; its result shape is Builtin.resultShape.
            switch (e.fn().arguments()) {
                case SQUARE -> requireSquare(e, x, name);
                case SQUARE_PAIR, SQUARE_TRIPLE -> {
                    requireSquare(e, x, name);
                    for (Expr y : e.args().subList(1, e.args().size())) {
                        requireSquare(e, y, name);
                        unify(shapeOf(x).rows(), shapeOf(y).rows(), e, () -> name + " needs square matrices of one size, got "
                                + now(x).describe() + " and " + now(y).describe());
                    }
                }
                case DIAG -> {
                    Shape s = now(x);
                    if (s.isMatrix()) {
                        unify(s.rows(), s.cols(), e, () -> "diag needs a vector or a square matrix, got " + now(x).describe());
                    }
                }
                case ELEMENTWISE_PAIR -> {
                    Expr y = e.args().get(1);
                    // a scalar side is native (the kernels spread it), so max(x, 0) reads as written
                    return record(e, pair(e, x, y, shapeOf(x), shapeOf(y), true, "take the " + name + " of ", " and "));
                }
                case AXIS -> {
                    if (!(e.args().get(1) instanceof Expr.Num k) || (k.value() != 1 && k.value() != 2)) {
                        throw shapeError(e, "the dimension of " + name + "(X, k) must be the number 1 or 2");
                    }
                }
                case ANY, ANY_PAIR -> {
                    // defined for every shape
                }
            }
            java.util.List<Shape> args = new java.util.ArrayList<>();
            for (Expr a : e.args()) {
                args.add(now(a));
            }
            return record(e, e.fn().resultShape(e, args));
        }

        public Shape elementwise(Expr.Elementwise e) {
            return record(e, shapeOf(e.arg()));
        }

        public Shape identity(Expr.Identity e) {
            Size n = e.size() == null ? fresh() : e.size();
            return record(e, new Shape(n, n));
        }

        public Shape zeros(Expr.Zeros e) {
            return record(e, new Shape(e.rows(), e.cols()));
        }

        public Shape fill(Expr.Fill e) {
            shapeOf(e.value());
            requireScalar(e, e.value(), (e.matrix() ? "matrix(c)" : "vector(c)") + " needs a scalar c", "");
            Size rows = e.rows() == null ? fresh() : e.rows();
            Size cols = e.matrix() ? (e.cols() == null ? fresh() : e.cols()) : Size.ONE;
            return record(e, new Shape(rows, cols));
        }

        public Shape commutation(Expr.Commutation e) {
            Size mn = Size.times(e.m(), e.n());
            return record(e, new Shape(mn, mn));
        }
    };

    private static String shapeWords(Shape s) {
        return s.rows() + "x" + s.cols();
    }
}
