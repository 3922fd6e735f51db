package org.matcalc.expr;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * Structural equality and hashing of expression trees without recursion. The records' generated
 * equals and hashCode recurse through method handles at about 1 KB of stack per level, which
 * overflows a default thread stack on trees that the depth limit admits; these loops don't.
 * Semantics are those of the generated methods: numbers compare by {@link Double#compare}.
 */
final class Structural {
    private Structural() {
    }

    static boolean equal(Expr a, Object other) {
        if (a == other) {
            return true;
        }
        if (!(other instanceof Expr b) || a.getClass() != b.getClass()) {
            return false;
        }
        Deque<Expr> left = new ArrayDeque<>();
        Deque<Expr> right = new ArrayDeque<>();
        left.push(a);
        right.push(b);
        int steps = 0;
        while (!left.isEmpty()) {
            Expr x = left.pop();
            Expr y = right.pop();
            if ((++steps & 4095) == 0) {
                Limits.checkInterrupted(); // a comparison of two huge trees stops with its request
            }
            if (x == y) {
                continue;
            }
            if (x.getClass() != y.getClass() || !sameNode(x, y)) {
                return false;
            }
            List<Expr> kx = TreeDepth.children(x);
            List<Expr> ky = TreeDepth.children(y);
            if (kx.size() != ky.size()) {
                return false;
            }
            for (int i = 0; i < kx.size(); i++) {
                left.push(kx.get(i));
                right.push(ky.get(i));
            }
        }
        return true;
    }

    static int hash(Expr root) {
        int h = 1;
        Deque<Expr> todo = new ArrayDeque<>();
        todo.push(root);
        int steps = 0;
        while (!todo.isEmpty()) {
            Expr e = todo.pop();
            if ((++steps & 4095) == 0) {
                Limits.checkInterrupted();
            }
            // The pre-order sequence of nodes determines the tree, since each node fixes its arity.
            h = 31 * h + localHash(e);
            List<Expr> kids = TreeDepth.children(e);
            for (int i = kids.size() - 1; i >= 0; i--) {
                todo.push(kids.get(i));
            }
        }
        return h;
    }

    /** Equality of everything but the children; x and y have the same class. */
    private static boolean sameNode(Expr x, Expr y) {
        if (x instanceof Expr.Num n) {
            return Double.compare(n.value(), ((Expr.Num) y).value()) == 0;
        }
        if (x instanceof Expr.Var v) {
            return v.name().equals(((Expr.Var) y).name());
        }
        if (x instanceof Expr.Binary b) {
            return b.op() == ((Expr.Binary) y).op();
        }
        if (x instanceof Expr.Call c) {
            return c.fn() == ((Expr.Call) y).fn();
        }
        if (x instanceof Expr.Elementwise f) {
            return f.fn() == ((Expr.Elementwise) y).fn();
        }
        if (x instanceof Expr.Identity i) {
            return Objects.equals(i.size(), ((Expr.Identity) y).size());
        }
        if (x instanceof Expr.Zeros z) {
            Expr.Zeros w = (Expr.Zeros) y;
            return z.rows().equals(w.rows()) && z.cols().equals(w.cols());
        }
        if (x instanceof Expr.Fill f) {
            Expr.Fill g = (Expr.Fill) y;
            return f.matrix() == g.matrix() && Objects.equals(f.rows(), g.rows()) && Objects.equals(f.cols(), g.cols());
        }
        if (x instanceof Expr.Commutation c) {
            Expr.Commutation d = (Expr.Commutation) y;
            return c.m().equals(d.m()) && c.n().equals(d.n());
        }
        if (x instanceof Expr.Neg || x instanceof Expr.Transpose) {
            return true;
        }
        throw new AssertionError(x);
    }

    private static int localHash(Expr e) {
        int h = e.getClass().getSimpleName().hashCode();
        if (e instanceof Expr.Num n) {
            return 31 * h + Double.hashCode(n.value());
        }
        if (e instanceof Expr.Var v) {
            return 31 * h + v.name().hashCode();
        }
        if (e instanceof Expr.Binary b) {
            return 31 * h + b.op().ordinal();
        }
        if (e instanceof Expr.Call c) {
            return 31 * h + c.fn().ordinal();
        }
        if (e instanceof Expr.Elementwise f) {
            return 31 * h + f.fn().ordinal();
        }
        if (e instanceof Expr.Identity i) {
            return 31 * h + Objects.hashCode(i.size());
        }
        if (e instanceof Expr.Zeros z) {
            return Objects.hash(h, z.rows(), z.cols());
        }
        if (e instanceof Expr.Fill f) {
            return Objects.hash(h, f.matrix(), f.rows(), f.cols());
        }
        if (e instanceof Expr.Commutation c) {
            return Objects.hash(h, c.m(), c.n());
        }
        return h;
    }
}
