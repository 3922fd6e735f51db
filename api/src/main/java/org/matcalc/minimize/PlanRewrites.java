package org.matcalc.minimize;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.matcalc.expr.BinaryOp;
import org.matcalc.expr.Builtin;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.expr.Shape;
import org.matcalc.expr.Size;
import org.matcalc.expr.SourceMap;
import org.matcalc.expr.Typer;
import org.matcalc.expr.Typing;

/**
 * Rewrites of a formula that give the same value at a fraction of the cost, applied before it
 * is compiled for evaluation (the printed formula is untouched). The one that matters: a
 * Hessian such as {@code X'*diag(s)*X} (logistic regression) would form the n x n matrix
 * diag(s) — 10^8 entries for 10,000 rows — where scaling the rows of X suffices:
 * {@code A*diag(v) = A .* (vector(1, p)*v')} and {@code diag(v)*A = (v*vector(1, q)') .* A},
 * which cost as much as A itself.
 */
final class PlanRewrites {
    private PlanRewrites() {
    }

    /** {@code e} with every product by diag(vector) turned into a Hadamard product of the same value. */
    static Expr cheaper(Expr e, Declarations decls, Map<String, Shape> shapes) {
        Typing typing = Typer.check(e, decls, SourceMap.EMPTY, Map.of(), shapes);
        return rewrite(e, typing);
    }

    private static Expr rewrite(Expr e, Typing typing) {
        if (e instanceof Expr.Binary b) {
            Expr l = rewrite(b.left(), typing);
            Expr r = rewrite(b.right(), typing);
            if (b.op() == BinaryOp.MUL) {
                Shape ls = typing.shapeOf(b.left()), rs = typing.shapeOf(b.right());
                Expr v = diagonalOf(b.right(), typing);
                if (v != null && !ls.isScalar()) {
                    // A*diag(v): column j of A times v_j.
                    Expr vr = rewrite(v, typing);
                    return new Expr.Binary(BinaryOp.HADAMARD, l,
                            new Expr.Binary(BinaryOp.MUL, ones(ls.rows()), new Expr.Transpose(vr)));
                }
                v = diagonalOf(b.left(), typing);
                if (v != null && !rs.isScalar()) {
                    // diag(v)*A: row i of A times v_i.
                    Expr vr = rewrite(v, typing);
                    return new Expr.Binary(BinaryOp.HADAMARD,
                            new Expr.Binary(BinaryOp.MUL, vr, new Expr.Transpose(ones(rs.cols()))), r);
                }
            }
            return new Expr.Binary(b.op(), l, r);
        }
        if (e instanceof Expr.Neg n) {
            return new Expr.Neg(rewrite(n.arg(), typing));
        }
        if (e instanceof Expr.Transpose t) {
            return new Expr.Transpose(rewrite(t.arg(), typing));
        }
        if (e instanceof Expr.Elementwise f) {
            return new Expr.Elementwise(f.fn(), rewrite(f.arg(), typing));
        }
        if (e instanceof Expr.Call c) {
            List<Expr> args = new ArrayList<>();
            for (Expr a : c.args()) {
                args.add(rewrite(a, typing));
            }
            return new Expr.Call(c.fn(), args);
        }
        if (e instanceof Expr.Fill f) {
            return new Expr.Fill(rewrite(f.value(), typing), f.matrix(), f.rows(), f.cols());
        }
        // Leaves: Num, Var, Identity, Zeros, Commutation.
        return e;
    }

    /** v when {@code e} is diag(v) of a column vector v (not of a scalar, not of a matrix), else null. */
    private static Expr diagonalOf(Expr e, Typing typing) {
        if (e instanceof Expr.Call c && c.fn() == Builtin.DIAG) {
            Expr v = c.args().get(0);
            Shape s = typing.shapeOf(v);
            return s.isColumn() && !s.isScalar() ? v : null;
        }
        return null;
    }

    private static Expr ones(Size n) {
        return new Expr.Fill(new Expr.Num(1), false, n, null);
    }
}
