package org.matcalc.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.matcalc.expr.MatcalcException;

/** The time limit answers at once and the stopped work really ends (the engine checks for interruption). */
class DeadlineTest {
    /** Twelve log-determinants of 1500 x 1500 matrices: seconds of work in twelve evaluation steps. */
    private static String slowRequest() {
        StringBuilder e = new StringBuilder("x'*x");
        for (int k = 1; k <= 12; k++) {
            e.append(" + logdet(").append(k).append("*eye(n) + eye(n))");
        }
        return "{\"expression\": \"" + e + "\", \"order\": 0, \"at\": {\"x\": [1,2], \"n\": 1500}}";
    }

    @Test
    void stoppedWorkEndsSoonAfterTheRefusal() throws Exception {
        CountDownLatch ended = new CountDownLatch(1);
        DeriveProtocol protocol = new DeriveProtocol(new Differentiation());
        MatcalcException e = assertThrows(MatcalcException.class, () -> Deadline.run(0.2, () -> {
            try {
                return protocol.handle(slowRequest());
            } finally {
                ended.countDown();
            }
        }));
        assertEquals(MatcalcException.Kind.LIMIT, e.kind());
        assertTrue(e.getMessage().contains("time limit"), e.getMessage());
        // One evaluation step (one LU of 1500 x 1500) at most, not the remaining eleven.
        assertTrue(ended.await(4, TimeUnit.SECONDS), "the stopped work did not end within 4 s");
    }

    @Test
    void aStoppedThreadDoesNotLeakItsInterruptIntoTheAnswer() {
        DeriveProtocol protocol = new DeriveProtocol(new Differentiation());
        DeriveProtocol.Answer a = Deadline.run(5, () -> protocol.handle(
                "{\"expression\": \"x'*x\", \"wrt\": \"x\", \"at\": {\"x\": [1,2]}}"));
        assertEquals("[2.0,4.0]", a.body().get("value").toString());
    }
}
