package org.matcalc.expr;

/** A parsed expression, its source text, and where each node came from. */
public record Parsed(Expr expr, String source, SourceMap spans) {
}
