package org.matcalc.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.matcalc.expr.MatcalcException.Kind;

/**
 * CONTRACT.md section 6: huge and deep inputs are refused with a LIMIT error, quickly, without a
 * StackOverflowError, even on a thread with a small stack; inputs just under the limits work.
 */
class LimitsTest {
    private static final int SMALL_STACK = 512 * 1024;
    private static final int AT_LIMIT_STACK = 1024 * 1024;
    /** The JVM's default thread stack on 64-bit Linux, for typing and printing. */
    private static final int DEFAULT_STACK = 1024 * 1024;

    static Stream<Arguments> tooBig() {
        int n = Limits.MAX_NESTING;
        return Stream.of(
                Arguments.of("10,000 nested parentheses", (Supplier<String>) () -> "(".repeat(10_000) + "x" + ")".repeat(10_000)),
                Arguments.of("10,000 unclosed parentheses", (Supplier<String>) () -> "(".repeat(10_000)),
                Arguments.of("a 1 MB expression", (Supplier<String>) () -> "x+".repeat(500_000) + "x"),
                Arguments.of("10,000 unary minus signs", (Supplier<String>) () -> "-".repeat(10_000) + "x"),
                Arguments.of("100k transposes", (Supplier<String>) () -> "x" + "'".repeat(100_000)),
                Arguments.of("20k transposes (under the length limit)", (Supplier<String>) () -> "x" + "'".repeat(20_000)),
                Arguments.of("a sum of 5,000 terms", (Supplier<String>) () -> "x" + "+x".repeat(4_999)),
                Arguments.of("a product chain of 5,000 factors", (Supplier<String>) () -> "a" + "*a".repeat(4_999)),
                Arguments.of("5,000 nested sin", (Supplier<String>) () -> "sin(".repeat(5_000) + "x" + ")".repeat(5_000)),
                Arguments.of("5,000 nested tr", (Supplier<String>) () -> "tr(".repeat(5_000) + "X" + ")".repeat(5_000)),
                Arguments.of("a power tower", (Supplier<String>) () -> "a" + "^a".repeat(5_000)),
                Arguments.of("nested vector(c)", (Supplier<String>) () -> "vector(".repeat(5_000) + "1" + ")".repeat(5_000)),
                Arguments.of("nesting one past the limit", (Supplier<String>) () -> "(".repeat(n + 1) + "x" + ")".repeat(n + 1)),
                Arguments.of("mixed minus and parentheses", (Supplier<String>) () -> "-(".repeat(5_000) + "x" + ")".repeat(5_000)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tooBig")
    void refusedQuicklyOnASmallStack(String what, Supplier<String> input) {
        String text = input.get();
        Throwable t = assertTimeoutPreemptively(Duration.ofSeconds(1), () -> onThread(SMALL_STACK, () -> Parser.parse(text)), what);
        assertNotNull(t, what + " was accepted");
        if (!(t instanceof MatcalcException e)) {
            throw new AssertionError(what + ": expected a LIMIT refusal, got " + t, t);
        }
        assertEquals(Kind.LIMIT, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("limit"), e.getMessage());
    }

    @Test
    void limitsAreDocumentedAndBelowTheContract() {
        assertTrue(Limits.MAX_EXPRESSION_LENGTH < 1_000_000);
        assertTrue(Limits.MAX_NESTING < 10_000);
        assertTrue(Limits.MAX_TREE_DEPTH >= Limits.MAX_NESTING);
    }

    @Test
    void messagesStateTheLimit() {
        MatcalcException e = (MatcalcException) onThread(SMALL_STACK, () -> Parser.parse("x".repeat(Limits.MAX_EXPRESSION_LENGTH + 1)));
        assertEquals("expression is " + (Limits.MAX_EXPRESSION_LENGTH + 1) + " characters long; the limit is "
                + Limits.MAX_EXPRESSION_LENGTH, e.getMessage());
        assertNull(e.span());
        MatcalcException deep = (MatcalcException) onThread(SMALL_STACK, () -> Parser.parse("(".repeat(10_000) + "x"));
        assertEquals("1:" + (Limits.MAX_NESTING + 1) + ": nesting of parentheses, function calls, minus signs and exponents"
                + " exceeds the limit of " + Limits.MAX_NESTING + " levels", deep.getMessage());
        MatcalcException tree = (MatcalcException) onThread(SMALL_STACK, () -> Parser.parse("x" + "+x".repeat(Limits.MAX_TREE_DEPTH)));
        assertEquals("expression tree is " + (Limits.MAX_TREE_DEPTH + 1) + " levels deep; the limit is " + Limits.MAX_TREE_DEPTH,
                tree.getMessage());
        // mean(X) names X twice: 30 nested means would print as 2^30 nodes (found by ParserFuzzTest)
        MatcalcException means = assertThrows(MatcalcException.class, () -> Parser.parse("mean(".repeat(30) + "X" + ")".repeat(30)));
        assertEquals(MatcalcException.Kind.LIMIT, means.kind());
        assertEquals("the expression written out (mean(X) is sum(X)/numel(X), which names X twice) has more than "
                + Limits.MAX_WRITTEN_NODES + " nodes, the limit (nest fewer means)", means.getMessage());
        assertEquals("mean(mean(X))", TextPrinter.print(Parser.parse("mean(mean(X))").expr()));
    }

    static Stream<Arguments> atTheLimit() {
        int n = Limits.MAX_NESTING;
        // Each grammar level that nests counts once; the tree-depth limit counts every node.
        int chain = Limits.MAX_TREE_DEPTH - 1;
        return Stream.of(
                Arguments.of("parentheses at the nesting limit", "(".repeat(n) + "x" + ")".repeat(n)),
                Arguments.of("sin at the nesting limit", "sin(".repeat(n) + "x" + ")".repeat(n)),
                Arguments.of("minus signs at the nesting limit", "-".repeat(n) + "x"),
                Arguments.of("power tower at the nesting limit", "a" + "^a".repeat(n)),
                Arguments.of("parenthesised sums at the nesting limit", "(x + ".repeat(n) + "x" + ")".repeat(n)),
                Arguments.of("a sum at the tree-depth limit", "x" + "+x".repeat(chain - 1)),
                Arguments.of("transposes at the tree-depth limit", "x" + "'".repeat(chain)),
                Arguments.of("a long flat expression", "x'*x" + " + x'*x".repeat(chain - 3)),
                Arguments.of("deep on both sides", "(".repeat(n - 1) + "x" + "+x".repeat(chain - n) + ")".repeat(n - 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("atTheLimit")
    void underTheLimitsParseTypeAndPrintOnAModestStack(String what, String text) {
        Throwable parsed = assertTimeoutPreemptively(Duration.ofSeconds(1), () -> onThread(AT_LIMIT_STACK, () -> Parser.parse(text)), what);
        if (parsed != null) {
            throw new AssertionError(what + " should parse on a " + AT_LIMIT_STACK / 1024 + " KB stack", parsed);
        }
        Throwable t = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> onThread(DEFAULT_STACK, () -> {
            Parsed p = Parser.parse(text);
            Typing typing = Typer.check(p, Declarations.NONE);
            assertNotNull(typing.shape());
            String printed = TextPrinter.print(p.expr());
            assertEquals(p.expr(), Parser.parse(printed).expr());
            assertTrue(!LatexPrinter.print(p.expr()).isEmpty());
            return p;
        }), what);
        if (t != null) {
            throw new AssertionError(what + " should be accepted", t);
        }
    }

    /** Runs {@code r} on a fresh thread with the given stack size; returns what it threw, or null. */
    private static Throwable onThread(int stack, Supplier<Object> r) {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread th = new Thread(null, () -> {
            try {
                r.get();
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, "limits-test", stack);
        th.start();
        try {
            th.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
        Throwable e = thrown.get();
        if (e instanceof StackOverflowError) {
            java.util.Set<String> frames = new java.util.LinkedHashSet<>();
            for (StackTraceElement f : e.getStackTrace()) {
                frames.add(f.getClassName() + "." + f.getMethodName());
            }
            throw new AssertionError("stack overflow on a " + stack / 1024 + " KB stack in " + frames, e);
        }
        return e;
    }
}
