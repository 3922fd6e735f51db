package org.matcalc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.matcalc.protocol.DeriveProtocol;
import org.matcalc.protocol.Differentiation;

/**
 * The API over real HTTP on a free loopback port: CONTRACT.md's answers (the same as the
 * in-process protocol that {@code matcalc derive --json} runs, and right by finite differences
 * taken through the API itself), the extra fields, symbolic answers, /api/parse, the status
 * codes, health, the API page and the static files. After every test the server must still
 * answer a good request, and no body may carry a stack trace.
 */
class ApiTest {
    static MatcalcServer server;
    static Http http;
    static final List<Http.Reply> SEEN = new ArrayList<>();

    static final String LEAST_SQUARES = "{\"expression\": \"norm2(X*w - y)^2\","
            + " \"variables\": {\"X\": \"matrix(n,m)\", \"w\": \"vector(m)\", \"y\": \"vector(n)\"},"
            + " \"wrt\": \"w\", \"order\": 1, \"layout\": \"mixed\","
            + " \"at\": {\"X\": [[1,2],[3,4],[5,6]], \"w\": [1,-1], \"y\": [0,1,2], \"n\": 3, \"m\": 2}}";

    @BeforeAll
    static void start() {
        server = MatcalcServer.start(ServerOptions.defaults().withPort(0), routes ->
                routes.get("/api/test-fault", ctx -> {
                    throw new IllegalStateException("a fault planted by the test");
                }));
        http = new Http(server);
    }

    @AfterAll
    static void stop() {
        server.close();
        for (Http.Reply r : SEEN) {
            assertNoStackTrace(r);
        }
    }

    /** The server keeps serving after whatever the test sent. */
    @AfterEach
    void stillServing() {
        Http.Reply r = post("/api/derive", "{\"expression\": \"x'*x\", \"wrt\": \"x\", \"at\": {\"x\": [1,2]}}");
        assertEquals(200, r.status(), r.body());
        assertEquals("[2.0,4.0]", r.json().get("value").toString());
    }

    static Http.Reply post(String path, String body) {
        Http.Reply r = http.post(path, body);
        SEEN.add(r);
        assertNoStackTrace(r);
        return r;
    }

    static Http.Reply get(String path) {
        Http.Reply r = http.get(path);
        SEEN.add(r);
        return r;
    }

    static void assertNoStackTrace(Http.Reply r) {
        if (r.contentType().startsWith("application/json")) {
            for (String marker : new String[] {"\tat ", ".java:", "Exception", "java.lang", "org.eclipse", "io.javalin"}) {
                assertFalse(r.body().contains(marker), "a response shows internals (" + marker + "): " + r.body());
            }
        }
    }

    static void assertError(Http.Reply r, int status, String messagePart) {
        assertEquals(status, r.status(), r.body());
        assertTrue(r.contentType().startsWith("application/json"), r.contentType());
        JsonNode e = r.json().get("error");
        assertNotNull(e, r.body());
        assertTrue(e.get("message").asText().contains(messagePart), "message '" + e.get("message").asText()
                + "' should contain '" + messagePart + "'");
    }

    // ---- /api/derive: the contract -----------------------------------------------------------

    @Test
    void contractExampleMatchesTheCommandAndTheMathematics() throws Exception {
        Http.Reply r = post("/api/derive", LEAST_SQUARES);
        assertEquals(200, r.status(), r.body());
        assertTrue(r.contentType().startsWith("application/json"));
        // Exactly what matcalc derive --json answers: the same protocol object, in process.
        DeriveProtocol.Answer cli = new DeriveProtocol(new Differentiation()).handle(LEAST_SQUARES);
        assertEquals(cli.body(), r.json());
        // And right: 2 X'(Xw - y), computed here by hand.
        double[][] x = {{1, 2}, {3, 4}, {5, 6}};
        double[] w = {1, -1};
        double[] y = {0, 1, 2};
        double[] g = new double[2];
        double f = 0;
        for (int i = 0; i < 3; i++) {
            double res = x[i][0] * w[0] + x[i][1] * w[1] - y[i];
            f += res * res;
            g[0] += 2 * x[i][0] * res;
            g[1] += 2 * x[i][1] * res;
        }
        JsonNode a = r.json();
        assertEquals(g[0], a.get("value").get(0).asDouble(), 1e-12);
        assertEquals(g[1], a.get("value").get(1).asDouble(), 1e-12);
        assertEquals(f, a.get("expressionValue").asDouble(), 1e-12);
        assertFalse(a.get("latex").asText().isEmpty());
        roundTrip(LEAST_SQUARES, a);
    }

    /** Gradients and Jacobians through the API agree with central differences taken through the API (order 0). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "x'*A*x + sum(exp(x)) | x | {\"x\": [0.3, -0.2, 0.5], \"A\": [[1,2,0],[0,1,3],[4,0,1]]}",
        "-y'*log(softmax(W*x)) | W | {\"W\": [[0.1,0.2],[0.3,-0.4],[0.5,0.1]], \"x\": [1,2], \"y\": [0.2,0.3,0.5]}",
        "logdet(S) + tr(inv(S)*C) | S | {\"S\": [[3,1],[1,2]], \"C\": [[1,0.5],[0.5,2]]}",
        "tanh(A*x) | x | {\"A\": [[1,2],[3,4],[0.5,-1]], \"x\": [0.1,-0.3]}",
    })
    void derivativesAgreeWithFiniteDifferences(String expression, String wrt, String at) throws Exception {
        ObjectNode req = Http.JSON.createObjectNode();
        req.put("expression", expression);
        if (expression.contains("logdet")) {
            req.putObject("variables").put("S", "spd(n)").put("C", "symmetric(n)");
        }
        req.put("wrt", wrt);
        req.set("at", Http.JSON.readTree(at));
        Http.Reply r = post("/api/derive", req.toString());
        assertEquals(200, r.status(), r.body());
        double[] got = flatten(r.json().get("value"));
        JsonNode x = req.get("at").get(wrt);
        boolean symmetric = expression.contains("logdet");
        List<double[]> fd = new ArrayList<>();
        double h = 1e-5;
        for (int k = 0; k < flatten(x).length; k++) {
            double[] plus = flatten(value(req, wrt, x, k, h, symmetric));
            double[] minus = flatten(value(req, wrt, x, k, -h, symmetric));
            double[] d = new double[plus.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = (plus[i] - minus[i]) / (2 * h);
            }
            fd.add(d);
        }
        // Mixed layout: a gradient is shaped like the variable (row-major here), a Jacobian has rows = outputs.
        int outputs = fd.get(0).length;
        for (int k = 0; k < fd.size(); k++) {
            for (int i = 0; i < outputs; i++) {
                double want = fd.get(k)[i];
                double have = outputs == 1 ? got[k] : got[i * fd.size() + k];
                if (symmetric) {
                    // a symmetric gradient: the difference moved both X[i][j] and X[j][i]
                    int n = x.size();
                    int row = k / n, col = k % n;
                    have = row == col ? have : 2 * have;
                }
                assertEquals(want, have, 1e-6 * Math.max(1, Math.abs(want)), expression + " entry " + k + "," + i);
            }
        }
        roundTrip(req.toString(), r.json());
    }

    /** F at x + h e_k (and its mirror entry for a symmetric variable), by an order-0 request. */
    private static JsonNode value(ObjectNode req, String wrt, JsonNode x, int k, double h, boolean symmetric) {
        ObjectNode q = req.deepCopy();
        q.put("order", 0);
        JsonNode moved = x.deepCopy();
        if (moved.get(0).isArray()) {
            int cols = moved.get(0).size();
            int i = k / cols, j = k % cols;
            ((ArrayNode) moved.get(i)).set(j, moved.get(i).get(j).asDouble() + h);
            if (symmetric && i != j) {
                ((ArrayNode) moved.get(j)).set(i, moved.get(j).get(i).asDouble() + h);
            }
        } else {
            ((ArrayNode) moved).set(k, moved.get(k).asDouble() + h);
        }
        ((ObjectNode) q.get("at")).set(wrt, moved);
        Http.Reply r = post("/api/derive", q.toString());
        assertEquals(200, r.status(), r.body());
        return r.json().get("value");
    }

    /** CONTRACT.md §3: the derivative, sent back as an order-0 expression, gives the same value. */
    private static void roundTrip(String request, JsonNode answer) throws Exception {
        ObjectNode q = (ObjectNode) Http.JSON.readTree(request);
        q.put("expression", answer.get("derivative").asText());
        q.put("order", 0);
        Http.Reply back = post("/api/derive", q.toString());
        assertEquals(200, back.status(), back.body());
        double[] want = flatten(answer.get("value"));
        double[] got = flatten(back.json().get("value"));
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-9 * Math.max(1, Math.abs(want[i])));
        }
    }

    static double[] flatten(JsonNode v) {
        List<Double> out = new ArrayList<>();
        if (v.isNumber()) {
            out.add(v.asDouble());
        } else {
            for (JsonNode row : v) {
                if (row.isArray()) {
                    row.forEach(e -> out.add(e.asDouble()));
                } else {
                    out.add(row.asDouble());
                }
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void stepsCheckAndLatexWhenAsked() {
        String req = LEAST_SQUARES.replace("\"order\": 1,", "\"order\": 1, \"steps\": true, \"check\": true,");
        Http.Reply r = post("/api/derive", req);
        assertEquals(200, r.status(), r.body());
        JsonNode a = r.json();
        assertTrue(a.get("steps").asText().contains("Differential"), a.get("steps").asText());
        assertTrue(a.get("stepsLatex").asText().contains("\\begin{aligned}"));
        assertTrue(a.get("check").get("passed").asBoolean(), a.get("check").toString());
        assertTrue(a.get("check").get("relativeError").asDouble() < 1e-6);
        assertTrue(a.get("check").get("summary").asText().startsWith("relative error"));
        assertEquals("2 X^{T} \\left(X w - y\\right)", a.get("latex").asText());
        // Not asked, not sent.
        JsonNode plain = post("/api/derive", LEAST_SQUARES).json();
        assertFalse(plain.has("steps") || plain.has("check"));
    }

    @Test
    void symbolicAnswerWithoutAt() {
        Http.Reply r = post("/api/derive", "{\"expression\": \"logdet(S) + tr(inv(S)*C)\","
                + " \"variables\": {\"S\": \"spd(n)\", \"C\": \"symmetric(n)\"}, \"wrt\": \"S\", \"check\": true, \"steps\": true}");
        assertEquals(200, r.status(), r.body());
        JsonNode a = r.json();
        assertFalse(a.has("value") || a.has("expressionValue"), r.body());
        assertFalse(a.get("derivative").asText().isEmpty());
        assertFalse(a.get("latex").asText().isEmpty());
        assertEquals("matrix(n,n)", a.get("shape").asText().replace(" ", ""));
        assertTrue(a.get("description").asText().contains("gradient"), a.get("description").asText());
        assertTrue(a.get("check").get("passed").asBoolean(), a.get("check").toString());
        assertTrue(a.get("check").get("summary").asText().contains("random inputs"));
        assertTrue(a.has("steps"));

        // The symbolic formula is the one a valued request evaluates.
        String at = ", \"at\": {\"S\": [[3,1],[1,2]], \"C\": [[1,0.5],[0.5,2]]}}";
        String base = "{\"expression\": \"logdet(S) + tr(inv(S)*C)\", \"variables\": {\"S\": \"spd(n)\", \"C\": \"symmetric(n)\"},"
                + " \"wrt\": \"S\"";
        JsonNode valued = post("/api/derive", base + at).json();
        JsonNode symbolic = post("/api/derive", base + "}").json();
        assertEquals(valued.get("derivative"), symbolic.get("derivative"));

        // Order 0 without at: the expression, normalised, with its shape.
        JsonNode zero = post("/api/derive", "{\"expression\": \"A*x\", \"order\": 0}").json();
        assertEquals("A*x", zero.get("derivative").asText());
        assertTrue(zero.get("shape").asText().startsWith("vector"), zero.toString());
        assertFalse(zero.has("value"));

        // A Hessian, symbolically.
        JsonNode h = post("/api/derive", "{\"expression\": \"norm2(X*w - y)^2\", \"wrt\": \"w\", \"order\": 2, \"check\": true}").json();
        assertEquals("2*X'*X", h.get("derivative").asText());
        assertTrue(h.get("check").get("passed").asBoolean(), h.toString());
    }

    @Test
    void layoutsChangeTheAnswer() {
        String req = "{\"expression\": \"tr(A*X*B)\", \"wrt\": \"X\", \"layout\": \"%s\"}";
        assertEquals("A'*B'", post("/api/derive", String.format(req, "mixed")).json().get("derivative").asText());
        assertEquals("B*A", post("/api/derive", String.format(req, "numerator")).json().get("derivative").asText());
    }

    // ---- /api/parse ----------------------------------------------------------------------------

    @Test
    void parseGivesShapeAndVariables() {
        Http.Reply r = post("/api/parse", "{\"expression\": \"x'*A*x\"}");
        assertEquals(200, r.status(), r.body());
        assertEquals("{\"shape\":\"scalar\",\"variables\":[{\"name\":\"x\",\"kind\":\"vector(n)\",\"declared\":false},"
                + "{\"name\":\"A\",\"kind\":\"matrix(n,n)\",\"declared\":false}]}", r.body());

        JsonNode d = post("/api/parse", "{\"expression\": \"logdet(S) + tr(inv(S)*C) + y'*B*z\","
                + " \"variables\": {\"S\": \"spd(n)\", \"B\": \"matrix(3,m)\"}}").json();
        assertEquals("scalar", d.get("shape").asText());
        JsonNode v = d.get("variables");
        assertEquals("S", v.get(0).get("name").asText());
        assertEquals("spd(n)", v.get(0).get("kind").asText());
        assertTrue(v.get(0).get("declared").asBoolean());
        assertEquals("matrix(n,n)", v.get(1).get("kind").asText());   // C, sized by inv(S)*C
        assertFalse(v.get(1).get("declared").asBoolean());
        assertEquals("vector(3)", v.get(2).get("kind").asText());     // y, from B's rows
        assertEquals("matrix(3,m)", v.get(3).get("kind").asText());
        assertEquals("vector(m)", v.get(4).get("kind").asText());     // z, from B's columns

        JsonNode w = post("/api/parse", "{\"expression\": \"W*x\"}").json();
        assertEquals("vector(n)", w.get("shape").asText());
        assertEquals("matrix(n,m)", w.get("variables").get(0).get("kind").asText());
        assertEquals("vector(m)", w.get("variables").get(1).get("kind").asText());
    }

    @Test
    void parseErrorsCarryLineAndColumn() {
        Http.Reply syntax = post("/api/parse", "{\"expression\": \"x'*(A*x\"}");
        assertEquals(400, syntax.status(), syntax.body());
        assertEquals(1, syntax.json().get("error").get("line").asInt());
        assertTrue(syntax.json().get("error").get("column").asInt() >= 1);

        Http.Reply shape = post("/api/parse", "{\"expression\": \"x*y\"}");
        assertError(shape, 422, "cannot multiply");
        assertEquals(1, shape.json().get("error").get("line").asInt());
        assertEquals(2, shape.json().get("error").get("column").asInt());

        Http.Reply twoLines = post("/api/parse", "{\"expression\": \"x'*x +\\n  foo(x)\"}");
        assertEquals(400, twoLines.status(), twoLines.body());
        assertEquals(2, twoLines.json().get("error").get("line").asInt());
        assertEquals(3, twoLines.json().get("error").get("column").asInt());

        assertError(post("/api/parse", "{\"expression\": \"x\", \"variables\": {\"x\": \"vektor(n)\"}}"), 400, "declaration of x");
        assertError(post("/api/parse", "{}"), 400, "expression");
        assertError(post("/api/parse", "not json"), 400, "malformed JSON");
    }

    // ---- status codes ----------------------------------------------------------------------------

    @Test
    void requestErrorsAre400() {
        assertError(post("/api/derive", "{\"expression\": "), 400, "malformed JSON");
        assertError(post("/api/derive", "[1, 2]"), 400, "JSON object");
        assertError(post("/api/derive", ""), 400, "");
        assertError(post("/api/derive", "{\"wrt\": \"x\"}"), 400, "missing \"expression\"");
        assertError(post("/api/derive", "{\"expression\": \"x'*x\", \"wrt\": \"x\", \"layout\": \"sideways\"}"), 400, "layout");
        assertError(post("/api/derive", "{\"expression\": \"x'*x\", \"wrt\": \"x\", \"order\": 3}"), 400, "order");
        Http.Reply absent = post("/api/derive", "{\"expression\": \"x'*x\", \"wrt\": \"z\"}");
        assertEquals(200, absent.status(), absent.body()); // a variable that does not occur: the zero derivative of its shape
        assertEquals("zeros(m, 1)", absent.json().get("derivative").asText(), absent.body());
        assertTrue(absent.json().get("description").asText().contains("z does not occur in the expression"), absent.body());
        assertError(post("/api/derive", "{\"expression\": \"x'*x\", \"wrt\": \"x\", \"at\": {\"x\": [[1,2]]}}"), 400, "flat list");
        assertError(post("/api/derive", "{\"expression\": \"A*x\", \"wrt\": \"x\", \"order\": 2}"), 400, "Hessian");
        Http.Reply syntax = post("/api/derive", "{\"expression\": \"x'*x +\", \"wrt\": \"x\"}");
        assertEquals(400, syntax.status());
        assertNotNull(syntax.json().get("error").get("column"));
    }

    @Test
    void shapeAndEvaluationErrorsAre422() {
        Http.Reply r = post("/api/derive", "{\"expression\": \"x*y\", \"wrt\": \"x\"}");
        assertError(r, 422, "cannot multiply");
        assertEquals(2, r.json().get("error").get("column").asInt());
        assertError(post("/api/derive", "{\"expression\": \"tr(A)\", \"variables\": {\"A\": \"matrix(2,3)\"}, \"wrt\": \"A\"}"),
                422, "");
    }

    @Test
    void unknownRoutesAndMethods() {
        Http.Reply r = get("/api/nothing-here");
        assertError(r, 404, "no such endpoint");
        assertError(post("/api/nothing-here", "{}"), 404, "no such endpoint");
        assertError(get("/api/derive"), 405, "not allowed");
        assertEquals(404, get("/no-such-page.html").status());
    }

    @Test
    void internalErrorsAre500WithoutDetails() {
        Http.Reply r = get("/api/test-fault");
        assertError(r, 500, "internal error");
        assertFalse(r.body().contains("planted"), r.body());
        assertNoStackTrace(r);
    }

    // ---- health, API page, static files ---------------------------------------------------------

    @Test
    void health() {
        Http.Reply r = get("/api/health");
        assertEquals(200, r.status());
        assertTrue(r.contentType().startsWith("application/json"));
        assertEquals("ok", r.json().get("status").asText());
        assertEquals(MatcalcServer.VERSION, r.json().get("version").asText());
    }

    @Test
    void apiDescriptionPage() {
        Http.Reply r = get("/api");
        assertEquals(200, r.status());
        assertTrue(r.contentType().startsWith("text/html"), r.contentType());
        for (String s : new String[] {"/api/derive", "/api/parse", "/api/health", "curl", "413", "503",
            "localhost:" + server.port() + "/api/derive"}) {
            assertTrue(r.body().contains(s), s);
        }
    }

    @Test
    void pageAndKatexAreServed() {
        Http.Reply page = get("/");
        assertEquals(200, page.status());
        assertTrue(page.contentType().startsWith("text/html"), page.contentType());
        String dist = "/webjars/katex/0.18.11/dist/";
        Http.Reply js = get(dist + "katex.min.js");
        assertEquals(200, js.status());
        assertTrue(js.contentType().contains("javascript"), js.contentType());
        assertTrue(js.body().length() > 100_000);
        Http.Reply css = get(dist + "katex.min.css");
        assertEquals(200, css.status());
        assertTrue(css.contentType().startsWith("text/css"), css.contentType());
        Http.Reply font = get(dist + "fonts/KaTeX_Main-Regular.woff2");
        assertEquals(200, font.status());
        assertTrue(font.contentType().contains("woff2"), font.contentType());
    }
}
