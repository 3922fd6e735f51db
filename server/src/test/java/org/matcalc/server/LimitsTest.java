package org.matcalc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The documented limits, each provoked over HTTP: body size (413), expression length and
 * nesting (400), the time limit (400, the server keeps serving and the stopped work ends),
 * the lane for expensive work, and saturation (503 at once). Each test starts its own server so that the limits can be small.
 */
class LimitsTest {
    private static final String GOOD = "{\"expression\": \"x'*A*x\", \"wrt\": \"x\", \"at\": {\"x\": [1,2], \"A\": [[1,2],[3,4]]}}";

    /**
     * A derivation that takes seconds: evaluating logdet at a 2000 x 2000 identity (an LU
     * factorisation of about 5 GFlop, a second or more).
     */
    private static final String SLOW = "{\"expression\": \"logdet(eye(n)*2) + x'*x\", \"wrt\": \"x\", \"at\": {\"x\": [1,2], \"n\": 2000}}";

    private static void assertServing(Http http) {
        Http.Reply r = http.post("/api/derive", GOOD);
        assertEquals(200, r.status(), r.body());
        assertEquals("[12.0,21.0]", r.json().get("value").toString());
        assertEquals(200, http.get("/api/health").status());
    }

    @Test
    void bodyOverTheLimitIs413() {
        try (MatcalcServer server = MatcalcServer.start(ServerOptions.defaults().withPort(0))) {
            Http http = new Http(server);
            int limit = server.options().maxBodyBytes();
            // 1 MB of expression in a JSON body: refused by size before it is read.
            String big = "{\"expression\": \"" + "x+".repeat(512 * 1024) + "x\", \"wrt\": \"x\"}";
            ApiTest.assertError(http.post("/api/derive", big), 413, "larger than the limit of " + limit);
            assertServing(http);
            ApiTest.assertError(http.post("/api/parse", big), 413, "larger than");
            assertServing(http);
            // Without a Content-Length (chunked): refused while reading.
            Http.Reply chunked = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/derive"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() ->
                            new java.io.ByteArrayInputStream(big.getBytes(java.nio.charset.StandardCharsets.UTF_8)))));
            ApiTest.assertError(chunked, 413, "larger than");
            assertServing(http);
            // Just under the limit is read (and then refused by the expression limit, 400).
            String under = "{\"expression\": \"" + "x+".repeat(60_000) + "x\", \"wrt\": \"x\"}";
            assertTrue(under.length() < limit);
            ApiTest.assertError(http.post("/api/derive", under), 400, "the limit is 100000");
            assertServing(http);
        }
    }

    @Test
    void nestingIsRefused() {
        try (MatcalcServer server = MatcalcServer.start(ServerOptions.defaults().withPort(0))) {
            Http http = new Http(server);
            String deep = "(".repeat(5000) + "x" + ")".repeat(5000);
            ApiTest.assertError(http.post("/api/derive", "{\"expression\": \"" + deep + "\", \"wrt\": \"x\"}"), 400, "nest");
            ApiTest.assertError(http.post("/api/parse", "{\"expression\": \"" + deep + "\"}"), 400, "nest");
            String calls = "exp(".repeat(3000) + "x" + ")".repeat(3000);
            ApiTest.assertError(http.post("/api/derive", "{\"expression\": \"" + calls + "\", \"wrt\": \"x\"}"), 400, "nest");
            // JSON nested deeper than the parser allows.
            String deepJson = "{\"expression\": \"x\", \"at\": " + "[".repeat(5000) + "]".repeat(5000) + "}";
            ApiTest.assertError(http.post("/api/derive", deepJson), 400, "");
            assertServing(http);
        }
    }

    @Test
    void aLongDerivationIsStoppedAndTheServerKeepsServing() throws Exception {
        ServerOptions o = ServerOptions.defaults().withPort(0).withTimeLimit(0.1);
        try (MatcalcServer server = MatcalcServer.start(o)) {
            Http http = new Http(server);
            long t0 = System.nanoTime();
            Http.Reply r = http.post("/api/derive", SLOW);
            double seconds = (System.nanoTime() - t0) / 1e9;
            ApiTest.assertError(r, 400, "time limit of 0.1 s");
            assertTrue(seconds < 5, "the refusal took " + seconds + " s");
            ApiTest.assertNoStackTrace(r);
            assertServing(http);
            // The stopped work still holds its worker until its thread really ends, then gives it back.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((server.gate().available() < o.workers() || server.heavy().available() < MatcalcServer.heavyWorkers(o))
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(o.workers(), server.gate().available());
            assertEquals(MatcalcServer.heavyWorkers(o), server.heavy().available());
            assertServing(http);
        }
    }

    @Test
    void aRequestPastItsTimeLimitFreesItsWorker() throws Exception {
        // order 2 of a 399-factor product runs for minutes; at its 1 s limit it must stop computing (here
        // within 0.1 s; the bound leaves room for a loaded machine),
        // so that with one worker the next cheap request is answered, not turned away
        String runaway = "{\"expression\": \"" + String.join("*", java.util.Collections.nCopies(399, "a"))
                + "\", \"wrt\": \"a\", \"order\": 2}";
        ServerOptions o = ServerOptions.defaults().withPort(0).withTimeLimit(1).withWorkers(1, 0, 0);
        try (MatcalcServer server = MatcalcServer.start(o)) {
            Http http = new Http(server);
            for (int k = 0; k < 2; k++) {
                ApiTest.assertError(http.post("/api/derive", runaway), 400, "time limit");
                long t0 = System.nanoTime();
                while ((server.gate().available() == 0 || server.heavy().available() == 0)
                        && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5)) {
                    Thread.sleep(5);
                }
                double freed = (System.nanoTime() - t0) / 1e9;
                assertTrue(freed < 0.5, "the worker was freed " + freed + " s after the refusal");
                assertEquals(200, http.post("/api/derive", GOOD).status(), "a cheap request after the runaway one");
            }
        }
    }

    @Test
    void expensiveWorkMovesToItsLaneAndCheapRequestsAreAnsweredBesideIt() throws Exception {
        // One worker: a slow request turns expensive and gives the cheap lane back, so a cheap
        // request beside it is answered at once; the heavy lane (one computing, two waiting) turns
        // the next expensive one away with 503 at once.
        ServerOptions o = ServerOptions.defaults().withPort(0).withTimeLimit(30).withWorkers(1, 16, 10_000);
        try (MatcalcServer server = MatcalcServer.start(o)) {
            Http http = new Http(server);
            CompletableFuture<Http.Reply> slow = CompletableFuture.supplyAsync(() -> http.post("/api/derive", SLOW));
            awaitAvailable(server.heavy(), 0);
            long t0 = System.nanoTime();
            Http.Reply cheap = http.post("/api/derive", GOOD);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(200, cheap.status(), cheap.body());
            assertTrue(seconds < 2, "the cheap request beside the slow one took " + seconds + " s");
            assertEquals(200, http.get("/api/health").status(), "health needs no worker");
            java.util.List<CompletableFuture<Http.Reply>> more = new java.util.ArrayList<>();
            for (int k = 0; k < 3; k++) {
                more.add(CompletableFuture.supplyAsync(() -> http.post("/api/derive", SLOW)));
            }
            int refused = 0;
            for (CompletableFuture<Http.Reply> f : more) {
                Http.Reply r = f.get(120, TimeUnit.SECONDS);
                if (r.status() == 503) {
                    ApiTest.assertError(r, 503, "busy with expensive requests");
                    refused++;
                } else {
                    assertEquals(200, r.status(), r.body());
                }
            }
            assertEquals(1, refused, "one computing and two waiting: the fourth expensive request is turned away");
            Http.Reply done = slow.get(120, TimeUnit.SECONDS);
            assertEquals(200, done.status(), done.body());
            assertServing(http);
        }
    }

    @Test
    void aFullCheapLaneIs503AtOnce() {
        Gate g = new Gate(1, 0, 0);
        assertTrue(g.enter());
        long t0 = System.nanoTime();
        assertTrue(!g.enter(), "nobody may wait");
        assertTrue((System.nanoTime() - t0) / 1e9 < 0.5);
        g.leave();
        assertTrue(g.enter());
    }

    private static void awaitAvailable(Gate gate, int permits) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (gate.available() != permits && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertEquals(permits, gate.available());
    }

    @Test
    void waitingRequestsAreServedInTurn() throws Exception {
        // One worker and room to wait: a burst of requests is answered, none refused.
        ServerOptions o = ServerOptions.defaults().withPort(0).withWorkers(1, 64, 10_000);
        try (MatcalcServer server = MatcalcServer.start(o)) {
            Http http = new Http(server);
            @SuppressWarnings("unchecked")
            CompletableFuture<Http.Reply>[] burst = new CompletableFuture[16];
            for (int i = 0; i < burst.length; i++) {
                burst[i] = CompletableFuture.supplyAsync(() -> http.post("/api/derive", GOOD));
            }
            for (CompletableFuture<Http.Reply> f : burst) {
                Http.Reply r = f.get(60, TimeUnit.SECONDS);
                assertEquals(200, r.status(), r.body());
            }
        }
    }
}
