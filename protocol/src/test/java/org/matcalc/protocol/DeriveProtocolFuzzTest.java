package org.matcalc.protocol;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.code_intelligence.jazzer.junit.FuzzTest;


/**
 * The whole JSON request of {@code derive --json} and {@code POST /api/derive}: parsing,
 * declarations, values, differentiation, evaluation, checks and code, under a 2 s time limit
 * as the server runs it. Every request is answered or refused as {@code {"error": ...}}; a
 * {@link RuntimeException} that is not a refusal escapes and is reported.
 * Stored inputs: .../protocol/DeriveProtocolFuzzTestInputs/derive.
 */
class DeriveProtocolFuzzTest {
    private static final ExecutorService WORKERS = Executors.newCachedThreadPool(Deadline.bigStackThreads("fuzz"));

    @FuzzTest(maxDuration = "4h", maxExecutions = 10_000_000)
    void derive(byte[] input) {
        String text = Fuzzing.text(input);
        Fuzzing.refusedCleanly(text, () -> {
            DeriveProtocol.Answer a = Deadline.run(2, () -> new DeriveProtocol(new Differentiation()).handle(text), WORKERS);
            if (a.refused() && a.body().path("error").path("message").asText().isBlank()) {
                throw new AssertionError("a refusal without a message: " + a.text());
            }
        });
    }
}
