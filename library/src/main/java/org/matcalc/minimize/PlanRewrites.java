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
 * is compiled for evaluation (the printed formula is untouched): {@link Constants} computes the
 * subexpressions that depend on data only ({@code y'*X}) once, not at every trial point. (Products
 * by diag(v), transposes and the like are the plan's own structure rules: numeric's Plan.)
 */
final class PlanRewrites {
    private PlanRewrites() {
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

        /**
         * A transpose or negation of a name: the plan folds it into the product that reads it
         * (-X'*v as -(X'*v)), so computing it once would only copy the data.
         */
        private static boolean foldedByThePlan(Expr e) {
            while (e instanceof Expr.Neg || e instanceof Expr.Transpose) {
                e = e instanceof Expr.Neg n ? n.arg() : ((Expr.Transpose) e).arg();
            }
            return e instanceof Expr.Var;
        }

        private Expr walk(Expr e, Declarations exprDecls) {
            List<Expr> kids = TreeDepth.children(e);
            if (kids.isEmpty()) {
                return e;
            }
            if (!TreeDepth.variables(e).contains(wrt) && !foldedByThePlan(e)) {
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
