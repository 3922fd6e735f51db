package org.matcalc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

/**
 * {@code matcalc serve} as a real process: it prints its URL, answers, and stops cleanly on
 * SIGTERM (what Ctrl-C's shutdown path runs too); and {@code derive --json} answers a request
 * without {@code at} symbolically, as the HTTP API does.
 */
class ServeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void serveStartsAnswersAndStops() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "org.matcalc.cli.Main", "serve", "--port", "0")).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            String url = null;
            Pattern u = Pattern.compile("matcalc serving at (http://127\\.0\\.0\\.1:(\\d+)/)");
            while (url == null && (line = out.readLine()) != null) {
                Matcher m = u.matcher(line);
                if (m.find()) {
                    url = m.group(1);
                    assertFalse(m.group(2).equals("0"), "the real port is printed");
                }
            }
            assertTrue(url != null, "no URL printed");
            HttpClient c = HttpClient.newHttpClient();
            HttpResponse<String> health = c.send(HttpRequest.newBuilder(URI.create(url + "api/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            HttpResponse<String> d = c.send(HttpRequest.newBuilder(URI.create(url + "api/derive"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"expression\": \"x'*A*x\", \"wrt\": \"x\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, d.statusCode(), d.body());
            assertEquals("(A + A')*x", JSON.readTree(d.body()).get("derivative").asText());
            // The server's answer is the command's answer, field for field, for contract requests.
            for (String req : new String[] {
                "{\"expression\": \"norm2(X*w - y)^2\", \"variables\": {\"X\": \"matrix(n,m)\", \"w\": \"vector(m)\","
                        + " \"y\": \"vector(n)\"}, \"wrt\": \"w\", \"at\": {\"X\": [[1,2],[3,4],[5,6]], \"w\": [1,-1], \"y\": [0,1,2]}}",
                "{\"expression\": \"tr(A*X*B)\", \"wrt\": \"X\", \"layout\": \"numerator\", \"at\": {\"A\": [[1,2,3],[0,1,1]],"
                        + " \"X\": [[1,0],[2,1],[0,3]], \"B\": [[1,2],[3,4]]}}",
                "{\"expression\": \"logdet(S)\", \"variables\": {\"S\": \"spd(2)\"}, \"wrt\": \"S\", \"order\": 2,"
                        + " \"at\": {\"S\": [[2,1],[1,2]]}}",
                "{\"expression\": \"x*y\", \"wrt\": \"x\", \"at\": {\"x\": [1,2], \"y\": [3,4]}}"}) {
                HttpResponse<String> viaHttp = c.send(HttpRequest.newBuilder(URI.create(url + "api/derive"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(req)).build(), HttpResponse.BodyHandlers.ofString());
                ByteArrayOutputStream cli = new ByteArrayOutputStream();
                int code = Main.run(new String[] {"derive", "--json"}, new ByteArrayInputStream(req.getBytes(StandardCharsets.UTF_8)),
                        new PrintStream(cli), new PrintStream(new ByteArrayOutputStream()));
                assertEquals(JSON.readTree(cli.toString()), JSON.readTree(viaHttp.body()), req);
                assertEquals(code == 0, viaHttp.statusCode() == 200, req);
            }
            p.toHandle().destroy();   // SIGTERM, leaving our end of its output open; the shutdown hook stops the server
            StringBuilder rest = new StringBuilder();
            while ((line = out.readLine()) != null) {   // until the process closes its output
                rest.append(line).append('\n');
            }
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the server did not stop");
            assertTrue(rest.toString().contains("stopping"), rest.toString());
            assertFalse(rest.toString().contains("Exception"), rest.toString());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void sigtermStopsTheServerWithin2sWhileItComputes() throws Exception {
        Process p = serve(List.of(), "--timeout", "120");
        try {
            String url = urlOf(p);
            // two runaway requests (order 2 of a 399-factor product: minutes of work) in flight
            String runaway = "{\"expression\": \"" + "a*".repeat(398) + "a"
                    + "\", \"wrt\": \"a\", \"order\": 2}";
            HttpClient c = HttpClient.newHttpClient();
            for (int k = 0; k < 2; k++) {
                c.sendAsync(HttpRequest.newBuilder(URI.create(url + "api/derive")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(runaway)).build(), HttpResponse.BodyHandlers.ofString());
            }
            Thread.sleep(1500);
            long t0 = System.nanoTime();
            p.toHandle().destroy();   // SIGTERM
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the server did not stop");
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(seconds < 2, "SIGTERM took " + seconds + " s to stop the server");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aRequestNeedingMoreMemoryThanTheHeapIsRefusedAndTheServerGoesOn() throws Exception {
        Process p = serve(List.of("-Xmx512m"), "--timeout", "60");
        try {
            String url = urlOf(p);
            HttpClient c = HttpClient.newHttpClient();
            // five 4000 x 4000 intermediates (128 MB each) in a 512 MB heap
            String big = "{\"expression\": \"a*tr(eye(n) + 2*eye(n)*eye(n) + 3*eye(n)*eye(n)*eye(n) + exp(eye(n)) + sin(eye(n)))\","
                    + " \"wrt\": \"a\", \"at\": {\"a\": 1, \"n\": 4000}}";
            HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(url + "api/derive")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(big)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(422, r.statusCode(), r.body());
            assertTrue(r.body().contains("needs more memory"), r.body());
            HttpResponse<String> health = c.send(HttpRequest.newBuilder(URI.create(url + "api/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            HttpResponse<String> cheap = c.send(HttpRequest.newBuilder(URI.create(url + "api/derive")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"expression\": \"x'*A*x\", \"wrt\": \"x\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, cheap.statusCode(), cheap.body());
        } finally {
            p.destroyForcibly();
        }
    }

    /** {@code matcalc serve --port 0 ARGS} in a JVM of its own, with {@code jvm} options. */
    private static Process serve(List<String> jvm, String... args) throws java.io.IOException {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvm);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.matcalc.cli.Main", "serve", "--port", "0"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** The URL the server prints when it is ready. */
    private static String urlOf(Process p) throws java.io.IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Pattern u = Pattern.compile("matcalc serving at (http://127\\.0\\.0\\.1:\\d+/)");
        String line;
        while ((line = out.readLine()) != null) {
            Matcher m = u.matcher(line);
            if (m.find()) {
                return m.group(1);
            }
        }
        throw new AssertionError("no URL printed");
    }

    @Test
    void badOptionsAreRefused() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"serve", "--port", "70000"}, new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        assertEquals(2, code);
        assertTrue(err.toString().contains("port must be from 0 to 65535"), err.toString());
    }

    @Test
    void deriveJsonWithoutAtIsSymbolic() throws Exception {
        String req = "{\"expression\": \"logdet(S) + tr(inv(S)*C)\", \"variables\": {\"S\": \"spd(n)\", \"C\": \"symmetric(n)\"},"
                + " \"wrt\": \"S\", \"check\": true}";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"derive", "--json"}, new ByteArrayInputStream(req.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out), new PrintStream(new ByteArrayOutputStream()));
        assertEquals(0, code, out.toString());
        JsonNode a = JSON.readTree(out.toString());
        assertFalse(a.has("value"));
        assertEquals("matrix(n,n)", a.get("shape").asText().replace(" ", ""));
        assertTrue(a.get("check").get("passed").asBoolean(), a.toString());
    }
}
