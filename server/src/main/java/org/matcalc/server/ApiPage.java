package org.matcalc.server;

import java.util.Locale;

/** The short HTML description of the API served at {@code GET /api} (the long one is docs/http-api.md). */
final class ApiPage {
    private ApiPage() {
    }

    /** The page for a server with these options, listening on {@code port} (the real one when 0 was asked). */
    static String html(ServerOptions o, int port) {
        String limits = String.format(Locale.ROOT,
                "<ul><li>request body: at most %d bytes (larger: 413)</li>"
                + "<li>expression: at most 100,000 characters, nesting at most 64 deep (beyond: 400)</li>"
                + "<li>time: %s s per request; a longer derivation is stopped and answered 400 with a message saying so</li>"
                + "<li>concurrency: %d requests computed at once, %d more may wait up to %d ms; beyond: 503 with Retry-After</li></ul>",
                o.maxBodyBytes(), trim(o.timeLimitSeconds()), o.workers(), o.maxWaiting(), o.waitMillis());
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>matcalc HTTP API</title>"
                + "<style>body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.45}"
                + "pre,code{background:#f4f4f4;border-radius:3px}pre{padding:.6rem;overflow-x:auto}"
                + "td,th{border-bottom:1px solid #ddd;padding:.2rem .6rem;text-align:left;vertical-align:top}</style></head><body>"
                + "<h1>matcalc HTTP API</h1>"
                + "<p>JSON in, JSON out, UTF-8. Errors are <code>{\"error\": {\"message\": ..., \"line\": ..., \"column\": ...}}</code> "
                + "(line and column when the problem is in the expression). The full description is docs/http-api.md; "
                + "the web page is at <a href=\"/\">/</a>.</p>"
                + "<h2>POST /api/derive</h2>"
                + "<p>The request and answer of matcalc's JSON protocol (docs/json-protocol.md): "
                + "<code>expression</code> (required), <code>variables</code> (name to kind: scalar, vector(n), rowvector(n), "
                + "matrix(n,m), symmetric(n), spd(n), diagonal(n)), <code>wrt</code>, <code>order</code> (0, 1, 2; default 1), "
                + "<code>layout</code> (mixed, numerator, denominator), <code>at</code> (values), and optional "
                + "<code>steps</code> and <code>check</code> (booleans). The answer has <code>derivative</code>, <code>latex</code>, "
                + "<code>shape</code>, <code>description</code>, and with <code>at</code> also <code>value</code> and "
                + "<code>expressionValue</code>. Without <code>at</code> the answer is symbolic (no values); "
                + "<code>check</code> then verifies at random inputs.</p>"
                + "<pre>curl -s localhost:" + port + "/api/derive -H 'Content-Type: application/json' -d '{\"expression\": \"x'\\''*A*x\", \"wrt\": \"x\", \"steps\": true, \"check\": true}'</pre>"
                + "<pre>curl -s localhost:" + port + "/api/derive -H 'Content-Type: application/json' -d '{\"expression\": \"norm2(X*w - y)^2\", \"wrt\": \"w\","
                + " \"at\": {\"X\": [[1,2],[3,4],[5,6]], \"w\": [1,-1], \"y\": [0,1,2]}}'</pre>"
                + "<h2>POST /api/parse</h2>"
                + "<p><code>{\"expression\": ..., \"variables\": {...}}</code> (variables optional) gives "
                + "<code>{\"shape\": \"scalar\", \"variables\": [{\"name\": \"x\", \"kind\": \"vector(n)\", \"declared\": false}, ...]}</code> "
                + "or the error with its line and column.</p>"
                + "<pre>curl -s localhost:" + port + "/api/parse -H 'Content-Type: application/json' -d '{\"expression\": \"x'\\''*A*x\"}'</pre>"
                + "<h2>GET /api/health</h2><p><code>{\"status\": \"ok\", \"version\": ...}</code></p>"
                + "<pre>curl -s localhost:" + port + "/api/health</pre>"
                + "<h2>Status codes</h2><table>"
                + "<tr><td>200</td><td>an answer</td></tr>"
                + "<tr><td>400</td><td>malformed JSON, a missing or bad field, a syntax error, a limit, or the time limit</td></tr>"
                + "<tr><td>413</td><td>the body is larger than the limit</td></tr>"
                + "<tr><td>422</td><td>a well-formed request that cannot be computed: shape errors, values where the expression is undefined</td></tr>"
                + "<tr><td>404, 405</td><td>no such endpoint, or the wrong method</td></tr>"
                + "<tr><td>503</td><td>every worker is busy and the waiting line is full or the wait ran out</td></tr>"
                + "<tr><td>500</td><td>a fault of the server (logged; the answer carries no details)</td></tr></table>"
                + "<h2>Limits</h2>" + limits
                + "<h2>Static files</h2><p>KaTeX is served by this server: "
                + "<code>/webjars/katex/0.18.11/dist/katex.min.js</code>, <code>katex.min.css</code> and <code>fonts/</code>.</p>"
                + "</body></html>";
    }

    /** Served at / only when the page's files are missing from the classpath. */
    static String placeholder() {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>matcalc</title></head><body>"
                + "<h1>matcalc</h1><p>The web page is not part of this build. The API is described at <a href=\"/api\">/api</a>.</p>"
                + "</body></html>";
    }

    private static String trim(double seconds) {
        return seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.valueOf(seconds);
    }
}
