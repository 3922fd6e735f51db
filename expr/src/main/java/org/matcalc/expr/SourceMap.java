package org.matcalc.expr;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Where each node of a parsed tree came from: for an operator, the operator token; for a call,
 * the function name; for a leaf, the leaf. Keyed by identity, since equal subtrees at
 * different places are different nodes here. Trees built by the engine have no entries.
 */
public final class SourceMap {
    public static final SourceMap EMPTY = new SourceMap(Map.of());

    private final Map<Expr, Span> spans;

    SourceMap(Map<Expr, Span> spans) {
        this.spans = spans;
    }

    static SourceMap mutable() {
        return new SourceMap(new IdentityHashMap<>());
    }

    void put(Expr e, Span s) {
        spans.put(e, s);
    }

    /** The span of {@code e}, or null when it was not read from text. */
    public Span spanOf(Expr e) {
        return spans.get(e);
    }
}
