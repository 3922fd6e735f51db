package org.matcalc.expr;

/**
 * The documented limits on input, checked before any work is done so that no input can make
 * matcalc hang, overflow its stack or run out of memory (CONTRACT.md §6).
 */
public final class Limits {
    /** Longest expression text, in characters. */
    public static final int MAX_EXPRESSION_LENGTH = 100_000;
    /**
     * Deepest nesting of parentheses, function calls, unary minus and exponents. The parser
     * spends about ten frames per level (some 2 KB of an interpreted, not yet compiled stack), so
     * 64 levels are refused well inside a 256 KB thread stack and parse on 512 KB (LimitsTest);
     * hand-written expressions rarely nest past 15.
     */
    public static final int MAX_NESTING = 64;
    /**
     * Deepest expression tree, counting chains such as a+b+c+... (each operator adds one). The
     * parser builds such chains in loops, but the typer and printers recurse once per level at
     * up to ~1 KB of cold stack: 400 levels parse on a 512 KB stack and type and print on the
     * JVM's default 1 MB thread stack with room to spare for the deeper trees that derivatives
     * build (LimitsTest). Tree equality and hashing are iterative and have no such bound.
     */
    public static final int MAX_TREE_DEPTH = 400;
    /**
     * Most nodes of the expression written out, counting a shared subexpression each time it
     * appears: the text limit bounds this except where the language writes a name twice
     * ({@code mean(X) = sum(X)/numel(X)}), so only nested means reach it.
     */
    public static final long MAX_WRITTEN_NODES = 1_000_000L;
    /**
     * Largest exponent k of a matrix power X^k that is differentiated: d(X^k) is a sum of k
     * products X^i*dX*X^(k-1-i), a tree k levels deep that the printers and the display of
     * temporaries recurse through (X^70000 overflowed the stack; 4096 derives in a few seconds).
     */
    public static final int MAX_DIFFERENTIATED_POWER = 4096;
    /** Largest number of entries of one matrix that the evaluator will create. */
    public static final long MAX_ENTRIES = 25_000_000L;
    /** Largest single dimension accepted for a size symbol or a value. */
    public static final int MAX_DIMENSION = 100_000;

    private Limits() {
    }

    /**
     * Ends work whose time limit has run out. The time limit (the command's and the server's
     * Deadline) interrupts the worker thread; the engine's long loops — simplifier passes,
     * linearisation, evaluation steps, numeric checks — call this so that stopped work really
     * stops and frees its worker instead of running on unseen. The flag is left set for callers.
     */
    public static void checkInterrupted() {
        if (Thread.currentThread().isInterrupted()) {
            throw new MatcalcException(MatcalcException.Kind.LIMIT, "stopped: the time limit ran out");
        }
        Checkpoint c = CHECKPOINT.get();
        if (c != null) {
            c.reached();
        }
    }

    /**
     * What a request's thread does at each {@link #checkInterrupted() checkpoint} besides
     * observing its time limit: the memory budget of a request, the server's move of a long
     * request to its lane for expensive work. It may throw a {@link MatcalcException} to stop
     * the work.
     */
    public interface Checkpoint {
        void reached();

        /** The work is about to run one long step (a kernel on large operands) without checkpoints inside. */
        default void expensiveAhead() {
        }
    }

    /** Says that one long step follows (see {@link Checkpoint#expensiveAhead()}). */
    public static void expensiveAhead() {
        Checkpoint c = CHECKPOINT.get();
        if (c != null) {
            c.expensiveAhead();
        }
    }

    private static final ThreadLocal<Checkpoint> CHECKPOINT = new ThreadLocal<>();

    /** Installs {@code c} on this thread (null removes it); returns the one it replaces. */
    public static Checkpoint observe(Checkpoint c) {
        Checkpoint before = CHECKPOINT.get();
        if (c == null) {
            CHECKPOINT.remove();
        } else {
            CHECKPOINT.set(c);
        }
        return before;
    }
}
