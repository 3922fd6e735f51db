package org.matcalc.ad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import org.matcalc.expr.Builtin;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.expr.ScalarFunction;
import org.matcalc.expr.TextPrinter;
import org.matcalc.numeric.Evaluator;
import org.matcalc.numeric.Kernels;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.RandomInputs;
import org.matcalc.numeric.fd.DerivativeCheck;

/**
 * One checker for every mode, for expressions of the language (STYLE.md 6): at given values
 * and for each variable, along a random direction that respects the variable's structure
 * (symmetric directions for symmetric and spd variables), it compares
 * <ol>
 *   <li>forward (ExprAD.jvp) with Richardson differences of the dense evaluator;</li>
 *   <li>reverse (ExprAD.vjp with a random seed W) by &lt;W, J V&gt; = &lt;J' W, V&gt;;</li>
 *   <li>optionally, the forward and reverse Jacobians with each other and with J V;</li>
 *   <li>optionally, the forward-over-reverse Hessian of L = sum(sin(F)) + sum(F .* F)/2:
 *       symmetric (on the variable's space), H V equal to Richardson differences of the
 *       reverse gradient, and hvp equal to H vec(V).</li>
 * </ol>
 */
final class ExprCheck {
    static final double FIRST_ORDER = 1e-6;
    static final double SECOND_ORDER = 1e-5;
    private static final double EPS = Math.ulp(1.0);

    private ExprCheck() {
    }

    /** What to check beyond first order. */
    record Depth(boolean jacobians, boolean hessians) {
        static final Depth ALL = new Depth(true, true);
        static final Depth FIRST = new Depth(false, false);
    }

    static void check(String where, Expr f, Declarations decls, Map<String, Mat> values, Random rnd, Depth depth) {
        check(where, f, decls, values, values.keySet(), rnd, depth);
    }

    /** Checks the derivatives by the variables {@code names} only. */
    static void check(String where, Expr f, Declarations decls, Map<String, Mat> values, java.util.Collection<String> names,
                      Random rnd, Depth depth) {
        String at = where + ": " + TextPrinter.print(f);
        Mat f0 = Evaluator.evaluate(f, decls, values);
        for (String name : names) {
            Mat x = values.get(name);
            Mat v = direction(f, decls, name, x, rnd);
            String w = at + " by " + name;
            Mat fd = richardson(t -> Evaluator.evaluate(f, decls, with(values, name, t)), x, v);
            AD.Jvp jvp = ExprAD.jvp(f, decls, values, name, v);
            assertTrue(jvp.value().approxEquals(f0, 1e-12 * Math.max(1, f0.maxAbs())), w + ": forward value");
            DerivativeCheck.Report fwd = DerivativeCheck.compare(jvp.tangent(), fd);
            assertTrue(fwd.passed(FIRST_ORDER), w + ": forward J V against Richardson differences: " + fwd);

            Mat seed = RandomInputs.entries(f0.rows(), f0.cols(), rnd, RandomInputs.Style.SIGNED);
            AD.Vjp vjp = ExprAD.vjp(f, decls, values, name, seed);
            double lhs = seed.dot(jvp.tangent()), rhs = vjp.cotangent().dot(v);
            assertEquals(lhs, rhs, 1e-9 * Math.max(1, Math.abs(lhs)), w + ": <W, J V> = <J' W, V>");
            assertEquals(seed.dot(fd), rhs, FIRST_ORDER * Math.max(1, Math.abs(rhs)), w + ": reverse against Richardson differences");

            if (depth.jacobians()) {
                Mat jf = ExprAD.jacobian(f, decls, values, name, AD.Mode.FORWARD).matrix();
                Mat jr = ExprAD.jacobian(f, decls, values, name, AD.Mode.REVERSE).matrix();
                if (declOf(decls, name).isSymmetric()) { // reverse rules of the eigen family symmetrise: compare on the space
                    Mat p = symmetricProjection(x);
                    jf = jf.times(p);
                    jr = jr.times(p);
                }
                DerivativeCheck.Report jj = DerivativeCheck.compare(jf, jr);
                assertTrue(jj.passed(1e-10), w + ": forward and reverse Jacobians: " + jj);
                DerivativeCheck.Report jv = DerivativeCheck.compare(jf.times(v.vec()), jvp.tangent().vec());
                assertTrue(jv.passed(1e-10), w + ": J vec(V) against jvp: " + jv);
            }
            if (depth.hessians()) {
                checkHessian(w, loss(f), decls, values, name, v);
            }
        }
    }

    /** L = sum(sin(F)) + 0.5 * sum(F .* F): curvature through every entry of F. */
    static Expr loss(Expr f) {
        return Expr.add(Expr.call(Builtin.SUM, Expr.apply(ScalarFunction.SIN, f)),
                Expr.mul(Expr.num(0.5), Expr.call(Builtin.SUM, Expr.hadamard(f, f))));
    }

    static void checkHessian(String w, Expr l, Declarations decls, Map<String, Mat> values, String name, Mat v) {
        Mat x = values.get(name);
        Mat h = ExprAD.hessian(l, decls, values, name);
        boolean symmetricVar = declOf(decls, name).isSymmetric();
        Mat hs = h;
        if (symmetricVar) { // symmetric only on the variable's space: P H P, P = (I + K)/2
            Mat p = symmetricProjection(x);
            hs = p.times(h).times(p);
        }
        DerivativeCheck.Report sym = DerivativeCheck.compare(hs, hs.transpose());
        assertTrue(sym.passed(1e-8), w + ": Hessian symmetric: " + sym);
        Mat fdHv = richardson(t -> ExprAD.gradient(l, decls, with(values, name, t), name), x, v);
        Mat hv = ExprAD.hvp(l, decls, values, name, v);
        DerivativeCheck.Report rep = DerivativeCheck.compare(hv, fdHv);
        assertTrue(rep.passed(SECOND_ORDER), w + ": H V against Richardson differences of the reverse gradient: " + rep);
        DerivativeCheck.Report hh = DerivativeCheck.compare(h.times(v.vec()), hv.vec());
        assertTrue(hh.passed(1e-9), w + ": hvp against H vec(V): " + hh);
    }

    /** P = (I + K)/2 on vec(X): the orthogonal projection onto symmetric matrices. */
    static Mat symmetricProjection(Mat x) {
        return Mat.eye(x.size()).plus(Kernels.commutation(x.rows(), x.cols())).scale(0.5);
    }

    /** A random direction in the variable's space (symmetric for symmetric and spd variables). */
    static Mat direction(Expr f, Declarations decls, String name, Mat x, Random rnd) {
        Mat v = RandomInputs.entries(x.rows(), x.cols(), rnd, RandomInputs.Style.SIGNED);
        if (declOf(decls, name).isSymmetric()) {
            v = v.plus(v.transpose()).scale(0.5);
        }
        return v;
    }

    /** d/dt f(x + t v) at 0 by Richardson extrapolation of central differences, h = eps^(1/5) scaled. */
    static Mat richardson(Function<Mat, Mat> f, Mat x, Mat v) {
        double h = Math.pow(EPS, 0.2) * Math.max(1, x.maxAbs()) / Math.max(1e-300, v.maxAbs());
        Mat d1 = central(f, x, v, h), d2 = central(f, x, v, h / 2);
        return d2.scale(4).minus(d1).scale(1.0 / 3);
    }

    private static Mat central(Function<Mat, Mat> f, Mat x, Mat v, double h) {
        return f.apply(x.plusScaled(h, v)).minus(f.apply(x.plusScaled(-h, v))).scale(1 / (2 * h));
    }

    static org.matcalc.expr.Decl declOf(Declarations decls, String name) {
        return decls.get(name).orElseGet(() -> Declarations.byLetter(name));
    }

    static Map<String, Mat> with(Map<String, Mat> values, String name, Mat x) {
        Map<String, Mat> m = new HashMap<>(values);
        m.put(name, x);
        return m;
    }
}
