package org.matcalc.expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Replaces variables by expressions throughout a tree. */
public final class Substitution {
    private Substitution() {
    }

    public static Expr replace(Expr e, Map<String, ? extends Expr> byName) {
        return e.accept(new Expr.Visitor<Expr>() {
            public Expr num(Expr.Num n) {
                return n;
            }

            public Expr var(Expr.Var v) {
                Expr r = byName.get(v.name());
                return r == null ? v : r;
            }

            public Expr neg(Expr.Neg n) {
                return new Expr.Neg(n.arg().accept(this));
            }

            public Expr transpose(Expr.Transpose t) {
                return new Expr.Transpose(t.arg().accept(this));
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
                return i;
            }

            public Expr zeros(Expr.Zeros z) {
                return z;
            }

            public Expr fill(Expr.Fill f) {
                return new Expr.Fill(f.value().accept(this), f.matrix(), f.rows(), f.cols());
            }

            public Expr commutation(Expr.Commutation c) {
                return c;
            }
        });
    }
}
