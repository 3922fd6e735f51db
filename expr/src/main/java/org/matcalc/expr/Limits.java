package org.matcalc.expr;

/**
 * The documented limits on input, checked before any work is done so that no input can make
 * matcalc hang, overflow its stack or run out of memory (CONTRACT.md §6).
 */
public final class Limits {
    /** Longest expression text, in characters. */
    public static final int MAX_EXPRESSION_LENGTH = 100_000;
    /** Deepest nesting of parentheses, function calls, unary minus and exponents. */
    public static final int MAX_NESTING = 200;
    /** Deepest expression tree, counting chains such as a+b+c+... (each operator adds one). */
    public static final int MAX_TREE_DEPTH = 2_000;
    /** Largest number of entries of one matrix that the evaluator will create. */
    public static final long MAX_ENTRIES = 25_000_000L;
    /** Largest single dimension accepted for a size symbol or a value. */
    public static final int MAX_DIMENSION = 100_000;

    private Limits() {
    }
}
