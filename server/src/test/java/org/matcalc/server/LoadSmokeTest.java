package org.matcalc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * A small, bounded run of {@link LoadTest} in the test suite: every request answered without
 * error. Timing is measured by {@code server/load-test.sh}, never asserted here.
 */
class LoadSmokeTest {
    @Test
    void aBurstOfTypicalRequestsIsAnsweredWithoutErrors() throws Exception {
        // The default 2 s wait for a worker, lengthened: a cold JVM on a busy CI machine must not turn this into 503s.
        ServerOptions o = ServerOptions.defaults().withPort(0);
        try (MatcalcServer server = MatcalcServer.start(o.withWorkers(o.workers(), o.maxWaiting(), 20_000))) {
            LoadTest.Result r = LoadTest.run(URI.create(server.url()), 200, 4, Duration.ofSeconds(60));
            assertEquals(200, r.requests(), r.describe());
            assertEquals(0, r.errors(), r.describe() + " " + r.firstErrors());
        }
    }
}
