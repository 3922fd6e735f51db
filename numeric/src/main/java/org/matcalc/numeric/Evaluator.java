package org.matcalc.numeric;

import java.util.LinkedHashMap;
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

    /** The concrete shape of each value, as the typer reads it. */
    public static Map<String, Shape> shapesOf(Map<String, Mat> values) {
        Map<String, Shape> out = new LinkedHashMap<>();
        values.forEach((name, v) -> out.put(name, new Shape(Size.of(v.rows()), Size.of(v.cols()))));
        return out;
    }
}
