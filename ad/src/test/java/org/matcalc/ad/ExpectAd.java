package org.matcalc.ad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.ToDoubleFunction;

import org.matcalc.numeric.Mat;
import org.matcalc.numeric.fd.DerivativeCheck;
import org.matcalc.numeric.fd.FiniteDifferences;

/**
 * Stan's expect_ad for matcalc: one call checks a program in every mode against central finite
 * differences at the given inputs. The program's output (any shape) is scalarised as
 * L = sum(W .* out) + sum(out .* out)/2 with random W, so that L has curvature through every
 * primitive and the dual-valued adjoint rules are exercised by the Hessian-vector check.
 * <ol>
 *   <li>reverse: the gradient of L by each input against central differences;</li>
 *   <li>forward: the tangent of the whole output along a random direction V against the
 *       central difference of the output along V;</li>
 *   <li>forward against reverse: dL[V] = sum over inputs of &lt;grad, V&gt;;</li>
 *   <li>forward-over-reverse: the gradient's tangent (H*V) against central differences of the
 *       reverse gradient along V.</li>
 * </ol>
 */
final class ExpectAd {
    /** Tolerances in one place (errors as defined by {@link DerivativeCheck}). */
    record Tolerances(double firstOrder, double secondOrder) {
        static final Tolerances DEFAULT = new Tolerances(1e-6, 1e-5);
    }

    private ExpectAd() {
    }

    static Mat random(Random r, int rows, int cols) {
        double[] d = new double[rows * cols];
        for (int k = 0; k < d.length; k++) d[k] = r.nextGaussian();
        return Mat.rowMajor(rows, cols, d);
    }

    /** A random n x n matrix made well conditioned by adding c*I. */
    static Mat wellConditioned(Random r, int n, double c) {
        return random(r, n, n).plus(Mat.eye(n).scale(c));
    }

    static void check(String name, long seed, AD.MultiFunction f, Mat... xs) {
        check(name, seed, Tolerances.DEFAULT, f, xs);
    }

    static void check(String name, long seed, Tolerances tol, AD.MultiFunction f, Mat... xs) {
        String where = name + " (seed " + seed + ")";
        Random r = new Random(seed ^ 0x5DEECE66DL);
        Mat out0 = run(f, xs).value();
        Mat w = random(r, out0.rows(), out0.cols());
        Mat[] v = new Mat[xs.length];
        for (int k = 0; k < xs.length; k++) v[k] = random(r, xs[k].rows(), xs[k].cols());

        // 1. reverse gradient against central differences
        Mat[] grads = gradients(f, w, xs, null);
        for (int k = 0; k < xs.length; k++) {
            final int kk = k;
            ToDoubleFunction<Mat> lk = xk -> loss(f, w, replace(xs, kk, xk));
            DerivativeCheck.Report rep = DerivativeCheck.gradient(lk, xs[k], grads[k]);
            assertTrue(rep.passed(tol.firstOrder()), where + ": reverse gradient by input " + k + ": " + rep);
        }

        // 2. forward tangent of the whole output against central differences
        Tape ft = Tape.forwardOnly();
        Node[] fin = new Node[xs.length];
        for (int k = 0; k < xs.length; k++) fin[k] = ft.variable(xs[k], v[k]);
        Node fout = f.apply(fin);
        Mat fdOut = FiniteDifferences.directionalMatrix(t -> run(f, along(xs, v, t)).value(), Mat.scalar(0), Mat.scalar(1));
        DerivativeCheck.Report frep = DerivativeCheck.compare(fout.tangent(), fdOut);
        assertTrue(frep.passed(tol.firstOrder()), where + ": forward tangent: " + frep);
        assertEquals(0, ft.size(), where + ": a forward-only tape must record nothing");

        // 3. forward against reverse: dL[V] = sum_k <grad_k, V_k>
        double fwdL = w.dot(fout.tangent()) + out0.dot(fout.tangent());
        double revL = 0;
        for (int k = 0; k < xs.length; k++) revL += grads[k].dot(v[k]);
        assertEquals(revL, fwdL, 1e-9 * Math.max(1, Math.abs(revL)), where + ": <grad, V> against forward dL[V]");

        // 4. forward-over-reverse: H*V against central differences of the reverse gradient
        Mat[] hv = new Mat[xs.length];
        gradients(f, w, xs, v, hv);
        for (int k = 0; k < xs.length; k++) {
            final int kk = k;
            Mat fdHv = FiniteDifferences.directionalMatrix(t -> gradients(f, w, along(xs, v, t), null)[kk], Mat.scalar(0), Mat.scalar(1));
            DerivativeCheck.Report hrep = DerivativeCheck.compare(hv[k], fdHv);
            assertTrue(hrep.passed(tol.secondOrder()), where + ": H*V by input " + k + ": " + hrep);
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

    private static double loss(AD.MultiFunction f, Mat w, Mat... xs) {
        return scalarise(run(f, xs), w).real();
    }

    private static Mat[] gradients(AD.MultiFunction f, Mat w, Mat[] xs, Mat[] v) {
        return gradients(f, w, xs, v, null);
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
