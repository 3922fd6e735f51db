package org.matcalc.examples;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.matcalc.methods.optimize.ConvergenceReport;
import org.matcalc.methods.optimize.Newton;
import org.matcalc.methods.optimize.Options;
import org.matcalc.methods.optimize.RootResult;

/**
 * Matrix calculus chapter, Newton's method: f(x) = 2 - x^2 from x0 = 1. The iteration
 * x_{k+1} = x_k - f(x_k)/f'(x_k) = (x_k + 2/x_k)/2 converges quadratically to sqrt(2): for this f
 * the error obeys e_{k+1} = e_k^2 / (2 x_k) exactly, so the correct digits double each step and
 * the observed order log(e_{k+1}/e_k) / log(e_k/e_{k-1}) tends to 2. Plots the errors
 * (newton-sqrt2.png in the output directory).
 */
public final class NewtonSqrt2Example implements Example {
    @Override
    public String name() {
        return "newton-sqrt2";
    }

    @Override
    public String summary() {
        return "Newton on f(x) = 2 - x^2 from x0 = 1: quadratic convergence to sqrt(2), with a plot";
    }

    @Override
    public boolean run(PrintStream out, Path outputDir) throws Exception {
        double root = Math.sqrt(2);
        Options tight = Options.defaults().withGradientTolerance(1e-15);
        RootResult r = Newton.solveScalar(x -> 2 - x * x, x -> -2 * x, 1.0, tight);
        // the same run with f' from dual numbers instead of the formula
        RootResult dual = Newton.solveScalar(x -> x.times(x).negate().plus(2), 1.0, tight);

        out.println("Newton's method on f(x) = 2 - x^2, f'(x) = -2x, from x0 = 1:");
        out.println("  x_{k+1} = x_k - f(x_k)/f'(x_k) = (x_k + 2/x_k)/2");
        out.print(r.table(new double[] {root}));
        out.println(r.message());
        out.printf("sqrt(2) = %.16g; e_{k+1}/e_k^2 tends to 1/(2 sqrt 2) = %.6f%n", root, 1 / (2 * root));

        double[] e = r.errors(new double[] {root});
        double[] p = ConvergenceReport.observedOrders(e);
        boolean ok = r.converged() && Math.abs(r.x()[0] - root) <= 2.3e-16;
        // e_{k+1} / e_k^2 = 1/(2 x_k) while e_k is far above rounding
        for (int k = 1; k < e.length && e[k] > 1e-10; k++) {
            double ratio = e[k] / (e[k - 1] * e[k - 1]);
            ok &= Math.abs(ratio - 1 / (2 * r.iterates().get(k - 1)[0])) <= 1e-6 * ratio;
        }
        ok &= Math.abs(p[2] - 2) < 0.05 && Math.abs(p[3] - 2) < 0.01;
        ok &= dual.iterates().size() == r.iterates().size();
        for (int k = 0; ok && k < r.iterates().size(); k++) {
            ok &= dual.iterates().get(k)[0] == r.iterates().get(k)[0];
        }
        out.printf("observed order p_k = log(e_{k+1}/e_k) / log(e_k/e_{k-1}): p_2 = %.4f, p_3 = %.4f; "
                + "f' by dual numbers gives the same iterates: %s%n", p[2], p[3], dual.iterates().size() == r.iterates().size() ? "yes" : "no");
        Path png = Plots.roots(r, outputDir.resolve("newton-sqrt2.png"), "Newton on f(x) = 2 - x^2 from x0 = 1", new double[] {root});
        out.println("plot: " + png);
        ok &= Files.size(png) > 0;
        out.println(ok ? "OK: quadratic convergence to sqrt(2), order 2" : "MISMATCH");
        return ok;
    }
}
