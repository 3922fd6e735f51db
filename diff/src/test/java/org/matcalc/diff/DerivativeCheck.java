package org.matcalc.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.matcalc.expr.Decl;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.expr.Parser;
import org.matcalc.expr.TextPrinter;
import org.matcalc.numeric.Evaluator;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.RandomInputs;

/**
 * One checker for every derivative (Stan's expect_ad): the symbolic derivative, evaluated at
 * random inputs that respect the declarations, against central finite differences; the
 * printed derivative read back and evaluated to the same numbers; the layouts against each
 * other. Tolerances live here.
 */
final class DerivativeCheck {
    static final double H = 1e-5;
    static final double TOL = 2e-6;

    record Point(Map<String, Integer> sizes, Map<String, Mat> values) {
    }

    private DerivativeCheck() {
    }

    static Declarations decls(String lines) {
        return Declarations.fromLines(lines);
    }

    /** Random values for every variable of f (and sizes for every symbol), respecting declarations. */
    static Point point(Expr f, Declarations decls, Random rnd, boolean positive) {
        RandomInputs.Sample s = RandomInputs.sample(f, decls, Map.of(), rnd,
                positive ? RandomInputs.Style.POSITIVE : RandomInputs.Style.SIGNED);
        Map<String, Mat> values = new LinkedHashMap<>(s.values());
        for (Map.Entry<String, Mat> v : values.entrySet()) {
            Decl d = decls.get(v.getKey()).orElse(null);
            if (d != null && d.has(Decl.Property.SIMPLEX)) {
                Mat m = RandomInputs.entries(v.getValue().rows(), 1, rnd, RandomInputs.Style.POSITIVE);
                v.setValue(m.scale(1 / m.sum()));
            }
        }
        return new Point(s.sizes(), values);
    }

    static Mat eval(Expr e, Declarations decls, Point p) {
        return Evaluator.evaluate(e, decls, p.values(), p.sizes());
    }

    static Mat eval(Expr e, Declarations decls, Point p, String name, Mat value) {
        Map<String, Mat> v = new LinkedHashMap<>(p.values());
        v.put(name, value);
        return Evaluator.evaluate(e, decls, v, p.sizes());
    }

    /** Checks d f / d wrt (order 1, mixed layout) against central differences; returns the derivative. */
    static Derivative check(String f, String declLines, String wrt, long seed, boolean positive) {
        Declarations decls = decls(declLines);
        Expr e = Expr.parse(f);
        Derivative d = Derivatives.derive(e, decls, wrt, 1, Layout.MIXED);
        Declarations full = d.declarations();
        Point p = point(e, full, new Random(seed), positive);
        Mat got = eval(d.expr(), full, p);
        Mat x = p.values().get(wrt);
        Mat fx = eval(e, full, p);
        Decl xd = full.get(wrt).orElseThrow();
        String what = f + " by " + wrt + " = " + TextPrinter.print(d.expr());
        if (fx.isScalar() && (xd.isSymmetric() || xd.has(Decl.Property.DIAGONAL))) {
            // Structured: compare directional derivatives along directions in the variable's space.
            Random r = new Random(seed + 1);
            for (int k = 0; k < 4; k++) {
                Mat dir = RandomInputs.entries(x.rows(), x.cols(), r, RandomInputs.Style.SIGNED);
                dir = xd.has(Decl.Property.DIAGONAL) ? dir.hadamard(Mat.eye(x.rows())) : dir.plus(dir.transpose()).scale(0.5);
                double fd = directional(e, full, p, wrt, x, dir);
                assertClose(fd, got.dot(dir), what + " (direction " + k + ")");
            }
            assertTrue(got.approxEquals(got.transpose(), 1e-9 * Math.max(1, got.maxAbs())) || !xd.isSymmetric(),
                    what + " is not symmetric");
        } else {
            Mat want = numericJacobian(e, full, p, wrt, x, fx.isScalar());
            assertMatClose(want, got, what);
        }
        roundTrip(d, p, got);
        return d;
    }

    /** The printed derivative parses back and evaluates to the same numbers. */
    static void roundTrip(Derivative d, Point p, Mat value) {
        String text = TextPrinter.print(d.expr());
        Expr back = Parser.parse(text).expr();
        assertEquals(d.expr(), back, "printed form does not read back to the same tree: " + text);
        Mat again = eval(back, d.declarations(), p);
        assertMatClose(value, again, "round trip of " + text);
    }

    static double directional(Expr e, Declarations decls, Point p, String wrt, Mat x, Mat dir) {
        double fp = eval(e, decls, p, wrt, x.plusScaled(H, dir)).scalarValue();
        double fm = eval(e, decls, p, wrt, x.plusScaled(-H, dir)).scalarValue();
        return (fp - fm) / (2 * H);
    }

    /**
     * Central differences: for scalar f, the gradient shaped like x; otherwise the Jacobian of
     * vec(F) by vec(x) (a scalar x gives dF/dx shaped like F).
     */
    static Mat numericJacobian(Expr e, Declarations decls, Point p, String wrt, Mat x, boolean scalarOut) {
        int n = x.size();
        Mat x0 = x;
        double[][] cols = new double[n][];
        for (int k = 0; k < n; k++) {
            Mat ek = Mat.unvec(unit(n, k), x.rows(), x.cols());
            double h = H * Math.max(1, Math.abs(x0.vec().at(k)));
            Mat fp = eval(e, decls, p, wrt, x0.plusScaled(h, ek));
            Mat fm = eval(e, decls, p, wrt, x0.plusScaled(-h, ek));
            cols[k] = fp.minus(fm).scale(1 / (2 * h)).vec().toRowMajor();
        }
        if (scalarOut) {
            double[] g = new double[n];
            for (int k = 0; k < n; k++) {
                g[k] = cols[k][0];
            }
            return Mat.unvec(Mat.column(g), x.rows(), x.cols());
        }
        if (x.isScalar()) {
            Mat f0 = eval(e, decls, p);
            return Mat.unvec(Mat.column(cols[0]), f0.rows(), f0.cols());
        }
        int m = cols[0].length;
        double[][] j = new double[m][n];
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < m; i++) {
                j[i][k] = cols[k][i];
            }
        }
        return Mat.of(j);
    }

    static Mat unit(int n, int k) {
        double[] v = new double[n];
        v[k] = 1;
        return Mat.column(v);
    }

    static void assertClose(double want, double got, String what) {
        double tol = TOL * Math.max(1, Math.abs(want));
        assertTrue(Math.abs(want - got) <= tol, what + ": want " + want + ", got " + got);
    }

    static void assertMatClose(Mat want, Mat got, String what) {
        assertEquals(want.rows() + "x" + want.cols(), got.rows() + "x" + got.cols(), what + ": shape");
        double tol = TOL * Math.max(1, want.maxAbs());
        for (int i = 0; i < want.rows(); i++) {
            for (int j = 0; j < want.cols(); j++) {
                double a = want.get(i, j), b = got.get(i, j);
                if (!(Math.abs(a - b) <= tol)) {
                    fail(what + ": entry (" + i + "," + j + ") want " + a + ", got " + b + "\nwant " + want + "\ngot " + got);
                }
            }
        }
    }

    /** The numerator and denominator layouts relate to the mixed one as CONTRACT.md §4 tabulates. */
    static void checkLayouts(String f, String declLines, String wrt, long seed, boolean positive) {
        Declarations decls = decls(declLines);
        Expr e = Expr.parse(f);
        Derivative mixed = Derivatives.derive(e, decls, wrt, 1, Layout.MIXED);
        Derivative num = Derivatives.derive(e, decls, wrt, 1, Layout.NUMERATOR);
        Derivative den = Derivatives.derive(e, decls, wrt, 1, Layout.DENOMINATOR);
        assertEquals(Layout.NUMERATOR, num.layout());
        assertEquals(Layout.DENOMINATOR, den.layout());
        Point p = point(e, mixed.declarations(), new Random(seed), positive);
        Mat m = eval(mixed.expr(), mixed.declarations(), p);
        Mat n = eval(num.expr(), num.declarations(), p);
        Mat d = eval(den.expr(), den.declarations(), p);
        boolean scalarOut = eval(e, mixed.declarations(), p).isScalar();
        boolean scalarIn = p.values().get(wrt).isScalar();
        if (scalarOut && !scalarIn) {
            assertMatClose(m.transpose(), n, f + " numerator");
            assertMatClose(m, d, f + " denominator");
        } else {
            assertMatClose(m, n, f + " numerator");
            assertMatClose(m.transpose(), d, f + " denominator");
        }
        assertEquals(n.rows() + "x" + n.cols(), shapeOf(num, p), f + ": stated shape of numerator layout");
        assertEquals(d.rows() + "x" + d.cols(), shapeOf(den, p), f + ": stated shape of denominator layout");
        roundTrip(num, p, n);
        roundTrip(den, p, d);
    }

    private static String shapeOf(Derivative d, Point p) {
        return size(d.shape().rows(), p) + "x" + size(d.shape().cols(), p);
    }

    private static int size(org.matcalc.expr.Size s, Point p) {
        if (s instanceof org.matcalc.expr.Size.Fixed f) {
            return f.value();
        }
        if (s instanceof org.matcalc.expr.Size.Sym y) {
            return p.sizes().get(y.name());
        }
        int k = 1;
        for (org.matcalc.expr.Size x : ((org.matcalc.expr.Size.Prod) s).factors()) {
            k *= size(x, p);
        }
        return k;
    }

    /** The Hessian against central differences of the (checked) gradient; the HVP against H*v. */
    static Derivative checkHessian(String f, String declLines, String wrt, long seed, boolean positive) {
        Declarations decls = decls(declLines);
        Expr e = Expr.parse(f);
        Derivative h = Derivatives.derive(e, decls, wrt, 2, Layout.MIXED);
        Derivative g = check(f, declLines, wrt, seed, positive);
        Point p = point(e, h.declarations(), new Random(seed), positive);
        Mat x = p.values().get(wrt);
        Mat got = eval(h.expr(), h.declarations(), p);
        Mat want = numericJacobian(g.expr(), g.declarations(), p, wrt, x, x.isScalar());
        String what = "Hessian of " + f + " by " + wrt + " = " + TextPrinter.print(h.expr());
        assertMatClose(want, got, what);
        assertMatClose(got, got.transpose(), what + " is symmetric");
        roundTrip(h, p, got);
        if (!x.isScalar()) {
            String v = "v_dir";
            Expr hv = Derivatives.hvp(e, decls, wrt, v);
            Mat dir = RandomInputs.entries(x.rows(), x.cols(), new Random(seed + 7), RandomInputs.Style.SIGNED);
            Map<String, Mat> values = new LinkedHashMap<>(p.values());
            values.put(v, dir);
            Declarations withV = h.declarations().with(v, new Decl(xKind(x), h.declarations().get(wrt).orElseThrow().rows(),
                    h.declarations().get(wrt).orElseThrow().cols(), java.util.Set.of(), false));
            Mat hvValue = Evaluator.evaluate(hv, withV, values, p.sizes());
            Mat expected = Mat.unvec(got.times(dir.vec()), x.rows(), x.cols());
            assertMatClose(expected, hvValue, "HVP of " + f + " = " + TextPrinter.print(hv));
        }
        return h;
    }

    private static Decl.VarKind xKind(Mat x) {
        return x.cols() == 1 ? Decl.VarKind.VECTOR : Decl.VarKind.MATRIX;
    }
}
