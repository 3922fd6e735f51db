package org.matcalc.expr;

import java.util.ArrayList;
import java.util.List;

/** Splits expression text into tokens, tracking line and column for every token. */
final class Lexer {
    private final String src;
    private int pos;
    private int line = 1;
    private int lineStart;

    private Lexer(String src) {
        this.src = src;
    }

    static List<Token> tokenize(String src) {
        return new Lexer(src).run();
    }

    private List<Token> run() {
        List<Token> out = new ArrayList<>();
        while (true) {
            skipSpace();
            if (pos >= src.length()) {
                out.add(new Token(Token.Type.END, "", span(pos, 0)));
                return out;
            }
            out.add(next());
        }
    }

    private void skipSpace() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\n') {
                pos++;
                line++;
                lineStart = pos;
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
                // ASCII blanks only: a non-breaking or ideographic space is refused with a hint
                pos++;
            } else {
                return;
            }
        }
    }

    private Token next() {
        int start = pos;
        char c = src.charAt(pos);
        if (isDigit(c) || (c == '.' && pos + 1 < src.length() && isDigit(src.charAt(pos + 1)))) {
            return number();
        }
        if (Character.isLetter(c) && c < 128) {
            while (pos < src.length() && isNameChar(src.charAt(pos))) {
                pos++;
            }
            return token(Token.Type.NAME, start);
        }
        pos++;
        switch (c) {
            case '+': return token(Token.Type.PLUS, start);
            case '-': return token(Token.Type.MINUS, start);
            case '*': return token(Token.Type.STAR, start);
            case '/': return token(Token.Type.SLASH, start);
            case '^': return token(Token.Type.CARET, start);
            case '\'': return token(Token.Type.QUOTE, start);
            case '(': return token(Token.Type.LPAREN, start);
            case ')': return token(Token.Type.RPAREN, start);
            case ',': return token(Token.Type.COMMA, start);
            case '.':
                if (pos < src.length()) {
                    char d = src.charAt(pos);
                    Token.Type t = d == '*' ? Token.Type.DOT_STAR : d == '/' ? Token.Type.DOT_SLASH
                            : d == '^' ? Token.Type.DOT_CARET : null;
                    if (t != null) {
                        pos++;
                        return token(t, start);
                    }
                    if (d == '\'') {
                        // x.' is MATLAB's transpose without conjugation: for real matrices the same as x'
                        pos++;
                        return token(Token.Type.QUOTE, start);
                    }
                }
                throw new MatcalcException(MatcalcException.Kind.SYNTAX, span(start, 1),
                        "unexpected '.'; expected '.*', './', '.^' (element-wise operators) or .' (transpose)");
            default:
                int cp = src.codePointAt(start);
                String shown = Character.isISOControl(cp) || Character.isWhitespace(cp) || Character.isSpaceChar(cp)
                        ? String.format("U+%04X", cp) : "'" + new String(Character.toChars(cp)) + "'";
                String lookAlike = Character.isSpaceChar(cp) || Character.isWhitespace(cp)
                        ? " (" + Character.getName(cp).toLowerCase(java.util.Locale.ROOT) + ", which looks like a space: type a plain space)"
                        : Character.isLetter(cp) ? " (names are ASCII letters, digits and _)" : "";
                throw new MatcalcException(MatcalcException.Kind.SYNTAX, span(start, 1),
                        "unexpected character " + shown + lookAlike + "; expected a name, a number, an operator or a parenthesis");
        }
    }

    /** digits [. digits] [e [+-] digits], or . digits [...]; anything else glued on is malformed. */
    private Token number() {
        int start = pos;
        digits();
        if (pos < src.length() && src.charAt(pos) == '.' && pos + 1 < src.length() && isDigit(src.charAt(pos + 1))) {
            pos++;
            digits();
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int e = pos;
            pos++;
            if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
                pos++;
            }
            if (pos >= src.length() || !isDigit(src.charAt(pos))) {
                while (pos < src.length() && isNameChar(src.charAt(pos))) {
                    pos++;
                }
                throw new MatcalcException(MatcalcException.Kind.SYNTAX, span(start, pos - start),
                        "malformed number '" + src.substring(start, pos) + "': expected digits after '" + src.charAt(e) + "'");
            }
            digits();
        }
        // "1.2.3" or "1.5x": the number runs into more digits or letters.
        if (pos < src.length() && src.charAt(pos) == '.' && pos + 1 < src.length() && isDigit(src.charAt(pos + 1))) {
            int end = pos;
            while (end < src.length() && (isDigit(src.charAt(end)) || src.charAt(end) == '.')) {
                end++;
            }
            throw new MatcalcException(MatcalcException.Kind.SYNTAX, span(start, end - start),
                    "malformed number '" + src.substring(start, end) + "': a number has at most one decimal point");
        }
        String text = src.substring(start, pos);
        double v = Double.parseDouble(text);
        if (Double.isInfinite(v)) {
            throw new MatcalcException(MatcalcException.Kind.SYNTAX, span(start, pos - start),
                    "number '" + text + "' is too large for a double");
        }
        return token(Token.Type.NUMBER, start);
    }

    private void digits() {
        while (pos < src.length() && isDigit(src.charAt(pos))) {
            pos++;
        }
    }

    private Token token(Token.Type type, int start) {
        return new Token(type, src.substring(start, pos), span(start, pos - start));
    }

    private Span span(int start, int length) {
        return new Span(start, length, line, start - lineStart + 1);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isNameChar(char c) {
        return (c < 128 && Character.isLetterOrDigit(c)) || c == '_';
    }
}
