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
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.matcalc.numeric.Mat;
import org.matcalc.examples.Plots;
import org.matcalc.numeric.Num;
import org.matcalc.methods.ode.Adjoint;
import org.matcalc.methods.ode.ForwardSensitivity;
import org.matcalc.methods.ode.InitialCondition;
import org.matcalc.methods.ode.Objective;
import org.matcalc.methods.ode.OdeGradient;
import org.matcalc.methods.ode.OdeProblem;
import org.matcalc.methods.ode.Rhs;

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
 * gradients by {@link ForwardSensitivity} and by {@link Adjoint}, at the default tolerances,
 * with f's derivatives from AD ({@link Rhs#of}) and, for G1, also from Jacobians written by
 * hand. Before timing, the two gradients (and by hand vs AD) must agree to 1e-6 (normwise
 * relative) or the run stops. The baseline in the same run: G alone by one plain solve.
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

    /** The family member with N parameters: A, u0 from seed 1; C, w, phi, p from seed 1 + N. */
    record Family(int np, double[][] a, double[] u0, double[][] c, double[] w, double[] phi, double[] p) {
        static Family of(int np) {
            int n = STATES;
            Random r = new Random(1);
            double[][] skew = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    skew[i][j] = r.nextGaussian();
                }
            }
            double[][] a = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    // A skew-symmetric part (oscillation), a damping of 0.5 and a small random part.
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
            return new Family(np, a, u0, c, w, phi, p);
        }

        double[] sines(double t) {
            double[] s = new double[np];
            for (int k = 0; k < np; k++) {
                s[k] = Math.sin(w[k] * t + phi[k]);
            }
            return s;
        }

        /** f written once over Num; its derivatives from matcalc's AD ({@link Rhs#of}). */
        OdeProblem withAd() {
            int n = STATES;
            Rhs rhs = Rhs.of(new Rhs.Program() {
                @Override
                public <T extends Num<T>> void apply(double t, T[] u, T[] pp, T[] du) {
                    double[] s = sines(t);
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

        /**
         * The same f with f_u = A - 0.3 diag(u^2) and f_p = C diag(sin(w t + phi)) by hand;
         * {@link Rhs}'s defaults then form f_u S + f_p and the vjps from these matrices.
         */
        OdeProblem byHand() {
            int n = STATES;
            Mat am = Mat.of(a);
            Rhs rhs = new Rhs() {
                @Override
                public double[] value(double t, double[] u, double[] pp) {
                    double[] s = sines(t);
                    double[] f = new double[n];
                    for (int i = 0; i < n; i++) {
                        double acc = -0.1 * u[i] * u[i] * u[i];
                        for (int j = 0; j < n; j++) {
                            acc += a[i][j] * u[j];
                        }
                        for (int k = 0; k < np; k++) {
                            acc += pp[k] * c[i][k] * s[k];
                        }
                        f[i] = acc;
                    }
                    return f;
                }

                @Override
                public Mat dfdu(double t, double[] u, double[] pp) {
                    double[] d = new double[n * n];
                    for (int i = 0; i < n; i++) {
                        d[i * n + i] = -0.3 * u[i] * u[i];
                    }
                    return am.plus(Mat.rowMajor(n, n, d));
                }

                @Override
                public Mat dfdp(double t, double[] u, double[] pp) {
                    double[] s = sines(t);
                    double[] d = new double[n * np];
                    for (int i = 0; i < n; i++) {
                        for (int k = 0; k < np; k++) {
                            d[i * np + k] = c[i][k] * s[k];
                        }
                    }
                    return Mat.rowMajor(n, np, d);
                }
            };
            return OdeProblem.of(rhs, InitialCondition.constant(u0), p, T_END);
        }
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
                + "Dormand-Prince 8(5,3), default tolerances (rel 1e-10, abs 1e-12); Jacobians by AD (Rhs.of) or by hand%n", STATES, T_END);
        System.out.printf(Locale.ROOT, "G1 = c'u(T) + |u(T)|^2/2,  G2 = integral |u|^2/2 + 1e-3|p|^2 dt; "
                + "warm-up %.1f s, then median of runs over %.1f s (5 at least)%n", warmup, measure);
        System.out.printf(Locale.ROOT, "java %s, %d processors (shared with other builds)%n%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());

        // Three cases: (objective, Jacobians) = (G1, AD), (G2, AD), (G1, by hand).
        String[] names = {"G1, AD", "G2, AD", "G1, by hand"};
        Objective[] objectives = {terminal(), integrand(), terminal()};
        boolean[] integral = {false, true, false};
        boolean[] byHand = {false, false, true};
        double[][] fwd = new double[3][ns.length], adj = new double[3][ns.length], sol = new double[3][ns.length];
        System.out.printf(Locale.ROOT, "%-12s %5s %9s %11s %11s %8s %8s %9s %10s %10s %9s%n", "case", "N", "solve ms",
                "forward ms", "adjoint ms", "fwd/sol", "adj/sol", "fwd/adj", "fwd evals", "adj evals", "|dG| rel");
        for (int o = 0; o < 3; o++) {
            Objective g = objectives[o];
            boolean isIntegral = integral[o];
            for (int c = 0; c < ns.length; c++) {
                Family family = Family.of(ns[c]);
                OdeProblem problem = byHand[o] ? family.byHand() : family.withAd();
                Supplier<OdeGradient> forward = isIntegral ? () -> ForwardSensitivity.gradientIntegral(problem, g)
                        : () -> ForwardSensitivity.gradientTerminal(problem, g);
                Supplier<OdeGradient> adjoint = isIntegral ? () -> Adjoint.gradientIntegral(problem, g)
                        : () -> Adjoint.gradientTerminal(problem, g);
                // Like with like: the same gradient to 1e-6 before anything is timed (and the
                // hand-written Jacobians give the gradient the AD ones give).
                double[] gf = forward.get().gradient().toRowMajor(), ga = adjoint.get().gradient().toRowMajor();
                double rel = relativeDifference(gf, ga);
                double relHand = byHand[o] ? relativeDifference(
                        Adjoint.gradientTerminal(family.withAd(), g).gradient().toRowMajor(), ga) : 0;
                if (!(rel <= 1e-6) || !(relHand <= 1e-6)) {
                    throw new IllegalStateException(names[o] + ", N = " + ns[c] + ": gradients differ by " + rel
                            + " (forward vs adjoint) and " + relHand + " (by hand vs AD), normwise relative; required 1e-6");
                }
                // The baseline: the value G alone, by one plain solve of the n (or n + 1) equations.
                Timing ts = time(() -> {
                    sink += isIntegral ? problem.integralValue(g) : problem.terminalValue(g);
                    return 0;
                }, warmup / 2, measure / 2);
                Timing tf = time(() -> forward.get().evaluations(), warmup, measure);
                Timing ta = time(() -> adjoint.get().evaluations(), warmup, measure);
                sol[o][c] = ts.medianSeconds();
                fwd[o][c] = tf.medianSeconds();
                adj[o][c] = ta.medianSeconds();
                System.out.printf(Locale.ROOT, "%-12s %5d %9.3f %11.3f %11.3f %8.1f %8.1f %9.2f %10d %10d %9.1e%n", names[o],
                        ns[c], 1e3 * ts.medianSeconds(), 1e3 * tf.medianSeconds(), 1e3 * ta.medianSeconds(),
                        tf.medianSeconds() / ts.medianSeconds(), ta.medianSeconds() / ts.medianSeconds(),
                        tf.medianSeconds() / ta.medianSeconds(), tf.evaluations(), ta.evaluations(), rel);
            }
        }
        if (png != null) {
            System.out.println("\nwrote " + plot(ns, sol, fwd, adj, png));
        }
    }

    static Path plot(int[] ns, double[][] sol, double[][] fwd, double[][] adj, Path file) throws IOException {
        XYChart chart = Plots.chart(800, 520, "Gradient of G by p, n = 10 states: forward sensitivities vs adjoint",
                "number of parameters N", "time per gradient (ms)");
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        double[] x = Arrays.stream(ns).asDoubleStream().toArray();
        String[] label = {"G = g(u(T)), AD", "G = integral g dt, AD", "G = g(u(T)), Jacobians by hand"};
        Color blue = new Color(31, 119, 180), orange = new Color(255, 127, 14);
        float[][] dashes = {null, {6, 4}, {2, 3}};
        for (int o = 0; o < 3; o++) {
            add(chart, "forward, " + label[o], x, fwd[o], blue, dashes[o], o);
            add(chart, "adjoint, " + label[o], x, adj[o], orange, dashes[o], o);
        }
        // The baseline: G alone by one plain solve (G1; AD and by hand).
        Color grey = new Color(130, 130, 130);
        add(chart, "plain solve (G only), AD", x, sol[0], grey, null, 0);
        add(chart, "plain solve (G only), by hand", x, sol[2], grey, dashes[2], 2);
        return Plots.savePng(chart, file);
    }

    private static void add(XYChart chart, String name, double[] x, double[] seconds, Color color, float[] dash, int marker) {
        XYSeries s = chart.addSeries(name, x, Arrays.stream(seconds).map(v -> 1e3 * v).toArray());
        s.setMarker(new Marker[] {SeriesMarkers.CIRCLE, SeriesMarkers.DIAMOND,
                SeriesMarkers.SQUARE}[marker]);
        s.setLineColor(color);
        s.setMarkerColor(color);
        if (dash != null) {
            s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, dash, 0));
        }
    }
}
