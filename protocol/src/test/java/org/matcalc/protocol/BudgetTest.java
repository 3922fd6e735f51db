package org.matcalc.protocol;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.matcalc.expr.MatcalcException;

/**
 * The heap guard of {@link Budget}: an expensive request is refused (MEMORY) at its next look
 * once the heap in use after a collection is over {@link Budget#HEAP_SHARE} of the largest heap,
 * before the heap fills; a cheap request and a heap below the share go on.
 */
class BudgetTest {
    private static final long MAX = Runtime.getRuntime().maxMemory();

    @AfterEach
    void forget() {
        Budget.observeLiveHeap(0); // the next real collection reports the truth again
    }

    /** Looks as the engine's checkpoints do: many reached() calls over a few milliseconds. */
    private static void work(Budget b) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            b.reached();
            if (i % 16 == 15) {
                Thread.sleep(2);
            }
        }
    }

    @Test
    void anExpensiveRequestIsRefusedBeforeTheHeapFills() {
        Budget b = new Budget(null);
        b.expensiveAhead();
        Budget.observeLiveHeap((long) (0.8 * MAX));
        MatcalcException e = assertThrows(MatcalcException.class, () -> work(b));
        assertEquals(MatcalcException.Kind.MEMORY, e.kind());
        assertTrue(e.getMessage().contains("the request needs more memory than the server allows"), e.getMessage());
    }

    @Test
    void belowTheShareItGoesOn() {
        Budget b = new Budget(null);
        b.expensiveAhead();
        Budget.observeLiveHeap((long) (0.5 * MAX));
        assertDoesNotThrow(() -> work(b));
    }

    @Test
    void aCheapRequestIsNotRefusedForOthersMemory() {
        Budget b = new Budget(null);
        Budget.observeLiveHeap((long) (0.9 * MAX));
        assertDoesNotThrow(() -> work(b)); // well under the 50 ms of CPU that makes a request expensive
    }
}
