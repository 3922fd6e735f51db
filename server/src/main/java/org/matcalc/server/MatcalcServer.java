package org.matcalc.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;

import org.matcalc.expr.MatcalcException;
import org.matcalc.protocol.Deadline;
import org.matcalc.protocol.DeriveProtocol;
import org.matcalc.protocol.Differentiation;
import org.matcalc.protocol.Inspect;

/**
 * {@code matcalc serve}: the HTTP API and the web page on Javalin (docs/http-api.md).
 *
 * <ul>
 *   <li>{@code POST /api/derive}: CONTRACT.md's request and answer, through {@link DeriveProtocol};</li>
 *   <li>{@code POST /api/parse}: shape and variables of an expression, through {@link Inspect};</li>
 *   <li>{@code GET /api/health}, {@code GET /api} (a description page);</li>
 *   <li>{@code GET /}: the page from the classpath folder {@code /web}; KaTeX from its webjar
 *       under {@code /webjars/katex/<version>/dist/}.</li>
 * </ul>
 *
 * Every computation holds one of a fixed number of {@link Gate} permits and runs under
 * {@link Deadline}; the permit is returned only when the computation has really ended, so a
 * derivation stopped by the time limit still counts against the workers until its thread
 * finishes. A computation that turns expensive ({@link org.matcalc.protocol.Budget}: 50 ms of
 * CPU) gives its permit back and continues in the lane for expensive work, which has half the
 * workers: expensive requests can never take every worker, and cheap ones keep being answered
 * beside them. Health checks take no permit at all.
 */
public final class MatcalcServer implements AutoCloseable {
    /** The matcalc version, also reported by /api/health. */
    public static final String VERSION = version();

    static final String JSON_TYPE = "application/json";

    private final ServerOptions options;
    private final Gate gate;
    /** The lane of expensive work: at most half the workers (at least one), waiting up to the time limit. */
    private final Gate heavy;
    /** The threads that compute: reused, with large stacks; the gate bounds what they are given. */
    private final ExecutorService workers;
    private final Javalin app;

    static {
        // Start-up chatter is noise for a command-line tool (matcalc serve prints its URL);
        // warnings and errors still reach stderr. -Dorg.slf4j.simpleLogger.defaultLogLevel=info restores it.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        // A failed start (a port in use) is reported by the caller in one line; Javalin's own
        // "Failed to start Javalin" would say it twice.
        if (System.getProperty("org.slf4j.simpleLogger.log.io.javalin.Javalin") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.io.javalin.Javalin", "off");
        }
    }

    private MatcalcServer(ServerOptions options, Consumer<RoutesConfig> extraRoutes) {
        this.options = options;
        this.gate = new Gate(options.workers(), options.maxWaiting(), options.waitMillis());
        this.heavy = new Gate(heavyWorkers(options), 2 * options.workers(), (long) (options.timeLimitSeconds() * 1000));
        // workers times BLAS threads stays within the cores (unless matcalc.threads says otherwise)
        org.matcalc.numeric.Blas.shareCores(options.workers());
        this.workers = Executors.newCachedThreadPool(Deadline.bigStackThreads("matcalc-work"));
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = options.maxBodyBytes();
            config.http.prefer405over404 = true;
            // Answers are small; compressing them costs more time than the loopback saves.
            config.http.compressionStrategy = CompressionStrategy.NONE;
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            config.jetty.host = options.host();
            config.jetty.port = options.port();
            if (MatcalcServer.class.getResource("/web/index.html") != null) {
                config.staticFiles.add(sf -> {
                    sf.hostedPath = "/";
                    sf.directory = "/web";
                    sf.location = Location.CLASSPATH;
                });
            } else {
                config.routes.get("/", ctx -> ctx.html(ApiPage.placeholder()));
            }
            config.staticFiles.enableWebjars();

            config.routes.before(this::guard);
            config.routes.post("/api/derive", this::derive);
            config.routes.post("/api/parse", this::parse);
            config.routes.get("/api/health", this::health);
            config.routes.get("/api", ctx -> ctx.html(ApiPage.html(options, port())));
            extraRoutes.accept(config.routes);

            config.routes.exception(HttpResponseException.class, (e, ctx) ->
                    error(ctx, e.getStatus(), e.getMessage() == null || e.getMessage().isBlank()
                            ? "HTTP " + e.getStatus() : e.getMessage()));
            config.routes.exception(Exception.class, (e, ctx) -> {
                if (unreadableBody(e)) {
                    // a malformed chunk, or a client that went away mid-body: its fault, one line in the log
                    System.err.println("matcalc serve: unreadable request body on " + ctx.method() + " " + ctx.path() + ": " + e);
                    error(ctx, 400, "the request body could not be read (malformed chunked encoding, or the body ended early)");
                    return;
                }
                // The details go to the log only: a response never carries a stack trace.
                System.err.println("matcalc serve: internal error on " + ctx.method() + " " + ctx.path());
                e.printStackTrace();
                error(ctx, 500, "internal error: the server could not answer this request; the details are in its log");
            });
            config.routes.error(404, ctx -> {
                if (ctx.path().startsWith("/api")) {
                    error(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path()
                            + "; see GET /api for the endpoints");
                }
            });
            config.routes.error(405, ctx -> {
                if (ctx.path().startsWith("/api")) {
                    error(ctx, 405, ctx.method() + " is not allowed on " + ctx.path() + "; see GET /api");
                }
            });
        });
    }

    /**
     * The Content-Security-Policy of every response: the page's scripts, styles and fonts come
     * from the server itself (KaTeX too, from its webjar); KaTeX sets style attributes, which
     * 'unsafe-inline' allows for styles only.
     */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
            + " font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /**
     * Before every request: the security headers; a Host the server answers to (a DNS-rebinding
     * page names another); and for the API's POSTs, a JSON body (so that a page cannot send one
     * as a simple form or text request) from the server's own origin or an allowed one.
     */
    private void guard(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Content-Security-Policy", CSP);
        String host = ctx.header("Host");
        if (host == null || !allowedHost(host)) {
            throw new HttpResponseException(421, "this server does not answer to the Host '" + host + "'; start it with"
                    + " --allow-host NAME to add a name it is reached by", java.util.Map.of());
        }
        if (!ctx.method().name().equals("POST") || !ctx.path().startsWith("/api/")) {
            return;
        }
        String origin = ctx.header("Origin");
        if (origin != null && !origin.equalsIgnoreCase("http://" + host) && !options.allowedOrigins().contains(origin.replaceAll("/+$", ""))) {
            throw new HttpResponseException(403, "requests from pages of " + origin + " are refused; start the server with"
                    + " --allow-origin " + origin + " to allow them", java.util.Map.of());
        }
        String type = ctx.header("Content-Type");
        String media = type == null ? "" : type.split(";")[0].trim().toLowerCase(java.util.Locale.ROOT);
        if (!media.equals("application/json")) {
            throw new HttpResponseException(415, "POST " + ctx.path() + " takes a JSON body with Content-Type: application/json"
                    + (type == null ? "" : ", not " + type) + " (curl: -H 'Content-Type: application/json')", java.util.Map.of());
        }
    }

    /** localhost, 127.0.0.1, [::1], the bound address and --allow-host names, with or without a port. */
    private boolean allowedHost(String hostHeader) {
        String h = hostHeader.trim().toLowerCase(java.util.Locale.ROOT);
        String name = h.startsWith("[") ? h.substring(0, h.indexOf(']') + 1) : h.replaceAll(":\\d+$", "");
        return name.equals("localhost") || name.equals("127.0.0.1") || name.equals("[::1]")
                || name.equals(options.host().toLowerCase(java.util.Locale.ROOT)) || options.allowedHosts().contains(name);
    }

    /** Whether a failure is Jetty's reading a body the client sent badly (or stopped sending). */
    static boolean unreadableBody(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String name = t.getClass().getSimpleName();
            if (t instanceof IOException || name.equals("BadMessageException") || name.equals("EofException")) {
                return true;
            }
        }
        return false;
    }

    /** Starts a server; {@link #port()} tells the port when 0 was asked. */
    public static MatcalcServer start(ServerOptions options) {
        return start(options, routes -> { });
    }

    /** With extra routes (tests add one that fails, to see the answer to an internal error). */
    static MatcalcServer start(ServerOptions options, Consumer<RoutesConfig> extraRoutes) {
        MatcalcServer s = new MatcalcServer(options, extraRoutes);
        s.app.start();
        return s;
    }

    Gate gate() {
        return gate;
    }

    Gate heavy() {
        return heavy;
    }

    /** Workers of the lane for expensive requests: half of them, at least one. */
    static int heavyWorkers(ServerOptions options) {
        return Math.max(1, options.workers() / 2);
    }

    /**
     * Run by expensive work at its checkpoints (at most once a millisecond): while cheap requests
     * are being computed or wait, it pauses {@link #PACE_MILLIS}, so that the cheap ones get the
     * cores first (about a tenth of a core goes to the heavy lane then; all of it when idle).
     */
    static final long PACE_MILLIS = 8;

    private void pace() {
        if (gate.busy()) {
            try {
                Thread.sleep(PACE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the time limit: the next checkpoint stops the work
            }
        }
    }

    /** The permit a computation holds: the cheap lane's, then (once expensive) the heavy lane's. */
    private final class Lane {
        private final java.util.concurrent.atomic.AtomicReference<Gate> held = new java.util.concurrent.atomic.AtomicReference<>(gate);
        /** Set when the heavy lane was full: the refusal is then a 503, like a full server's. */
        private volatile boolean turnedAway;

        /** On the work's thread, when it turns expensive: frees a cheap worker and queues for a heavy one. */
        void promote() {
            Gate was = held.getAndSet(null);
            if (was != null) {
                was.leave();
            }
            if (!heavy.enter()) {
                turnedAway = true;
                throw new MatcalcException(MatcalcException.Kind.LIMIT, "the server is busy with expensive requests (" + heavyWorkers(options) + " computing, more"
                        + " waiting); this one needs more than a cheap request's 50 ms, so try again later");
            }
            held.set(heavy);
        }

        void release() {
            Gate was = held.getAndSet(null);
            if (was != null) {
                was.leave();
            }
        }
    }

    /**
     * Warms the engine up in the background (a few hundred typical requests in process, a
     * second or two of one core) so that the first requests people send are not the slow
     * ones of a cold JVM. {@code matcalc serve} calls it; tests do not.
     */
    public MatcalcServer warmUp() {
        // -Dmatcalc.serve.warmUp=0 turns it off (to measure a cold server).
        int rounds = Integer.getInteger("matcalc.serve.warmUp", 40);
        if (rounds > 0) {
            WarmUp.inBackground(rounds);
        }
        return this;
    }

    public int port() {
        return app.port();
    }

    public ServerOptions options() {
        return options;
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8080/}. */
    public String url() {
        String h = options.host();
        if (h.contains(":")) {
            h = "[" + h + "]";
        } else if (h.equals("0.0.0.0")) {
            h = "127.0.0.1";
        }
        return "http://" + h + ":" + port() + "/";
    }

    /** Stops accepting, lets running requests end, and frees the port. */
    @Override
    public void close() {
        // Interrupt the computations first: each stops at its next checkpoint and its request is
        // answered as stopped, so Jetty's graceful stop has nothing long left to wait for.
        workers.shutdownNow();
        app.stop();
    }

    // ---- endpoints --------------------------------------------------------------------------

    private void derive(Context ctx) throws IOException {
        String body = readBody(ctx);
        if (body == null) {
            return;
        }
        DeriveProtocol protocol = new DeriveProtocol(new Differentiation());
        answer(ctx, () -> protocol.handle(body));
    }

    private void parse(Context ctx) throws IOException {
        String body = readBody(ctx);
        if (body == null) {
            return;
        }
        answer(ctx, () -> Inspect.handle(body));
    }

    private void health(Context ctx) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("status", "ok");
        o.put("version", VERSION);
        ctx.contentType(JSON_TYPE).result(o.toString());
    }

    /** Runs one computation within the worker limit and the time limit, and writes its answer. */
    private void answer(Context ctx, Callable<DeriveProtocol.Answer> work) {
        if (!gate.enter()) {
            ctx.header("Retry-After", "1");
            error(ctx, 503, "the server is busy: " + options.workers() + " requests are being computed and "
                    + options.maxWaiting() + " are waiting; try again in a moment");
            return;
        }
        AtomicBoolean started = new AtomicBoolean();
        Lane lane = new Lane();
        DeriveProtocol.Answer a;
        try {
            a = Deadline.run(options.timeLimitSeconds(), () -> {
                started.set(true);
                try {
                    return work.call();
                } finally {
                    lane.release();
                }
            }, workers, lane::promote, this::pace);
        } catch (MatcalcException e) {
            // The time limit, or a stack or memory exhausted: a refusal like any other.
            a = DeriveProtocol.refusal(e);
        } finally {
            if (!started.get()) {
                lane.release();
            }
        }
        if (lane.turnedAway) {
            ctx.header("Retry-After", "1");
        }
        ctx.status(lane.turnedAway ? 503 : a.refused() ? statusOf(a.errorKind()) : 200).contentType(JSON_TYPE).result(a.text());
    }

    /**
     * 400 when the request or its text is wrong (syntax, fields, limits, the time limit);
     * 422 when it is well-formed but cannot be computed (shapes, values, a rule matcalc lacks).
     */
    static int statusOf(MatcalcException.Kind kind) {
        if (kind == null) {
            return 400;
        }
        switch (kind) {
            case SHAPE:
            case EVALUATION:
            case UNSUPPORTED:
            case MEMORY:
                return 422;
            default:
                return 400;
        }
    }

    /**
     * Oversized bodies up to this many bytes are read and discarded before the 413 is sent: a
     * client still writing its body would otherwise see a reset connection instead of the answer.
     * Larger ones are answered at once and the connection is dropped.
     */
    private static final long DRAIN_LIMIT = 8L * 1024 * 1024;

    /**
     * The body as UTF-8 text, read no further than the limit; null after answering 413 when it
     * is larger.
     */
    private String readBody(Context ctx) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        int max = options.maxBodyBytes();
        ByteArrayOutputStream buf = new ByteArrayOutputStream(declared > 0 && declared <= max ? (int) declared : 1024);
        byte[] chunk = new byte[8192];
        try (InputStream in = ctx.req().getInputStream()) {
            if (declared > max) {
                drain(in, chunk, declared);
                tooLarge(ctx);
                return null;
            }
            int n;
            while ((n = in.read(chunk)) > 0) {
                buf.write(chunk, 0, n);
                if (buf.size() > max) {
                    drain(in, chunk, DRAIN_LIMIT);
                    tooLarge(ctx);
                    return null;
                }
            }
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    /** Discards what is left of a body, at most {@link #DRAIN_LIMIT} bytes. */
    private static void drain(InputStream in, byte[] chunk, long declared) throws IOException {
        if (declared > DRAIN_LIMIT) {
            return;
        }
        long read = 0;
        int n;
        while (read < DRAIN_LIMIT && (n = in.read(chunk)) > 0) {
            read += n;
        }
    }

    private void tooLarge(Context ctx) {
        error(ctx, 413, "the request body is larger than the limit of " + options.maxBodyBytes() + " bytes");
    }

    /** Writes a CONTRACT.md §6 error object with the given status. */
    static void error(Context ctx, int status, String message) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("error").put("message", message);
        ctx.status(status).contentType(JSON_TYPE).result(body.toString());
    }

    private static String version() {
        String v = MatcalcServer.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }
}
