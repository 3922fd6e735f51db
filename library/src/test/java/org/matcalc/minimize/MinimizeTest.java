package org.matcalc.minimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.matcalc.expr.Declarations;
import org.matcalc.expr.MatcalcException;
import org.matcalc.numeric.Evaluator;
import org.matcalc.numeric.Kernels;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.RandomInputs;
import org.matcalc.numeric.fd.FiniteDifferences;
import org.matcalc.methods.optimize.Options;

/**
 * {@code minimize} against closed forms on random data (fixed seeds, non-square X): least
 * squares and ridge against the normal equations, logistic regression against Newton written
 * out by hand, the Gaussian MLE of a covariance against the sample covariance. The gradient and
 * Hessian fed to the solvers are checked against finite differences in every packing.
 */
class MinimizeTest {
    static final Options TIGHT = Options.defaults().withMaxIterations(2000).withGradientTolerance(1e-8);

    static Mat gaussian(Random r, int rows, int cols) {
        return RandomInputs.gaussian(rows, cols, r);
    }

    static double relErr(Mat got, Mat want) {
        return got.minus(want).maxAbs() / Math.max(1e-300, want.maxAbs());
    }

    /** X (40x5) and y = X*w + noise. */
    static Map<String, Mat> regressionData(long seed) {
        Random r = new Random(seed);
        Mat x = gaussian(r, 40, 5);
        Mat y = x.times(gaussian(r, 5, 1)).plus(gaussian(r, 40, 1).scale(0.3));
        Map<String, Mat> d = new LinkedHashMap<>();
        d.put("X", x);
        d.put("y", y);
        return d;
    }

    /** X (300x5, first column ones) and y in {0,1} drawn from the model: not separable. */
    static Map<String, Mat> logisticData(long seed, int rows, int cols) {
        Random r = new Random(seed);
        double[][] x = new double[rows][cols];
        double[] w = new double[cols];
        for (int j = 0; j < cols; j++) {
            w[j] = r.nextGaussian() * 0.5;
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

    /** Newton on the logistic loss with the gradient X'(s - y) and Hessian X'diag(s(1-s))X written out. */
    static Mat logisticByHand(Mat x, Mat y) {
        int n = x.rows(), m = x.cols();
        Mat w = Mat.zeros(m, 1);
        for (int it = 0; it < 100; it++) {
            Mat s = x.times(w).map(t -> 1 / (1 + Math.exp(-t)));
            Mat g = x.transposeTimes(s.minus(y));
            double[][] h = new double[m][m];
            for (int i = 0; i < n; i++) {
                double wi = s.at(i) * (1 - s.at(i));
                for (int a = 0; a < m; a++) {
                    for (int b = 0; b < m; b++) {
                        h[a][b] += x.get(i, a) * wi * x.get(i, b);
                    }
                }
            }
            Mat step = Kernels.solve(Mat.of(h), g);
            w = w.minus(step);
            if (step.maxAbs() < 1e-15 * Math.max(1, w.maxAbs())) {
                break;
            }
        }
        return w;
    }

    static Minimizer.Solution solve(String f, String decls, String wrt, Map<String, Mat> data, Minimizer.Method m) {
        Problem p = Problem.of(f, Declarations.fromLines(decls), wrt, data, null);
        Minimizer.Solution s = Minimizer.minimize(p, p.defaultStart(), m, TIGHT);
        assertTrue(s.result().converged(), s.result().message());
        return s;
    }

    @ParameterizedTest
    @EnumSource(value = Minimizer.Method.class, names = {"AUTO", "LBFGS", "NEWTON"})
    void leastSquaresAgreesWithTheNormalEquations(Minimizer.Method m) {
        Map<String, Mat> d = regressionData(1);
        Mat x = d.get("X"), y = d.get("y");
        Mat want = Kernels.solve(x.transposeTimes(x), x.transposeTimes(y));
        Minimizer.Solution s = solve("norm2(X*w - y)^2", "", "w", d, m);
        assertTrue(relErr(s.x(), want) < 1e-8, () -> "relative error " + relErr(s.x(), want));
        assertEquals(5, s.x().rows());
    }

    @ParameterizedTest
    @EnumSource(value = Minimizer.Method.class, names = {"AUTO", "LBFGS", "NEWTON"})
    void ridgeAgreesWithTheNormalEquations(Minimizer.Method m) {
        Map<String, Mat> d = regressionData(2);
        Mat x = d.get("X"), y = d.get("y");
        double lambda = 3.5;
        Mat want = Kernels.solve(x.transposeTimes(x).plus(Mat.eye(5).scale(lambda)), x.transposeTimes(y));
        // lambda as data: a 1 x 1 value makes the name a scalar whatever its first letter.
        d.put("lambda", Mat.scalar(lambda));
        Minimizer.Solution s = solve("norm2(X*w - y)^2 + lambda*norm2(w)^2", "", "w", d, m);
        assertTrue(relErr(s.x(), want) < 1e-8, () -> "relative error " + relErr(s.x(), want));
        d.remove("lambda");
        Minimizer.Solution lit = solve("norm2(X*w - y)^2 + 3.5*norm2(w)^2", "", "w", d, m);
        assertTrue(relErr(lit.x(), want) < 1e-8, () -> "relative error " + relErr(lit.x(), want));
    }

    @ParameterizedTest
    @EnumSource(value = Minimizer.Method.class, names = {"AUTO", "LBFGS", "NEWTON"})
    void logisticRegressionAgreesWithNewtonByHand(Minimizer.Method m) {
        Map<String, Mat> d = logisticData(3, 300, 5);
        Mat want = logisticByHand(d.get("X"), d.get("y"));
        Minimizer.Solution s = solve("sum(softplus(X*w)) - y'*X*w", "", "w", d, m);
        assertTrue(relErr(s.x(), want) < 1e-6, () -> "relative error " + relErr(s.x(), want));
    }

    @ParameterizedTest
    @EnumSource(value = Minimizer.Method.class, names = {"AUTO", "LBFGS", "NEWTON"})
    void gaussianMleIsTheSampleCovariance(Minimizer.Method m) {
        Random r = new Random(4);
        int n = 4, rows = 60;
        // Correlated data Z*L, centred; L near 2I keeps C well conditioned, so |grad| <= 1e-8 pins S to ~1e-9.
        Mat z = gaussian(r, rows, n).times(gaussian(r, n, n).scale(0.5).plus(Mat.eye(n).scale(2)));
        Mat mean = Mat.fill(1, rows, 1.0 / rows).times(z);
        Mat centred = z.minus(Mat.fill(rows, 1, 1).times(mean));
        Mat c0 = centred.transposeTimes(centred).scale(1.0 / rows);
        Mat c = c0.plus(c0.transpose()).scale(0.5);
        Minimizer.Solution s = solve("logdet(S) + tr(inv(S)*C)", "S: spd(n)", "S", Map.of("C", c), m);
        assertTrue(relErr(s.x(), c) < 1e-7, () -> "relative error " + relErr(s.x(), c));
        // The same from the data: n*logdet(S) + tr(inv(S)*X'*X) with centred X.
        Minimizer.Solution t = solve("N*logdet(S) + tr(inv(S)*X'*X)", "S: spd(n); N: scalar", "S",
                Map.of("X", centred, "N", Mat.scalar(rows)), m);
        assertTrue(relErr(t.x(), c) < 1e-7, () -> "relative error " + relErr(t.x(), c));
    }

    @Test
    void autoPicksNewtonForFewUnknownsAndLbfgsForMany() {
        Map<String, Mat> d = regressionData(5);
        Problem few = Problem.of("norm2(X*w - y)^2", Declarations.NONE, "w", d, null);
        assertEquals(Minimizer.Method.NEWTON, Minimizer.choose(few, Minimizer.Method.AUTO, new StringBuilder()));
        Random r = new Random(5);
        Problem many = Problem.of("norm2(X*W - Y)^2", Declarations.NONE, "W",
                Map.of("X", gaussian(r, 30, 20), "Y", gaussian(r, 30, 11)), null);
        assertEquals(220, many.dimension());
        assertEquals(Minimizer.Method.LBFGS, Minimizer.choose(many, Minimizer.Method.AUTO, new StringBuilder()));
        // Few unknowns over much data: a Hessian costs more than L-BFGS's extra iterations.
        Problem tall = Problem.of("norm2(X*w - y)^2", Declarations.NONE, "w",
                Map.of("X", gaussian(r, 20_000, 60), "y", gaussian(r, 20_000, 1)), null);
        StringBuilder why = new StringBuilder();
        assertEquals(Minimizer.Method.LBFGS, Minimizer.choose(tall, Minimizer.Method.AUTO, why));
        assertTrue(why.toString().contains("data entries"), why::toString);
    }

    /** The packed gradient the solvers see against central differences of the packed objective. */
    static void checkPackedGradient(Problem p, Mat at) {
        double[] x = p.pack(at);
        double[] g = new double[x.length];
        double f = p.objective().evaluate(x, g);
        assertTrue(Double.isFinite(f));
        Mat fd = FiniteDifferences.gradient(v -> p.value(p.unpack(column(v))), Mat.column(x));
        assertTrue(relErr(Mat.column(g), fd) < 1e-6, () -> "gradient " + java.util.Arrays.toString(g) + " against " + fd);
    }

    static double[] column(Mat v) {
        double[] a = new double[v.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = v.at(i);
        }
        return a;
    }

    /** The packed Hessian against central differences of the packed gradient. */
    static void checkPackedHessian(Problem p, Mat at) {
        double[] x = p.pack(at);
        Mat h = Mat.of(p.hessianAt(x));
        Mat fd = FiniteDifferences.jacobian(v -> {
            double[] g = new double[x.length];
            p.objective().evaluate(column(v), g);
            return Mat.column(g);
        }, Mat.column(x));
        assertTrue(relErr(h, fd) < 1e-5, () -> "Hessian " + h + " against " + fd);
    }

    static Mat spdAt(Random r, int n) {
        Mat a = gaussian(r, n, n);
        return a.transposeTimes(a).plus(Mat.eye(n).scale(n));
    }

    @Test
    void symmetricPackingGivesTheGradientAndHessianOfTheUpperTriangle() {
        Random r = new Random(6);
        Mat c = spdAt(r, 3);
        Problem p = Problem.of("logdet(S) + tr(inv(S)*C)", Declarations.fromLines("S: spd(3)"), "S", Map.of("C", c), null);
        assertEquals(Problem.Structure.SYMMETRIC, p.structure());
        assertEquals(6, p.dimension());
        Mat s = spdAt(r, 3);
        assertEquals(0, p.unpack(p.pack(s)).minus(s).maxAbs(), 1e-14);
        checkPackedGradient(p, s);
        checkPackedHessian(p, s);
        // svec is an isometry: the solver's gradient norm is the Frobenius norm of the symmetric gradient.
        double[] g = new double[6];
        p.objective().evaluate(p.pack(s), g);
        double frob = Math.sqrt(p.gradientAt(s).dot(p.gradientAt(s)));
        assertEquals(frob, Math.sqrt(java.util.Arrays.stream(g).map(v -> v * v).sum()), 1e-12 * frob);
    }

    @Test
    void plainAndDiagonalPackingsToo() {
        Random r = new Random(7);
        Mat a = gaussian(r, 4, 3), b = gaussian(r, 4, 2);
        Problem full = Problem.of("norm2(A*W - B)^2 + sum(exp(W))", Declarations.NONE, "W", Map.of("A", a, "B", b), null);
        assertEquals(6, full.dimension());
        Mat w = gaussian(r, 3, 2);
        checkPackedGradient(full, w);
        checkPackedHessian(full, w);
        Problem diag = Problem.of("norm2(A*D - B)^2 + sum(exp(diag(D)))", Declarations.fromLines("D: diagonal(3)"), "D",
                Map.of("A", a, "B", gaussian(r, 4, 3)), null);
        assertEquals(Problem.Structure.DIAGONAL, diag.structure());
        Mat dv = Kernels.diag(gaussian(r, 3, 1));
        checkPackedGradient(diag, dv);
        checkPackedHessian(diag, dv);
    }

    @Test
    void theDiagRewriteKeepsTheHessianValue() {
        Map<String, Mat> d = logisticData(8, 30, 4);
        Problem p = Problem.of("sum(softplus(X*w)) - y'*X*w", Declarations.NONE, "w", d, null);
        Mat w = gaussian(new Random(8), 4, 1);
        Map<String, Mat> values = new LinkedHashMap<>(d);
        values.put("w", w);
        Mat plain = Evaluator.evaluate(p.hessian().expr(), p.hessian().declarations(), values);
        String text = org.matcalc.expr.TextPrinter.print(p.hessian().expr());
        assertTrue(text.contains("diag("), text);
        assertTrue(relErr(Mat.of(p.hessianAt(p.pack(w))), plain) < 1e-13);
        checkPackedHessian(p, w);
    }

    @Test
    void dataOnlySubexpressionsAreComputedOnce() {
        Map<String, Mat> d = logisticData(10, 30, 4);
        Problem p = Problem.of("sum(softplus(X*w)) - y'*X*w", Declarations.NONE, "w", d, null);
        Mat ytx = d.get("y").transpose().times(d.get("X"));
        assertTrue(p.hoisted().values().stream().anyMatch(v -> v.sameShape(ytx) && v.minus(ytx).maxAbs() == 0),
                "y'*X among " + p.hoisted().keySet());
        // X' alone is not: the plan folds the transpose into the product, a copy would double the data
        assertTrue(p.hoisted().values().stream().noneMatch(v -> v.rows() == 4 && v.cols() == 30),
                "X' copied: " + p.hoisted().keySet());
        // The hoisted plans give what the formulas give.
        Mat w = gaussian(new Random(10), 4, 1);
        Map<String, Mat> values = new LinkedHashMap<>(d);
        values.put("w", w);
        double[] g = new double[4];
        double f = p.objective().evaluate(p.pack(w), g);
        assertEquals(Evaluator.evaluate(org.matcalc.expr.Expr.parse("sum(softplus(X*w)) - y'*X*w"), Declarations.NONE, values)
                .scalarValue(), f, 1e-12 * Math.abs(f));
        Mat want = Evaluator.evaluate(p.gradient().expr(), p.gradient().declarations(), values);
        assertTrue(relErr(Mat.column(g), want) < 1e-14);
    }

    @Test
    void theSolversObjectiveGivesWhatValueAndGradientGiveSeparately() {
        Map<String, Mat> d = logisticData(11, 25, 3);
        Problem p = Problem.of("sum(softplus(X*w)) - y'*X*w", Declarations.NONE, "w", d, null);
        Mat w = gaussian(new Random(12), 3, 1);
        double[] g = new double[3];
        double f = p.objective().evaluate(p.pack(w), g);
        // One plan for both, the same operations as two: equal to the last bit.
        assertEquals(p.value(w), f);
        assertEquals(p.gradientAt(w), Mat.column(g));

        Problem s = Problem.of("logdet(S) + tr(inv(S)*C)", Declarations.fromLines("S: spd(n)"), "S",
                Map.of("C", Mat.of(new double[][] {{2, 0.5}, {0.5, 1}})), null);
        Mat at = Mat.of(new double[][] {{1.5, 0.2}, {0.2, 0.7}});
        double[] gs = new double[3];
        assertEquals(s.value(at), s.objective().evaluate(s.pack(at), gs));
        Mat gm = s.gradientAt(at);
        assertEquals(gm.get(0, 1) * Math.sqrt(2), gs[1], 1e-15);
    }

    @Test
    void aGradientThatFailsWhereTheValueDoesNotIsInfinitelyBad() {
        // sqrt(0) = 0, but the gradient 1/(2 sqrt(w)) is infinite there.
        Problem p = Problem.of("sum(sqrt(w))", Declarations.NONE, "w", Map.of(), Mat.column(1, 1));
        assertEquals(0.0, p.value(Mat.column(0, 0)));
        double[] g = new double[2];
        assertEquals(Double.POSITIVE_INFINITY, p.objective().evaluate(new double[] {0, 0}, g));
        assertTrue(Double.isNaN(g[0]) && Double.isNaN(g[1]));
        assertTrue(p.lastFailure().contains("not finite"), p.lastFailure());
    }

    @Test
    void aNonPositiveDefiniteTrialPointIsInfinitelyBad() {
        Problem p = Problem.of("logdet(S) + tr(inv(S)*C)", Declarations.fromLines("S: spd(2)"), "S",
                Map.of("C", Mat.eye(2)), null);
        double[] g = new double[3];
        assertEquals(Double.POSITIVE_INFINITY, p.objective().evaluate(p.pack(Mat.of(new double[][] {{1, 2}, {2, 1}})), g));
        assertTrue(Double.isNaN(g[0]));
        assertTrue(p.lastFailure().contains("positive definite"), p.lastFailure());
    }

    /**
     * C with eigenvalues about 0.01 and 4: from the identity the first trial steps leave the spd
     * cone; the objective says +Infinity there, the line searches backtrack, and both solvers
     * still end at C.
     */
    @ParameterizedTest
    @EnumSource(value = Minimizer.Method.class, names = {"LBFGS", "NEWTON"})
    void theLineSearchBacksOffWhereCholeskyFails(Minimizer.Method m) {
        Mat c = Mat.of(new double[][] {{0.01, 0.005}, {0.005, 4}});
        Problem p = Problem.of("logdet(S) + tr(inv(S)*C)", Declarations.fromLines("S: spd(n)"), "S", Map.of("C", c), null);
        Minimizer.Solution s = Minimizer.minimize(p, p.defaultStart(), m, TIGHT);
        assertTrue(s.result().converged(), s.result().message());
        assertTrue(relErr(s.x(), c) < 1e-7, () -> "relative error " + relErr(s.x(), c));
        assertTrue(p.lastFailure() != null && p.lastFailure().contains("not positive definite"),
                "a trial point outside the cone was met and rejected: " + p.lastFailure());
    }

    @Test
    void refusals() {
        Map<String, Mat> d = regressionData(9);
        MatcalcException absent = assertThrows(MatcalcException.class,
                () -> Problem.of("norm2(X*w - y)^2", Declarations.NONE, "v", d, null));
        assertTrue(absent.getMessage().contains("v does not appear"), absent.getMessage());
        MatcalcException vector = assertThrows(MatcalcException.class,
                () -> Problem.of("X*w - y", Declarations.NONE, "w", d, null));
        assertTrue(vector.getMessage().contains("must be a scalar"), vector.getMessage());
        Map<String, Mat> bad = new LinkedHashMap<>(d);
        bad.put("y", Mat.zeros(39, 1));
        MatcalcException shape = assertThrows(MatcalcException.class,
                () -> Problem.of("norm2(X*w - y)^2", Declarations.NONE, "w", bad, null));
        assertTrue(shape.span() != null, shape.getMessage());
        MatcalcException missing = assertThrows(MatcalcException.class,
                () -> Problem.of("norm2(X*w - y)^2", Declarations.NONE, "w", Map.of("X", d.get("X")), null));
        assertTrue(missing.getMessage().contains("no data for y"), missing.getMessage());
        MatcalcException size = assertThrows(MatcalcException.class,
                () -> Problem.of("norm2(w)^2 + sum(exp(w))", Declarations.NONE, "w", Map.of(), null));
        assertTrue(size.getMessage().contains("cannot tell the size of w"), size.getMessage());
        MatcalcException method = assertThrows(MatcalcException.class, () -> Minimizer.Method.parse("bfgs"));
        assertTrue(method.getMessage().contains("auto, lbfgs, newton or gd"));
    }

    @Test
    void aStartOutsideTheDomainIsRefused() {
        Problem p = Problem.of("logdet(S) + tr(inv(S)*C)", Declarations.fromLines("S: spd(2)"), "S",
                Map.of("C", Mat.eye(2)), null);
        MatcalcException e = assertThrows(MatcalcException.class, () -> Minimizer.minimize(p,
                Mat.of(new double[][] {{1, 2}, {2, 1}}), Minimizer.Method.LBFGS, TIGHT));
        assertTrue(e.getMessage().contains("starting point"), e.getMessage());
    }
}
