package org.matcalc.protocol;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Locale;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

import org.matcalc.expr.Limits;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.MatcalcException.Kind;

/**
 * The budget of one request, checked at the engine's checkpoints ({@link Limits#checkInterrupted}):
 * a request is <em>cheap</em> until its thread has computed {@link #CHEAP_CPU_NANOS}; from then on
 * it is expensive, the server may move it to its lane for expensive work (the callback), and it is
 * refused ({@link Kind#MEMORY}) when the data still live after the latest garbage collection fill
 * more than {@link #HEAP_SHARE} of the largest heap — before the heap fills and every request fails.
 * Cheap requests are never refused for memory: they end in milliseconds and free what they hold.
 */
public final class Budget implements Limits.Checkpoint {
    /** A request becomes expensive after this much computing (its thread's CPU time): 50 ms. */
    public static final long CHEAP_CPU_NANOS = 50_000_000L;
    /** Expensive requests are refused when live data fill more than this share of the heap. */
    public static final double HEAP_SHARE = 0.75;

    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Bytes of heap in use after the latest collection (updated by the collectors' notifications). */
    private static volatile long liveAfterGc;

    static {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((n, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                        long used = 0;
                        for (MemoryUsage u : info.getGcInfo().getMemoryUsageAfterGc().values()) {
                            used += u.getUsed();
                        }
                        // the non-heap pools (code cache, metaspace) are small beside the heap; the sum errs on the safe side
                        observeLiveHeap(used);
                    }
                }, null, null);
            }
        }
    }

    /** Records the bytes in use after a collection (the collectors' listener; BudgetTest sets it directly). */
    static void observeLiveHeap(long used) {
        liveAfterGc = used;
    }

    private final Runnable onExpensive;
    private final Runnable whileExpensive;
    private final long cpuStart;
    private long lastLook;
    private int count;
    private boolean expensive;

    /** A budget for work starting now on this thread; {@code onExpensive} (may be null) runs once, when it turns expensive. */
    public Budget(Runnable onExpensive) {
        this(onExpensive, null);
    }

    /**
     * As {@link #Budget(Runnable)}; {@code whileExpensive} (may be null) runs at each look once the
     * work is expensive, at most once a millisecond: the server paces its heavy lane there.
     */
    public Budget(Runnable onExpensive, Runnable whileExpensive) {
        this.onExpensive = onExpensive;
        this.whileExpensive = whileExpensive;
        this.cpuStart = cpuNow();
    }

    @Override
    public void reached() {
        if ((++count & 15) != 0) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastLook < 1_000_000L) { // look at most once a millisecond
            return;
        }
        lastLook = now;
        if (!expensive) {
            if (cpuNow() - cpuStart < CHEAP_CPU_NANOS) {
                return;
            }
            turnExpensive();
        }
        if (whileExpensive != null) {
            whileExpensive.run();
        }
        long max = Runtime.getRuntime().maxMemory();
        if (liveAfterGc > HEAP_SHARE * max) {
            throw new MatcalcException(Kind.MEMORY, String.format(Locale.ROOT, "the request needs more memory than the"
                    + " server allows: %.0f MB of the %.0f MB heap were in use after collecting, over %.0f%%;"
                    + " a smaller expression or order, or a server with a larger heap (MATCALC_HEAP), may answer it",
                    liveAfterGc / 1e6, max / 1e6, 100 * HEAP_SHARE));
        }
    }

    @Override
    public void expensiveAhead() {
        if (!expensive) {
            turnExpensive();
        }
    }

    private void turnExpensive() {
        expensive = true;
        if (onExpensive != null) {
            onExpensive.run();
        }
    }

    private static long cpuNow() {
        long t = THREADS.getCurrentThreadCpuTime();
        return t < 0 ? System.nanoTime() : t; // no CPU clock: wall time, which errs towards "expensive"
    }
}
