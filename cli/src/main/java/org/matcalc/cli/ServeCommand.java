package org.matcalc.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.matcalc.protocol.Deadline;
import org.matcalc.server.MatcalcServer;
import org.matcalc.server.ServerOptions;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code matcalc serve}: the web page and the HTTP API until Ctrl-C (docs/http-api.md). */
@Command(mixinStandardHelpOptions = true, usageHelpWidth = 80,
        name = "serve",
        description = {"Start the web page and the HTTP API.",
            "POST /api/derive, /api/parse; GET /api/health, /api.", ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  matcalc serve                 (http://127.0.0.1:8080/)",
            "  matcalc serve --port 0        (a free port; the URL printed says which)",
            "  curl -s localhost:8080/api/derive -H 'Content-Type: application/json' \\",
            "      -d '{\"expression\": \"x'\"'\"'*A*x\", \"wrt\": \"x\"}'",
            "",
            "Bound to localhost unless --host says otherwise; it answers to the Host names",
            "localhost, 127.0.0.1 and its address (more with --allow-host), and to API",
            "calls from its own page (others with --allow-origin). Ctrl-C stops it.",
            "See docs/http-api.md."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:stopped", "2:the port or host cannot be used"})
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--allow-origin", paramLabel = "ORIGIN", description = "also answer API calls from pages of ORIGIN, e.g. https://example.org (repeatable)")
    java.util.List<String> allowOrigin = new java.util.ArrayList<>();

    @Option(names = "--allow-host", paramLabel = "NAME", description = "also answer requests to the Host NAME (besides localhost and the bound address; repeatable)")
    java.util.List<String> allowHost = new java.util.ArrayList<>();

    @Option(names = "--port", paramLabel = "PORT", description = "the port; 0 picks a free one (default: ${DEFAULT-VALUE})")
    int port = ServerOptions.DEFAULT_PORT;

    @Option(names = "--host", paramLabel = "HOST", description = "the address to listen on (default: ${DEFAULT-VALUE})")
    String host = ServerOptions.DEFAULT_HOST;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "time limit per request (default: ${DEFAULT-VALUE})")
    double timeout = Deadline.DEFAULT_SECONDS;

    @Option(names = "--workers", paramLabel = "N", description = "requests computed at once (default: the number of cores)")
    Integer workers;

    @Override
    public Integer call() throws InterruptedException {
        Main.Io io = Main.Io.get();
        ServerOptions o;
        MatcalcServer server;
        try {
            o = ServerOptions.defaults().withHost(host).withPort(port).withTimeLimit(timeout);
            for (String origin : allowOrigin) {
                o = o.withAllowedOrigin(origin);
            }
            for (String name : allowHost) {
                o = o.withAllowedHost(name);
            }
            if (workers != null) {
                o = o.withWorkers(workers, 32 * workers, o.waitMillis());
            }
            server = MatcalcServer.start(o).warmUp();
        } catch (IllegalArgumentException e) {
            io.err.println("error: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            // Most often the port is taken.
            String why = rootMessage(e);
            io.err.println("error: could not start the server on " + host + ":" + port + ": " + why
                    + (why.contains("in use") ? " (another server has the port; choose one with --port, or --port 0 for a free one)" : ""));
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            io.err.println("matcalc: stopping");
            // SIGTERM ends the process within 2 s whatever is running: a stop that hangs is cut short
            Thread guard = new Thread(() -> {
                try {
                    Thread.sleep(STOP_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                io.err.println("matcalc: stopped without waiting further for running requests");
                io.err.flush();
                Runtime.getRuntime().halt(0);
            }, "matcalc-stop-guard");
            guard.setDaemon(true);
            guard.start();
            server.close();
            guard.interrupt();
            stopped.countDown();
        }, "matcalc-stop"));
        io.out.println("matcalc serving at " + server.url() + "  (API: " + server.url() + "api; Ctrl-C stops)");
        io.out.flush();
        stopped.await();
        return 0;
    }

    /** How long a stop may take before the process ends regardless. */
    static final long STOP_MILLIS = 1500;

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
