package org.matcalc.numeric;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.matcalc.expr.BinaryOp;
import org.matcalc.expr.Builtin;
import org.matcalc.expr.Expr;
import org.matcalc.expr.Shape;
import org.matcalc.expr.SourceMap;
import org.matcalc.expr.Typer;
import org.matcalc.expr.Typing;

/**
 * Rewrites applied to a typed expression before it is planned, so that the plan's structure
 * rules ({@link Plan.Fused}) see the products they know. Each is an identity of matrix algebra,
 * named by a {@link Rule}, and checked by value against the expression as written
 * (StructuredPlanTest). The derivative engine writes Hessians as products of diagonal matrices,
 * such as {@code X'*diag(y)*(diag(a) - diag(b)*diag(a)*diag(a))*diag(c)*diag(y)*X}; here that
 * becomes {@code X'*diag(y.*(a - b.*a.*a).*c.*y)*X}, which the plan computes as one scaled
 * inner product without forming any m x m matrix.
 */
final class EvaluationForm {
    /** The rewrites, each an identity. */
    enum Rule {
        NEGATION_OUT_OF_PRODUCT("(-A)*B = A*(-B) = -(A*B): the product's structure shows (-X'*v as -(X'*v))"),
        SCALAR_OUT_OF_PRODUCT("(c*A)*B = A*(c*B) = c*(A*B), and /c alike: the product's structure shows (2*X'*X as 2*(X'*X))"),
        DIAGONAL_ALGEBRA("sums, differences, products, multiples and transposes of diag(v)s are diag of the same "
                + "operations on their vectors (diag(a) - diag(b)*diag(a) = diag(a - b.*a))"),
        DIAGONAL_CHAIN("adjacent diag(a)*diag(b) in a product chain = diag(a.*b)");

        private final String description;

        Rule(String description) {
            this.description = description;
        }

        String rule() {
            return name().toLowerCase().replace('_', ' ') + ": " + description;
        }
    }

    private final Typing typing;
    private final Map<Expr, Shape> made = new IdentityHashMap<>();
    private final Map<Expr, Expr> done = new IdentityHashMap<>();
    private final Set<Rule> applied = new LinkedHashSet<>();

    private EvaluationForm(Typing typing) {
        this.typing = typing;
    }

    /** The typing of the rewritten tree (the same typing when no rule applies), with the rules applied noted in {@code notes}. */
    static Typing apply(Typing typing, SourceMap spans, Map<String, Integer> sizes, List<String> notes) {
        EvaluationForm f = new EvaluationForm(typing);
        Expr root = f.rewrite(typing.root());
        if (root == typing.root()) {
            return typing;
        }
        for (Rule r : f.applied) {
            notes.add(r.rule());
        }
        return Typer.check(root, typing.declarations(), spans, sizes, typing.variables());
    }

    private Shape shape(Expr e) {
        Shape s = made.get(e);
        return s != null ? s : typing.shapeOf(e);
    }

    private Expr make(Expr e, Shape s) {
        made.put(e, s);
        return e;
    }

    private boolean scalar(Expr e) {
        return shape(e).isScalar();
    }

    private Expr rewrite(Expr e) {
        Expr known = done.get(e);
        if (known != null) {
            return known;
        }
        Expr r = rewriteNode(withChildren(e));
        done.put(e, r);
        return r;
    }

    /** {@code e} over its rewritten children (itself when none changed). */
    private Expr withChildren(Expr e) {
        Expr out = e;
        if (e instanceof Expr.Neg n) {
            Expr a = rewrite(n.arg());
            out = a == n.arg() ? e : new Expr.Neg(a);
        } else if (e instanceof Expr.Transpose t) {
            Expr a = rewrite(t.arg());
            out = a == t.arg() ? e : new Expr.Transpose(a);
        } else if (e instanceof Expr.Binary b) {
            Expr l = rewrite(b.left()), r = rewrite(b.right());
            out = l == b.left() && r == b.right() ? e : new Expr.Binary(b.op(), l, r);
        } else if (e instanceof Expr.Call c) {
            List<Expr> args = new ArrayList<>();
            boolean same = true;
            for (Expr a : c.args()) {
                Expr ra = rewrite(a);
                same &= ra == a;
                args.add(ra);
            }
            out = same ? e : new Expr.Call(c.fn(), args);
        } else if (e instanceof Expr.Elementwise f) {
            Expr a = rewrite(f.arg());
            out = a == f.arg() ? e : new Expr.Elementwise(f.fn(), a);
        } else if (e instanceof Expr.Fill f) {
            Expr v = rewrite(f.value());
            out = v == f.value() ? e : new Expr.Fill(v, f.matrix(), f.rows(), f.cols());
        } // the rest are leaves
        return out == e ? e : make(out, shape(e));
    }

    private Expr rewriteNode(Expr e) {
        Shape s = shape(e);
        if (!isPlainDiag(e)) {
            Expr d = diagonal(e);
            if (d != null) {
                applied.add(Rule.DIAGONAL_ALGEBRA);
                return diag(d, s);
            }
        }
        if (e instanceof Expr.Binary b && b.op() == BinaryOp.MUL && !scalar(b.left()) && !scalar(b.right())) {
            if (b.left() instanceof Expr.Neg n) {
                applied.add(Rule.NEGATION_OUT_OF_PRODUCT);
                return make(new Expr.Neg(rewriteNode(make(new Expr.Binary(BinaryOp.MUL, n.arg(), b.right()), s))), s);
            }
            if (b.right() instanceof Expr.Neg n) {
                applied.add(Rule.NEGATION_OUT_OF_PRODUCT);
                return make(new Expr.Neg(rewriteNode(make(new Expr.Binary(BinaryOp.MUL, b.left(), n.arg()), s))), s);
            }
            for (int side = 0; side < 2; side++) {
                Expr factor = side == 0 ? b.left() : b.right();
                if (factor instanceof Expr.Binary m && (m.op() == BinaryOp.MUL || m.op() == BinaryOp.DIV)
                        && (scalar(m.left()) != scalar(m.right()))) {
                    boolean scalarLeft = scalar(m.left());
                    if (m.op() == BinaryOp.DIV && scalarLeft) {
                        continue; // c/A is not a multiple of A
                    }
                    Expr c = scalarLeft ? m.left() : m.right(), a = scalarLeft ? m.right() : m.left();
                    Expr inner = rewriteNode(make(new Expr.Binary(BinaryOp.MUL, side == 0 ? a : b.left(), side == 0 ? b.right() : a), s));
                    applied.add(Rule.SCALAR_OUT_OF_PRODUCT);
                    return make(m.op() == BinaryOp.DIV ? new Expr.Binary(BinaryOp.DIV, inner, c) : new Expr.Binary(BinaryOp.MUL, c, inner), s);
                }
            }
            return mergedDiagonals(b);
        }
        return e;
    }

    /** A product chain with adjacent diag(a)*diag(b) merged into diag(a.*b); the product itself when none are adjacent. */
    private Expr mergedDiagonals(Expr.Binary product) {
        List<Expr> fs = org.matcalc.expr.TreeDepth.productFactors(product, this::scalar);
        List<Expr> merged = new ArrayList<>();
        boolean changed = false;
        for (Expr f : fs) {
            Expr last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && isPlainDiag(last) && isPlainDiag(f)) {
                Expr a = vectorOf(last), b = vectorOf(f);
                merged.set(merged.size() - 1, diag(make(new Expr.Binary(BinaryOp.HADAMARD, a, b), shape(a)), shape(last)));
                changed = true;
            } else {
                merged.add(f);
            }
        }
        if (!changed) {
            return product;
        }
        applied.add(Rule.DIAGONAL_CHAIN);
        Expr out = merged.get(0);
        for (int i = 1; i < merged.size(); i++) {
            Expr r = merged.get(i);
            out = make(new Expr.Binary(BinaryOp.MUL, out, r), new Shape(shape(out).rows(), shape(r).cols()));
        }
        return out;
    }

    /** diag(v) of a vector v with more than one entry. */
    private boolean isPlainDiag(Expr e) {
        return e instanceof Expr.Call c && c.fn() == Builtin.DIAG && shape(c.arg()).isVector() && !shape(c.arg()).isScalar();
    }

    /** v of diag(v), as a column. */
    private Expr vectorOf(Expr plainDiag) {
        Expr v = ((Expr.Call) plainDiag).arg();
        Shape s = shape(v);
        return s.isColumn() ? v : make(new Expr.Transpose(v), s.transpose());
    }

    private Expr diag(Expr column, Shape square) {
        return make(new Expr.Call(Builtin.DIAG, List.of(column)), square);
    }

    /**
     * The diagonal of {@code e} as a column, when {@code e} is an algebraic combination of
     * diag(v)s (so itself diagonal); null otherwise.
     */
    private Expr diagonal(Expr e) {
        if (isPlainDiag(e)) {
            return vectorOf(e);
        }
        Shape s = shape(e);
        if (s.isScalar() || s.isVector()) {
            return null;
        }
        Shape column = new Shape(s.rows(), Shape.SCALAR.cols());
        if (e instanceof Expr.Neg n) {
            Expr d = diagonal(n.arg());
            return d == null ? null : make(new Expr.Neg(d), column);
        }
        if (e instanceof Expr.Transpose t) {
            return diagonal(t.arg());
        }
        if (!(e instanceof Expr.Binary b)) {
            return null;
        }
        boolean ls = scalar(b.left()), rs = scalar(b.right());
        switch (b.op()) {
            case ADD, SUB -> {
                if (ls || rs) {
                    return null; // a scalar added to every entry is not diagonal
                }
                Expr l = diagonal(b.left()), r = diagonal(b.right());
                return l == null || r == null ? null : make(new Expr.Binary(b.op(), l, r), column);
            }
            case MUL, HADAMARD -> {
                if (ls || rs) {
                    Expr d = diagonal(ls ? b.right() : b.left());
                    return d == null ? null
                            : make(new Expr.Binary(BinaryOp.MUL, ls ? b.left() : d, ls ? d : b.right()), column);
                }
                Expr l = diagonal(b.left()), r = diagonal(b.right());
                return l == null || r == null ? null : make(new Expr.Binary(BinaryOp.HADAMARD, l, r), column);
            }
            case DIV -> {
                Expr d = rs ? diagonal(b.left()) : null;
                return d == null ? null : make(new Expr.Binary(BinaryOp.DIV, d, b.right()), column);
            }
            default -> {
                return null;
            }
        }
    }
}
