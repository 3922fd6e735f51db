package org.matcalc.server;

/**
 * The server's address and limits (docs/http-api.md). Immutable; the {@code with...} methods
 * return changed copies.
 *
 * @param host            the address to bind; {@code 127.0.0.1} keeps the server local
 * @param port            the port; 0 picks a free one
 * @param timeLimitSeconds time allowed for one derive or parse request before it is stopped
 * @param maxBodyBytes    the largest request body accepted; larger ones get 413
 * @param workers         how many requests compute at once (the cores by default)
 * @param maxWaiting      how many further requests may wait for a worker; beyond that, 503 at once
 * @param waitMillis      how long a waiting request waits for a worker before 503
 * @param allowedOrigins  origins besides the server's own whose pages may call the API ({@code --allow-origin})
 * @param allowedHosts    Host names besides localhost, 127.0.0.1, [::1] and the bound address ({@code --allow-host})
 */
public record ServerOptions(String host, int port, double timeLimitSeconds, int maxBodyBytes, int workers,
                            int maxWaiting, long waitMillis, java.util.List<String> allowedOrigins, java.util.List<String> allowedHosts) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_BODY = 256 * 1024;

    public ServerOptions {
        allowedOrigins = java.util.List.copyOf(allowedOrigins);
        allowedHosts = java.util.List.copyOf(allowedHosts);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be from 0 to 65535, got " + port);
        }
        if (!(timeLimitSeconds > 0)) {
            throw new IllegalArgumentException("the time limit must be positive, got " + timeLimitSeconds);
        }
        if (maxBodyBytes < 1024 || workers < 1 || maxWaiting < 0 || waitMillis < 0) {
            throw new IllegalArgumentException("limits out of range: body " + maxBodyBytes + " bytes, workers " + workers
                    + ", waiting " + maxWaiting + ", wait " + waitMillis + " ms");
        }
    }

    /** Localhost:8080, 8 s per request, 256 KB bodies, one worker per core, 32 waiting per worker for 2 s. */
    public static ServerOptions defaults() {
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        return new ServerOptions(DEFAULT_HOST, DEFAULT_PORT, org.matcalc.protocol.Deadline.DEFAULT_SECONDS,
                DEFAULT_MAX_BODY, cores, 32 * cores, 2000, java.util.List.of(), java.util.List.of());
    }

    public ServerOptions withHost(String h) {
        return new ServerOptions(h, port, timeLimitSeconds, maxBodyBytes, workers, maxWaiting, waitMillis, allowedOrigins, allowedHosts);
    }

    public ServerOptions withPort(int p) {
        return new ServerOptions(host, p, timeLimitSeconds, maxBodyBytes, workers, maxWaiting, waitMillis, allowedOrigins, allowedHosts);
    }

    public ServerOptions withTimeLimit(double seconds) {
        return new ServerOptions(host, port, seconds, maxBodyBytes, workers, maxWaiting, waitMillis, allowedOrigins, allowedHosts);
    }

    public ServerOptions withMaxBody(int bytes) {
        return new ServerOptions(host, port, timeLimitSeconds, bytes, workers, maxWaiting, waitMillis, allowedOrigins, allowedHosts);
    }

    public ServerOptions withWorkers(int n, int waiting, long waitMs) {
        return new ServerOptions(host, port, timeLimitSeconds, maxBodyBytes, n, waiting, waitMs, allowedOrigins, allowedHosts);
    }

    /** The same options, also answering API calls from pages of {@code origin} (e.g. https://example.org). */
    public ServerOptions withAllowedOrigin(String origin) {
        java.util.List<String> o = new java.util.ArrayList<>(allowedOrigins);
        o.add(origin.replaceAll("/+$", ""));
        return new ServerOptions(host, port, timeLimitSeconds, maxBodyBytes, workers, maxWaiting, waitMillis, o, allowedHosts);
    }

    /** The same options, also answering requests whose Host is {@code name} (a name the server is reached by). */
    public ServerOptions withAllowedHost(String name) {
        java.util.List<String> h = new java.util.ArrayList<>(allowedHosts);
        h.add(name.toLowerCase(java.util.Locale.ROOT));
        return new ServerOptions(host, port, timeLimitSeconds, maxBodyBytes, workers, maxWaiting, waitMillis, allowedOrigins, h);
    }
}
