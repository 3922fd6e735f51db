package org.matcalc.diff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.expr.TextPrinter;
import org.matcalc.numeric.Evaluator;
import org.matcalc.numeric.Kernels;
import org.matcalc.numeric.Mat;

/**
 * The seeds' worked examples (DESIGN.md), each checked against central differences at random
 * non-square inputs, with the printed form of the key ones pinned. Names follow the sources:
 * 矩阵求导术（上）examples 1-5 and the blog's network; Kneusel ch. 8; MIT 18.063.
 */
class SeedExamplesTest {

    private static String print(String f, String decls, String wrt) {
        return TextPrinter.print(Derivatives.derive(Expr.parse(f), Declarations.fromLines(decls), wrt, 1, Layout.MIXED).expr());
    }

    // ---- 矩阵求导术（上）---------------------------------------------------------------------

    @Test
    void seed1_aXb() {
        String decls = "a: vector(m); X: matrix(m,n); b: vector(n)";
        DerivativeCheck.check("a'*X*b", decls, "X", 1, false);
        assertEquals("a*b'", print("a'*X*b", decls, "X"));
    }

    @Test
    void seed2_leastSquares() {
        String decls = "X: matrix(m,n); w: vector(n); y: vector(m)";
        DerivativeCheck.check("norm2(X*w - y)^2", decls, "w", 2, false);
        assertEquals("2*X'*(X*w - y)", print("norm2(X*w - y)^2", decls, "w"));
        // the normal equations: the Hessian is 2*X'*X
        Derivative h = Derivatives.derive(Expr.parse("norm2(X*w - y)^2"), Declarations.fromLines(decls), "w", 2, Layout.MIXED);
        assertEquals("2*X'*X", TextPrinter.print(h.expr()));
    }

    @Test
    void seed3_softmaxRegression() {
        String oneHot = "W: matrix(m,n); x: vector(n); y: simplex(m)";
        DerivativeCheck.check("-y'*log(softmax(W*x))", oneHot, "W", 3, false);
        assertEquals("(softmax(W*x) - y)*x'", print("-y'*log(softmax(W*x))", oneHot, "W"));
        // without the declaration that y sums to one, the exact general form
        String general = "W: matrix(m,n); x: vector(n); y: vector(m)";
        DerivativeCheck.check("-y'*log(softmax(W*x))", general, "W", 4, false);
        assertEquals("(sum(y)*softmax(W*x) - y)*x'", print("-y'*log(softmax(W*x))", general, "W"));
        // the same loss written with the sum: d/dW of sum(y)*logsumexp(W*x) - y'*W*x
        assertEquals("(softmax(W*x) - y)*x'", print("sum(y)*logsumexp(W*x) - y'*W*x", oneHot, "W"));
    }

    @Test
    void seed4_covarianceMle() {
        String decls = "S: spd(m); C: symmetric(m)";
        DerivativeCheck.check("logdet(S) + tr(inv(S)*C)", decls, "S", 5, false);
        assertEquals("inv(S) - inv(S)*C*inv(S)", print("logdet(S) + tr(inv(S)*C)", decls, "S"));
        // with a general C, the symmetric part of C
        DerivativeCheck.check("logdet(S) + tr(inv(S)*C)", "S: spd(m); C: matrix(m)", "S", 6, false);
    }

    @Test
    void seed5_twoLayerNetwork() {
        String decls = "W1: matrix(p,n); W2: matrix(m,p); x: vector(n); y: simplex(m)";
        String f = "-y'*log(softmax(W2*sigmoid(W1*x)))";
        DerivativeCheck.check(f, decls, "W2", 7, false);
        DerivativeCheck.check(f, decls, "W1", 8, false);
        assertEquals("(softmax(W2*sigmoid(W1*x)) - y)*sigmoid(W1*x)'", print(f, decls, "W2"));
        assertEquals("sigmoid(W1*x).*sigmoid(-W1*x).*(W2'*(softmax(W2*sigmoid(W1*x)) - y))*x'",
                print(f, decls, "W1"));
        // several variables at once
        assertEquals(2, Derivatives.deriveEach(Expr.parse(f), Declarations.fromLines(decls), java.util.List.of("W1", "W2"), 1,
                Layout.MIXED).size());
    }

    @Test
    void blog_deepReluNetworkByEachWeight() {
        String decls = "W1: matrix(p,n); W2: matrix(q,p); w3: vector(q); x: vector(n)";
        String f = "w3'*relu(W2*relu(W1*x))";
        DerivativeCheck.check(f, decls, "W1", 9, true);
        DerivativeCheck.check(f, decls, "W2", 10, true);
        assertEquals("w3.*sign(relu(W2*relu(W1*x)))*relu(W1*x)'", print(f, decls, "W2"));
    }

    // ---- Kneusel, Math for Deep Learning ch. 8 (numerator layout) ---------------------------

    @Test
    void kneusel_chainRule() {
        // g(x) = x0 + x1*x2, f(g) = g^2, with x0 = e0'*x etc.; df/dx = 2g*[1, x2, x1] (a row in numerator layout)
        String decls = "x: vector(3); e0: vector(3); e1: vector(3); e2: vector(3)";
        String f = "(e0'*x + (e1'*x)*(e2'*x))^2";
        Derivative d = Derivatives.derive(Expr.parse(f), Declarations.fromLines(decls), "x", 1, Layout.NUMERATOR);
        Map<String, Mat> v = Map.of("x", Mat.column(0.5, -1.5, 2.0), "e0", Mat.column(1, 0, 0), "e1", Mat.column(0, 1, 0),
                "e2", Mat.column(0, 0, 1));
        Mat got = Evaluator.evaluate(d.expr(), d.declarations(), v);
        double g = 0.5 + -1.5 * 2.0;
        assertArrayEquals(new double[] {2 * g, 2 * g * 2.0, 2 * g * -1.5}, got.toRowMajor(), 1e-12);
        assertEquals(1, got.rows());
    }

    @Test
    void kneusel_hessianOfQuadraticIsASaddle() {
        // f = 2x0^2 + x0*x2 - x1^2 + 3x1*x2 = x'*A*x; the Hessian A + A' has eigenvalues 4.342, 1.862, -4.204
        String decls = "x: vector(3); A: matrix(3)";
        Derivative h = Derivatives.derive(Expr.parse("x'*A*x"), Declarations.fromLines(decls), "x", 2, Layout.NUMERATOR);
        Mat a = Mat.of(new double[][] {{2, 0, 1}, {0, -1, 3}, {0, 0, 0}});
        Mat hv = Evaluator.evaluate(h.expr(), h.declarations(), Map.of("x", Mat.column(0.3, 0.1, -0.2), "A", a));
        assertArrayEquals(new double[] {4, 0, 1, 0, -2, 3, 1, 3, 0}, hv.toRowMajor(), 1e-12);
        double[] eig = Kernels.eigvals(hv).toRowMajor();
        assertArrayEquals(new double[] {-4.20448002, 1.86236874, 4.34211128}, eig, 1e-8);
        assertTrue(eig[0] < 0 && eig[2] > 0, "saddle");
    }

    @Test
    void kneusel_reluNeuron() {
        String decls = "w: vector(n); x: vector(n); b: scalar";
        DerivativeCheck.check("relu(w'*x + b)", decls, "w", 11, true);
        DerivativeCheck.check("relu(w'*x + b)", decls, "b", 12, true);
        assertEquals("sign(relu(w'*x + b))*x", print("relu(w'*x + b)", decls, "w"));
    }

    @Test
    void kneusel_jacobianOfAVectorFunction() {
        String decls = "x: vector(n); A: matrix(m,n)";
        DerivativeCheck.check("(x'*x)*sin(A*x)", decls, "x", 13, false);
        DerivativeCheck.check("(A*x) .* cos(A*x)", decls, "x", 14, false);
    }

    // ---- MIT 18.063 ---------------------------------------------------------------------------

    @Test
    void mit_dASquared() {
        String decls = "A: matrix(n)";
        Derivative d = DerivativeCheck.check("A^2", decls, "A", 15, false);
        assertEquals("kron(A', eye(n)) + kron(eye(n), A)", TextPrinter.print(d.expr()));
        assertTrue(d.derivation().toText().contains("d(A^2) = dA*A + A*dA"), d.derivation().toText());
    }

    @Test
    void mit_kroneckerJacobians() {
        String decls = "A: matrix(p,n); X: matrix(n,m); B: matrix(m,q)";
        Derivative d = DerivativeCheck.check("A*X*B", decls, "X", 16, false);
        assertEquals("kron(B', A)", TextPrinter.print(d.expr()));
        assertEquals("kron(eye(m), A)", print("A*X", decls, "X"));
        assertEquals("commutation(n, m)", TextPrinter.print(DerivativeCheck.check("X'", decls, "X", 17, false).expr()));
    }

    @Test
    void mit_detAndInverse() {
        String decls = "A: matrix(n)";
        assertEquals("det(A)*inv(A)'", TextPrinter.print(DerivativeCheck.check("det(A)", decls, "A", 18, false).expr()));
        Derivative inv = DerivativeCheck.check("inv(A)", decls, "A", 19, false);
        assertEquals("-kron(inv(A)', inv(A))", TextPrinter.print(inv.expr()));
    }

    @Test
    void mit_eigenvalueDerivative() {
        Derivative d = DerivativeCheck.check("lambda_max(S)", "S: symmetric(n)", "S", 20, false);
        assertEquals("eigvec_max(S)*eigvec_max(S)'", TextPrinter.print(d.expr()));
    }

    @Test
    void randomInputsAreNonSquare() {
        DerivativeCheck.Point p = DerivativeCheck.point(Expr.parse("a'*X*b"), Declarations.fromLines("a: vector(m); X: matrix(m,n); b: vector(n)"),
                new Random(1), false);
        assertTrue(p.values().get("X").rows() != p.values().get("X").cols());
    }
}
