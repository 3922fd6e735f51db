package org.matcalc.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback load test of {@code matcalc serve}: {@code clients} threads POST the requests of a
 * JSON-lines file to {@code /api/derive} in turn, each waiting for its answer, for a warm-up and
 * then a measured number of seconds. Prints one JSON line: requests per second, p50 and p99
 * latency, and how many answers were not 200. Run by bench/run-peers:
 * {@code java -cp bench/target/benchmarks.jar org.matcalc.bench.ServeLoadBench URL FILE SECONDS CLIENTS}.
 */
public final class ServeLoadBench {
    private ServeLoadBench() {
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        URI uri = URI.create(args[0] + "/api/derive");
        List<String> lines = Files.readAllLines(Path.of(args[1])).stream().filter(l -> !l.isBlank()).toList();
        double seconds = Double.parseDouble(args[2]);
        int clients = Integer.parseInt(args[3]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        run(http, uri, lines, Math.min(5, seconds), clients); // warm-up: the JIT, the connections
        Result r = run(http, uri, lines, seconds, clients);
        List<Long> t = r.latencies;
        Collections.sort(t);
        System.out.printf("{\"problem\": \"serve, %d requests with values\", \"size\": \"%d clients\", \"peer\": \"matcalc\", "
                        + "\"requests_per_s\": %.0f, \"p50_ms\": %.2f, \"p99_ms\": %.2f, \"not_200\": %d, \"answered\": %d}%n",
                lines.size(), clients, t.size() / seconds, t.get(t.size() / 2) / 1e6, t.get((int) (t.size() * 0.99)) / 1e6,
                r.failures.get(), t.size());
    }

    private record Result(List<Long> latencies, AtomicInteger failures) {
    }

    private static Result run(HttpClient http, URI uri, List<String> lines, double seconds, int clients) throws InterruptedException {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<Long> all = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failures = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int first = c * lines.size() / clients;
            Thread th = new Thread(() -> {
                List<Long> mine = new ArrayList<>();
                for (int i = first; System.nanoTime() < end; i++) {
                    HttpRequest req = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(lines.get(i % lines.size()))).build();
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
                        if (resp.statusCode() != 200) {
                            failures.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                    mine.add(System.nanoTime() - t0);
                }
                all.addAll(mine);
            });
            th.start();
            threads.add(th);
        }
        for (Thread th : threads) {
            th.join();
        }
        return new Result(all, failures);
    }
}
