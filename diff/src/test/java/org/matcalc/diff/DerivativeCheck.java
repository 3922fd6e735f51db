package org.matcalc.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.matcalc.expr.Decl;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Elaboration;
import org.matcalc.expr.Expr;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.Parser;
import org.matcalc.expr.TextPrinter;
import org.matcalc.ad.Agreement;
import org.matcalc.numeric.Evaluator;
import org.matcalc.numeric.Kinks;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.RandomInputs;

/**
 * The symbolic engine's side of the one agreement check ({@link Agreement}): derives, evaluates
 * the derivative at random inputs that respect the declarations and hands its J V, with forward
 * and reverse AD, to {@link Agreement#along}; reads the printed derivative back and evaluates it
 * to the same numbers; compares the layouts with each other.
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
        for (int attempt = 0; ; attempt++) {
            Point p = draw(f, decls, rnd, positive);
            // finite differences step about 1e-3 times the rate of change: inputs nearer a kink of max, abs... are drawn again
            if (attempt == 20 || Kinks.nearest(f, decls, p.values(), p.sizes()).distance() > 1e-2) {
                return p;
            }
        }
    }

    private static Point draw(Expr f, Declarations decls, Random rnd, boolean positive) {
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

    /**
     * Checks d f / d wrt (order 1, mixed layout) with {@link Agreement}: along random directions in
     * the variable's space, the symbolic J V against Richardson differences, forward AD and (by
     * the inner-product identity) reverse AD; then the printed form's round trip. Returns the
     * derivative.
     */
    static Derivative check(String f, String declLines, String wrt, long seed, boolean positive) {
        // as every surface reads text: broadcasting written out, kinds taken from use
        Elaboration.Elaborated el = Elaboration.of(f, decls(declLines));
        Declarations decls = el.decls();
        Expr e = el.parsed().expr();
        Derivative d = Derivatives.derive(e, decls, wrt, 1, Layout.MIXED);
        Declarations full = d.declarations();
        Point p = point(e, full, new Random(seed), positive);
        Mat got = eval(d.expr(), full, p);
        Mat x = p.values().get(wrt);
        Mat fx = eval(e, full, p);
        Decl xd = full.get(wrt).orElseThrow();
        String what = f + " by " + wrt + " = " + TextPrinter.print(d.expr());
        Random r = new Random(seed + 1);
        for (int k = 0; k < DIRECTIONS; k++) {
            Mat dir = Agreement.direction(full, wrt, x, r);
            Agreement.Modes m = modes(e, full, p, wrt, dir, r).withSymbolic(alongDirection(got, fx, x, dir));
            Agreement.along(what + " (direction " + k + ")", t -> eval(e, full, p, wrt, t), x, m, TOL);
        }
        if (fx.isScalar() && xd.isSymmetric()) {
            assertTrue(got.approxEquals(got.transpose(), 1e-9 * Math.max(1, got.maxAbs())), what + " is not symmetric");
        }
        roundTrip(d, p, got);
        DerivationSteps.check(what, d, wrt, p, new Random(seed + 2));
        return d;
    }

    /** Random directions per check: a wrong derivative differs from the right one along almost every direction. */
    static final int DIRECTIONS = 4;

    /** J V from a derivative's value in mixed layout: a gradient (shaped like X), dF/dx (shaped like F), or a Jacobian (rows = vec(F)). */
    static Mat alongDirection(Mat derivative, Mat fx, Mat x, Mat dir) {
        if (fx.isScalar()) {
            return Mat.scalar(derivative.dot(dir));
        }
        if (x.isScalar()) {
            return derivative.scale(dir.scalarValue());
        }
        return Mat.unvec(derivative.times(dir.vec()), fx.rows(), fx.cols());
    }

    /**
     * Forward and reverse AD of f along dir; no AD modes where AD refuses the expression by name,
     * or where it is not finite: AD differentiates primitive by primitive, so at a point where one
     * of them has no derivative (norm2 at 0 inside norm2(A)^2) it gives NaN where the symbolic
     * engine, which rewrites the whole expression, does not.
     */
    static Agreement.Modes modes(Expr f, Declarations decls, Point p, String wrt, Mat dir, Random r) {
        Agreement.Modes none = new Agreement.Modes(dir, null, null, null, null);
        try {
            Agreement.Modes m = Agreement.adModes(f, decls, p.values(), wrt, dir, r);
            return finite(m.forward()) && finite(m.reverse()) ? m : none;
        } catch (MatcalcException ex) {
            if (ex.kind() != MatcalcException.Kind.UNSUPPORTED) {
                throw ex;
            }
            return none;
        }
    }

    private static boolean finite(Mat m) {
        for (int k = 0; k < m.size(); k++) {
            if (!Double.isFinite(m.at(k))) {
                return false;
            }
        }
        return true;
    }

    /** The printed derivative parses back and evaluates to the same numbers. */
    static void roundTrip(Derivative d, Point p, Mat value) {
        String text = TextPrinter.print(d.expr());
        Expr back = Parser.parse(text).expr();
        assertEquals(d.expr(), back, "printed form does not read back to the same tree: " + text);
        Mat again = eval(back, d.declarations(), p);
        assertMatClose(value, again, "round trip of " + text);
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
        // as every surface reads text: broadcasting written out, kinds taken from use
        Elaboration.Elaborated el = Elaboration.of(f, decls(declLines));
        Declarations decls = el.decls();
        Expr e = el.parsed().expr();
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
        DerivationSteps.check(f + " (numerator layout)", num, wrt, p, new Random(seed + 5));
        DerivationSteps.check(f + " (denominator layout)", den, wrt, p, new Random(seed + 6));
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
        // as every surface reads text: broadcasting written out, kinds taken from use
        Elaboration.Elaborated el = Elaboration.of(f, decls(declLines));
        Declarations decls = el.decls();
        Expr e = el.parsed().expr();
        Derivative h = Derivatives.derive(e, decls, wrt, 2, Layout.MIXED);
        Derivative g = check(f, declLines, wrt, seed, positive);
        Point p = point(e, h.declarations(), new Random(seed), positive);
        Mat x = p.values().get(wrt);
        Mat got = eval(h.expr(), h.declarations(), p);
        String what = "Hessian of " + f + " by " + wrt + " = " + TextPrinter.print(h.expr());
        // H V against Richardson differences of the (checked) gradient, and against forward-over-reverse AD.
        Random r = new Random(seed + 3);
        for (int k = 0; k < DIRECTIONS; k++) {
            Mat dir = Agreement.direction(h.declarations(), wrt, x, r);
            Mat hv = x.isScalar() ? got.scale(dir.scalarValue()) : Mat.unvec(got.times(dir.vec()), x.rows(), x.cols());
            Mat ad = hvpByAd(e, h.declarations(), p, wrt, dir);
            Agreement.along(what + " (direction " + k + ")", t -> eval(g.expr(), g.declarations(), p, wrt, t), x,
                    new Agreement.Modes(dir, ad, null, null, hv), TOL);
        }
        assertMatClose(got, got.transpose(), what + " is symmetric");
        roundTrip(h, p, got);
        DerivationSteps.check(what, h, wrt, p, new Random(seed + 4));
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

    /** H V by forward-over-reverse AD for an unstructured variable (AD does not project), or null. */
    private static Mat hvpByAd(Expr f, Declarations decls, Point p, String wrt, Mat dir) {
        Decl d = decls.get(wrt).orElseThrow();
        if (d.isSymmetric() || d.has(Decl.Property.DIAGONAL)) {
            return null;
        }
        try {
            Mat hv = org.matcalc.ad.ExprAD.hvp(f, decls, p.values(), wrt, dir);
            return finite(hv) ? hv : null;
        } catch (MatcalcException ex) {
            if (ex.kind() != MatcalcException.Kind.UNSUPPORTED) {
                throw ex;
            }
            return null;
        }
    }

    private static Decl.VarKind xKind(Mat x) {
        return x.cols() == 1 ? Decl.VarKind.VECTOR : Decl.VarKind.MATRIX;
    }
}
