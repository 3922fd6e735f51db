package org.matcalc.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A load test of {@code POST /api/derive} over loopback: a fixed number of requests, a mix of
 * the seeds' typical derivatives, sent by a few client threads, within a time cap; it reports
 * requests per second and latency percentiles, and counts every answer that is not a 200
 * with a derivative as an error.
 *
 * <p>{@code server/load-test.sh} runs it against {@code bin/matcalc serve}; {@link LoadSmokeTest}
 * runs a small version in the test suite (zero errors asserted, no timing). Usage:
 * {@code java -cp server/target/test-classes org.matcalc.server.LoadTest URL [REQUESTS [THREADS [CAP_SECONDS [WARMUP]]]]}.
 */
public final class LoadTest {

    /** Typical requests from the seeds (docs/derivatives.md), with values where the contract's acceptance runs have them. */
    static final List<String> MIX = List.of(
            // 矩阵求导术 example 1: a'Xb by X
            "{\"expression\": \"a'*X*b\", \"variables\": {\"a\": \"vector(m)\", \"X\": \"matrix(m,n)\", \"b\": \"vector(n)\"},"
                    + " \"wrt\": \"X\", \"at\": {\"a\": [1,2,3], \"X\": [[1,0,2,1],[0,1,1,3],[2,1,0,1]], \"b\": [1,-1,2,0.5]}}",
            // least squares: gradient and Hessian
            "{\"expression\": \"norm2(X*w - y)^2\", \"variables\": {\"X\": \"matrix(n,m)\", \"w\": \"vector(m)\", \"y\": \"vector(n)\"},"
                    + " \"wrt\": \"w\", \"at\": {\"X\": [[1,2,0],[3,4,1],[5,6,2],[0,1,1]], \"w\": [1,-1,0.5], \"y\": [0,1,2,3]}}",
            "{\"expression\": \"norm2(X*w - y)^2\", \"variables\": {\"X\": \"matrix(n,m)\", \"w\": \"vector(m)\", \"y\": \"vector(n)\"},"
                    + " \"wrt\": \"w\", \"order\": 2, \"at\": {\"X\": [[1,2,0],[3,4,1],[5,6,2],[0,1,1]], \"w\": [1,-1,0.5], \"y\": [0,1,2,3]}}",
            // softmax regression by W
            "{\"expression\": \"-y'*log(softmax(W*x))\", \"variables\": {\"W\": \"matrix(m,n)\", \"x\": \"vector(n)\", \"y\": \"vector(m)\"},"
                    + " \"wrt\": \"W\", \"at\": {\"W\": [[0.1,0.2,0.3],[0.3,-0.4,0.1],[0.5,0.1,-0.2],[0,0.2,0.1]], \"x\": [1,2,-1],"
                    + " \"y\": [0.1,0.2,0.3,0.4]}}",
            // Gaussian log-likelihood by an spd matrix
            "{\"expression\": \"logdet(S) + tr(inv(S)*C)\", \"variables\": {\"S\": \"spd(n)\", \"C\": \"symmetric(n)\"},"
                    + " \"wrt\": \"S\", \"at\": {\"S\": [[4,1,0],[1,3,1],[0,1,2]], \"C\": [[1,0.5,0],[0.5,2,0.1],[0,0.1,1]]}}",
            // a neuron
            "{\"expression\": \"relu(w'*x + b)\", \"wrt\": \"w\", \"at\": {\"w\": [0.5,0.2,0.1], \"x\": [1,2,3], \"b\": 0.1}}",
            // Kneusel ch. 8: a vector function's Jacobian
            "{\"expression\": \"(x'*x)*sin(A*x)\", \"wrt\": \"x\", \"at\": {\"x\": [0.3,-0.2,0.5],"
                    + " \"A\": [[1,2,0],[0,1,3],[4,0,1],[1,1,1]]}}",
            // a trace in numerator layout
            "{\"expression\": \"tr(A*X*B)\", \"wrt\": \"X\", \"layout\": \"numerator\", \"at\": {\"A\": [[1,2,3],[0,1,1]],"
                    + " \"X\": [[1,0],[2,1],[0,3]], \"B\": [[1,2],[3,4]]}}",
            // MIT 18.063: det
            "{\"expression\": \"det(A)\", \"wrt\": \"A\", \"at\": {\"A\": [[2,1,0],[1,3,1],[0,1,4]]}}",
            // what the page sends as the user types: a symbolic derivative with its steps
            "{\"expression\": \"x'*A*x\", \"wrt\": \"x\", \"steps\": true}");

    /**
     * Expensive requests for the isolation run: order 2 of a 399-factor product, which runs until
     * the time limit stops it, and two that take seconds.
     */
    static final List<String> HEAVY = List.of(
            "{\"expression\": \"" + "a*".repeat(398) + "a\", \"wrt\": \"a\", \"order\": 2}",
            "{\"expression\": \"tr(X^60)\", \"wrt\": \"X\", \"order\": 2}",
            "{\"expression\": \"sum(softmax(softmax(softmax(softmax(softmax(softmax(softmax(softmax(A*x)))))))))\","
                    + " \"wrt\": \"x\", \"order\": 2}");

    /** What an isolation run measured: the cheap requests, the health checks, and how the expensive ones ended. */
    public record Isolation(Result cheap, Result health, java.util.Map<Integer, Integer> heavyStatuses) {
        public String describe() {
            return "cheap derive: " + cheap.describe() + "\nhealth:       " + health.describe()
                    + "\nexpensive:    answers by HTTP status " + heavyStatuses;
        }
    }

    /**
     * Cheap requests (the {@link #MIX}) on {@code cheapThreads} connections for {@code seconds},
     * while {@code heavyThreads} more send {@link #HEAVY} requests back to back and one more asks
     * {@code GET /api/health} every 50 ms. Every cheap answer that is not a 200 is an error.
     */
    public static Isolation isolation(URI base, int cheapThreads, int heavyThreads, double seconds) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        long stopAt = System.nanoTime() + (long) (seconds * 1e9);
        java.util.Map<Integer, Integer> heavyStatuses = new java.util.concurrent.ConcurrentSkipListMap<>();
        ExecutorService heavy = Executors.newFixedThreadPool(Math.max(1, heavyThreads));
        for (int t = 0; t < heavyThreads; t++) {
            int offset = t;
            heavy.submit(() -> {
                for (int i = offset; System.nanoTime() < stopAt; i++) {
                    HttpRequest r = HttpRequest.newBuilder(base.resolve("/api/derive")).timeout(Duration.ofSeconds(60))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(HEAVY.get(i % HEAVY.size()))).build();
                    try {
                        heavyStatuses.merge(client.send(r, HttpResponse.BodyHandlers.discarding()).statusCode(), 1, Integer::sum);
                    } catch (IOException e) {
                        heavyStatuses.merge(-1, 1, Integer::sum);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }
        Thread.sleep(500); // the expensive ones are computing before the measurement starts
        HttpRequest healthRequest = HttpRequest.newBuilder(base.resolve("/api/health")).timeout(Duration.ofSeconds(30)).GET().build();
        java.util.concurrent.CompletableFuture<Result> health = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                timed(client, List.of(healthRequest), "{\"status\":\"ok\"", 1, stopAt, 50));
        List<HttpRequest> prepared = new ArrayList<>();
        for (String body : MIX) {
            prepared.add(HttpRequest.newBuilder(base.resolve("/api/derive")).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        }
        Result cheap = timed(client, prepared, "{\"derivative\"", cheapThreads, stopAt, 0);
        Result healthResult = health.join(); // runs until stopAt, whether or not cheap requests are sent here
        heavy.shutdownNow();
        heavy.awaitTermination(70, java.util.concurrent.TimeUnit.SECONDS);
        return new Isolation(cheap, healthResult, new java.util.TreeMap<>(heavyStatuses));
    }

    /** Requests from {@code threads} threads until {@code stopAt}, pausing {@code pauseMs} between a thread's requests. */
    private static Result timed(HttpClient client, List<HttpRequest> prepared, String expectStart, int threads, long stopAt, long pauseMs) {
        long start = System.nanoTime();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> firstErrors = new ConcurrentLinkedQueue<>();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                while (System.nanoTime() < stopAt) {
                    long t0 = System.nanoTime();
                    String problem = null;
                    try {
                        HttpResponse<String> r = client.send(prepared.get(next.getAndIncrement() % prepared.size()),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200 || !r.body().startsWith(expectStart)) {
                            problem = r.statusCode() + " " + r.body();
                        }
                    } catch (IOException e) {
                        problem = e.toString();
                    } catch (InterruptedException e) {
                        return;
                    }
                    latencies.add(System.nanoTime() - t0);
                    if (problem != null && errors.incrementAndGet() <= 5) {
                        firstErrors.add(problem.length() > 300 ? problem.substring(0, 300) : problem);
                    }
                    if (pauseMs > 0) {
                        try {
                            Thread.sleep(pauseMs);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            });
            th.start();
            ts.add(th);
        }
        for (Thread th : ts) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Result(sorted.length, errors.get(), secs, sorted.length / secs, percentile(sorted, 0.50),
                percentile(sorted, 0.99), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6, new ArrayList<>(firstErrors));
    }

    /** What a run measured. */
    public record Result(int requests, int errors, double seconds, double rps, double p50Ms, double p99Ms, double maxMs,
                         List<String> firstErrors) {
        public String describe() {
            return String.format(Locale.ROOT, "%d requests in %.2f s: %.0f requests/s, latency p50 %.2f ms, p99 %.2f ms,"
                    + " max %.2f ms, %d errors", requests, seconds, rps, p50Ms, p99Ms, maxMs, errors);
        }
    }

    private LoadTest() {
    }

    /**
     * Sends {@code requests} requests (cycling through {@link #MIX}) from {@code threads}
     * threads, stopping early at {@code cap}; requests not sent by then count as errors.
     */
    public static Result run(URI base, int requests, int threads, Duration cap) throws InterruptedException {
        URI derive = base.resolve("/api/derive");
        List<HttpRequest> prepared = new ArrayList<>();
        for (String body : MIX) {
            prepared.add(HttpRequest.newBuilder(derive).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        }
        return run(prepared, "{\"derivative\"", requests, threads, cap);
    }

    /**
     * The baseline of the same run: {@code GET /api/health}, which costs the HTTP exchange and
     * no computation, so that the derive figures read as a ratio of the transport's own.
     */
    public static Result baseline(URI base, int requests, int threads, Duration cap) throws InterruptedException {
        HttpRequest health = HttpRequest.newBuilder(base.resolve("/api/health")).timeout(Duration.ofSeconds(30)).GET().build();
        return run(List.of(health), "{\"status\":\"ok\"", requests, threads, cap);
    }

    private static Result run(List<HttpRequest> prepared, String expectStart, int requests, int threads, Duration cap)
            throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        ConcurrentLinkedQueue<String> firstErrors = new ConcurrentLinkedQueue<>();
        long[] latencies = new long[requests];
        long start = System.nanoTime();
        long stopAt = start + cap.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < requests && System.nanoTime() < stopAt) {
                    long t0 = System.nanoTime();
                    String problem = null;
                    try {
                        HttpResponse<String> r = client.send(prepared.get(i % prepared.size()), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200 || !r.body().startsWith(expectStart)) {
                            problem = r.statusCode() + " " + r.body();
                        }
                    } catch (IOException e) {
                        problem = e.toString();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    latencies[i] = System.nanoTime() - t0;
                    if (problem != null) {
                        errors.incrementAndGet();
                        if (firstErrors.size() < 5) {
                            firstErrors.add(problem.length() > 300 ? problem.substring(0, 300) : problem);
                        }
                    }
                }
            }));
        }
        pool.shutdown();
        for (Future<?> w : workers) {
            try {
                w.get();
            } catch (java.util.concurrent.ExecutionException e) {
                errors.incrementAndGet();
                firstErrors.add(String.valueOf(e.getCause()));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int done = Math.min(next.get(), requests);
        // Requests still unsent when the cap struck are failures of the run.
        int unsent = requests - done;
        long[] sorted = Arrays.copyOf(latencies, done);
        Arrays.sort(sorted);
        return new Result(done, errors.get() + unsent, seconds, done / seconds, percentile(sorted, 0.50),
                percentile(sorted, 0.99), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6, new ArrayList<>(firstErrors));
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int k = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, k))] / 1e6;
    }

    /**
     * {@code URL [REQUESTS [THREADS [CAP_SECONDS [WARMUP]]]]}, or {@code URL isolation [SECONDS=60
     * [CHEAP=8 [HEAVY=2]]]}; exit status 1 on any error of the cheap requests.
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 1 && args[1].equals("mix")) {
            MIX.forEach(System.out::println); // for wrk (server/wrk-mix.lua)
            return;
        }
        if (args.length > 1 && args[1].equals("isolation")) {
            URI base = URI.create(args[0]);
            double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 60;
            int cheap = args.length > 3 ? Integer.parseInt(args[3]) : 8;
            int heavy = args.length > 4 ? Integer.parseInt(args[4]) : 2;
            if (cheap > 0) {
                Result w = run(base, 2000, cheap, Duration.ofSeconds(60));
                System.out.println("warm-up:      " + w.describe());
            }
            Isolation r = isolation(base, cheap, heavy, seconds);
            System.out.println(r.describe() + "\n(" + cheap + " cheap connections, " + heavy + " sending expensive requests, "
                    + seconds + " s)");
            r.cheap().firstErrors().forEach(e -> System.out.println("  error: " + e));
            System.exit(r.cheap().errors() == 0 && r.health().errors() == 0 ? 0 : 1);
        }
        if (args.length < 1) {
            System.err.println("usage: LoadTest URL [REQUESTS=2000 [THREADS=4 [CAP_SECONDS=60 [WARMUP=500]]]]");
            System.exit(2);
        }
        URI base = URI.create(args[0]);
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int cap = args.length > 3 ? Integer.parseInt(args[3]) : 60;
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 500;
        if (warmup > 0) {
            Result w = run(base, warmup, threads, Duration.ofSeconds(cap));
            System.out.println("warm-up:  " + w.describe());
        }
        Result b = baseline(base, requests, threads, Duration.ofSeconds(cap));
        System.out.println("baseline: " + b.describe() + " (GET /api/health: HTTP only)");
        Result r = run(base, requests, threads, Duration.ofSeconds(cap));
        System.out.println("measured: " + r.describe() + " (" + threads + " client threads, " + MIX.size() + " request kinds)");
        System.out.println(String.format(Locale.ROOT, "derive / baseline: %.2f of the requests per second, p50 %.1fx, p99 %.1fx",
                r.rps() / b.rps(), r.p50Ms() / b.p50Ms(), r.p99Ms() / b.p99Ms()));
        r.firstErrors().forEach(e -> System.out.println("  error: " + e));
        System.exit(r.errors() == 0 && b.errors() == 0 ? 0 : 1);
    }
}
