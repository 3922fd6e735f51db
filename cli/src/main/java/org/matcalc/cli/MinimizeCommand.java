package org.matcalc.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.matcalc.expr.Declarations;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.MatcalcException.Kind;
import org.matcalc.expr.TextPrinter;
import org.matcalc.minimize.Minimizer;
import org.matcalc.minimize.Problem;
import org.matcalc.numeric.Mat;
import org.matcalc.examples.Plots;
import org.matcalc.methods.optimize.ConvergenceReport;
import org.matcalc.minimize.MinimizeException;
import org.matcalc.methods.optimize.Iteration;
import org.matcalc.methods.optimize.Options;
import org.matcalc.protocol.Deadline;
import org.matcalc.protocol.DataFiles;
import org.matcalc.protocol.Values;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(mixinStandardHelpOptions = true, usageHelpWidth = 80,
        name = "minimize",
        description = {"Minimise an objective over one variable, the other names fixed to data.",
            "By its symbolic gradient (and Hessian).", ""},
        footerHeading = "%nExamples (data shipped in examples/data, so D=examples/data):%n",
        footer = {
            "  least squares:",
            "    matcalc minimize \"norm2(X*w - y)^2\" --wrt w --data X=$D/X.csv \\",
            "        --data y=$D/y.csv",
            "  ridge, the solution written to w.csv:",
            "    matcalc minimize \"norm2(X*w - y)^2 + 0.1*norm2(w)^2\" --wrt w \\",
            "        --data X=$D/X.csv --data y=$D/y.csv --out w.csv",
            "    (or \"... + lambda*norm2(w)^2\" --data lambda=0.1)",
            "  logistic regression:",
            "    matcalc minimize \"sum(softplus(X*w)) - y'*X*w\" --wrt w \\",
            "        --data X=$D/X.csv --data y=$D/labels.csv --method lbfgs",
            "  covariance (MLE):",
            "    matcalc minimize \"logdet(S) + tr(inv(S)*C)\" --wrt S \\",
            "        --decl \"S: spd(n)\" --data C=$D/C.csv",
            "  on Apache Spark:",
            "    matcalc minimize \"sum(softplus(X*w)) - y'*X*w\" --wrt w \\",
            "        --data X=$D/X.csv --data y=$D/labels.csv --engine spark \\",
            "        [--master spark://host:7077] [--partitions 8]",
            "    (or --data X=t.parquet:x1,x2,x3 --data y=t.parquet:label)",
            "",
            "Data: NAME=FILE.csv (one row per line, comma-separated; one column is a",
            "vector), FILE.npy (NumPy: float64 or float32, 1-d a vector), FILE.mtx",
            "(Matrix Market), or a JSON value (3, [1,2], [[1,2],[3,4]]). Undeclared",
            "names take their shape from their data; a single number is a scalar.",
            "Sizes of the variable come from the data (or from --x0).",
            "Start: --x0 w=[...] or w=@w0.csv; default zeros, or the identity for",
            "symmetric, spd and diagonal variables.",
            "Methods: auto (Newton with the symbolic Hessian for at most " + Minimizer.NEWTON_MAX_UNKNOWNS + " unknowns",
            "while (data entries) x (unknowns) <= 1e7, else L-BFGS), lbfgs, newton, gd;",
            "see docs/minimize.md for the measurements behind it. A symmetric or spd",
            "variable is optimised over its upper triangle; spd stays positive definite",
            "(trial points where Cholesky fails are rejected by the line search)."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:converged", "1:stopped before |grad| <= tol (the point reached is still printed and written)",
            "2:refused (bad data, shapes, names): the message says where and why"})
final class MinimizeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "EXPR", description = "the objective, a scalar expression")
    String expression;

    @Option(names = "--wrt", required = true, paramLabel = "VAR", description = "the variable to minimise over")
    String wrt;

    @Option(names = "--data", paramLabel = "NAME=FILE", description = "data for a name: FILE.csv, FILE.npy or FILE.mtx (or @FILE), or a JSON value (repeatable)")
    List<String> data = new ArrayList<>();

    @Option(names = "--decl", paramLabel = "DECL", description = "a declaration such as \"S: spd(n)\" (repeatable; ';' separates several)")
    List<String> decls = new ArrayList<>();

    @Option(names = "--x0", paramLabel = "VAR=VALUE", description = "the starting point: a JSON value or @FILE.csv")
    String x0;

    @Option(names = "--tol", paramLabel = "TOL", description = "stop when the gradient norm is at most this (default: ${DEFAULT-VALUE})")
    double tol = 1e-8;

    @Option(names = "--max-iter", paramLabel = "N", description = "iteration limit (default: ${DEFAULT-VALUE})")
    int maxIter = 1000;

    @Option(names = "--method", paramLabel = "M", description = "auto, lbfgs, newton or gd (default: ${DEFAULT-VALUE})")
    String method = "auto";

    @Option(names = "--quiet", description = "no per-iteration rows, only the solution")
    boolean quiet;

    @Option(names = "--every", paramLabel = "N", description = "print every Nth iteration (default: all of the first 20, then thinning out)")
    int every;

    @Option(names = "--out", paramLabel = "FILE", description = "write the solution: FILE.csv (one row per line), FILE.npy (NumPy) or FILE.mtx (Matrix Market)")
    Path out;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "draw the gradient norm against the iteration")
    Path plot;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "time limit (default: ${DEFAULT-VALUE})")
    double timeout = 3600;

    @Option(names = "--engine", paramLabel = "E", description = "local (default) or spark: a sum over the rows of CSV data, on Apache Spark")
    String engine = "local";

    @Option(names = "--master", paramLabel = "URL", description = "with --engine spark: the cluster (default: local[*], Spark in this process; under spark-submit, its master)")
    String master;

    @Option(names = "--partitions", paramLabel = "N", description = "with --engine spark: how many blocks of rows (default: Spark's parallelism)")
    int partitions;

    @Override
    public Integer call() {
        Main.Io io = Main.Io.get();
        try {
            // where the results go is checked before the work, not after an hour of it
            if (out != null) {
                DataFiles.checkWritable("--out", out);
            }
            if (plot != null) {
                DataFiles.checkWritable("--plot", plot);
            }
            return Deadline.run(timeout, () -> run(io));
        } catch (MatcalcException e) {
            io.err.println(e.render(expression));
            if (e instanceof MinimizeException m) {
                io.err.println("  " + flagHint(m.needs()));
            }
            return 2;
        }
    }

    /** The library's refusals say what they need in its own terms; on the command line it is given with these flags. */
    static String flagHint(MinimizeException.Needs needs) {
        return switch (needs) {
            case VARIABLE -> "name it with --wrt NAME";
            case DATA -> "give data with --data NAME=FILE.csv";
            case METHOD -> "choose another with --method lbfgs";
            case START -> "give a starting point with --x0 NAME=VALUE (or --decl for its size)";
        };
    }

    private int run(Main.Io io) throws IOException {
        if (tol <= 0 || !Double.isFinite(tol)) {
            throw new MatcalcException(Kind.REQUEST, "--tol must be a positive number, got " + tol);
        }
        if (maxIter < 0) {
            throw new MatcalcException(Kind.REQUEST, "--max-iter must be >= 0, got " + maxIter);
        }
        Minimizer.Method m = Minimizer.Method.parse(method);
        if (!engine.equals("local")) {
            return distributed(io, m);
        }
        Map<String, Mat> values = new LinkedHashMap<>();
        for (String d : data) {
            String[] nv = nameValue("--data", d, "X=X.csv");
            if (values.put(nv[0], dataValue("--data " + nv[0], nv[1])) != null) {
                throw new MatcalcException(Kind.REQUEST, "--data " + nv[0] + " is given twice");
            }
        }
        Mat start = null;
        if (x0 != null) {
            String[] nv = nameValue("--x0", x0, wrt + "=[0,0,0]");
            if (!nv[0].equals(wrt)) {
                throw new MatcalcException(Kind.REQUEST, "--x0 names " + nv[0] + " but the variable is " + wrt);
            }
            start = dataValue("--x0 " + wrt, nv[1]);
        }
        Problem p = Problem.of(expression, Declarations.fromLines(String.join("\n", decls)), wrt, values, start);
        if (start == null) {
            start = p.defaultStart();
        }
        StringBuilder why = new StringBuilder();
        Minimizer.Method chosen = Minimizer.choose(p, m, why);
        io.out.println("minimize " + p.objectiveText() + " over " + wrt + ": " + p.declaration().describe() + ", "
                + p.dimension() + " unknown" + (p.dimension() == 1 ? "" : "s") + unknownsNote(p));
        io.out.println("gradient: " + TextPrinter.print(p.gradient().expr()));
        if (chosen == Minimizer.Method.NEWTON) {
            io.out.println("Hessian:  " + TextPrinter.print(p.hessian().expr()));
        }
        io.out.println("method:   " + chosen.word() + " (" + why + "), tolerance |grad| <= " + Format.number(tol));
        Progress progress = new Progress(io, quiet, every);
        Options options = new Options(maxIter, tol, progress);
        Minimizer.Solution s = Minimizer.minimize(p, start, chosen, options);
        progress.last(s.result().history());
        io.out.println(wrt + (s.x().isScalar() ? " = " : " =") + Format.value(s.x(), "  "));
        io.out.println(String.format(Locale.ROOT, "f = %s, |grad| = %.3e, %d iterations, %d evaluations, %.3f s",
                Format.number(s.result().value()), s.result().gradientNorm(), s.result().iterations(),
                s.result().evaluations(), s.seconds()));
        io.out.println("stopped: " + s.result().message());
        String order = observedOrder(s.result().history());
        if (order != null) {
            io.out.println(order);
        }
        if (out != null) {
            DataFiles.write(out, s.x()); // full precision: reads back with --x0 w=@FILE
            io.out.println("wrote " + out);
        }
        if (plot != null) {
            Path written = Plots.convergence(s.result().history(), plot, "minimize " + p.objectiveText());
            io.out.println("wrote " + written);
        }
        io.out.flush();
        return s.result().converged() ? 0 : 1;
    }

    /** --engine spark: CSV data split by rows, values given whole; L-BFGS on the driver, as locally. */
    private int distributed(Main.Io io, Minimizer.Method m) throws IOException {
        if (m == Minimizer.Method.GD) {
            throw new MatcalcException(Kind.REQUEST, "--engine " + engine + " minimises by L-BFGS or Newton-CG (--method newton); --method gd is local only");
        }
        org.matcalc.minimize.RowEngine e = org.matcalc.minimize.RowEngine.named(engine);
        Map<String, String> files = new LinkedHashMap<>();
        Map<String, Mat> other = new LinkedHashMap<>();
        for (String d : data) {
            String[] nv = nameValue("--data", d, "X=X.csv");
            String v = nv[1].startsWith("@") ? nv[1].substring(1) : nv[1];
            if (v.replaceFirst(":[^/]*$", "").endsWith(".parquet")) { // FILE.parquet[:columns]: read by Spark
                files.put(nv[0], v);
            } else if (v.endsWith(".csv") || Files.isRegularFile(Path.of(v))) {
                if (!Files.isRegularFile(Path.of(v))) {
                    throw new MatcalcException(Kind.REQUEST, "--data " + nv[0] + ": no such file " + v);
                }
                files.put(nv[0], v);
            } else {
                other.put(nv[0], dataValue("--data " + nv[0], nv[1]));
            }
        }
        if (files.isEmpty()) {
            throw new MatcalcException(Kind.REQUEST, "--engine " + engine + " needs data files to split by rows (--data X=X.csv)");
        }
        Mat start = null;
        if (x0 != null) {
            String[] nv = nameValue("--x0", x0, wrt + "=[0,0,0]");
            start = dataValue("--x0 " + wrt, nv[1]);
        }
        boolean newton = m == Minimizer.Method.NEWTON;
        String header = "minimize " + expression + " over " + wrt + " on " + engine + ", by " + (newton ? "Newton-CG (Hessian-vector products)" : "L-BFGS")
                + ", tolerance |grad| <= " + Format.number(tol);
        Progress progress = new Progress(io, quiet, every);
        boolean[] started = {false};
        // the header with the first iteration: a refusal (not separable, bad data) comes alone
        Options options = new Options(maxIter, tol, it -> {
            if (!started[0]) {
                io.out.println(header);
                started[0] = true;
            }
            progress.accept(it);
        });
        org.matcalc.minimize.RowEngine.Solution s = e.minimize(expression, String.join("\n", decls), wrt, files, other, start, options,
                settings(newton));
        progress.last(s.result().history());
        io.out.println("sum over rows: " + s.rowPart() + (s.rest() == null ? "" : "; once: " + s.rest()));
        io.out.println(wrt + (s.x().isScalar() ? " = " : " =") + Format.value(s.x(), "  "));
        io.out.println(String.format(Locale.ROOT, "f = %s, |grad| = %.3e, %d iterations, %d evaluations, %.3f s; %d rows in %d partitions, %s",
                Format.number(s.result().value()), s.result().gradientNorm(), s.result().iterations(), s.result().evaluations(), s.seconds(),
                s.rows(), s.partitions(), s.where()));
        io.out.println("stopped: " + s.result().message());
        if (out != null) {
            DataFiles.write(out, s.x()); // full precision: reads back with --x0 w=@FILE
            io.out.println("wrote " + out);
        }
        if (plot != null) {
            Path written = Plots.convergence(s.result().history(), plot, "minimize " + expression);
            io.out.println("wrote " + written);
        }
        io.out.flush();
        return s.result().converged() ? 0 : 1;
    }

    private Map<String, String> settings(boolean newton) {
        Map<String, String> s = new LinkedHashMap<>();
        if (master != null) {
            s.put("master", master);
        }
        s.put("partitions", Integer.toString(partitions));
        s.put("method", newton ? "newton" : "lbfgs");
        return s;
    }

    private static String unknownsNote(Problem p) {
        return switch (p.structure()) {
            case FULL -> "";
            case SYMMETRIC -> " (the upper triangle)";
            case DIAGONAL -> " (the diagonal)";
        };
    }

    private static String[] nameValue(String option, String text, String example) {
        int eq = text.indexOf('=');
        if (eq <= 0 || eq == text.length() - 1) {
            throw new MatcalcException(Kind.REQUEST, option + " " + text + ": expected NAME=VALUE, e.g. " + example);
        }
        return new String[] {text.substring(0, eq).trim(), text.substring(eq + 1).trim()};
    }

    /** A JSON literal, @file.csv, or a bare file name. */
    private static Mat dataValue(String name, String text) {
        char c = text.charAt(0);
        if (c == '[' || c == '-' || c == '.' || Character.isDigit(c) && !text.contains("/") && !text.endsWith(".csv")) {
            return Values.parseArgument(name, text);
        }
        return DataFiles.read(name, Path.of(text.startsWith("@") ? text.substring(1) : text));
    }

    /** One table row per iteration, flushed; after the first 20, every 10th, then every 100th, ... */
    static final class Progress implements java.util.function.Consumer<Iteration> {
        private final Main.Io io;
        private final boolean quiet;
        private final int every;
        private int lastPrinted = -1;

        Progress(Main.Io io, boolean quiet, int every) {
            this.io = io;
            this.quiet = quiet;
            this.every = every;
        }

        static boolean shown(int k, int every) {
            if (every > 0) {
                return k % every == 0;
            }
            if (k <= 20) {
                return true;
            }
            int step = 10;
            while (k >= 20L * step) {
                step *= 10;
            }
            return k % step == 0;
        }

        @Override
        public void accept(Iteration it) {
            if (quiet) {
                return;
            }
            if (lastPrinted < 0) {
                io.out.println(String.format(Locale.ROOT, "%6s  %22s  %10s  %10s  %10s", "k", "f", "|grad|", "step", "|dx|"));
            }
            if (shown(it.k(), every)) {
                row(it);
            }
        }

        private void row(Iteration it) {
            io.out.println(String.format(Locale.ROOT, "%6d  %22.15e  %10.3e  %10s  %10s", it.k(), it.value(), it.gradientNorm(),
                    it.k() == 0 ? "" : String.format(Locale.ROOT, "%.3e", it.stepLength()),
                    it.k() == 0 ? "" : String.format(Locale.ROOT, "%.3e", it.stepNorm())));
            io.out.flush();
            lastPrinted = it.k();
        }

        /** The final row, if thinning skipped it. */
        void last(List<Iteration> history) {
            if (!quiet && !history.isEmpty() && history.get(history.size() - 1).k() != lastPrinted) {
                row(history.get(history.size() - 1));
            }
        }
    }

    /**
     * The last observed order of convergence of |grad| (ConvergenceReport: p_k from three
     * successive norms), in words; null when too few iterations allow none.
     */
    static String observedOrder(List<Iteration> history) {
        double[] p = ConvergenceReport.observedOrders(ConvergenceReport.gradientNorms(history));
        for (int k = p.length - 1; k >= 0; k--) {
            if (Double.isFinite(p[k])) {
                // Quasi-Newton steps alternate long and short near the end: an estimate below 1 reads no clean order.
                String kind = p[k] > 1.8 ? "quadratic" : p[k] > 1.1 ? "superlinear" : p[k] >= 0.9 ? "linear" : "irregular";
                return String.format(Locale.ROOT, "observed order of convergence of |grad|: %.2f at iteration %d (%s)", p[k], k, kind);
            }
        }
        return null;
    }
}
