package org.matcalc.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.matcalc.numeric.Plots;
import org.matcalc.numeric.ad.Num;
import org.matcalc.numeric.ode.Adjoint;
import org.matcalc.numeric.ode.ForwardSensitivity;
import org.matcalc.numeric.ode.InitialCondition;
import org.matcalc.numeric.ode.Objective;
import org.matcalc.numeric.ode.OdeGradient;
import org.matcalc.numeric.ode.OdeProblem;
import org.matcalc.numeric.ode.Rhs;

/**
 * Forward sensitivities against the adjoint method as the number of parameters N grows
 * (docs/ode-sensitivity.md, "Cost: forward vs adjoint as parameters grow").
 *
 * <p>The family: n = 10 states, mildly nonlinear,
 * <pre>
 *   du_i/dt = sum_j A_ij u_j - 0.1 u_i^3 + sum_k p_k C_ik sin(w_k t + phi_k),   u(0) = u0,  T = 5,
 * </pre>
 * A a fixed stable, oscillatory 10 x 10 matrix, C (10 x N) with entries of size 1/sqrt(N) so
 * the forcing keeps the same size whatever N; all drawn from seed 1. Objectives:
 * G1 = g(u(T)) = c'u(T) + |u(T)|^2 / 2 and G2 = integral_0^T |u|^2 / 2 + 1e-3 |p|^2 dt. Both
 * gradients by {@link ForwardSensitivity} and by {@link Adjoint}, with f's derivatives from
 * AD ({@link Rhs#of}), at the default tolerances. Before timing, the two gradients must agree
 * to 1e-6 (normwise relative) or the run stops.
 *
 * <p>Whole gradients are timed (warm-up runs for a while, then the median of the timed
 * runs), so JMH's per-call machinery is not needed. Run:
 * {@code java -cp bench/target/benchmarks.jar org.matcalc.bench.OdeSensitivityBench [Ns warmupSeconds measureSeconds png]},
 * e.g. {@code 1,4,16,64,256 2 3 docs/img/ode-forward-vs-adjoint.png}.
 */
public final class OdeSensitivityBench {
    static final int STATES = 10;
    static final double T_END = 5.0;
    /** Keeps the plain solves' results alive. */
    static double sink;

    private OdeSensitivityBench() {
    }

    /** The problem with N parameters (seed 1 for A, u0 and c; seed 1 + N for C, w, phi, p). */
    static OdeProblem problem(int np) {
        int n = STATES;
        Random r = new Random(1);
        double[][] a = new double[n][n];
        double[][] skew = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                skew[i][j] = r.nextGaussian();
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                // A skew-symmetric part (oscillation) plus a damping of 0.5 and a small random part.
                a[i][j] = (skew[i][j] - skew[j][i]) / Math.sqrt(n) + 0.1 * r.nextGaussian() / Math.sqrt(n)
                        - (i == j ? 0.5 : 0);
            }
        }
        double[] u0 = new double[n];
        for (int i = 0; i < n; i++) {
            u0[i] = r.nextGaussian();
        }
        Random q = new Random(1 + np);
        double[][] c = new double[n][np];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < np; k++) {
                c[i][k] = q.nextGaussian() / Math.sqrt(np);
            }
        }
        double[] w = new double[np], phi = new double[np], p = new double[np];
        for (int k = 0; k < np; k++) {
            w[k] = 0.5 + 2.5 * q.nextDouble();
            phi[k] = 2 * Math.PI * q.nextDouble();
            p[k] = q.nextGaussian();
        }
        Rhs rhs = Rhs.of(new Rhs.Program() {
            @Override
            public <T extends Num<T>> void apply(double t, T[] u, T[] pp, T[] du) {
                double[] s = new double[np];
                for (int k = 0; k < np; k++) {
                    s[k] = Math.sin(w[k] * t + phi[k]);
                }
                for (int i = 0; i < n; i++) {
                    T acc = u[i].pow(3).times(-0.1);
                    for (int j = 0; j < n; j++) {
                        acc = acc.plus(u[j].times(a[i][j]));
                    }
                    for (int k = 0; k < np; k++) {
                        acc = acc.plus(pp[k].times(c[i][k] * s[k]));
                    }
                    du[i] = acc;
                }
            }
        });
        return OdeProblem.of(rhs, InitialCondition.constant(u0), p, T_END);
    }

    /** G1 = c'u + |u|^2 / 2 (at T). */
    static Objective terminal() {
        Random r = new Random(2);
        double[] c = new double[STATES];
        for (int i = 0; i < STATES; i++) {
            c[i] = r.nextGaussian();
        }
        return Objective.of(new Objective.Program() {
            @Override
            public <T extends Num<T>> T apply(double t, T[] u, T[] p) {
                T acc = u[0].times(c[0]).plus(u[0].square().times(0.5));
                for (int i = 1; i < u.length; i++) {
                    acc = acc.plus(u[i].times(c[i])).plus(u[i].square().times(0.5));
                }
                return acc;
            }
        });
    }

    /** The integrand of G2: |u|^2 / 2 + 1e-3 |p|^2 (so g_p is not zero). */
    static Objective integrand() {
        return Objective.of(new Objective.Program() {
            @Override
            public <T extends Num<T>> T apply(double t, T[] u, T[] p) {
                T acc = u[0].square().times(0.5);
                for (int i = 1; i < u.length; i++) {
                    acc = acc.plus(u[i].square().times(0.5));
                }
                for (T pk : p) {
                    acc = acc.plus(pk.square().times(1e-3));
                }
                return acc;
            }
        });
    }

    record Timing(double medianSeconds, int runs, int evaluations) {
    }

    /** Warm-up runs for at least warmup seconds (2 at least), then timed runs for measure seconds (5 at least); the median. */
    static Timing time(IntSupplier method, double warmup, double measure) {
        long start = System.nanoTime();
        int evaluations = 0;
        for (int i = 0; i < 2 || System.nanoTime() - start < warmup * 1e9; i++) {
            evaluations = method.getAsInt();
        }
        List<Double> times = new ArrayList<>();
        start = System.nanoTime();
        while (times.size() < 5 || System.nanoTime() - start < measure * 1e9) {
            long t0 = System.nanoTime();
            evaluations = method.getAsInt();
            times.add((System.nanoTime() - t0) * 1e-9);
        }
        double[] sorted = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int m = sorted.length;
        double median = m % 2 == 1 ? sorted[m / 2] : 0.5 * (sorted[m / 2 - 1] + sorted[m / 2]);
        return new Timing(median, m, evaluations);
    }

    /** |a - b| / |a|, normwise. */
    static double relativeDifference(double[] a, double[] b) {
        double d = 0, s = 0;
        for (int i = 0; i < a.length; i++) {
            d += (a[i] - b[i]) * (a[i] - b[i]);
            s += a[i] * a[i];
        }
        return Math.sqrt(d / s);
    }

    public static void main(String[] args) throws IOException {
        int[] ns = Arrays.stream((args.length > 0 ? args[0] : "1,4,16,64,256").split(",")).mapToInt(Integer::parseInt).toArray();
        double warmup = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        double measure = args.length > 2 ? Double.parseDouble(args[2]) : 3;
        Path png = args.length > 3 ? Path.of(args[3]) : null;

        System.out.printf(Locale.ROOT, "du/dt = A u - 0.1 u.^3 + sum_k p_k C[:,k] sin(w_k t + phi_k), n = %d, T = %.0f, "
                + "Rhs.of (AD), Dormand-Prince 8(5,3), default tolerances (rel 1e-10, abs 1e-12)%n", STATES, T_END);
        System.out.printf(Locale.ROOT, "G1 = c'u(T) + |u(T)|^2/2,  G2 = integral |u|^2/2 + 1e-3|p|^2 dt; "
                + "warm-up %.1f s, then median of runs over %.1f s (5 at least)%n", warmup, measure);
        System.out.printf(Locale.ROOT, "java %s, %d processors (shared with other builds)%n%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());

        String[] names = {"G1 = g(u(T))", "G2 = integral g dt"};
        Objective[] objectives = {terminal(), integrand()};
        double[][] fwd = new double[2][ns.length], adj = new double[2][ns.length];
        System.out.printf(Locale.ROOT, "%-20s %5s %9s %11s %11s %8s %8s %9s %10s %10s %9s%n", "objective", "N", "solve ms",
                "forward ms", "adjoint ms", "fwd/sol", "adj/sol", "fwd/adj", "fwd evals", "adj evals", "|dG| rel");
        for (int o = 0; o < 2; o++) {
            Objective g = objectives[o];
            boolean integral = o == 1;
            for (int c = 0; c < ns.length; c++) {
                OdeProblem problem = problem(ns[c]);
                Supplier<OdeGradient> forward = integral ? () -> ForwardSensitivity.gradientIntegral(problem, g)
                        : () -> ForwardSensitivity.gradientTerminal(problem, g);
                Supplier<OdeGradient> adjoint = integral ? () -> Adjoint.gradientIntegral(problem, g)
                        : () -> Adjoint.gradientTerminal(problem, g);
                // Like with like: the same gradient to 1e-6 before anything is timed.
                double[] gf = forward.get().gradient().toRowMajor(), ga = adjoint.get().gradient().toRowMajor();
                double rel = relativeDifference(gf, ga);
                if (!(rel <= 1e-6)) {
                    throw new IllegalStateException(names[o] + ", N = " + ns[c] + ": forward and adjoint gradients differ by "
                            + rel + " (normwise relative), more than 1e-6");
                }
                // The baseline: the value G alone, by one plain solve of the n (or n + 1) equations.
                Timing ts = time(() -> {
                    sink += integral ? problem.integralValue(g) : problem.terminalValue(g);
                    return 0;
                }, warmup / 2, measure / 2);
                Timing tf = time(() -> forward.get().evaluations(), warmup, measure);
                Timing ta = time(() -> adjoint.get().evaluations(), warmup, measure);
                fwd[o][c] = tf.medianSeconds();
                adj[o][c] = ta.medianSeconds();
                System.out.printf(Locale.ROOT, "%-20s %5d %9.3f %11.3f %11.3f %8.1f %8.1f %9.2f %10d %10d %9.1e%n", names[o],
                        ns[c], 1e3 * ts.medianSeconds(), 1e3 * tf.medianSeconds(), 1e3 * ta.medianSeconds(),
                        tf.medianSeconds() / ts.medianSeconds(), ta.medianSeconds() / ts.medianSeconds(),
                        tf.medianSeconds() / ta.medianSeconds(), tf.evaluations(), ta.evaluations(), rel);
            }
        }
        if (png != null) {
            System.out.println("\nwrote " + plot(ns, fwd, adj, png));
        }
    }

    static Path plot(int[] ns, double[][] fwd, double[][] adj, Path file) throws IOException {
        XYChart chart = Plots.chart(800, 520, "Gradient of G by p, n = 10 states: forward sensitivities vs adjoint",
                "number of parameters N", "time per gradient (ms)");
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        double[] x = Arrays.stream(ns).asDoubleStream().toArray();
        String[] objective = {"g(u(T))", "integral g dt"};
        Color blue = new Color(31, 119, 180), orange = new Color(255, 127, 14);
        for (int o = 0; o < 2; o++) {
            add(chart, "forward, " + objective[o], x, fwd[o], blue, o == 1);
            add(chart, "adjoint, " + objective[o], x, adj[o], orange, o == 1);
        }
        return Plots.savePng(chart, file);
    }

    private static void add(XYChart chart, String name, double[] x, double[] seconds, Color color, boolean dashed) {
        XYSeries s = chart.addSeries(name, x, Arrays.stream(seconds).map(v -> 1e3 * v).toArray());
        s.setMarker(dashed ? SeriesMarkers.DIAMOND : SeriesMarkers.CIRCLE);
        s.setLineColor(color);
        s.setMarkerColor(color);
        if (dashed) {
            s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
        }
    }
}
