package org.matcalc.examples;

import java.io.PrintStream;
import java.nio.file.Path;

import org.matcalc.numeric.Mat;
import org.matcalc.numeric.Dual;
import org.matcalc.ad.Node;
import org.matcalc.ad.Tape;

/**
 * MIT 18.063 ch. 8: the computational graph of z = sin(x)/y + x, differentiated forward
 * (one dual pass per input) and in reverse (one tape sweep gives both partials).
 */
public final class GraphExample implements Example {
    @Override
    public String name() {
        return "graph";
    }

    @Override
    public String summary() {
        return "computational graph of z = sin(x)/y + x, forward and reverse mode";
    }

    @Override
    public boolean run(PrintStream out, Path outputDir) {
        double x = 1.5, y = 0.5;
        double dzdx = Math.cos(x) / y + 1, dzdy = -Math.sin(x) / (y * y);
        out.printf("z = sin(x)/y + x at x = %s, y = %s%n", x, y);
        out.println("graph: v1 = sin(x); v2 = v1 / y; z = v2 + x");

        // forward: seed one input at a time
        Dual fx = forward(new Dual(x, 1), new Dual(y, 0), out, "x");
        Dual fy = forward(new Dual(x, 0), new Dual(y, 1), out, "y");

        // reverse: one forward run records the graph, one sweep returns every partial
        Tape tape = new Tape();
        Node xn = tape.variable(Mat.scalar(x));
        Node yn = tape.variable(Mat.scalar(y));
        Node v1 = xn.sin();
        Node v2 = v1.div(yn);
        Node z = v2.plus(xn);
        tape.backward(z);
        out.printf("reverse: z = %.15g; adjoints zbar = 1, v2bar = %.15g, v1bar = %.15g, xbar = %.15g, ybar = %.15g%n",
                z.real(), v2.grad().scalarValue(), v1.grad().scalarValue(),
                xn.grad().scalarValue(), yn.grad().scalarValue());
        out.printf("formula: dz/dx = cos(x)/y + 1 = %.15g, dz/dy = -sin(x)/y^2 = %.15g%n", dzdx, dzdy);

        boolean ok = close(fx.derivative(), dzdx) && close(fy.derivative(), dzdy)
                && close(xn.grad().scalarValue(), dzdx) && close(yn.grad().scalarValue(), dzdy);
        out.println(ok ? "OK: forward and reverse agree with the formulas" : "MISMATCH");
        return ok;
    }

    private static Dual forward(Dual x, Dual y, PrintStream out, String seed) {
        Dual v1 = x.sin();
        Dual v2 = v1.div(y);
        Dual z = v2.plus(x);
        out.printf("forward (seed %s): v1 = %s, v2 = %s, z = %s -> dz/d%s = %.15g%n", seed, v1, v2, z, seed, z.derivative());
        return z;
    }

    private static boolean close(double a, double b) {
        return Math.abs(a - b) <= 1e-14 * Math.max(1, Math.abs(b));
    }
}
