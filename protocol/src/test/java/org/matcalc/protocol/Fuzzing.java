package org.matcalc.protocol;

import java.nio.charset.StandardCharsets;

import org.matcalc.expr.MatcalcException;

/**
 * What every fuzz target asserts: an input is either accepted or refused with a
 * {@link MatcalcException} whose message can be shown; anything else (another exception, an
 * error, a message that is empty) is a bug the fuzzer reports with the input that caused it.
 */
final class Fuzzing {
    private Fuzzing() {
    }

    /** The bytes as text, the way the command line and the server decode them. */
    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Runs {@code work}; a refusal must say something, and be renderable against {@code source}. */
    static void refusedCleanly(String source, Runnable work) {
        try {
            work.run();
        } catch (MatcalcException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("a refusal without a message, kind " + e.kind(), e);
            }
            e.render(source);
        }
    }
}
