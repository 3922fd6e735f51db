package org.matcalc.expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.matcalc.expr.MatcalcException.Kind;
import org.matcalc.expr.Token.Type;

/**
 * Recursive descent over LANGUAGE.md's grammar, one method per rule, lowest precedence first:
 * <pre>
 *   expr     := product (('+' | '-') product)*
 *   product  := quotient ('*' quotient)*
 *   quotient := hadamard ('/' hadamard)*
 *   hadamard := unary (('.*' | './') unary)*
 *   unary    := '-' unary | power
 *   power    := postfix (('^' | '.^') unary)?          (right-associative through unary)
 *   postfix  := atom ("'" | '^T')*
 *   atom     := NUMBER | NAME | NAME '(' arguments ')' | '(' expr ')'
 * </pre>
 * A minus directly before a number literal folds into a negative number, so that printing a
 * negative constant and reading it back gives the same tree. Nesting is counted and refused past
 * {@link Limits#MAX_NESTING} before the stack could overflow.
 */
public final class Parser {
    static {
        // Initialise the function tables here, near the bottom of the stack: a class whose
        // initialiser overflows a deep stack stays unusable for the life of the JVM.
        Suggestions.functionNames();
    }

    private final String src;
    private final List<Token> tokens;
    private final SourceMap spans = SourceMap.mutable();
    private int pos;
    private int nesting;

    private Parser(String src, List<Token> tokens) {
        this.src = src;
        this.tokens = tokens;
    }

    public static Parsed parse(String text) {
        if (text == null || text.isBlank()) {
            throw new MatcalcException(Kind.SYNTAX, "empty expression: expected an expression such as x'*A*x");
        }
        if (text.length() > Limits.MAX_EXPRESSION_LENGTH) {
            throw new MatcalcException(Kind.LIMIT, "expression is " + text.length()
                    + " characters long; the limit is " + Limits.MAX_EXPRESSION_LENGTH);
        }
        Parser p = new Parser(text, Lexer.tokenize(text));
        Expr e = p.expr();
        Token t = p.peek();
        if (t.type() == Type.RPAREN) {
            throw p.error(t, "unmatched ')'");
        }
        if (t.type() != Type.END) {
            throw p.error(t, "expected an operator or the end of the expression, got " + t.describe()
                    + p.implicitProductHint(t));
        }
        TreeDepth.require(e);
        TreeDepth.requireWrittenSize(e);
        return new Parsed(e, text, p.spans);
    }

    // ---- grammar rules -------------------------------------------------------------------

    private Expr expr() {
        Expr left = product();
        while (at(Type.PLUS) || at(Type.MINUS)) {
            Token op = advance();
            Expr right = product();
            left = node(new Expr.Binary(op.type() == Type.PLUS ? BinaryOp.ADD : BinaryOp.SUB, left, right), op);
        }
        return left;
    }

    private Expr product() {
        Expr left = quotient();
        while (at(Type.STAR)) {
            Token op = advance();
            left = node(new Expr.Binary(BinaryOp.MUL, left, quotient()), op);
        }
        return left;
    }

    private Expr quotient() {
        Expr left = hadamard();
        while (at(Type.SLASH)) {
            Token op = advance();
            left = node(new Expr.Binary(BinaryOp.DIV, left, hadamard()), op);
        }
        return left;
    }

    private Expr hadamard() {
        Expr left = unary();
        while (at(Type.DOT_STAR) || at(Type.DOT_SLASH)) {
            Token op = advance();
            BinaryOp bop = op.type() == Type.DOT_STAR ? BinaryOp.HADAMARD : BinaryOp.HADAMARD_DIV;
            left = node(new Expr.Binary(bop, left, unary()), op);
        }
        return left;
    }

    private Expr unary() {
        if (!at(Type.MINUS)) {
            return power();
        }
        Token minus = advance();
        enter(minus);
        Token operandStart = peek();
        Expr operand = unary();
        leave();
        if (operand instanceof Expr.Num n && operandStart.type() == Type.NUMBER && spans.spanOf(operand) == operandStart.span()) {
            return node(new Expr.Num(-n.value()), minus);
        }
        return node(new Expr.Neg(operand), minus);
    }

    private Expr power() {
        Expr base = postfix();
        if (at(Type.CARET) || at(Type.DOT_CARET)) {
            Token op = advance();
            enter(op);
            Expr exponent = unary();
            leave();
            return node(new Expr.Binary(op.type() == Type.CARET ? BinaryOp.POW : BinaryOp.ELEM_POW, base, exponent), op);
        }
        return base;
    }

    private Expr postfix() {
        Expr e = atom();
        while (true) {
            if (at(Type.QUOTE)) {
                e = node(new Expr.Transpose(e), advance());
            } else if (at(Type.CARET) && peekAt(1).type() == Type.NAME && peekAt(1).text().equals("T")
                    && !isCallStart(2)) {
                Token caret = advance();
                advance();
                e = node(new Expr.Transpose(e), caret);
            } else {
                return e;
            }
        }
    }

    private Expr atom() {
        Token t = peek();
        switch (t.type()) {
            case NUMBER:
                advance();
                return node(new Expr.Num(Double.parseDouble(t.text())), t);
            case NAME:
                return nameOrCall();
            case LPAREN: {
                Token open = advance();
                enter(open);
                Expr inner = expr();
                leave();
                expectClosing(open);
                return inner;
            }
            default:
                throw missingOperand(t);
        }
    }

    private Expr nameOrCall() {
        Token name = advance();
        String id = name.text();
        boolean call = at(Type.LPAREN);
        Optional<ScalarFunction> elementwise = ScalarFunction.byName(id);
        Optional<Builtin> builtin = Builtin.byName(id);
        switch (id) {
            case "eye":
                if (!call) {
                    return node(new Expr.Identity(null), name);
                }
                return sized(name, 1, 1, args -> new Expr.Identity(args.get(0)));
            case "zeros":
                requireCall(name, call, "zeros(n, m)");
                return sized(name, 1, 2, args -> new Expr.Zeros(args.get(0), args.size() > 1 ? args.get(1) : Size.ONE));
            case "commutation":
                requireCall(name, call, "commutation(m, n)");
                return sized(name, 2, 2, args -> new Expr.Commutation(args.get(0), args.get(1)));
            case "vector":
            case "matrix":
                requireCall(name, call, id + "(1)");
                return fill(name, id.equals("matrix"));
            case "transpose": {
                requireCall(name, call, "transpose(A)");
                List<Expr> args = callArguments(name);
                if (args.size() != 1) {
                    throw error(name, "transpose takes 1 argument, got " + args.size());
                }
                return node(new Expr.Transpose(args.get(0)), name);
            }
            case "mean":
                requireCall(name, call, "mean(x)");
                return mean(name, callArguments(name));
            default:
                break;
        }
        if (elementwise.isPresent() || builtin.isPresent()) {
            if (!call) {
                throw error(name, id + " is a function: write " + id + "(...)");
            }
            List<Expr> args = callArguments(name);
            if (elementwise.isPresent()) {
                if (args.size() != 1) {
                    throw error(name, id + " takes 1 argument, got " + args.size());
                }
                return node(new Expr.Elementwise(elementwise.get(), args.get(0)), name);
            }
            Builtin fn = Builtin.byName(id, args.size()).orElseThrow(() -> error(name, id + " takes "
                    + Builtin.aritiesOf(id) + (Builtin.aritiesOf(id).equals("1") ? " argument" : " arguments")
                    + ", got " + args.size()));
            if (fn.arguments() == Builtin.Args.AXIS) {
                requireAxis(fn.languageName(), args.get(1));
            }
            return node(new Expr.Call(fn, args), name);
        }
        if (call) {
            throw error(name, "unknown function '" + id + "'" + Suggestions.forFunction(id));
        }
        return node(new Expr.Var(id), name);
    }

    /** The arguments of a call, the name just read and '(' next. */
    private List<Expr> callArguments(Token name) {
        Token open = advance();
        enter(open);
        List<Expr> args = arguments(open, name);
        leave();
        return args;
    }

    /** The dimension argument of sum(X, k) and the like: the literal 1 or 2. */
    private void requireAxis(String fn, Expr k) {
        if (!(k instanceof Expr.Num n) || (n.value() != 1 && n.value() != 2)) {
            Span at = spans.spanOf(k);
            String message = "the dimension of " + fn + "(X, k) must be 1 (down each column) or 2 (along each row)"
                    + (k instanceof Expr.Num n ? ", got " + TextPrinter.print(n) : ", written as the number 1 or 2");
            throw at == null ? new MatcalcException(Kind.SYNTAX, message) : new MatcalcException(Kind.SYNTAX, at, message);
        }
    }

    /**
     * mean(X) = sum(X)/numel(X) and mean(X, k) = sum(X, k)/size(X, k): written out, so that every
     * layer reads sums and constant counts it already knows (the printed derivative shows them).
     */
    private Expr mean(Token name, List<Expr> args) {
        Expr x = args.get(0);
        Expr e;
        if (args.size() == 1) {
            e = new Expr.Binary(BinaryOp.DIV, node(new Expr.Call(Builtin.SUM, List.of(x)), name),
                    node(new Expr.Call(Builtin.NUMEL, List.of(x)), name));
        } else if (args.size() == 2) {
            requireAxis("mean", args.get(1));
            e = new Expr.Binary(BinaryOp.DIV, node(new Expr.Call(Builtin.SUM_AXIS, args), name),
                    node(new Expr.Call(Builtin.SIZE, args), name));
        } else {
            throw error(name, "mean takes 1 or 2 arguments, got " + args.size());
        }
        return node(e, name);
    }

    /** vector(c), vector(c, n), matrix(c), matrix(c, n, m). */
    private Expr fill(Token name, boolean matrix) {
        Token open = advance();
        enter(open);
        if (at(Type.RPAREN)) {
            throw error(peek(), name.text() + " needs the value of its entries, e.g. " + name.text() + "(1)");
        }
        Expr value = expr();
        List<Size> sizes = new ArrayList<>();
        while (at(Type.COMMA)) {
            advance();
            sizes.add(size());
        }
        leave();
        expectClosing(open);
        int want = matrix ? 2 : 1;
        if (!sizes.isEmpty() && sizes.size() != want) {
            throw error(name, name.text() + " takes its value and " + (matrix ? "two sizes" : "one size")
                    + " or the value alone, got " + plural(sizes.size(), "size"));
        }
        Size rows = sizes.isEmpty() ? null : sizes.get(0);
        Size cols = matrix && !sizes.isEmpty() ? sizes.get(1) : null;
        return node(new Expr.Fill(value, matrix, rows, cols), name);
    }

    private interface SizedNode {
        Expr make(List<Size> sizes);
    }

    private Expr sized(Token name, int min, int max, SizedNode make) {
        Token open = advance();
        enter(open);
        List<Size> sizes = new ArrayList<>();
        if (!at(Type.RPAREN)) {
            sizes.add(size());
            while (at(Type.COMMA)) {
                advance();
                sizes.add(size());
            }
        }
        leave();
        expectClosing(open);
        if (sizes.size() < min || sizes.size() > max) {
            String want = min == max ? plural(min, "size") : min + " or " + max + " sizes";
            throw error(name, name.text() + " takes " + want + ", got " + sizes.size());
        }
        return node(make.make(sizes), name);
    }

    /** size := factor ('*' factor)*, factor := INTEGER | NAME. */
    private Size size() {
        Size s = sizeFactor();
        while (at(Type.STAR)) {
            advance();
            s = Size.times(s, sizeFactor());
        }
        return s;
    }

    private Size sizeFactor() {
        Token t = peek();
        if (t.type() == Type.NUMBER) {
            double v = Double.parseDouble(t.text());
            if (v != Math.rint(v) || v < 0 || v > Limits.MAX_DIMENSION) {
                throw error(t, "a size must be a whole number between 0 and " + Limits.MAX_DIMENSION + ", got " + t.text());
            }
            advance();
            return Size.of((int) v);
        }
        if (t.type() == Type.NAME) {
            advance();
            return Size.sym(t.text());
        }
        throw error(t, "expected a size (a whole number or a size name such as n), got " + t.describe());
    }

    private List<Expr> arguments(Token open, Token name) {
        List<Expr> args = new ArrayList<>();
        if (at(Type.RPAREN)) {
            throw error(peek(), name.text() + " needs an argument, e.g. " + name.text() + "(X)");
        }
        args.add(expr());
        while (at(Type.COMMA)) {
            advance();
            args.add(expr());
        }
        expectClosing(open);
        return args;
    }

    // ---- helpers -------------------------------------------------------------------------

    private void requireCall(Token name, boolean call, String example) {
        if (!call) {
            throw error(name, name.text() + " needs arguments: write " + example);
        }
    }

    private void expectClosing(Token open) {
        if (at(Type.RPAREN)) {
            advance();
            return;
        }
        Token t = peek();
        if (t.type() == Type.END || t.type() == Type.COMMA) {
            // Reported just after the last good token, where the ')' belongs.
            Token last = tokens.get(pos - 1);
            Span after = new Span(last.span().offset() + last.span().length(), 1, last.span().line(),
                    last.span().column() + last.span().length());
            String what = t.type() == Type.COMMA ? "unexpected ','; expected ')'" : "missing ')'";
            throw new MatcalcException(Kind.SYNTAX, t.type() == Type.COMMA ? t.span() : after,
                    what + " to close '(' at " + open.span().position());
        }
        throw error(t, "expected ')' to close '(' at " + open.span().position() + ", got " + t.describe()
                + implicitProductHint(t));
    }

    private MatcalcException missingOperand(Token t) {
        Token prev = pos > 0 ? tokens.get(pos - 1) : null;
        String after = prev == null ? "" : " after " + prev.describe();
        if (t.type() == Type.END) {
            // Just after the last token, where the operand belongs, even before trailing blanks.
            Span at = prev == null ? t.span() : new Span(prev.span().offset() + prev.span().length(), 0,
                    prev.span().line(), prev.span().column() + prev.span().length());
            return new MatcalcException(Kind.SYNTAX, at, "expected an operand" + after + ", but the expression ends");
        }
        if (t.type() == Type.RPAREN && prev != null && prev.type() == Type.LPAREN) {
            return error(t, "empty parentheses: expected an expression inside");
        }
        if (t.type() == Type.RPAREN && prev == null) {
            return error(t, "unmatched ')'");
        }
        return error(t, "expected an operand" + after + ", got " + t.describe());
    }

    private String implicitProductHint(Token t) {
        Token prev = pos > 0 ? tokens.get(pos - 1) : null;
        if (prev == null || !(t.type() == Type.NAME || t.type() == Type.NUMBER || t.type() == Type.LPAREN)) {
            return "";
        }
        if (prev.type() == Type.NUMBER || prev.type() == Type.NAME) {
            return "; did you mean " + prev.text() + "*" + (t.type() == Type.LPAREN ? "(...)" : t.text()) + "?";
        }
        // After ')' or a transpose the left operand is more than one token: say what to insert.
        return "; insert '*' to multiply";
    }

    private void enter(Token where) {
        if (++nesting > Limits.MAX_NESTING) {
            throw new MatcalcException(Kind.LIMIT, where.span(), "nesting of parentheses, function calls, minus signs"
                    + " and exponents exceeds the limit of " + Limits.MAX_NESTING + " levels");
        }
    }

    private void leave() {
        nesting--;
    }

    private boolean isCallStart(int k) {
        return peekAt(k).type() == Type.LPAREN;
    }

    private Expr node(Expr e, Token t) {
        spans.put(e, t.span());
        return e;
    }

    private boolean at(Type type) {
        return peek().type() == type;
    }

    private Token peek() {
        return tokens.get(pos);
    }

    private Token peekAt(int k) {
        return tokens.get(Math.min(pos + k, tokens.size() - 1));
    }

    private Token advance() {
        return tokens.get(pos++);
    }

    private MatcalcException error(Token t, String message) {
        return new MatcalcException(Kind.SYNTAX, t.span(), message);
    }

    private static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
