package org.matcalc.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

import org.ejml.data.DMatrixRMaj;
import org.matcalc.Matcalc;
import org.matcalc.ad.ExprAD;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.methods.optimize.Options;
import org.matcalc.minimize.Minimizer;
import org.matcalc.minimize.Problem;
import org.matcalc.numeric.Blas;
import org.matcalc.numeric.Mat;

/**
 * matcalc's side of bench/run-peers: the problems of bench/peers/peers.py, on data drawn the
 * same way (sizes, distributions), timed the same way (median of repeated runs after warm-up
 * runs). One JSON object per line on stdout, as peers.py prints. Modes:
 * <ul>
 *   <li>{@code QUICK} or {@code FULL}: A*B, the logistic loss's value, gradient and Hessian
 *       through {@link Matcalc.Compiled} (symbolic formulas), reverse-mode AD gradients;</li>
 *   <li>{@code minimize DIR}: L-BFGS on DIR/X.csv, DIR/y.csv, writing DIR/w-matcalc.csv;</li>
 *   <li>{@code hessian N}: the logistic Hessian once at n = N, m = 10 N (for a memory cap);</li>
 *   <li>{@code codegen N DIR}: the generated Java for the logistic loss's value and gradient, and
 *       value, gradient and Hessian (compiled in-process into DIR), against the compiled plan of
 *       the same formulas, at n = N, m = 10 N.</li>
 * </ul>
 */
public final class PeerBench {
    public static final String LOGISTIC = "sum(log(exp(-y.*(X*w)) + vector(1)))";
    public static final String DECLS = "X: matrix(m,n); w: vector(n); y: vector(m)";

    private PeerBench() {
    }

    public static void main(String[] args) throws IOException {
        Locale.setDefault(Locale.ROOT);
        String mode = args.length > 0 ? args[0] : "QUICK";
        switch (mode) {
            case "minimize" -> minimize(Path.of(args[1]));
            case "hessian" -> hessianOnce(Integer.parseInt(args[1]));
            case "ad" -> adGradients(Integer.parseInt(args[1]), 30);
            case "codegen" -> generatedJava(Integer.parseInt(args[1]), Path.of(args[2]), 30);
            case "status" -> System.out.println(Blas.status()); // with OPENBLAS_VERBOSE=2, OpenBLAS names its kernel
            default -> {
                boolean full = mode.equals("FULL");
                int[] sizes = full ? new int[] {100, 1000} : new int[] {100};
                int reps = full ? 30 : 10;
                if (full) {
                    product(1000, reps);
                }
                for (int n : sizes) {
                    logistic(n, reps);
                }
                for (int n : sizes) {
                    adGradients(n, reps);
                }
            }
        }
    }

    static void emit(String problem, String size, double ms, String extra) {
        System.out.printf("{\"problem\": \"%s\", \"size\": \"%s\", \"peer\": \"matcalc\", \"ms\": %.6g, \"threads\": %d, \"kernel\": \"%s\"%s}%n",
                problem, size, ms, Blas.threads(), Blas.status(), extra);
        System.out.flush();
    }

    /** The median of {@code reps} timed runs, after warm-up runs for at least 3 s (the JIT's time). */
    public static double medianMs(Supplier<?> f, int reps) {
        long warm = System.nanoTime();
        for (int i = 0; i < 3 || System.nanoTime() - warm < 3_000_000_000L; i++) {
            f.get();
        }
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            f.get();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return t[reps / 2];
    }

    /**
     * The medians of a and b timed alternately, after 3 s of warm-up each, so that drift of the
     * machine falls on both alike: the way to compare two ways of one computation.
     */
    static double[] medianPairMs(Supplier<?> a, Supplier<?> b, int reps) {
        for (Supplier<?> f : java.util.List.of(a, b)) {
            long warm = System.nanoTime();
            for (int i = 0; i < 3 || System.nanoTime() - warm < 3_000_000_000L; i++) {
                f.get();
            }
        }
        double[] ta = new double[reps], tb = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            a.get();
            long t1 = System.nanoTime();
            b.get();
            ta[i] = (t1 - t0) / 1e6;
            tb[i] = (System.nanoTime() - t1) / 1e6;
        }
        Arrays.sort(ta);
        Arrays.sort(tb);
        return new double[] {ta[reps / 2], tb[reps / 2]};
    }

    static Mat gaussian(Random r, int rows, int cols, double scale) {
        double[] d = new double[rows * cols];
        for (int k = 0; k < d.length; k++) {
            d[k] = scale * r.nextGaussian();
        }
        return Mat.wrap(DMatrixRMaj.wrap(rows, cols, d)); // no copy: X is 80 MB at n = 1000
    }

    public static Map<String, Mat> logisticData(int n, long seed) {
        int m = 10 * n;
        Random r = new Random(seed);
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
            y[i] = r.nextDouble() < 0.5 ? -1 : 1;
        }
        return Map.of("X", gaussian(r, m, n, 1 / Math.sqrt(n)), "y", Mat.column(y), "w", gaussian(r, n, 1, 1));
    }

    static void product(int n, int reps) {
        Random r = new Random(2);
        Mat a = gaussian(r, n, n, 1), b = gaussian(r, n, n, 1);
        double ms = medianMs(() -> a.times(b), reps);
        emit("A*B", "n=" + n, ms, String.format(", \"gflops\": %.4g", 2.0 * n * n * n / ms / 1e6));
    }

    static void logistic(int n, int reps) {
        Map<String, Mat> v = logisticData(n, 1);
        String size = "n=" + n + " m=" + 10 * n;
        Matcalc.Formula loss = Matcalc.declare(DECLS).parse(LOGISTIC);
        Matcalc.Compiled f = loss.compile(v), g = loss.gradient("w").compile(v), h = loss.hessian("w").compile(v);
        emit("logistic f", size, medianMs(() -> f.evaluate(v), reps), "");
        emit("logistic gradient", size, medianMs(() -> g.evaluate(v), reps), "");
        emit("logistic Hessian", size, medianMs(() -> h.evaluate(v), Math.max(3, reps / 4)), "");
    }

    /** The logistic loss as the gallery writes it, for the generated code. */
    public static final String LOGISTIC_SOFTPLUS = "sum(softplus(-y .* (X*w)))";

    static void generatedJava(int n, Path dir, int reps) throws IOException {
        Map<String, Mat> v = logisticData(n, 1);
        String size = "n=" + n + " m=" + 10 * n;
        Declarations decls = Declarations.fromLines(DECLS);
        Expr f = Expr.parse(LOGISTIC_SOFTPLUS);
        Mat x = v.get("X"), w = v.get("w"), y = v.get("y");
        for (int order = 1; order <= 2; order++) {
            String name = order == 1 ? "LogisticG" : "LogisticH";
            String source = org.matcalc.codegen.Codegen.generate(f, decls, "w", order, org.matcalc.diff.Layout.MIXED,
                    org.matcalc.codegen.Language.JAVA, new org.matcalc.codegen.Codegen.Options(name, null, Map.of("m", 10 * n, "n", n)));
            java.lang.reflect.Method m = compile(dir, name, source, order == 1 ? "fAndG" : "fGH");
            java.util.List<Expr> roots = new java.util.ArrayList<>(java.util.List.of(f));
            org.matcalc.diff.Derivative d1 = org.matcalc.diff.Derivatives.derive(f, decls, "w", 1, org.matcalc.diff.Layout.MIXED);
            roots.add(d1.expr());
            if (order == 2) {
                roots.add(org.matcalc.diff.Derivatives.derive(f, decls, "w", 2, org.matcalc.diff.Layout.MIXED).expr());
            }
            org.matcalc.numeric.Plan plan = org.matcalc.numeric.Evaluator.compile(roots, d1.declarations(), org.matcalc.expr.SourceMap.EMPTY,
                    org.matcalc.numeric.Evaluator.shapesOf(v), Map.of());
            String what = order == 1 ? "value and gradient" : "value, gradient and Hessian";
            int r = order == 1 ? reps : Math.max(3, reps / 4);
            double[] ms = medianPairMs(() -> plan.runAll(v), () -> {
                try {
                    return m.invoke(null, y, x, w);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }, 2 * r);
            double planMs = ms[0], genMs = ms[1];
            emit("logistic " + what + ", compiled plan", size, planMs, "");
            emit("logistic " + what + ", generated Java", size, genMs, String.format(", \"vs_plan\": %.3f", genMs / planMs));
        }
    }

    /** Compiles one generated class into dir and returns its method {@code name}. */
    private static java.lang.reflect.Method compile(Path dir, String className, String source, String name) throws IOException {
        java.nio.file.Files.createDirectories(dir);
        Path file = dir.resolve(className + ".java");
        java.nio.file.Files.writeString(file, source);
        int rc = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, System.err, "-d", dir.toString(),
                "-classpath", System.getProperty("java.class.path"), "-proc:none", file.toString());
        if (rc != 0) {
            throw new IllegalStateException("the generated " + className + " does not compile");
        }
        try {
            Class<?> k = new java.net.URLClassLoader(new java.net.URL[] {dir.toUri().toURL()}, PeerBench.class.getClassLoader())
                    .loadClass(className);
            for (java.lang.reflect.Method m : k.getMethods()) {
                if (m.getName().equals(name)) {
                    return m;
                }
            }
            throw new IllegalStateException(className + " has no method " + name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    static void adGradients(int n, int reps) {
        Map<String, Mat> v = logisticData(n, 1);
        Declarations decls = Declarations.fromLines(DECLS);
        Expr loss = Expr.parse(LOGISTIC);
        emit("AD gradient, logistic", "n=" + n + " m=" + 10 * n,
                medianMs(() -> ExprAD.gradient(loss, decls, v, "w"), reps), "");
        int m = 2 * n, h = 256;
        Random r = new Random(4);
        Map<String, Mat> net = Map.of("X", gaussian(r, m, n, 1 / Math.sqrt(n)), "y", gaussian(r, m, 1, 1),
                "W1", gaussian(r, n, h, 1 / Math.sqrt(n)), "w2", gaussian(r, h, 1, 1 / Math.sqrt(h)));
        Declarations netDecls = Declarations.fromLines("X: matrix(m,n); y: vector(m); W1: matrix(n,h); w2: vector(h)");
        Expr two = Expr.parse("norm2(tanh(X*W1)*w2 - y)^2");
        emit("AD gradient, two-layer network", "n=" + n + " m=" + m + " h=" + h,
                medianMs(() -> ExprAD.gradients(two, netDecls, net, Set.of("W1", "w2")), reps), "");
    }

    static void hessianOnce(int n) {
        Map<String, Mat> v = logisticData(n, 1);
        Matcalc.Formula loss = Matcalc.declare(DECLS).parse(LOGISTIC);
        long t0 = System.nanoTime();
        Mat hessian = loss.hessian("w").compile(v).evaluate(v);
        System.out.printf("logistic Hessian n=%d m=%d: %dx%d in %.0f ms, max heap %d MB%n", n, 10 * n, hessian.rows(),
                hessian.cols(), (System.nanoTime() - t0) / 1e6, Runtime.getRuntime().maxMemory() >> 20);
    }

    /**
     * L-BFGS on the logistic loss with an L2 term, at several gradient tolerances: bench/peers/table.py
     * takes, for each side, the fastest run whose objective is within 1e-9 (relative) of the best
     * objective any run reached, so both are timed to the same optimum.
     */
    static void minimize(Path dir) throws IOException {
        Mat x = readCsv(dir.resolve("X.csv")), y = readCsv(dir.resolve("y.csv"));
        String objective = LOGISTIC + " + 0.5*norm2(w)^2";
        Declarations decls = Declarations.fromLines(DECLS);
        Map<String, Mat> data = Map.of("X", x, "y", y);
        Matcalc.Formula f = Matcalc.declare(DECLS).parse(objective);
        for (double tol : new double[] {10, 1, 1e-1, 1e-2, 1e-3, 1e-4, 1e-6, 1e-8}) {
            double[] times = new double[3], setup = new double[3];
            Minimizer.Solution s = null;
            for (int i = 0; i < times.length; i++) {
                long t0 = System.nanoTime();
                Problem p = Problem.of(objective, decls, "w", data, null); // derives the gradient, plans both
                setup[i] = (System.nanoTime() - t0) / 1e6;
                s = Minimizer.minimize(p, p.defaultStart(), Minimizer.Method.LBFGS, new Options(10_000, tol, it -> { }));
                times[i] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(times);
            Arrays.sort(setup);
            if (tol == 1e-8) {
                List<String> lines = new ArrayList<>();
                for (int i = 0; i < s.x().size(); i++) {
                    lines.add(Double.toString(s.x().at(i)));
                }
                Files.write(dir.resolve("w-matcalc.csv"), lines);
            }
            double value = f.evaluate(Map.of("X", x, "y", y, "w", s.x())).scalarValue();
            emit("minimize logistic + L2", x.rows() + "x" + x.cols(), times[1],
                    String.format(", \"objective\": %.17g, \"iterations\": %d, \"tol\": %.0e, \"setup_ms\": %.1f", value,
                            s.result().history().size(), tol, setup[1]));
        }
    }

    static Mat readCsv(Path file) throws IOException {
        List<String> rows = Files.readAllLines(file);
        int cols = rows.get(0).split(",").length;
        double[] d = new double[rows.size() * cols];
        for (int i = 0; i < rows.size(); i++) {
            String[] f = rows.get(i).split(",");
            for (int j = 0; j < cols; j++) {
                d[i * cols + j] = Double.parseDouble(f[j].trim());
            }
        }
        return Mat.rowMajor(rows.size(), cols, d);
    }
}
