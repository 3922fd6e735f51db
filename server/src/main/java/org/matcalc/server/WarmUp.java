package org.matcalc.server;

import java.util.List;

import org.matcalc.protocol.DeriveProtocol;
import org.matcalc.protocol.Differentiation;
import org.matcalc.protocol.Inspect;

/**
 * Runs a few typical requests in process right after start-up, so that the classes are loaded
 * and the JIT has compiled the engine before the first person's request: in a cold JVM the
 * first requests take tens to hundreds of milliseconds, later ones about one.
 */
final class WarmUp {
    private static final List<String> DERIVE = List.of(
            "{\"expression\": \"norm2(X*w - y)^2\", \"wrt\": \"w\", \"at\": {\"X\": [[1,2],[3,4],[5,6]], \"w\": [1,-1], \"y\": [0,1,2]}}",
            "{\"expression\": \"norm2(X*w - y)^2\", \"wrt\": \"w\", \"order\": 2}",
            "{\"expression\": \"-y'*log(softmax(W*x))\", \"wrt\": \"W\", \"steps\": true}",
            "{\"expression\": \"logdet(S) + tr(inv(S)*C)\", \"variables\": {\"S\": \"spd(n)\"}, \"wrt\": \"S\", \"check\": true}",
            "{\"expression\": \"tr(A*X*B)\", \"wrt\": \"X\", \"layout\": \"numerator\"}",
            "{\"expression\": \"(x'*x)*sin(A*x)\", \"wrt\": \"x\", \"at\": {\"x\": [0.3,-0.2], \"A\": [[1,2],[0,1],[4,0]]}}",
            "{\"expression\": \"x*y\", \"wrt\": \"x\"}");
    private static final List<String> PARSE = List.of(
            "{\"expression\": \"x'*A*x\"}", "{\"expression\": \"logdet(S) + tr(inv(S\"}");

    private WarmUp() {
    }

    /** Starts the warm-up on a daemon thread; it takes no worker permit and ends by itself. */
    static void inBackground(int rounds) {
        Thread t = new Thread(() -> run(rounds), "matcalc-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    static void run(int rounds) {
        DeriveProtocol protocol = new DeriveProtocol(new Differentiation());
        for (int r = 0; r < rounds; r++) {
            for (String req : DERIVE) {
                protocol.handle(req);
            }
            for (String req : PARSE) {
                Inspect.handle(req);
            }
        }
    }
}
