package org.matcalc.expr;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Replaces variables by expressions throughout a tree. */
public final class Substitution {
    private Substitution() {
    }

    /**
     * {@code e} with every variable named in {@code byName} replaced. A shared subtree is
     * rewritten once (the derivatives of long products share most of their nodes: written out as
     * trees they are exponentially larger), and a request past its time limit stops here.
     */
    public static Expr replace(Expr e, Map<String, ? extends Expr> byName) {
        return new Replacer(byName).go(e);
    }

    private static final class Replacer implements Expr.Visitor<Expr> {
        private final Map<String, ? extends Expr> byName;
        private final Map<Expr, Expr> done = new IdentityHashMap<>();

        Replacer(Map<String, ? extends Expr> byName) {
            this.byName = byName;
        }

        Expr go(Expr x) {
            Expr r = done.get(x);
            if (r == null) {
                Limits.checkInterrupted();
                r = x.accept(this);
                done.put(x, r);
            }
            return r;
        }

        public Expr num(Expr.Num n) {
            return n;
        }

        public Expr var(Expr.Var v) {
            Expr r = byName.get(v.name());
            return r == null ? v : r;
        }

        public Expr neg(Expr.Neg n) {
            return new Expr.Neg(go(n.arg()));
        }

        public Expr transpose(Expr.Transpose t) {
            return new Expr.Transpose(go(t.arg()));
        }

        public Expr binary(Expr.Binary b) {
            return new Expr.Binary(b.op(), go(b.left()), go(b.right()));
        }

        public Expr call(Expr.Call c) {
            List<Expr> args = new ArrayList<>();
            for (Expr a : c.args()) {
                args.add(go(a));
            }
            return new Expr.Call(c.fn(), args);
        }

        public Expr elementwise(Expr.Elementwise f) {
            return new Expr.Elementwise(f.fn(), go(f.arg()));
        }

        public Expr identity(Expr.Identity i) {
            return i;
        }

        public Expr zeros(Expr.Zeros z) {
            return z;
        }

        public Expr fill(Expr.Fill f) {
            return new Expr.Fill(go(f.value()), f.matrix(), f.rows(), f.cols());
        }

        public Expr commutation(Expr.Commutation c) {
            return c;
        }
    }
}
