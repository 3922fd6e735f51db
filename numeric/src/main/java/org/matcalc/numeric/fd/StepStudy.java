package org.matcalc.numeric.fd;

import java.io.PrintStream;
import java.util.function.DoubleUnaryOperator;


/**
 * The error-versus-step study of MIT 18.063 ch. 4: the relative error of forward and central
 * differences for steps 1e-1 ... 1e-15. Truncation error falls as h (forward) or h^2
 * (central) until round-off, about eps/h, takes over: the curves are V-shaped with their
 * minima near sqrt(eps) ~ 1e-8 and cbrt(eps) ~ 1e-5.
 */
public final class StepStudy {
    /** Errors are floored here so that an exact hit still shows on a log axis. */
    private static final double FLOOR = 1e-17;

    private final double[] steps;
    private final double[] forward;
    private final double[] central;

    private StepStudy(double[] steps, double[] forward, double[] central) {
        this.steps = steps;
        this.forward = forward;
        this.central = central;
    }

    /** Runs the study for f at x against the exact derivative. */
    public static StepStudy run(DoubleUnaryOperator f, double x, double exact) {
        int n = 15;
        double[] h = new double[n], fe = new double[n], ce = new double[n];
        for (int k = 0; k < n; k++) {
            h[k] = Math.pow(10, -(k + 1));
            double scale = Math.max(Math.abs(exact), Double.MIN_NORMAL);
            fe[k] = Math.max(FLOOR, Math.abs(FiniteDifferences.derivative(f, x, FiniteDifferences.Scheme.FORWARD, h[k]) - exact) / scale);
            ce[k] = Math.max(FLOOR, Math.abs(FiniteDifferences.derivative(f, x, FiniteDifferences.Scheme.CENTRAL, h[k]) - exact) / scale);
        }
        return new StepStudy(h, fe, ce);
    }

    public double[] steps() { return steps.clone(); }

    public double[] forwardErrors() { return forward.clone(); }

    public double[] centralErrors() { return central.clone(); }

    /** The step with the smallest error for forward (false) or central (true) differences. */
    public double bestStep(boolean centralScheme) {
        double[] e = centralScheme ? central : forward;
        int best = 0;
        for (int k = 1; k < e.length; k++) {
            if (e[k] < e[best]) best = k;
        }
        return steps[best];
    }

    public void printTable(PrintStream out) {
        out.printf("%10s  %14s  %14s%n", "h", "forward", "central");
        for (int k = 0; k < steps.length; k++) {
            out.printf("%10.0e  %14.3e  %14.3e%n", steps[k], forward[k], central[k]);
        }
    }
}
