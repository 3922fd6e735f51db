package org.matcalc.expr;

/** The infix operators, with their precedence from LANGUAGE.md (higher binds tighter). */
public enum BinaryOp {
    ADD("+", Precedence.ADDITIVE),
    SUB("-", Precedence.ADDITIVE),
    MUL("*", Precedence.PRODUCT),
    DIV("/", Precedence.QUOTIENT),
    HADAMARD(".*", Precedence.HADAMARD),
    HADAMARD_DIV("./", Precedence.HADAMARD),
    POW("^", Precedence.POWER),
    ELEM_POW(".^", Precedence.POWER);

    private final String symbol;
    private final int precedence;

    BinaryOp(String symbol, int precedence) {
        this.symbol = symbol;
        this.precedence = precedence;
    }

    public String symbol() {
        return symbol;
    }

    public int precedence() {
        return precedence;
    }

    /** {@code ^} and {@code .^} group to the right; all others to the left. */
    public boolean rightAssociative() {
        return precedence == Precedence.POWER;
    }

    /** Precedence levels, lowest first, as LANGUAGE.md's table. */
    public static final class Precedence {
        public static final int ADDITIVE = 1;
        public static final int PRODUCT = 2;
        public static final int QUOTIENT = 3;
        public static final int HADAMARD = 4;
        public static final int UNARY = 5;
        public static final int POWER = 6;
        public static final int POSTFIX = 7;
        public static final int ATOM = 8;

        private Precedence() {
        }
    }
}
