package org.matcalc.examples;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.matcalc.numeric.fd.StepStudy;

/**
 * MIT 18.063 ch. 4: truncation against round-off. Differentiates f(x) = sin(x) at x = 1 by
 * forward and central differences with steps 1e-1 ... 1e-15, prints the errors and plots them
 * (fd-error.png in the output directory).
 */
public final class FdErrorExample implements Example {
    @Override
    public String name() {
        return "fd-error";
    }

    @Override
    public String summary() {
        return "finite-difference error versus step (truncation vs round-off), with a log-log plot";
    }

    @Override
    public boolean run(PrintStream out, Path outputDir) throws Exception {
        StepStudy s = StepStudy.run(Math::sin, 1.0, Math.cos(1.0));
        out.println("relative error of d/dx sin(x) at x = 1 (exact cos(1)):");
        s.printTable(out);
        double bf = s.bestStep(false), bc = s.bestStep(true);
        out.printf("best step: forward %.0e (theory sqrt(eps) ~ 1.5e-8), central %.0e (theory cbrt(eps) ~ 6e-6)%n", bf, bc);
        Path png = Plots.steps(s, outputDir.resolve("fd-error.png"), "d/dx sin(x) at x = 1: error vs step");
        out.println("plot: " + png);
        double[] fe = s.forwardErrors(), ce = s.centralErrors();
        // V shapes: large at both ends, small in the middle, and central beats forward at its best
        boolean ok = Files.size(png) > 0 && bf >= 1e-10 && bf <= 1e-6 && bc >= 1e-7 && bc <= 1e-3
                && min(ce) < min(fe) && fe[0] > min(fe) * 100 && fe[14] > min(fe) * 100 && ce[14] > min(ce) * 100;
        out.println(ok ? "OK: V-shaped curves with minima near the predicted steps" : "MISMATCH");
        return ok;
    }

    private static double min(double[] a) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : a) m = Math.min(m, v);
        return m;
    }
}
