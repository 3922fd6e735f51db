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

    /**
     * The shape of the result, given the shapes of well-typed operands (the typer checks them):
     * a scalar operand of a product or an element-wise operation takes the other's shape.
     */
    public Shape resultShape(Shape l, Shape r) {
        return switch (this) {
            case MUL -> l.isScalar() ? r : r.isScalar() ? l : new Shape(l.rows(), r.cols());
            case HADAMARD, HADAMARD_DIV, ELEM_POW -> l.isScalar() ? r : l;
            case ADD, SUB, DIV, POW -> l;
        };
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
