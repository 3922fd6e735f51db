package org.matcalc.numeric;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.expr.Parsed;
import org.matcalc.expr.Shape;
import org.matcalc.expr.Size;
import org.matcalc.expr.SourceMap;
import org.matcalc.expr.Typer;
import org.matcalc.expr.Typing;

/**
 * Dense evaluation of an expression: compiled once to a {@link Plan} for given variable shapes
 * (shared subexpressions computed once), then run on values as often as needed.
 */
public final class Evaluator {
    private Evaluator() {
    }

    /** The value of {@code e}; sizes are read off the values. */
    public static Mat evaluate(Expr e, Declarations decls, Map<String, Mat> values) {
        return evaluate(e, decls, values, Map.of());
    }

    /** The value of {@code e}, with size symbols bound by {@code sizes} (e.g. n = 5) as well. */
    public static Mat evaluate(Expr e, Declarations decls, Map<String, Mat> values, Map<String, Integer> sizes) {
        return compile(e, decls, SourceMap.EMPTY, shapesOf(values), sizes).run(values);
    }

    /** The value of a parsed expression; errors point into its source. */
    public static Mat evaluate(Parsed p, Declarations decls, Map<String, Mat> values, Map<String, Integer> sizes) {
        return compile(p.expr(), decls, p.spans(), shapesOf(values), sizes).run(values);
    }

    /** Compiles {@code e} for variables of the given shapes. */
    public static Plan compile(Expr e, Declarations decls, SourceMap spans, Map<String, Shape> shapes,
                               Map<String, Integer> sizes) {
        Typing typing = Typer.check(e, decls, spans, sizes, shapes);
        return Plan.of(typing, spans, sizes);
    }

    /**
     * A plan that evaluates every node as written, with none of the plan's structure rules: the
     * baseline the structured plan is compared with (StructuredPlanTest, bench's StructuredPlanBench).
     */
    public static Plan compileAsWritten(Expr e, Declarations decls, Map<String, Shape> shapes, Map<String, Integer> sizes) {
        return Plan.of(List.of(Typer.check(e, decls, SourceMap.EMPTY, sizes, shapes)), SourceMap.EMPTY, sizes, false);
    }

    /** Compiles a typed expression; size symbols that no variable fixes come from {@code sizes}. */
    public static Plan compile(Typing typing, Map<String, Integer> sizes) {
        return Plan.of(typing, SourceMap.EMPTY, sizes);
    }

    /**
     * Compiles several expressions into one plan whose {@link Plan#runAll} returns their values
     * in order, each subexpression they share (equal subtree, same shape) computed once: e.g. an
     * objective and its gradient, which share {@code X*w} in {@code sum(softplus(X*w))} and
     * {@code X'*(sigmoid(X*w) - y)}. Each expression is typed on its own against the same
     * declarations, shapes and sizes; {@code spans} locates errors in any of them.
     *
     * @param roots at least one expression. Not modified.
     */
    public static Plan compile(List<Expr> roots, Declarations decls, SourceMap spans, Map<String, Shape> shapes,
                               Map<String, Integer> sizes) {
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("nothing to compile: no expressions");
        }
        List<Typing> typings = new ArrayList<>();
        for (Expr e : roots) {
            typings.add(Typer.check(e, decls, spans, sizes, shapes));
        }
        return Plan.of(typings, spans, sizes);
    }

    /**
     * A plan for code emitters: each root typed with its size symbols (so that code written from
     * {@link Plan#schedule} works at every size), its decisions taken at the sizes {@code sizes}
     * binds (every size symbol, each at least 2): which products run in which order, which
     * structure rules apply. It is not for running; use {@link #compile} for that.
     */
    public static Plan compileSymbolic(List<Expr> roots, Declarations decls, Map<String, Integer> sizes) {
        List<Typing> typings = new ArrayList<>();
        for (Expr e : roots) {
            typings.add(Typer.check(e, decls));
        }
        return Plan.symbolic(typings, sizes);
    }

    /** The concrete shape of each value, as the typer reads it. */
    public static Map<String, Shape> shapesOf(Map<String, Mat> values) {
        Map<String, Shape> out = new LinkedHashMap<>();
        values.forEach((name, v) -> out.put(name, new Shape(Size.of(v.rows()), Size.of(v.cols()))));
        return out;
    }
}
