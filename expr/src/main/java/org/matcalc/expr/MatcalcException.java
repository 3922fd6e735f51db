package org.matcalc.expr;

/**
 * Every refusal of matcalc: a message that says what is wrong and what was expected, and, when
 * the problem lies in the expression text, where (CONTRACT.md §6). The CLI turns it into exit
 * code 2, the HTTP API into a 4xx.
 */
public class MatcalcException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** The text is not an expression. */
        SYNTAX,
        /** The expression is not well-shaped. */
        SHAPE,
        /** The request around the expression is wrong (layout, order, values...). */
        REQUEST,
        /** A documented limit on size, depth or time was exceeded. */
        LIMIT,
        /** The request needs more memory than its budget (the server answers 422). */
        MEMORY,
        /** The numbers could not be computed (singular matrix, domain...). */
        EVALUATION,
        /** A derivative rule is missing: matcalc says so rather than guess. */
        UNSUPPORTED
    }

    private final Kind kind;
    private final transient Span span;
    private final String detail;

    public MatcalcException(Kind kind, Span span, String detail) {
        super(span == null ? detail : span.position() + ": " + detail);
        this.kind = kind;
        this.span = span;
        this.detail = detail;
    }

    public MatcalcException(Kind kind, String detail) {
        this(kind, null, detail);
    }

    public Kind kind() {
        return kind;
    }

    /** Where in the expression, or null for errors of the request as a whole. */
    public Span span() {
        return span;
    }

    /** The message without its position prefix. */
    public String detail() {
        return detail;
    }

    /**
     * The message for people: the offending line of {@code source} with a caret under the
     * problem, then what was expected.
     */
    public String render(String source) {
        if (span == null || source == null) {
            return "error: " + getMessage();
        }
        String[] lines = source.split("\n", -1);
        String line = span.line() - 1 < lines.length ? lines[span.line() - 1] : "";
        int col = span.column() - 1;
        // Very long lines are cut to a window around the caret so the message fits a screen.
        int from = Math.max(0, col - 60);
        int to = Math.min(line.length(), col + 60);
        String shown = (from > 0 ? "..." : "") + line.substring(Math.min(from, line.length()), Math.max(to, Math.min(from, line.length())))
                + (to < line.length() ? "..." : "");
        int caretAt = col - from + (from > 0 ? 3 : 0);
        // Tabs before the caret are copied so that it lines up whatever the tab width.
        StringBuilder pad = new StringBuilder();
        for (int i = 0; i < Math.max(0, caretAt); i++) {
            pad.append(i < shown.length() && shown.charAt(i) == '\t' ? '\t' : ' ');
        }
        String caret = pad + "^" + "~".repeat(Math.max(0, Math.min(span.length(), 60) - 1));
        return "error: " + getMessage() + "\n  " + shown + "\n  " + caret;
    }
}
