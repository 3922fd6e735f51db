package org.matcalc.ad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import org.matcalc.expr.Builtin;
import org.matcalc.expr.Decl;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.expr.ScalarFunction;
import org.matcalc.expr.TextPrinter;
import org.matcalc.numeric.Evaluator;
import org.matcalc.numeric.Kernels;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.RandomInputs;
import org.matcalc.numeric.fd.DerivativeCheck;
import org.matcalc.numeric.fd.FiniteDifferences;

/**
 * The one agreement check of matcalc's tests (Stan's expect_ad, JAX's check_grads): a derivative
 * J of f at x, as each mode at hand gives it along a direction V, must agree with Richardson
 * central differences of f, symbolic with forward, and reverse with both by the inner-product
 * identity &lt;W, J V&gt; = &lt;J' W, V&gt;. Tolerances and the finite differences live here only.
 * Entry points: {@link #along} (the core), {@link #expression} (an expression of the language:
 * forward and reverse AD, Jacobians, Hessians), {@link #program} (a Java program on the tape);
 * the symbolic engine's checks (diff's DerivativeCheck) call {@link #along} with the symbolic
 * J V and the AD modes of {@link #adModes}.
 */
public final class Agreement {
    public static final double FIRST_ORDER = 1e-6;
    public static final double SECOND_ORDER = 1e-5;
    private static final double EPS = Math.ulp(1.0);

    private Agreement() {
    }

    /**
     * What the modes say of J along direction v: forward J V, reverse J' W for cotangent w, and
     * the symbolic J V; any of the three may be null (not available).
     */
    public record Modes(Mat v, Mat forward, Mat w, Mat reverse, Mat symbolic) {
        public Modes withSymbolic(Mat jv) {
            return new Modes(v, forward, w, reverse, jv);
        }
    }

    // ---- the core ----

    /** Every mode in {@code m} against Richardson differences of f at x along m.v(), and against each other. */
    public static void along(String where, Function<Mat, Mat> f, Mat x, Modes m, double tol) {
        Mat fd = richardson(f, x, m.v());
        double noise = roundingNoise(f, x, m.v());
        if (m.symbolic() != null) {
            DerivativeCheck.Report s = DerivativeCheck.compare(m.symbolic(), fd);
            assertTrue(s.passed(tol) || withinNoise(m.symbolic(), fd, noise),
                    where + ": symbolic J V against Richardson differences: " + s + " (rounding noise " + noise + ")");
        }
        if (m.forward() != null) {
            DerivativeCheck.Report fwd = DerivativeCheck.compare(m.forward(), fd);
            assertTrue(fwd.passed(tol) || withinNoise(m.forward(), fd, noise),
                    where + ": forward J V against Richardson differences: " + fwd + " (rounding noise " + noise + ")");
            if (m.symbolic() != null) {
                DerivativeCheck.Report sf = DerivativeCheck.compare(m.symbolic(), m.forward());
                assertTrue(sf.passed(1e-8), where + ": symbolic J V against forward mode: " + sf);
            }
        }
        if (m.reverse() != null) {
            double rhs = m.reverse().dot(m.v());
            Mat jv = m.forward() != null ? m.forward() : m.symbolic();
            if (jv != null) {
                double lhs = m.w().dot(jv);
                assertEquals(lhs, rhs, 1e-9 * Math.max(1, Math.abs(lhs)), where + ": <W, J V> = <J' W, V>");
            }
            assertEquals(m.w().dot(fd), rhs, tol * Math.max(1, Math.abs(rhs)) + noise * Kernels.norm1(m.w()),
                    where + ": reverse against Richardson differences");
        }
    }

    /**
     * What rounding alone can put into a Richardson difference of f at x along v: a few ulps of
     * f's largest value there, divided by the step. A function whose value dwarfs its derivative
     * along v (det(A)^2 next to a small term) is resolved no better than that.
     */
    static double roundingNoise(Function<Mat, Mat> f, Mat x, Mat v) {
        double h = FiniteDifferences.directionalStep(x, v, FiniteDifferences.Scheme.RICHARDSON);
        double big = Math.max(f.apply(x.plusScaled(h, v)).maxAbs(), f.apply(x.plusScaled(-h, v)).maxAbs());
        return 64 * EPS * big / h;
    }

    private static boolean withinNoise(Mat a, Mat fd, double noise) {
        return a.sameShape(fd) && a.minus(fd).maxAbs() <= noise;
    }

    /** d/dt f(x + t v) at 0 by Richardson extrapolation of central differences (the numeric layer's). */
    public static Mat richardson(Function<Mat, Mat> f, Mat x, Mat v) {
        return FiniteDifferences.directionalMatrix(f, x, v, FiniteDifferences.Scheme.RICHARDSON);
    }

    /** The worst entry-wise error |a - b| / max(1, |a|, |b|) (fd.DerivativeCheck's measure), for equal shapes. */
    public static double error(Mat a, Mat b) {
        assertTrue(a.sameShape(b), a.shapeString() + " vs " + b.shapeString());
        return DerivativeCheck.compare(a, b).worstError();
    }

    // ---- expressions of the language ----

    /** What to check beyond first order. */
    public record Depth(boolean jacobians, boolean hessians) {
        public static final Depth ALL = new Depth(true, true);
        public static final Depth FIRST = new Depth(false, false);
    }

    /** Forward (ExprAD.jvp along v) and reverse (ExprAD.vjp against a random w) of f by {@code name} at {@code values}. */
    public static Modes adModes(Expr f, Declarations decls, Map<String, Mat> values, String name, Mat v, Random rnd) {
        Mat f0 = Evaluator.evaluate(f, decls, values);
        Mat w = RandomInputs.entries(f0.rows(), f0.cols(), rnd, RandomInputs.Style.SIGNED);
        AD.Jvp jvp = ExprAD.jvp(f, decls, values, name, v);
        assertTrue(jvp.value().approxEquals(f0, 1e-12 * Math.max(1, f0.maxAbs())), "forward value of " + TextPrinter.print(f));
        return new Modes(v, jvp.tangent(), w, ExprAD.vjp(f, decls, values, name, w).cotangent(), null);
    }

    /**
     * At given values and for each variable in {@code names}, along a random direction in the
     * variable's space: forward and reverse AD against Richardson differences of the dense
     * evaluator ({@link #along}); optionally the forward and reverse Jacobians with each other and
     * with J V; optionally the forward-over-reverse Hessian of L = sum(sin(F)) + sum(F .* F)/2:
     * symmetric on the variable's space, H V against Richardson differences of the reverse
     * gradient, and hvp equal to H vec(V).
     */
    public static void expression(String where, Expr f, Declarations decls, Map<String, Mat> values, Collection<String> names,
                                  Random rnd, Depth depth) {
        String at = where + ": " + TextPrinter.print(f);
        for (String name : names) {
            Mat x = values.get(name);
            Mat v = direction(decls, name, x, rnd);
            String w = at + " by " + name;
            Modes m = adModes(f, decls, values, name, v, rnd);
            along(w, t -> Evaluator.evaluate(f, decls, with(values, name, t)), x, m, FIRST_ORDER);
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
                DerivativeCheck.Report jv = DerivativeCheck.compare(jf.times(v.vec()), m.forward().vec());
                assertTrue(jv.passed(1e-10), w + ": J vec(V) against jvp: " + jv);
            }
            if (depth.hessians()) {
                hessian(w, loss(f), decls, values, name, v);
            }
        }
    }

    public static void expression(String where, Expr f, Declarations decls, Map<String, Mat> values, Random rnd, Depth depth) {
        expression(where, f, decls, values, values.keySet(), rnd, depth);
    }

    /** L = sum(sin(F)) + 0.5 * sum(F .* F): curvature through every entry of F. */
    static Expr loss(Expr f) {
        return Expr.add(Expr.call(Builtin.SUM, Expr.apply(ScalarFunction.SIN, f)),
                Expr.mul(Expr.num(0.5), Expr.call(Builtin.SUM, Expr.hadamard(f, f))));
    }

    static void hessian(String w, Expr l, Declarations decls, Map<String, Mat> values, String name, Mat v) {
        Mat x = values.get(name);
        Mat h = ExprAD.hessian(l, decls, values, name);
        Mat hs = h;
        if (declOf(decls, name).isSymmetric()) { // symmetric only on the variable's space: P H P, P = (I + K)/2
            Mat p = symmetricProjection(x);
            hs = p.times(h).times(p);
        }
        DerivativeCheck.Report sym = DerivativeCheck.compare(hs, hs.transpose());
        assertTrue(sym.passed(1e-8), w + ": Hessian symmetric: " + sym);
        Mat hv = ExprAD.hvp(l, decls, values, name, v);
        along(w + ": H V", t -> ExprAD.gradient(l, decls, with(values, name, t), name), x, new Modes(v, hv, null, null, null),
                SECOND_ORDER);
        DerivativeCheck.Report hh = DerivativeCheck.compare(h.times(v.vec()), hv.vec());
        assertTrue(hh.passed(1e-9), w + ": hvp against H vec(V): " + hh);
    }

    /** P = (I + K)/2 on vec(X): the orthogonal projection onto symmetric matrices. */
    static Mat symmetricProjection(Mat x) {
        return Mat.eye(x.size()).plus(Kernels.commutation(x.rows(), x.cols())).scale(0.5);
    }

    /**
     * A random direction in the variable's space: symmetric for symmetric and spd variables,
     * diagonal for diagonal ones, summing to zero for a simplex.
     */
    public static Mat direction(Declarations decls, String name, Mat x, Random rnd) {
        Mat v = RandomInputs.entries(x.rows(), x.cols(), rnd, RandomInputs.Style.SIGNED);
        Decl d = declOf(decls, name);
        if (d.isSymmetric()) {
            v = v.plus(v.transpose()).scale(0.5);
        }
        if (d.has(Decl.Property.DIAGONAL)) {
            v = v.hadamard(Mat.eye(x.rows()));
        }
        if (d.has(Decl.Property.SIMPLEX)) {
            v = v.minus(Mat.fill(x.rows(), x.cols(), v.sum() / v.size()));
        }
        return v;
    }

    static Decl declOf(Declarations decls, String name) {
        return decls.get(name).orElseGet(() -> Declarations.byLetter(name));
    }

    static Map<String, Mat> with(Map<String, Mat> values, String name, Mat x) {
        Map<String, Mat> m = new HashMap<>(values);
        m.put(name, x);
        return m;
    }

    // ---- Java programs on the tape ----

    /** Tolerances of {@link #program}. */
    public record Tolerances(double firstOrder, double secondOrder) {
        public static final Tolerances DEFAULT = new Tolerances(FIRST_ORDER, SECOND_ORDER);
    }

    /** Standard normal entries (RandomInputs.gaussian, the same draws). */
    public static Mat random(Random r, int rows, int cols) {
        return RandomInputs.gaussian(rows, cols, r);
    }

    /** A random n x n matrix made well conditioned by adding c*I. */
    public static Mat wellConditioned(Random r, int n, double c) {
        return random(r, n, n).plus(Mat.eye(n).scale(c));
    }

    public static void program(String name, long seed, AD.MultiFunction f, Mat... xs) {
        program(name, seed, Tolerances.DEFAULT, f, xs);
    }

    /**
     * A program of several matrices in every mode, at the given inputs. Its output (any shape)
     * is scalarised as L = sum(W .* out) + sum(out .* out)/2 with random W, so that L has
     * curvature through every primitive. For each input k along a random V_k: forward (a
     * forward-only tape, which must record nothing) and reverse (the gradient of L, which is
     * J_k' (W + out)) by {@link #along}; then forward-over-reverse, the gradient's tangent H V
     * for all V at once, against Richardson differences of the reverse gradient along V.
     */
    public static void program(String name, long seed, Tolerances tol, AD.MultiFunction f, Mat... xs) {
        String where = name + " (seed " + seed + ")";
        Random r = new Random(seed ^ 0x5DEECE66DL);
        Mat out0 = run(f, xs).value();
        Mat w = random(r, out0.rows(), out0.cols());
        Mat[] v = new Mat[xs.length];
        for (int k = 0; k < xs.length; k++) v[k] = random(r, xs[k].rows(), xs[k].cols());
        Mat[] grads = gradients(f, w, xs, null, null);
        for (int k = 0; k < xs.length; k++) {
            final int kk = k;
            Tape ft = Tape.forwardOnly();
            Node[] fin = new Node[xs.length];
            for (int j = 0; j < xs.length; j++) fin[j] = ft.variable(xs[j], j == k ? v[k] : null);
            Node fout = f.apply(fin);
            assertEquals(0, ft.size(), where + ": a forward-only tape must record nothing");
            along(where + " by input " + k, xk -> run(f, replace(xs, kk, xk)).value(), xs[k],
                    new Modes(v[k], fout.tangent(), w.plus(out0), grads[k], null), tol.firstOrder());
        }
        Mat[] hv = new Mat[xs.length];
        gradients(f, w, xs, v, hv);
        for (int k = 0; k < xs.length; k++) {
            final int kk = k;
            along(where + ": H*V by input " + k, t -> gradients(f, w, along(xs, v, t), null, null)[kk], Mat.scalar(0),
                    new Modes(Mat.scalar(1), hv[k], null, null, null), tol.secondOrder());
        }
    }

    private static Node run(AD.MultiFunction f, Mat... xs) {
        Tape t = Tape.forwardOnly();
        Node[] in = new Node[xs.length];
        for (int k = 0; k < xs.length; k++) in[k] = t.constant(xs[k]);
        return f.apply(in);
    }

    private static Node scalarise(Node out, Mat w) {
        return out.dot(out.constant(w)).plus(out.dot(out).times(0.5));
    }

    /** Reverse gradients of L; with directions v, also H*v into hv. */
    private static Mat[] gradients(AD.MultiFunction f, Mat w, Mat[] xs, Mat[] v, Mat[] hv) {
        Tape t = new Tape();
        Node[] in = new Node[xs.length];
        for (int k = 0; k < xs.length; k++) in[k] = t.variable(xs[k], v == null ? null : v[k]);
        t.backward(scalarise(f.apply(in), w));
        Mat[] g = new Mat[xs.length];
        for (int k = 0; k < xs.length; k++) {
            g[k] = in[k].grad();
            if (hv != null) hv[k] = in[k].gradTangent();
        }
        return g;
    }

    private static Mat[] replace(Mat[] xs, int k, Mat xk) {
        Mat[] c = xs.clone();
        c[k] = xk;
        return c;
    }

    /** xs + t * v, where t is read from a 1 x 1 matrix. */
    private static Mat[] along(Mat[] xs, Mat[] v, Mat t) {
        Mat[] c = new Mat[xs.length];
        for (int k = 0; k < xs.length; k++) c[k] = xs[k].plusScaled(t.scalarValue(), v[k]);
        return c;
    }
}
