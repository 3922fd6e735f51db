package org.matcalc.diff;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.matcalc.expr.BinaryOp;
import org.matcalc.expr.Builtin;
import org.matcalc.expr.Decl;
import org.matcalc.expr.Expr;
import org.matcalc.expr.Limits;
import org.matcalc.expr.Shape;
import org.matcalc.expr.Size;
import org.matcalc.expr.Symmetry;

/**
 * Smart constructors: every tree the engine builds goes through these, which fold zeros,
 * ones and identities, keep numeric coefficients in front, push transposes inward when that
 * removes a transpose, use symmetry, and collect like terms whose factors agree
 * ({@code A*X + A'*X -> (A + A')*X}). The symbolic zero is {@code zeros(r, c)} of the right
 * shape ({@link #isZero}); it short-circuits every rule (JAX's {@code Zero}).
 *
 * <p>This is the local folding that keeps derivatives small as they are built; the canonical
 * simplification is the simplify module's.
 */
final class Ops {
    private final Shapes shapes;
    private final Map<Expr, Boolean> symmetric = new IdentityHashMap<>();

    Ops(Shapes shapes) {
        this.shapes = shapes;
    }

    Shape shape(Expr e) {
        return shapes.of(e);
    }

    Shapes shapes() {
        return shapes;
    }

    boolean scalar(Expr e) {
        return shape(e).isScalar();
    }

    // ---- constants --------------------------------------------------------------------------

    /** Whether a*b (or a/c, with b = 1/c) folds to a number: finite, and not a nonzero product underflowed to 0. */
    private static boolean foldable(double a, double b, double result) {
        return Double.isFinite(result) && (result != 0 || a == 0 || b == 0);
    }

    static Expr num(double v) {
        return new Expr.Num(v == 0 ? 0.0 : v);
    }

    static Expr zeros(Shape s) {
        return new Expr.Zeros(s.rows(), s.cols());
    }

    static Expr eye(Size n) {
        return new Expr.Identity(n);
    }

    /** All ones of shape s: 1, vector(1, n), vector(1, n)' or matrix(1, n, m). */
    static Expr ones(Shape s) {
        if (s.isScalar()) {
            return num(1);
        }
        if (s.isColumn()) {
            return new Expr.Fill(num(1), false, s.rows(), null);
        }
        if (s.isRow()) {
            return new Expr.Transpose(new Expr.Fill(num(1), false, s.cols(), null));
        }
        return new Expr.Fill(num(1), true, s.rows(), s.cols());
    }

    static boolean isZero(Expr e) {
        return e instanceof Expr.Zeros || e instanceof Expr.Num n && n.value() == 0;
    }

    static boolean isNum(Expr e, double v) {
        return e instanceof Expr.Num n && n.value() == v;
    }

    static boolean isOnes(Expr e) {
        if (e instanceof Expr.Transpose t) {
            return isOnes(t.arg());
        }
        return e instanceof Expr.Fill f && isNum(f.value(), 1) || isNum(e, 1);
    }

    /** Whether e is {@code vector(1, n)}, a column of ones. */
    private static boolean isOnesColumn(Expr e) {
        return e instanceof Expr.Fill f && !f.matrix() && isNum(f.value(), 1);
    }

    /** Whether e is {@code vector(1, n)'}, a row of ones. */
    private static boolean isOnesColumnT(Expr e) {
        return e instanceof Expr.Transpose t && t.arg() instanceof Expr.Fill f && !f.matrix() && isNum(f.value(), 1);
    }

    // ---- arithmetic ---------------------------------------------------------------------------

    Expr neg(Expr a) {
        if (isZero(a)) {
            return a;
        }
        if (a instanceof Expr.Neg n) {
            return n.arg();
        }
        if (a instanceof Expr.Num n) {
            return num(-n.value());
        }
        if (a instanceof Expr.Binary b && b.op() == BinaryOp.MUL && b.left() instanceof Expr.Num c) {
            return mul(num(-c.value()), b.right());
        }
        if (a instanceof Expr.Binary b && b.op() == BinaryOp.SUB) {
            return sub(b.right(), b.left());
        }
        return new Expr.Neg(a);
    }

    Expr add(Expr a, Expr b) {
        Limits.checkInterrupted(); // a request past its time limit stops here, freeing its worker
        if (isZero(a)) {
            return isZero(b) ? zeros(shape(a)) : b;
        }
        if (isZero(b)) {
            return a;
        }
        if (a instanceof Expr.Num x && b instanceof Expr.Num y && Double.isFinite(x.value() + y.value())) {
            return num(x.value() + y.value());
        }
        if (b instanceof Expr.Neg n) {
            return sub(a, n.arg());
        }
        if (a instanceof Expr.Neg n) {
            return sub(b, n.arg());
        }
        if (a instanceof Expr.Transpose t && t.arg().equals(b)) {
            return add(b, a);
        }
        if (a instanceof Expr.Binary s && (s.op() == BinaryOp.ADD || s.op() == BinaryOp.SUB)) {
            // (p ± q) + b with q and b alike: p ± (q ± b)
            Expr c = collect(s.right(), b, s.op() == BinaryOp.ADD ? 1 : -1);
            if (c != null) {
                return s.op() == BinaryOp.ADD ? add(s.left(), c) : sub(s.left(), c);
            }
        }
        Expr collected = collect(a, b, 1);
        return collected != null ? collected : new Expr.Binary(BinaryOp.ADD, a, b);
    }

    Expr sub(Expr a, Expr b) {
        Limits.checkInterrupted(); // a request past its time limit stops here, freeing its worker
        if (isZero(b)) {
            return a;
        }
        if (isZero(a)) {
            return neg(b);
        }
        if (a instanceof Expr.Num x && b instanceof Expr.Num y && Double.isFinite(x.value() - y.value())) {
            return num(x.value() - y.value());
        }
        if (b instanceof Expr.Neg n) {
            return add(a, n.arg());
        }
        if (a.equals(b)) {
            return zeros(shape(a));
        }
        Expr collected = collect(a, b, -1);
        return collected != null ? collected : new Expr.Binary(BinaryOp.SUB, a, b);
    }

    /** a + sign*b as one term when they share a factor, else null. */
    private Expr collect(Expr a, Expr b, int sign) {
        double ca = coefficient(a), cb = coefficient(b);
        Expr ba = base(a), bb = base(b);
        if (ba.equals(bb)) {
            double c = ca + sign * cb;
            return c == 0 ? zeros(shape(a)) : mul(num(c), ba);
        }
        if (a instanceof Expr.Binary x && x.op() == BinaryOp.MUL && b instanceof Expr.Binary y && y.op() == BinaryOp.MUL) {
            if (x.right().equals(y.right()) && shape(x.left()).equals(shape(y.left()))) {
                return mul(sign > 0 ? add(x.left(), y.left()) : sub(x.left(), y.left()), x.right());
            }
            if (x.left().equals(y.left()) && shape(x.right()).equals(shape(y.right()))) {
                return mul(x.left(), sign > 0 ? add(x.right(), y.right()) : sub(x.right(), y.right()));
            }
        }
        return null;
    }

    private static double coefficient(Expr e) {
        if (e instanceof Expr.Binary b && b.op() == BinaryOp.MUL && b.left() instanceof Expr.Num c) {
            return c.value();
        }
        return 1;
    }

    private static Expr base(Expr e) {
        if (e instanceof Expr.Binary b && b.op() == BinaryOp.MUL && b.left() instanceof Expr.Num) {
            return b.right();
        }
        return e;
    }

    Expr mul(Expr a, Expr b) {
        Limits.checkInterrupted(); // a request past its time limit stops here, freeing its worker
        Shape sa = shape(a), sb = shape(b);
        if (isZero(a) || isZero(b)) {
            return zeros(sa.isScalar() ? sb : sb.isScalar() ? sa : new Shape(sa.rows(), sb.cols()));
        }
        if (isNum(a, 1)) {
            return b;
        }
        if (isNum(b, 1)) {
            return a;
        }
        if (isNum(a, -1)) {
            return neg(b);
        }
        if (isNum(b, -1)) {
            return neg(a);
        }
        if (a instanceof Expr.Identity && !sb.isScalar()) {
            return b;
        }
        if (b instanceof Expr.Identity && !sa.isScalar()) {
            return a;
        }
        if (a instanceof Expr.Num x && b instanceof Expr.Num y && foldable(x.value(), y.value(), x.value() * y.value())) {
            return num(x.value() * y.value());
        }
        if (a instanceof Expr.Neg n) {
            return neg(mul(n.arg(), b));
        }
        if (b instanceof Expr.Neg n) {
            return neg(mul(a, n.arg()));
        }
        if (a instanceof Expr.Binary q && q.op() == BinaryOp.DIV) {
            // (P/c)*B = P*B/c: division by a scalar moves outward
            return div(mul(q.left(), b), q.right());
        }
        if (b instanceof Expr.Binary q && q.op() == BinaryOp.DIV) {
            return div(mul(a, q.left()), q.right());
        }
        if (!sa.isScalar() && sb.isScalar()) {
            return mul(b, a);
        }
        if (!(a instanceof Expr.Num) && b instanceof Expr.Binary y && y.op() == BinaryOp.MUL && scalar(y.left())
                && !scalar(y.right()) && !(sa.isScalar() && !(y.left() instanceof Expr.Num))) {
            // A*(c*B) = c*(A*B): scalars move to the front.
            return mul(y.left(), mul(a, y.right()));
        }
        if (a instanceof Expr.Call ka && ka.fn() == Builtin.KRON && b instanceof Expr.Call kb && kb.fn() == Builtin.KRON
                && shape(ka.args().get(0)).cols().equals(shape(kb.args().get(0)).rows())
                && shape(ka.args().get(1)).cols().equals(shape(kb.args().get(1)).rows())) {
            // kron(A, B)*kron(C, D) = kron(A*C, B*D)
            return kron(mul(ka.args().get(0), kb.args().get(0)), mul(ka.args().get(1), kb.args().get(1)));
        }
        if (sa.isScalar() && !(a instanceof Expr.Num) && b instanceof Expr.Binary y && y.op() == BinaryOp.MUL
                && y.left() instanceof Expr.Num c) {
            return mul(c, mul(a, y.right()));
        }
        if (a instanceof Expr.Num x && b instanceof Expr.Binary y && y.op() == BinaryOp.MUL) {
            if (y.left() instanceof Expr.Num c && foldable(x.value(), c.value(), x.value() * c.value())) {
                return mul(num(x.value() * c.value()), y.right());
            }
            // c*(A*B) is written (c*A)*B, which prints without parentheses.
            return new Expr.Binary(BinaryOp.MUL, mul(a, y.left()), y.right());
        }
        if (sa.isScalar() && !(a instanceof Expr.Num) && b instanceof Expr.Binary y && y.op() == BinaryOp.MUL
                && !scalar(y.left())) {
            return new Expr.Binary(BinaryOp.MUL, mul(a, y.left()), y.right());
        }
        if (!sa.isScalar() && b instanceof Expr.Binary y && y.op() == BinaryOp.MUL && !scalar(y.left()) && !scalar(y.right())) {
            // products are kept left-associated, as they are read: A*(B*C) -> A*B*C
            return mul(mul(a, y.left()), y.right());
        }
        if (isOnesColumnT(a) && sb.isColumn()) {
            // 1'*y = sum(y), and 1 when y is declared simplex(n).
            if (b instanceof Expr.Var v && shapes.declOf(v.name()).has(Decl.Property.SIMPLEX)) {
                return num(1);
            }
            return sum(b);
        }
        if (sa.isMatrix() && isOnesColumn(b)) {
            // A*1 = sum(A, 2), the row sums; A'*1 = sum(A, 1)'
            return a instanceof Expr.Transpose t ? transpose(sumAxis(t.arg(), 1)) : sumAxis(a, 2);
        }
        if (isOnesColumnT(a) && sb.isMatrix()) {
            // 1'*B = sum(B, 1), the column sums
            return sumAxis(b, 1);
        }
        return new Expr.Binary(BinaryOp.MUL, a, b);
    }

    Expr div(Expr a, Expr c) {
        if (isZero(a)) {
            return a;
        }
        if (isNum(c, 1)) {
            return a;
        }
        // numbers fold only to a finite number: 1/0 stays as written (the value is then not finite, and says so)
        if (a instanceof Expr.Num x && c instanceof Expr.Num y && foldable(x.value(), 1 / y.value(), x.value() / y.value())) {
            return num(x.value() / y.value());
        }
        if (a instanceof Expr.Neg n) {
            return neg(div(n.arg(), c));
        }
        return new Expr.Binary(BinaryOp.DIV, a, c);
    }

    Expr hadamard(Expr a, Expr b) {
        Shape sa = shape(a), sb = shape(b);
        if (isZero(a) || isZero(b)) {
            return zeros(sa.isScalar() ? sb : sa);
        }
        if (sa.isScalar() || sb.isScalar()) {
            return mul(a, b);
        }
        if (isOnes(a)) {
            return b;
        }
        if (isOnes(b)) {
            return a;
        }
        if (a instanceof Expr.Binary q && q.op() == BinaryOp.DIV) {
            return div(hadamard(q.left(), b), q.right());
        }
        if (b instanceof Expr.Binary q && q.op() == BinaryOp.DIV) {
            return div(hadamard(a, q.left()), q.right());
        }
        if (a instanceof Expr.Binary m && m.op() == BinaryOp.MUL && scalar(m.left()) && isOnes(m.right())) {
            return mul(m.left(), b);
        }
        if (b instanceof Expr.Binary m && m.op() == BinaryOp.MUL && scalar(m.left()) && isOnes(m.right())) {
            return mul(m.left(), a);
        }
        if (a instanceof Expr.Neg n) {
            return neg(hadamard(n.arg(), b));
        }
        if (b instanceof Expr.Neg n) {
            return neg(hadamard(a, n.arg()));
        }
        return new Expr.Binary(BinaryOp.HADAMARD, a, b);
    }

    Expr hadamardDiv(Expr a, Expr b) {
        Shape sa = shape(a), sb = shape(b);
        if (isZero(a)) {
            return zeros(sa.isScalar() ? sb : sa);
        }
        if (sb.isScalar()) {
            return div(a, b);
        }
        if (isOnes(b)) {
            return a;
        }
        return new Expr.Binary(BinaryOp.HADAMARD_DIV, a, b);
    }

    Expr pow(Expr a, Expr k) {
        if (isNum(k, 1)) {
            return a;
        }
        if (isNum(k, 0)) {
            return scalar(a) ? num(1) : eye(shape(a).rows());
        }
        if (a instanceof Expr.Num x && k instanceof Expr.Num y) {
            double v = Math.pow(x.value(), y.value());
            if (Double.isFinite(v)) {
                return num(v);
            }
        }
        return new Expr.Binary(BinaryOp.POW, a, k);
    }

    Expr elemPow(Expr a, Expr k) {
        if (isNum(k, 1)) {
            return a;
        }
        if (isNum(k, 0)) {
            return ones(shape(a).isScalar() ? shape(k) : shape(a));
        }
        return new Expr.Binary(BinaryOp.ELEM_POW, a, k);
    }

    /** a', pushed inward when that removes a transpose, dropped for symmetric a. */
    Expr transpose(Expr a) {
        Shape s = shape(a);
        if (s.isScalar()) {
            return a;
        }
        if (a instanceof Expr.Transpose t) {
            return t.arg();
        }
        if (a instanceof Expr.Zeros) {
            return zeros(s.transpose());
        }
        if (a instanceof Expr.Identity || isSymmetric(a)) {
            return a;
        }
        if (a instanceof Expr.Neg n) {
            return neg(transpose(n.arg()));
        }
        if (a instanceof Expr.Binary b) {
            switch (b.op()) {
                case MUL: {
                    if (scalar(b.left())) {
                        return mul(b.left(), transpose(b.right()));
                    }
                    if (scalar(b.right())) {
                        return mul(b.right(), transpose(b.left()));
                    }
                    List<Expr> fs = factors(a);
                    Expr pushed = null;
                    for (int i = fs.size() - 1; i >= 0; i--) {
                        Expr ft = transpose(fs.get(i));
                        pushed = pushed == null ? ft : mul(pushed, ft);
                    }
                    return transposes(pushed) <= transposes(a) ? pushed : new Expr.Transpose(a);
                }
                case ADD:
                case SUB: {
                    Expr l = transpose(b.left()), r = transpose(b.right());
                    Expr pushed = b.op() == BinaryOp.ADD ? add(l, r) : sub(l, r);
                    return transposes(pushed) <= transposes(a) ? pushed : new Expr.Transpose(a);
                }
                case DIV:
                    return div(transpose(b.left()), b.right());
                default:
                    break;
            }
        }
        if (a instanceof Expr.Call c && (c.fn() == Builtin.EXPM_FRECHET || c.fn() == Builtin.EXPM_FRECHET2)) {
            // expm's derivatives commute with transposition: expm_frechet(A, E)' = expm_frechet(A', E'), and
            // expm_frechet2(A, E, F)' = expm_frechet2(A', E', F')
            return call(c.fn(), c.args().stream().map(this::transpose).toArray(Expr[]::new));
        }
        if (a instanceof Expr.Call c && c.args().size() == 2) {
            // sylvester(S, C)' = sylvester(S, C') for symmetric S
            Expr first = c.args().get(0);
            if (c.fn() == Builtin.SYLVESTER) {
                return call(Builtin.SYLVESTER, first, transpose(c.args().get(1)));
            }
            if (c.fn() == Builtin.KRON) {
                // kron(A, B)' = kron(A', B')
                Expr pushed = kron(transpose(first), transpose(c.args().get(1)));
                if (transposes(pushed) <= transposes(a)) {
                    return pushed;
                }
            }
        }
        return new Expr.Transpose(a);
    }

    /** The factors of a matrix product A*B*C (scalar-times-matrix nodes stay whole). */
    List<Expr> factors(Expr e) {
        List<Expr> out = new ArrayList<>();
        collectFactors(e, out);
        return out;
    }

    private void collectFactors(Expr e, List<Expr> out) {
        if (e instanceof Expr.Binary b && b.op() == BinaryOp.MUL && !scalar(b.left()) && !scalar(b.right())) {
            collectFactors(b.left(), out);
            collectFactors(b.right(), out);
        } else {
            out.add(e);
        }
    }

    /** The left-associated product of fs[from..to). */
    Expr product(List<Expr> fs, int from, int to) {
        Expr r = fs.get(from);
        for (int i = from + 1; i < to; i++) {
            r = mul(r, fs.get(i));
        }
        return r;
    }

    private final Map<Expr, Integer> transposeCounts = new IdentityHashMap<>();

    /** How many transposes e prints with (memoised: engine trees share subtrees). */
    private int transposes(Expr e) {
        Integer k = transposeCounts.get(e);
        if (k == null) {
            k = countTransposes(e);
            transposeCounts.put(e, k);
        }
        return k;
    }

    private int countTransposes(Expr e) {
        if (e instanceof Expr.Transpose t) {
            return 1 + transposes(t.arg());
        }
        if (e instanceof Expr.Neg n) {
            return transposes(n.arg());
        }
        if (e instanceof Expr.Binary b) {
            return transposes(b.left()) + transposes(b.right());
        }
        if (e instanceof Expr.Call c) {
            int k = 0;
            for (Expr x : c.args()) {
                k += transposes(x);
            }
            return k;
        }
        if (e instanceof Expr.Elementwise f) {
            return transposes(f.arg());
        }
        return 0;
    }

    Expr call(Builtin fn, Expr... args) {
        return new Expr.Call(fn, List.of(args));
    }

    Expr tr(Expr a) {
        if (isZero(a)) {
            return num(0);
        }
        if (scalar(a)) {
            return a;
        }
        if (a instanceof Expr.Neg n) {
            return neg(tr(n.arg()));
        }
        if (a instanceof Expr.Binary b && b.op() == BinaryOp.MUL && scalar(b.left())) {
            return mul(b.left(), tr(b.right()));
        }
        return call(Builtin.TR, a);
    }

    Expr sum(Expr a) {
        if (isZero(a)) {
            return num(0);
        }
        if (a instanceof Expr.Var v && shapes.declOf(v.name()).has(Decl.Property.SIMPLEX)) {
            return num(1);
        }
        if (scalar(a)) {
            return a;
        }
        if (a instanceof Expr.Neg n) {
            return neg(sum(n.arg()));
        }
        return call(Builtin.SUM, a);
    }

    /** sum(a, k): column sums (k = 1) or row sums (k = 2); a sum over one entry is the entry. */
    Expr sumAxis(Expr a, int k) {
        Shape s = shape(a);
        Shape out = k == 1 ? new Shape(Size.ONE, s.cols()) : new Shape(s.rows(), Size.ONE);
        if (isZero(a)) {
            return zeros(out);
        }
        if ((k == 1 ? s.rows() : s.cols()).isOne()) {
            return a;
        }
        if (a instanceof Expr.Neg n) {
            return neg(sumAxis(n.arg(), k));
        }
        return call(Builtin.SUM_AXIS, a, num(k));
    }

    /**
     * Sums along dimension k spread back over shape s: row sums (k = 2, n x 1) times ones', or
     * ones times column sums (k = 1, 1 x m); the adjoint of sum(., k), and what softmax(X, k) subtracts.
     */
    Expr spread(Expr sums, int k, Shape s) {
        return k == 2 ? mul(sums, transpose(ones(Shape.vector(s.cols())))) : mul(ones(Shape.vector(s.rows())), sums);
    }

    /** A constant array of shape s with every entry the scalar v: v, vector(v, n), vector(v, n)' or matrix(v, n, m). */
    static Expr filled(Expr v, Shape s) {
        if (s.isScalar()) {
            return v;
        }
        if (s.isColumn()) {
            return new Expr.Fill(v, false, s.rows(), null);
        }
        if (s.isRow()) {
            return new Expr.Transpose(new Expr.Fill(v, false, s.cols(), null));
        }
        return new Expr.Fill(v, true, s.rows(), s.cols());
    }

    /** The inner product tr(a'*b) of two arrays of one shape, written as people write it. */
    Expr inner(Expr a, Expr b) {
        Shape s = shape(a);
        if (isZero(a) || isZero(b)) {
            return num(0);
        }
        if (s.isScalar()) {
            return mul(a, b);
        }
        if (s.isColumn()) {
            return mul(transpose(a), b);
        }
        if (s.isRow()) {
            return mul(a, transpose(b));
        }
        if (isOnes(a)) {
            return sum(b);
        }
        if (isOnes(b)) {
            return sum(a);
        }
        return sum(hadamard(a, b));
    }

    Expr diag(Expr a) {
        if (a instanceof Expr.Fill f && !f.matrix() && isNum(f.value(), 1)) {
            return eye(f.rows());
        }
        if (isZero(a)) {
            Shape s = shape(a);
            return zeros(s.isColumn() ? new Shape(s.rows(), s.rows()) : s.isRow() ? new Shape(s.cols(), s.cols())
                    : Shape.vector(s.rows()));
        }
        return call(Builtin.DIAG, a);
    }

    Expr vec(Expr a) {
        Shape s = shape(a);
        if (s.isColumn() || s.isScalar()) {
            return a;
        }
        if (isZero(a)) {
            return zeros(Shape.vector(Size.times(s.rows(), s.cols())));
        }
        if (s.isRow()) {
            return transpose(a);
        }
        return call(Builtin.VEC, a);
    }

    Expr kron(Expr a, Expr b) {
        Shape sa = shape(a), sb = shape(b);
        if (isZero(a) || isZero(b)) {
            return zeros(new Shape(Size.times(sa.rows(), sb.rows()), Size.times(sa.cols(), sb.cols())));
        }
        if (sa.isScalar()) {
            return mul(a, b);
        }
        if (sb.isScalar()) {
            return mul(b, a);
        }
        if (a instanceof Expr.Identity x && b instanceof Expr.Identity y) {
            return eye(Size.times(x.size(), y.size()));
        }
        return call(Builtin.KRON, a, b);
    }

    // ---- symmetry -----------------------------------------------------------------------------

    /** Whether e is symmetric for every value of its variables (a sufficient test). */
    boolean isSymmetric(Expr e) {
        Boolean known = symmetric.get(e);
        if (known == null) {
            known = symmetry.decide(e);
            symmetric.put(e, known);
        }
        return known;
    }

    private final Symmetry symmetry = new Symmetry() {
        protected Shape shape(Expr e) {
            return Ops.this.shape(e);
        }

        protected Decl declOf(String name) {
            return shapes.declOf(name);
        }

        protected List<Expr> factors(Expr product) {
            return Ops.this.factors(product);
        }

        protected boolean transposes(Expr a, Expr b) {
            return transpose(a).equals(b);
        }

        protected boolean recurse(Expr e) {
            return isSymmetric(e);
        }
    };

    // ---- presentation -------------------------------------------------------------------------

    /**
     * The tree as people write it: a minus in front of a product goes to its first factor,
     * {@code -(A*B)} -> {@code -A*B} (the parser reads {@code -A*B} as {@code (-A)*B}, so the
     * printed text reads back to this very tree).
     */
    static Expr present(Expr e) {
        return present(e, new IdentityHashMap<>());
    }

    private static Expr present(Expr e, Map<Expr, Expr> memo) {
        Expr r = memo.get(e);
        if (r == null) {
            r = presentNode(e, memo);
            memo.put(e, r);
        }
        return r;
    }

    private static Expr presentNode(Expr e, Map<Expr, Expr> memo) {
        if (e instanceof Expr.Neg n) {
            Expr a = present(n.arg(), memo);
            if (a instanceof Expr.Binary b && (b.op() == BinaryOp.MUL || b.op() == BinaryOp.DIV
                    || b.op() == BinaryOp.HADAMARD || b.op() == BinaryOp.HADAMARD_DIV)) {
                return new Expr.Binary(b.op(), present(new Expr.Neg(b.left()), memo), b.right());
            }
            if (a instanceof Expr.Num x) {
                return num(-x.value());
            }
            return new Expr.Neg(a);
        }
        if (e instanceof Expr.Transpose t) {
            return new Expr.Transpose(present(t.arg(), memo));
        }
        if (e instanceof Expr.Binary b) {
            return new Expr.Binary(b.op(), present(b.left(), memo), present(b.right(), memo));
        }
        if (e instanceof Expr.Call c) {
            List<Expr> args = new ArrayList<>();
            for (Expr a : c.args()) {
                args.add(present(a, memo));
            }
            return new Expr.Call(c.fn(), args);
        }
        if (e instanceof Expr.Elementwise f) {
            return new Expr.Elementwise(f.fn(), present(f.arg(), memo));
        }
        if (e instanceof Expr.Fill f) {
            return new Expr.Fill(present(f.value(), memo), f.matrix(), f.rows(), f.cols());
        }
        return e;
    }

    // ---- rebuilding ---------------------------------------------------------------------------

    /** The same tree rebuilt through the smart constructors (folds what substitution left). */
    Expr rebuild(Expr e) {
        return rebuild(e, (Expr) null);
    }

    /** As {@link #rebuild(Expr)}, leaving the subtree {@code keep} (by identity) as it is. */
    Expr rebuild(Expr e, Expr keep) {
        Map<Expr, Expr> memo = new IdentityHashMap<>();
        if (keep != null) {
            memo.put(keep, keep);
        }
        return rebuild(e, memo);
    }

    private Expr rebuild(Expr e, Map<Expr, Expr> memo) {
        Limits.checkInterrupted(); // a request past its time limit stops here, freeing its worker
        Expr r = memo.get(e);
        if (r == null) {
            r = rebuildNode(e, memo);
            memo.put(e, r);
        }
        return r;
    }

    private Expr filledOut(Expr number, Expr other) {
        Shape s = shape(other);
        if (!(number instanceof Expr.Num n) || s.isScalar()) {
            return number;
        }
        return n.value() == 1 ? ones(s) : mul(number, ones(s));
    }

    private Expr rebuildNode(Expr e, Map<Expr, Expr> memo) {
        if (e instanceof Expr.Neg n) {
            return neg(rebuild(n.arg(), memo));
        }
        if (e instanceof Expr.Transpose t) {
            return transpose(rebuild(t.arg(), memo));
        }
        if (e instanceof Expr.Binary b) {
            Expr l = rebuild(b.left(), memo), r = rebuild(b.right(), memo);
            if (b.op() == BinaryOp.ADD || b.op() == BinaryOp.SUB) {
                // a number in a template's sum (1 - tanh(x).^2) is filled out to the argument's shape
                l = filledOut(l, r);
                r = filledOut(r, l);
            }
            switch (b.op()) {
                case ADD:
                    return add(l, r);
                case SUB:
                    return sub(l, r);
                case MUL:
                    return mul(l, r);
                case DIV:
                    return div(l, r);
                case HADAMARD:
                    return hadamard(l, r);
                case HADAMARD_DIV:
                    return hadamardDiv(l, r);
                case POW:
                    return pow(l, r);
                case ELEM_POW:
                    return elemPow(l, r);
                default:
                    throw new AssertionError(b.op());
            }
        }
        if (e instanceof Expr.Call c) {
            List<Expr> args = new ArrayList<>();
            for (Expr a : c.args()) {
                args.add(rebuild(a, memo));
            }
            switch (c.fn()) {
                case TR:
                    return tr(args.get(0));
                case SUM:
                    return sum(args.get(0));
                case SUM_AXIS:
                    return sumAxis(args.get(0), Builtin.axisOf(c));
                case VEC:
                    return vec(args.get(0));
                case KRON:
                    return kron(args.get(0), args.get(1));
                default:
                    return new Expr.Call(c.fn(), args);
            }
        }
        if (e instanceof Expr.Elementwise f) {
            return new Expr.Elementwise(f.fn(), rebuild(f.arg(), memo));
        }
        if (e instanceof Expr.Fill f) {
            Expr v = rebuild(f.value(), memo);
            return isZero(v) ? zeros(shape(e)) : new Expr.Fill(v, f.matrix(), f.rows(), f.cols());
        }
        return e;
    }
}
