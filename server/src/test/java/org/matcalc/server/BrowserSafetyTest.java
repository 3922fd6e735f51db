package org.matcalc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A page on any other site cannot make the local server compute or read its answers: API POSTs
 * need a JSON body (415 for a form or text, which a page sends without asking), an Origin that is
 * the server's own or allowed (403), and a Host the server answers to (421, against DNS
 * rebinding); every response carries the security headers. After each refusal the server still
 * answers its health check.
 */
class BrowserSafetyTest {
    static MatcalcServer server;
    static Http http;
    static final String GOOD = "{\"expression\": \"x'*x\", \"wrt\": \"x\", \"at\": {\"x\": [1,2]}}";

    @BeforeAll
    static void start() {
        server = MatcalcServer.start(ServerOptions.defaults().withPort(0).withAllowedOrigin("https://allowed.example")
                .withAllowedHost("matcalc.internal"));
        http = new Http(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> post(String contentType, String origin) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/derive"))
                .POST(HttpRequest.BodyPublishers.ofString(GOOD));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (origin != null) {
            b.header("Origin", origin);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A raw request, so that the Host header can be any name (java.net.http will not send another). */
    private static String raw(String host) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /api/health HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void stillHealthy() {
        assertEquals(200, http.get("/api/health").status());
    }

    @Test
    void onlyJsonBodiesFromTheServersOwnOrAllowedOrigins() throws Exception {
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"}) {
            HttpResponse<String> r = post(type, null);
            assertEquals(415, r.statusCode(), type);
            assertTrue(r.body().contains("takes a JSON body with Content-Type: application/json"), r.body());
            stillHealthy();
        }
        assertEquals(415, post(null, null).statusCode(), "no content type");
        assertEquals(200, post("application/json; charset=utf-8", null).statusCode());
        HttpResponse<String> foreign = post("application/json", "https://evil.example");
        assertEquals(403, foreign.statusCode());
        assertTrue(foreign.body().contains("requests from pages of https://evil.example are refused"), foreign.body());
        stillHealthy();
        assertEquals(200, post("application/json", "http://127.0.0.1:" + server.port()).statusCode(), "its own page");
        assertEquals(200, post("application/json", "https://allowed.example").statusCode(), "--allow-origin");
    }

    @Test
    void onlyTheHostsItAnswersTo() throws IOException {
        String rebinding = raw("evil.example:" + server.port());
        assertTrue(rebinding.startsWith("HTTP/1.1 421"), rebinding);
        assertTrue(rebinding.contains("does not answer to the Host"), rebinding);
        for (String ok : new String[] {"localhost:" + server.port(), "127.0.0.1", "[::1]:" + server.port(), "matcalc.internal"}) {
            assertTrue(raw(ok).startsWith("HTTP/1.1 200"), ok);
        }
        stillHealthy();
    }

    @Test
    void aMalformedChunkIsTheClientsFault() throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/derive HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(reply.startsWith("HTTP/1.1 400"), reply);
            assertTrue(reply.contains("the request body could not be read"), reply);
        }
        stillHealthy();
    }

    @Test
    void jettysOwnErrorsComeInTheApisShape() throws IOException {
        for (String line : new String[] {"GARBAGE / HTTP/9", "GET /api/health HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "x".repeat(20_000)}) {
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.getOutputStream().write((line + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(reply.contains("application/json") && reply.contains("{\"error\":{\"message\":\"HTTP "), reply);
                assertTrue(!reply.contains("<html"), reply);
            }
        }
        stillHealthy();
    }

    @Test
    void everyResponseCarriesTheSecurityHeaders() throws Exception {
        for (String path : new String[] {"/", "/api/health", "/api", "/app.js", "/api/nothing"}) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""), path);
            assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(""), path);
            assertEquals("no-referrer", r.headers().firstValue("Referrer-Policy").orElse(""), path);
            assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"), path);
        }
    }
}
