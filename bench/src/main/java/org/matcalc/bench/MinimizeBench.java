package org.matcalc.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.matcalc.expr.Declarations;
import org.matcalc.minimize.Minimizer;
import org.matcalc.minimize.Problem;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.fd.FiniteDifferences;
import org.matcalc.methods.optimize.Lbfgs;
import org.matcalc.methods.optimize.Objective;
import org.matcalc.methods.optimize.Options;
import org.matcalc.methods.optimize.Result;

/**
 * {@code minimize} on logistic regression, {@code sum(softplus(X*w)) - y'*X*w}, with N rows and
 * M features (default 10,000 x 100; synthetic, seed 1, labels drawn from the model so the data
 * are not separable): time to a gradient norm of 1e-8 relative to the gradient at the start,
 * for L-BFGS fed by the symbolic gradient, the same L-BFGS fed by central finite differences
 * of the same compiled objective (2M + 1 objective values per gradient), and Newton with the
 * symbolic Hessian; first, the time of one objective+gradient evaluation. Whole runs are timed (warm-up runs first, then the median of the timed
 * runs), so JMH's per-call machinery is not needed. Run:
 * {@code java -cp bench/target/benchmarks.jar org.matcalc.bench.MinimizeBench [N M warmups runs]}.
 */
public final class MinimizeBench {
    private MinimizeBench() {
    }

    static Map<String, Mat> data(int rows, int cols, long seed) {
        Random r = new Random(seed);
        double[][] x = new double[rows][cols];
        double[] w = new double[cols];
        for (int j = 0; j < cols; j++) {
            w[j] = r.nextGaussian() / Math.sqrt(cols);
        }
        double[] y = new double[rows];
        for (int i = 0; i < rows; i++) {
            double t = 0;
            for (int j = 0; j < cols; j++) {
                x[i][j] = j == 0 ? 1 : r.nextGaussian();
                t += x[i][j] * w[j];
            }
            y[i] = r.nextDouble() < 1 / (1 + Math.exp(-t)) ? 1 : 0;
        }
        Map<String, Mat> d = new LinkedHashMap<>();
        d.put("X", Mat.of(x));
        d.put("y", Mat.column(y));
        return d;
    }

    /** The same objective with its gradient by central differences (FiniteDifferences' step). */
    static Objective centralDifferences(Problem p, long[] values) {
        return (x, g) -> {
            double[] t = x.clone();
            for (int i = 0; i < x.length; i++) {
                double h = FiniteDifferences.step(FiniteDifferences.Scheme.CENTRAL, x[i]);
                t[i] = x[i] + h;
                double up = p.value(p.unpack(t));
                t[i] = x[i] - h;
                double down = p.value(p.unpack(t));
                t[i] = x[i];
                g[i] = (up - down) / (2 * h);
            }
            values[0] += 2L * x.length + 1;
            return p.value(p.unpack(x));
        };
    }

    record Run(double seconds, int iterations, int evaluations, long values, double gradNorm, boolean converged) {
    }

    interface Solver {
        Run once(Problem p);
    }

    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int cols = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int warmups = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Map<String, Mat> d = data(rows, cols, 1);
        String f = "sum(softplus(X*w)) - y'*X*w";
        Problem p0 = Problem.of(f, Declarations.NONE, "w", d, null);
        double[] start = new double[cols];
        double[] g0 = new double[cols];
        p0.objective().evaluate(start, g0);
        double tol = 1e-8 * norm(g0);

        System.out.printf(Locale.ROOT, "logistic regression %s: X %d x %d, seed 1; |grad| at w = 0: %.4e; stop at %.4e "
                + "(1e-8 relative); %d warm-up + %d timed runs each (median)%n", f, rows, cols, norm(g0), tol, warmups, runs);
        System.out.printf(Locale.ROOT, "gradient: %s%nHessian:  %s%n", org.matcalc.expr.TextPrinter.print(p0.gradient().expr()),
                p0.hasHessian() ? org.matcalc.expr.TextPrinter.print(p0.hessian().expr()) : p0.hessianRefusal());
        System.out.printf(Locale.ROOT, "java %s, %d processors (shared with other builds)%n%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());

        System.out.printf(Locale.ROOT, "one objective+gradient evaluation at w = 0: %.3f ms (median of %d batches of %d)%n%n",
                evaluationMillis(p0, start, 20, 7), 7, 20);

        double abs = 1e-8;
        Options absolute = Options.defaults().withMaxIterations(1000).withGradientTolerance(abs);
        Options relative = absolute.withGradientTolerance(tol);
        Options loose = absolute.withGradientTolerance(1e-6 * norm(g0));
        // Central differences carry an error of about eps*|f|/h per entry, above 1e-8 relative here: cap their runs.
        int fdCap = 50;

        List<Row> table = new ArrayList<>();
        table.add(new Row("L-BFGS, symbolic gradient", "1e-8 absolute", true, p -> lbfgs(p, start, absolute)));
        table.add(new Row("Newton, symbolic Hessian", "1e-8 absolute", false, p -> newton(p, start, absolute)));
        table.add(new Row("L-BFGS, symbolic gradient", "1e-8 relative", true, p -> lbfgs(p, start, relative)));
        table.add(new Row("L-BFGS, central differences", "1e-8 relative", false,
                p -> finiteDifferences(p, start, relative.withMaxIterations(fdCap))));
        table.add(new Row("Newton, symbolic Hessian", "1e-8 relative", false, p -> newton(p, start, relative)));
        table.add(new Row("L-BFGS, symbolic gradient", "1e-6 relative", true, p -> lbfgs(p, start, loose)));
        table.add(new Row("L-BFGS, central differences", "1e-6 relative", false,
                p -> finiteDifferences(p, start, loose.withMaxIterations(fdCap))));

        System.out.printf(Locale.ROOT, "%-28s %-14s %9s %7s %5s %6s %9s %12s %5s%n", "method", "target |grad|", "time (s)",
                "ratio", "iter", "evals", "f values", "final |grad|", "conv");
        double base = Double.NaN;
        for (Row row : table) {
            if (row.name().startsWith("Newton") && !p0.hasHessian()) {
                continue;
            }
            List<Run> timed = new ArrayList<>();
            for (int k = 0; k < warmups + runs; k++) {
                Problem p = Problem.of(f, Declarations.NONE, "w", d, null);
                Run r = row.solver().once(p);
                if (k >= warmups) {
                    timed.add(r);
                }
            }
            double[] secs = timed.stream().mapToDouble(Run::seconds).sorted().toArray();
            double median = secs[secs.length / 2];
            if (row.baseline()) {
                base = median;
            }
            Run r = timed.get(0);
            System.out.printf(Locale.ROOT, "%-28s %-14s %9.3f %7.2f %5d %6d %9d %12.3e %5s   runs %s%n", row.name(), row.target(),
                    median, median / base, r.iterations(), r.evaluations(), r.values(), r.gradNorm(), r.converged() ? "yes" : "no",
                    Arrays.toString(round(secs)));
        }
    }

    record Row(String name, String target, boolean baseline, Solver solver) {
    }

    static Run lbfgs(Problem p, double[] start, Options o) {
        long t0 = System.nanoTime();
        Result r = Lbfgs.minimize(p.objective(), start, o);
        return run(t0, r, r.evaluations(), p);
    }

    static Run finiteDifferences(Problem p, double[] start, Options o) {
        long[] values = {0};
        long t0 = System.nanoTime();
        Result r = Lbfgs.minimize(centralDifferences(p, values), start, o);
        return run(t0, r, values[0], p);
    }

    static Run newton(Problem p, double[] start, Options o) {
        long t0 = System.nanoTime();
        Minimizer.Solution s = Minimizer.minimize(p, p.unpack(start), Minimizer.Method.NEWTON, o);
        return run(t0, s.result(), s.result().evaluations(), p);
    }

    /** A run's figures; the final gradient norm is the symbolic one at the point reached, whatever fed the solver. */
    static Run run(long t0, Result r, long values, Problem p) {
        double seconds = (System.nanoTime() - t0) * 1e-9;
        Mat g = p.gradientAt(p.unpack(r.x()));
        return new Run(seconds, r.iterations(), r.evaluations(), values, Math.sqrt(g.dot(g)), r.converged());
    }

    /** Milliseconds per call of the solvers' objective (value and gradient) at x: median over batches, after a warm-up batch. */
    static double evaluationMillis(Problem p, double[] x, int perBatch, int batches) {
        var f = p.objective();
        double[] g = new double[x.length];
        double[] ms = new double[batches];
        for (int b = -1; b < batches; b++) {
            long t0 = System.nanoTime();
            for (int k = 0; k < perBatch; k++) {
                f.evaluate(x, g);
            }
            if (b >= 0) {
                ms[b] = (System.nanoTime() - t0) * 1e-6 / perBatch;
            }
        }
        Arrays.sort(ms);
        return ms[batches / 2];
    }

    static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    static double[] round(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.round(v[i] * 1000) / 1000.0;
        }
        return out;
    }
}
