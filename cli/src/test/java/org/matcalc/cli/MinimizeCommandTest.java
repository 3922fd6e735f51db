package org.matcalc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.matcalc.numeric.Kernels;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.RandomInputs;
import org.matcalc.protocol.Values;

/** {@code matcalc minimize} in-process on temporary CSV files: the four problems against closed forms, and refusals. */
class MinimizeCommandTest {
    @TempDir
    Path dir;

    static Mat gaussian(Random r, int rows, int cols) {
        return RandomInputs.gaussian(rows, cols, r);
    }

    Path csv(String name, Mat m) throws IOException {
        Path f = dir.resolve(name);
        org.matcalc.protocol.DataFiles.write(f, m);
        return f;
    }

    static double relErr(Mat got, Mat want) {
        return got.minus(want).maxAbs() / want.maxAbs();
    }

    CliTest.Run minimize(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "minimize";
        System.arraycopy(args, 0, all, 1, args.length);
        return CliTest.run("", all);
    }

    @Test
    void leastSquares() throws IOException {
        Random r = new Random(11);
        Mat x = gaussian(r, 40, 5);
        Mat y = x.times(gaussian(r, 5, 1)).plus(gaussian(r, 40, 1).scale(0.2));
        Path out = dir.resolve("w.csv");
        CliTest.Run run = minimize("norm2(X*w - y)^2", "--wrt", "w", "--data", "X=" + csv("X.csv", x),
                "--data", "y=" + csv("y.csv", y), "--out", out.toString());
        assertEquals(0, run.code(), run.err() + run.out());
        Mat want = Kernels.solve(x.transposeTimes(x), x.transposeTimes(y));
        Mat got = Values.readCsv("w", out);
        assertTrue(relErr(got, want) < 1e-8, run.out());
        // The table: a header and a row for iteration 0 at least; then the solution and why it stopped.
        assertTrue(run.out().contains("|grad|"), run.out());
        assertTrue(run.out().matches("(?s).*\\n\\s+0\\s+\\S+e\\+?\\d+.*"), run.out());
        assertTrue(run.out().contains("w =\n  [ "), run.out());
        assertTrue(run.out().contains("stopped: converged"), run.out());
        assertTrue(run.out().contains("gradient: 2*X'*(X*w - y)"), run.out());
    }

    @Test
    void ridgeWithADataScalarAndAStartFromAFile() throws IOException {
        Random r = new Random(12);
        Mat x = gaussian(r, 40, 5);
        Mat y = gaussian(r, 40, 1);
        Path out = dir.resolve("w.csv");
        CliTest.Run run = minimize("norm2(X*w - y)^2 + lambda*norm2(w)^2", "--wrt", "w", "--data", "X=" + csv("X.csv", x),
                "--data", "y=@" + csv("y.csv", y), "--data", "lambda=0.7", "--x0", "w=@" + csv("w0.csv", Mat.fill(5, 1, 1)),
                "--method", "lbfgs", "--out", out.toString());
        assertEquals(0, run.code(), run.err() + run.out());
        Mat want = Kernels.solve(x.transposeTimes(x).plus(Mat.eye(5).scale(0.7)), x.transposeTimes(y));
        assertTrue(relErr(Values.readCsv("w", out), want) < 1e-8, run.out());
        assertTrue(run.out().contains("method:   lbfgs"), run.out());
    }

    @Test
    void logisticRegression() throws IOException {
        Random r = new Random(13);
        int n = 300, m = 4;
        Mat x = gaussian(r, n, m);
        double[] labels = new double[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextDouble() < 1 / (1 + Math.exp(-(x.get(i, 0) - 0.5 * x.get(i, 1)))) ? 1 : 0;
        }
        Mat y = Mat.column(labels);
        // The reference: Newton with the gradient X'(s - y) and Hessian X'diag(s(1-s))X written out.
        Mat w = Mat.zeros(m, 1);
        for (int it = 0; it < 50; it++) {
            Mat s = x.times(w).map(t -> 1 / (1 + Math.exp(-t)));
            Mat weighted = x.hadamard(s.hadamard(s.map(v -> 1 - v)).times(Mat.fill(1, m, 1)));
            w = w.minus(Kernels.solve(x.transposeTimes(weighted), x.transposeTimes(s.minus(y))));
        }
        Path out = dir.resolve("w.csv");
        CliTest.Run run = minimize("sum(softplus(X*w)) - y'*X*w", "--wrt", "w", "--data", "X=" + csv("X.csv", x),
                "--data", "y=" + csv("y.csv", y), "--out", out.toString(), "--quiet");
        assertEquals(0, run.code(), run.err() + run.out());
        assertTrue(relErr(Values.readCsv("w", out), w) < 1e-6, run.out());
        assertFalse(run.out().contains("|dx|"), "--quiet prints no table: " + run.out());
        // Newton (auto, 4 unknowns) converges quadratically, and the command says so.
        java.util.regex.Matcher order = java.util.regex.Pattern.compile("observed order of convergence of \\|grad\\|: ([0-9.]+)")
                .matcher(run.out());
        assertTrue(order.find(), run.out());
        assertTrue(Double.parseDouble(order.group(1)) > 1.5, run.out());
        assertTrue(run.out().contains("(quadratic)") || run.out().contains("(superlinear)"), run.out());
    }

    @Test
    void covarianceMleIsTheSampleCovariance() throws IOException {
        Random r = new Random(14);
        int n = 3, rows = 50;
        Mat z = gaussian(r, rows, n).times(gaussian(r, n, n).plus(Mat.eye(n).scale(2)));
        Mat mean = Mat.fill(1, rows, 1.0 / rows).times(z);
        Mat centred = z.minus(Mat.fill(rows, 1, 1).times(mean));
        Mat c0 = centred.transposeTimes(centred).scale(1.0 / rows);
        Mat c = c0.plus(c0.transpose()).scale(0.5);
        Path out = dir.resolve("S.csv");
        Path png = dir.resolve("conv.png");
        CliTest.Run run = minimize("logdet(S) + tr(inv(S)*C)", "--wrt", "S", "--decl", "S: spd(n)", "--data", "C=" + csv("C.csv", c),
                "--out", out.toString(), "--plot", png.toString());
        assertEquals(0, run.code(), run.err() + run.out());
        assertTrue(relErr(Values.readCsv("S", out), c) < 1e-7, run.out());
        assertTrue(run.out().contains("6 unknowns (the upper triangle)"), run.out());
        assertTrue(Files.size(png) > 1000);
    }

    @Test
    void refusalsExitTwoWithAClearMessage() throws IOException {
        Random r = new Random(15);
        Path x = csv("X.csv", gaussian(r, 10, 3));
        Path y = csv("y.csv", gaussian(r, 10, 1));
        Path y9 = csv("y9.csv", gaussian(r, 9, 1));
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "1,2,3\n4,x,6\n");

        CliTest.Run missing = minimize("norm2(X*w - y)^2", "--wrt", "w", "--data", "X=" + dir.resolve("nope.csv"), "--data", "y=" + y);
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("no such file"), missing.err());

        CliTest.Run notNumber = minimize("norm2(X*w - y)^2", "--wrt", "w", "--data", "X=" + bad, "--data", "y=" + y);
        assertEquals(2, notNumber.code());
        assertTrue(notNumber.err().contains("bad.csv:2:3: 'x' is not a number"), notNumber.err());

        CliTest.Run shape = minimize("norm2(X*w - y)^2", "--wrt", "w", "--data", "X=" + x, "--data", "y=" + y9);
        assertEquals(2, shape.code());
        assertTrue(shape.err().contains("^"), "a caret under the spot: " + shape.err());
        assertTrue(shape.err().startsWith("error: 1:"), shape.err());

        CliTest.Run absent = minimize("norm2(X*w - y)^2", "--wrt", "v", "--data", "X=" + x, "--data", "y=" + y);
        assertEquals(2, absent.code());
        assertTrue(absent.err().contains("v does not appear in the objective"), absent.err());

        CliTest.Run vector = minimize("X*w - y", "--wrt", "w", "--data", "X=" + x, "--data", "y=" + y);
        assertEquals(2, vector.code());
        assertTrue(vector.err().contains("the objective must be a scalar"), vector.err());

        CliTest.Run method = minimize("norm2(X*w - y)^2", "--wrt", "w", "--data", "X=" + x, "--data", "y=" + y, "--method", "cg");
        assertEquals(2, method.code());
        assertTrue(method.err().contains("unknown method"), method.err());

        CliTest.Run start = minimize("logdet(S) + tr(inv(S)*C)", "--wrt", "S", "--decl", "S: spd(2)", "--data", "C=[[1,0],[0,1]]",
                "--x0", "S=[[1,2],[2,1]]");
        assertEquals(2, start.code());
        assertTrue(start.err().contains("starting point"), start.err());
    }

    @Test
    void anIterationLimitExitsOneWithThePointReached() {
        CliTest.Run run = minimize("sum(exp(x)) + sum(exp(-2*x))", "--wrt", "x", "--x0", "x=[3,-2,1]", "--method", "gd",
                "--max-iter", "2");
        assertEquals(1, run.code(), run.err() + run.out());
        assertTrue(run.out().contains("stopped: not converged"), run.out());
    }

    @Test
    void longRunsThinTheTable() {
        assertTrue(MinimizeCommand.Progress.shown(20, 0));
        assertFalse(MinimizeCommand.Progress.shown(21, 0));
        assertTrue(MinimizeCommand.Progress.shown(30, 0));
        assertFalse(MinimizeCommand.Progress.shown(210, 0));
        assertTrue(MinimizeCommand.Progress.shown(300, 0));
        assertTrue(MinimizeCommand.Progress.shown(6, 3));
        assertFalse(MinimizeCommand.Progress.shown(7, 3));
    }

    @Test
    void helpShowsTheFourProblems() {
        CliTest.Run run = minimize("--help");
        assertEquals(0, run.code());
        for (String s : new String[] {"least squares", "ridge", "logistic regression", "covariance", "--x0", "--plot"}) {
            assertTrue(run.out().contains(s), s + " in " + run.out());
        }
    }
}
