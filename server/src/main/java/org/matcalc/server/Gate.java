package org.matcalc.server;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The limit on concurrent work: {@code workers} computations at once, at most
 * {@code maxWaiting} more waiting up to {@code waitMillis} for a turn. Anything beyond is
 * refused at once (HTTP 503) instead of queueing without end.
 */
final class Gate {
    private final Semaphore permits;
    private final AtomicInteger waiting = new AtomicInteger();
    private final int maxWaiting;
    private final long waitMillis;
    private final int workers;

    Gate(int workers, int maxWaiting, long waitMillis) {
        this.workers = workers;
        this.permits = new Semaphore(workers, true);
        this.maxWaiting = maxWaiting;
        this.waitMillis = waitMillis;
    }

    /** Takes a permit, waiting a bounded time; false when the server is saturated. */
    boolean enter() {
        try {
            // The timed form honours the semaphore's fairness: a newcomer does not overtake those waiting.
            if (permits.tryAcquire(0, TimeUnit.MILLISECONDS)) {
                return true;
            }
            if (waiting.incrementAndGet() > maxWaiting) {
                waiting.decrementAndGet();
                return false;
            }
            try {
                return permits.tryAcquire(waitMillis, TimeUnit.MILLISECONDS);
            } finally {
                waiting.decrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Returns a permit taken by {@link #enter()}. */
    void leave() {
        permits.release();
    }

    /** Whether any permit is taken or anyone waits for one. */
    boolean busy() {
        return permits.availablePermits() < workers || waiting.get() > 0;
    }

    /** Permits free now (tests read it to see that stopped work has ended). */
    int available() {
        return permits.availablePermits();
    }
}
