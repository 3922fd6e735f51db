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
        try (MatcalcServer server = MatcalcServer.start(ServerOptions.defaults().withPort(0))) {
            LoadTest.Result r = LoadTest.run(URI.create(server.url()), 200, 4, Duration.ofSeconds(60));
            assertEquals(200, r.requests(), r.describe());
            assertEquals(0, r.errors(), r.describe() + " " + r.firstErrors());
        }
    }
}
