package org.matcalc.expr;

/** A stretch of source text: 0-based offset and length, 1-based line and column of its start. */
public record Span(int offset, int length, int line, int column) {

    public String position() {
        return line + ":" + column;
    }
}
