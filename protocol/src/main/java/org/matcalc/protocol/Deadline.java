package org.matcalc.protocol;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.matcalc.expr.MatcalcException;

/** Runs one piece of work under a time limit, on a thread with a large stack. */
public final class Deadline {
    /** Default time for one derive or eval request: refusals must arrive within 10 s (CONTRACT.md §6). */
    public static final double DEFAULT_SECONDS = 8;

    private Deadline() {
    }

    /** The stack of a work thread: deep enough that the documented depth limits, not the JVM, decide. */
    public static final long STACK_BYTES = 512L * 1024 * 1024;

    /** The longest time limit a request may ask for: a day. */
    public static final double MAX_SECONDS = 86_400;

    /** The time limit, checked: a number of seconds above 0 and at most {@link #MAX_SECONDS}. */
    public static double checked(double seconds) {
        if (!(seconds > 0 && seconds <= MAX_SECONDS)) {
            throw new org.matcalc.expr.MatcalcException(org.matcalc.expr.MatcalcException.Kind.REQUEST,
                    "--timeout " + seconds + ": expected a number of seconds above 0 and at most " + (long) MAX_SECONDS + " (a day)");
        }
        return seconds;
    }

    public static <T> T run(double seconds, Callable<T> work) {
        checked(seconds);
        FutureTask<T> task = new FutureTask<>(budgeted(work, null, null));
        Thread t = new Thread(null, task, "matcalc-work", STACK_BYTES);
        t.setDaemon(true);
        t.start();
        return await(task, seconds);
    }

    /**
     * As {@link #run(double, Callable)}, on a thread of {@code executor}, whose threads should
     * come from {@link #bigStackThreads(String)}; a server reuses them instead of starting a
     * thread per request.
     */
    public static <T> T run(double seconds, Callable<T> work, Executor executor) {
        return run(seconds, work, executor, null, null);
    }

    /**
     * As {@link #run(double, Callable, Executor)}; {@code onExpensive} runs on the work's thread
     * once the work has turned expensive ({@link Budget}), and may throw to refuse it;
     * {@code whileExpensive} runs at the checkpoints after that.
     */
    public static <T> T run(double seconds, Callable<T> work, Executor executor, Runnable onExpensive, Runnable whileExpensive) {
        checked(seconds);
        FutureTask<T> task = new FutureTask<>(budgeted(work, onExpensive, whileExpensive));
        executor.execute(task);
        return await(task, seconds);
    }

    /** The work under a {@link Budget} of its own, installed on the thread that runs it. */
    private static <T> Callable<T> budgeted(Callable<T> work, Runnable onExpensive, Runnable whileExpensive) {
        return () -> {
            // made on the work's thread: the budget counts that thread's CPU time
            Budget budget = new Budget(onExpensive, whileExpensive);
            org.matcalc.expr.Limits.Checkpoint before = org.matcalc.expr.Limits.observe(budget);
            try {
                return work.call();
            } finally {
                org.matcalc.expr.Limits.observe(before);
            }
        };
    }

    /** Work started on an executor, with the moment its time limit runs out. */
    public record Pending<T>(FutureTask<T> task, long deadlineNanos, double seconds) {
        /** Its result, waiting at most until the deadline (counted from {@link #start}); then as {@link #run}. */
        public T await() {
            double left = Math.max(0, (deadlineNanos - System.nanoTime()) / 1e9);
            return Deadline.await(task, left, seconds);
        }
    }

    /**
     * Starts {@code work} on a thread of {@code executor} (threads from {@link #bigStackThreads})
     * and returns at once: several requests can be computed while their answers are awaited in
     * order ({@code derive --jsonl}).
     */
    public static <T> Pending<T> start(double seconds, Callable<T> work, Executor executor) {
        FutureTask<T> task = new FutureTask<>(budgeted(work, null, null));
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        executor.execute(task);
        return new Pending<>(task, deadline, seconds);
    }

    /** Daemon threads with {@link #STACK_BYTES} of stack, named {@code prefix-1, prefix-2, ...}. */
    public static ThreadFactory bigStackThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(null, r, prefix + "-" + n.incrementAndGet(), STACK_BYTES);
            t.setDaemon(true);
            return t;
        };
    }

    private static <T> T await(FutureTask<T> task, double seconds) {
        return await(task, seconds, seconds);
    }

    /** Waits {@code wait} seconds at most; the message names the request's whole {@code limit}. */
    private static <T> T await(FutureTask<T> task, double wait, double limit) {
        try {
            return task.get((long) (wait * 1000), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw new MatcalcException(MatcalcException.Kind.LIMIT, "the request took longer than the time limit of "
                    + limit + " s and was stopped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MatcalcException(MatcalcException.Kind.LIMIT, "interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof MatcalcException m) {
                throw m;
            }
            if (c instanceof StackOverflowError) {
                throw new MatcalcException(MatcalcException.Kind.LIMIT, "the expression is too deeply nested to process");
            }
            if (c instanceof OutOfMemoryError) {
                throw new MatcalcException(MatcalcException.Kind.MEMORY, "the request needs more memory than is available");
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(c);
        }
    }
}
