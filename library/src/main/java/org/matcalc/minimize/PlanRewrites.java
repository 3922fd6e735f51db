package org.matcalc.minimize;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.matcalc.expr.BinaryOp;
import org.matcalc.expr.Builtin;
import org.matcalc.expr.Decl;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.Shape;
import org.matcalc.expr.Size;
import org.matcalc.expr.SourceMap;
import org.matcalc.expr.TreeDepth;
import org.matcalc.expr.Typer;
import org.matcalc.expr.Typing;
import org.matcalc.numeric.Evaluator;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.Plan;

/**
 * Rewrites of a formula that give the same value at a fraction of the cost, applied before it
 * is compiled for evaluation (the printed formula is untouched). {@link Constants} computes the
 * subexpressions that depend on data only ({@code X'}, {@code y'*X}) once, not at every trial
 * point. And a
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

    /**
     * Subexpressions free of the variable, computed once from the data and replaced by names
     * ({@code const$0}, ...) whose values are kept here; shared by the objective, gradient and
     * Hessian so equal subtrees are computed once.
     */
    static final class Constants {
        private final String wrt;
        private final Map<String, Mat> data;
        private final Map<Expr, String> names = new HashMap<>();
        private final Map<String, Mat> values = new LinkedHashMap<>();
        private final Map<String, Decl> decls = new LinkedHashMap<>();

        Constants(String wrt, Map<String, Mat> data) {
            this.wrt = wrt;
            this.data = data;
        }

        /** The hoisted values, to add to the data at every evaluation. */
        Map<String, Mat> values() {
            return values;
        }

        /** {@code decls} with the hoisted names declared by their values' shapes. */
        Declarations declare(Declarations base) {
            Declarations out = base;
            for (Map.Entry<String, Decl> d : decls.entrySet()) {
                out = out.with(d.getKey(), d.getValue());
            }
            return out;
        }

        /** {@code e} with its largest variable-free compound subexpressions replaced by names. */
        Expr hoist(Expr e, Declarations exprDecls) {
            return walk(e, exprDecls);
        }

        /** Compiles {@code e} with its constants hoisted, for the variables' {@code shapes}. */
        Plan compile(Expr e, Declarations exprDecls, Map<String, Shape> shapes) {
            return compile(List.of(e), exprDecls, shapes);
        }

        /**
         * Compiles {@code roots} with their constants hoisted into one plan with an output per
         * root, sharing their common subexpressions ({@link Plan#runAll}).
         */
        Plan compile(List<Expr> roots, Declarations exprDecls, Map<String, Shape> shapes) {
            List<Expr> hoisted = new ArrayList<>();
            for (Expr e : roots) {
                hoisted.add(hoist(e, exprDecls));
            }
            Map<String, Shape> all = new LinkedHashMap<>(shapes);
            all.putAll(Evaluator.shapesOf(values));
            return Evaluator.compile(hoisted, declare(exprDecls), SourceMap.EMPTY, all, Map.of());
        }

        private Expr walk(Expr e, Declarations exprDecls) {
            List<Expr> kids = TreeDepth.children(e);
            if (kids.isEmpty()) {
                return e;
            }
            if (!TreeDepth.variables(e).contains(wrt)) {
                String known = names.get(e);
                if (known != null) {
                    return new Expr.Var(known);
                }
                try {
                    // Context-sized leaves (eye, vector(1)) may not evaluate on their own; then look inside.
                    Mat v = Evaluator.evaluate(e, exprDecls, data);
                    String name = "const$" + names.size();
                    names.put(e, name);
                    values.put(name, v);
                    decls.put(name, declOf(v));
                    return new Expr.Var(name);
                } catch (MatcalcException ex) {
                    // fall through to the children
                }
            }
            if (e instanceof Expr.Binary b) {
                return new Expr.Binary(b.op(), walk(b.left(), exprDecls), walk(b.right(), exprDecls));
            }
            if (e instanceof Expr.Neg n) {
                return new Expr.Neg(walk(n.arg(), exprDecls));
            }
            if (e instanceof Expr.Transpose t) {
                return new Expr.Transpose(walk(t.arg(), exprDecls));
            }
            if (e instanceof Expr.Elementwise f) {
                return new Expr.Elementwise(f.fn(), walk(f.arg(), exprDecls));
            }
            if (e instanceof Expr.Call c) {
                List<Expr> args = new ArrayList<>();
                for (Expr a : c.args()) {
                    args.add(walk(a, exprDecls));
                }
                return new Expr.Call(c.fn(), args);
            }
            if (e instanceof Expr.Fill f) {
                return new Expr.Fill(walk(f.value(), exprDecls), f.matrix(), f.rows(), f.cols());
            }
            throw new AssertionError(e);
        }

        private static Decl declOf(Mat v) {
            if (v.isScalar()) {
                return Decl.scalar();
            }
            if (v.cols() == 1) {
                return Decl.vector(Size.of(v.rows()));
            }
            if (v.rows() == 1) {
                return new Decl(Decl.VarKind.ROWVECTOR, Size.ONE, Size.of(v.cols()), java.util.Set.of(), false);
            }
            return Decl.matrix(Size.of(v.rows()), Size.of(v.cols()));
        }
    }

    private static Expr ones(Size n) {
        return new Expr.Fill(new Expr.Num(1), false, n, null);
    }
}
