package org.matcalc.protocol;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.matcalc.expr.MatcalcException;

/** Runs one piece of work under a time limit, on a thread with a large stack. */
public final class Deadline {
    /** Default time for one derive or eval request: refusals must arrive within 10 s (CONTRACT.md §6). */
    public static final double DEFAULT_SECONDS = 8;

    private Deadline() {
    }

    public static <T> T run(double seconds, Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        Thread t = new Thread(null, task, "matcalc-work", 512L * 1024 * 1024);
        t.setDaemon(true);
        t.start();
        try {
            return task.get((long) (seconds * 1000), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw new MatcalcException(MatcalcException.Kind.LIMIT, "the request took longer than the time limit of "
                    + seconds + " s and was stopped");
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
                throw new MatcalcException(MatcalcException.Kind.LIMIT, "the request needs more memory than is available");
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(c);
        }
    }
}
