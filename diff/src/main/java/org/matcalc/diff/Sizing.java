package org.matcalc.diff;

import java.util.ArrayList;
import java.util.List;

import org.matcalc.expr.Expr;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.Shape;
import org.matcalc.expr.Size;
import org.matcalc.expr.Typing;

/**
 * Writes the sizes the Typer inferred into the tree: {@code eye} becomes {@code eye(n)} and
 * {@code vector(c)} / {@code matrix(c)} get explicit sizes, so that derivatives never contain
 * context-sized constants (they would not be sized by the derivative's own context).
 */
final class Sizing {
    private Sizing() {
    }

    static Expr explicit(Expr e, Typing t) {
        return e.accept(new Expr.Visitor<Expr>() {
            public Expr num(Expr.Num n) {
                return n;
            }

            public Expr var(Expr.Var v) {
                return v;
            }

            public Expr neg(Expr.Neg n) {
                return new Expr.Neg(n.arg().accept(this));
            }

            public Expr transpose(Expr.Transpose x) {
                return new Expr.Transpose(x.arg().accept(this));
            }

            public Expr binary(Expr.Binary b) {
                return new Expr.Binary(b.op(), b.left().accept(this), b.right().accept(this));
            }

            public Expr call(Expr.Call c) {
                List<Expr> args = new ArrayList<>();
                for (Expr a : c.args()) {
                    args.add(a.accept(this));
                }
                return new Expr.Call(c.fn(), args);
            }

            public Expr elementwise(Expr.Elementwise f) {
                return new Expr.Elementwise(f.fn(), f.arg().accept(this));
            }

            public Expr identity(Expr.Identity i) {
                return i.size() != null ? i : new Expr.Identity(known(t.shapeOf(i).rows(), "eye"));
            }

            public Expr zeros(Expr.Zeros z) {
                return z;
            }

            public Expr fill(Expr.Fill f) {
                Expr v = f.value().accept(this);
                if (f.rows() != null) {
                    return new Expr.Fill(v, f.matrix(), f.rows(), f.cols());
                }
                Shape s = t.shapeOf(f);
                String what = f.matrix() ? "matrix(c)" : "vector(c)";
                return new Expr.Fill(v, f.matrix(), known(s.rows(), what), f.matrix() ? known(s.cols(), what) : null);
            }

            public Expr commutation(Expr.Commutation c) {
                return c;
            }
        });
    }

    private static Size known(Size s, String what) {
        if (s instanceof Size.Unknown || s instanceof Size.Prod p && p.factors().stream().anyMatch(x -> x instanceof Size.Unknown)) {
            throw new MatcalcException(MatcalcException.Kind.REQUEST, "the size of " + what
                    + " cannot be inferred from the expression; write it explicitly, e.g. eye(n) or vector(1, n)");
        }
        return s;
    }
}
