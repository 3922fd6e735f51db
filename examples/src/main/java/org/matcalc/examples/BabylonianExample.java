package org.matcalc.examples;

import java.io.PrintStream;
import java.nio.file.Path;

import org.matcalc.numeric.Dual;
import org.matcalc.numeric.Num;

/**
 * MIT 18.063 ch. 8: the Babylonian square root t <- (t + x/t)/2, an ordinary loop, run on a
 * dual number x + 1*eps; the dual part converges to d sqrt(x)/dx = 0.5/sqrt(x).
 */
public final class BabylonianExample implements Example {
    @Override
    public String name() {
        return "babylonian";
    }

    @Override
    public String summary() {
        return "Babylonian square root differentiated by dual numbers (d/dx sqrt(x) at 49)";
    }

    /** The Babylonian iteration, written once for any number type. */
    public static <T extends Num<T>> T babylonian(T x, int iterations) {
        T t = x.plus(1).times(0.5);
        for (int i = 0; i < iterations; i++) {
            t = t.plus(x.div(t)).times(0.5);
        }
        return t;
    }

    @Override
    public boolean run(PrintStream out, Path outputDir) {
        double x = 49;
        Dual r = babylonian(Dual.variable(x), 10);
        double exact = 0.5 / Math.sqrt(x);
        out.println("Babylonian square root of x = 49 with x seeded as the dual 49 + 1ε, 10 iterations:");
        out.println("  sqrt(49)          = " + r.value());
        out.println("  d/dx sqrt(x)      = " + r.derivative());
        out.println("  0.5/sqrt(49)      = " + exact);
        boolean ok = r.value() == 7.0 && Math.abs(r.derivative() - exact) <= 1e-16;
        out.println(ok ? "OK: value 7.0 and derivative equal to 0.5/sqrt(49)" : "MISMATCH");
        return ok;
    }
}
