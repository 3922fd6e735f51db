package org.matcalc.expr;

/** A token of the language with its place in the source. */
record Token(Type type, String text, Span span) {

    enum Type {
        NUMBER, NAME, PLUS, MINUS, STAR, SLASH, DOT_STAR, DOT_SLASH, CARET, DOT_CARET, QUOTE,
        LPAREN, RPAREN, COMMA, END
    }

    /** How the token is named in messages. */
    String describe() {
        return type == Type.END ? "end of input" : "'" + text + "'";
    }
}
