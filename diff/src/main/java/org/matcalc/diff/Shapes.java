package org.matcalc.diff;

import java.util.IdentityHashMap;
import java.util.Map;

import org.matcalc.expr.Decl;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.expr.Shape;
import org.matcalc.expr.Size;

/**
 * Shapes of engine-built trees. The engine first gives every variable explicit sizes and every
 * {@code eye}/fill explicit sizes (see {@link Derivatives}), so shapes follow bottom-up without
 * unification; the input was checked by the Typer, and the rules only build well-shaped trees.
 */
final class Shapes {
    private final Declarations decls;
    private final Map<Expr, Shape> memo = new IdentityHashMap<>();

    Shapes(Declarations decls) {
        this.decls = decls;
    }

    Declarations declarations() {
        return decls;
    }

    Decl declOf(String name) {
        return decls.get(name).orElseThrow(() -> new AssertionError("undeclared in the engine: " + name));
    }

    Shape of(Expr e) {
        Shape s = memo.get(e);
        if (s == null) {
            s = compute(e);
            memo.put(e, s);
        }
        return s;
    }

    private Shape compute(Expr e) {
        if (e instanceof Expr.Num) {
            return Shape.SCALAR;
        }
        if (e instanceof Expr.Var v) {
            return declOf(v.name()).shape();
        }
        if (e instanceof Expr.Neg n) {
            return of(n.arg());
        }
        if (e instanceof Expr.Transpose t) {
            return of(t.arg()).transpose();
        }
        if (e instanceof Expr.Binary b) {
            return b.op().resultShape(of(b.left()), of(b.right()));
        }
        if (e instanceof Expr.Call c) {
            java.util.List<Shape> args = new java.util.ArrayList<>();
            for (Expr a : c.args()) {
                args.add(of(a));
            }
            return c.fn().resultShape(c, args);
        }
        if (e instanceof Expr.Elementwise f) {
            return of(f.arg());
        }
        if (e instanceof Expr.Identity i) {
            if (i.size() == null) {
                throw new AssertionError("eye without a size in the engine");
            }
            return new Shape(i.size(), i.size());
        }
        if (e instanceof Expr.Zeros z) {
            return new Shape(z.rows(), z.cols());
        }
        if (e instanceof Expr.Fill f) {
            if (f.rows() == null) {
                throw new AssertionError("fill without sizes in the engine");
            }
            return new Shape(f.rows(), f.matrix() ? f.cols() : Size.ONE);
        }
        if (e instanceof Expr.Commutation k) {
            Size mn = Size.times(k.m(), k.n());
            return new Shape(mn, mn);
        }
        throw new AssertionError(e);
    }
}
