package org.matcalc.ad;

import org.matcalc.expr.ScalarFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.fd.DerivativeCheck;
import org.matcalc.numeric.fd.FiniteDifferences;

/** The JAX-like facade: mode choice, jvp/vjp duality, shapes, errors, and the tape's manners. */
class ApiTest {
    static Node widen(Node x) {
        // R^2 -> R^{3x2}: more outputs than inputs
        Node a = x.constant(Mat.of(new double[][] {{1, 2}, {0, -1}, {3, 1}}));
        return a.times(x).hcat(x.constant(Mat.column(1, 1, 1))).map(ScalarFunction.TANH);
    }

    static Node narrow(Node x) {
        // R^{2x3} -> R^2: fewer outputs than inputs
        return x.sin().times(x.constant(Mat.column(1, -1, 0.5)));
    }

    @Test
    void jacobianChoosesModeByShapeAndBothModesAgree() {
        Mat x = Mat.column(0.3, -0.4);
        AD.Jacobian jw = AD.jacobian(ApiTest::widen, x);
        assertEquals(AD.Mode.FORWARD, jw.mode());
        assertEquals(6, jw.matrix().rows());
        assertEquals(2, jw.matrix().cols());
        Mat y = Mat.of(new double[][] {{0.1, 0.2, 0.3}, {-0.5, 0.7, 1.1}});
        AD.Jacobian jn = AD.jacobian(ApiTest::narrow, y);
        assertEquals(AD.Mode.REVERSE, jn.mode());
        assertEquals(2, jn.matrix().rows());
        assertEquals(6, jn.matrix().cols());
        for (AD.Mode m : AD.Mode.values()) {
            Mat j1 = AD.jacobian(ApiTest::widen, x, m).matrix();
            DerivativeCheck.Report r1 = DerivativeCheck.jacobian(v -> AD.jvp(ApiTest::widen, v, v).value(), x, j1);
            assertTrue(r1.passed(1e-8), m + ": " + r1);
            Mat j2 = AD.jacobian(ApiTest::narrow, y, m).matrix();
            DerivativeCheck.Report r2 = DerivativeCheck.jacobian(v -> AD.jvp(ApiTest::narrow, v, v).value(), y, j2);
            assertTrue(r2.passed(1e-8), m + ": " + r2);
        }
    }

    @Test
    void jvpAndVjpAreTransposes() {
        Random r = new Random(11);
        Mat y = Agreement.random(r, 2, 3);
        Mat v = Agreement.random(r, 2, 3);
        Mat w = Agreement.random(r, 2, 1);
        AD.Jvp jv = AD.jvp(ApiTest::narrow, y, v);
        AD.Vjp vj = AD.vjp(ApiTest::narrow, y, w);
        assertEquals(w.dot(jv.tangent()), vj.cotangent().dot(v), 1e-12, "<w, J v> = <J' w, v>");
        assertEquals(jv.value(), vj.value());
        assertTrue(jv.tangent().approxEquals(FiniteDifferences.directionalMatrix(ApiTest::narrowValue, y, v), 1e-8));
    }

    static Mat narrowValue(Mat y) {
        return AD.jvp(ApiTest::narrow, y, y).value();
    }

    @Test
    void gradientOfSeveralArguments() {
        Mat a = Mat.of(new double[][] {{1, 2, 3}, {4, 5, 6}});
        Mat b = Mat.column(1, -1, 2);
        Mat[] g = AD.gradient(x -> x[0].times(x[1]).sum(), a, b);
        // d sum(A b) / dA = ones * b', / db = A' ones
        assertEquals(Mat.of(new double[][] {{1, -1, 2}, {1, -1, 2}}), g[0]);
        assertEquals(Mat.column(5, 7, 9), g[1]);
    }

    @Test
    void valueAndGradientOfLeastSquares() {
        Mat xData = Mat.of(new double[][] {{1, 2}, {3, 4}, {5, 7}});
        Mat y = Mat.column(1, 0, 2);
        Mat w = Mat.column(0.5, -0.25);
        AD.ValueAndGradient vg = AD.valueAndGradient(v -> v.constant(xData).times(v).minus(v.constant(y)).norm2().pow(2), w);
        Mat res = xData.times(w).minus(y);
        assertEquals(res.dot(res), vg.value(), 1e-12);
        assertTrue(vg.gradient().approxEquals(xData.transpose().times(res).scale(2), 1e-12));
    }

    @Test
    void branchesAndLoopsSimplyRun() {
        AD.MatFunction f = x -> {
            Node s = x.sum();
            for (int i = 0; i < 5; i++) {
                s = s.real() > 1 ? s.times(0.5) : s.pow(2).plus(s);
            }
            return s;
        };
        Mat x = Mat.column(0.2, 0.3);
        Mat g = AD.gradient(f, x);
        Mat fd = FiniteDifferences.gradient(m -> AD.valueAndGradient(f, m).value(), x);
        assertTrue(DerivativeCheck.compare(g, fd).passed(1e-8), g + " vs " + fd);
    }

    @Test
    void deepTapesDoNotOverflowTheStack() {
        int depth = 200_000;
        Mat g = AD.gradient(x -> {
            Node s = x;
            for (int i = 0; i < depth; i++) {
                s = s.times(1.0000001).plus(1e-9);
            }
            return s.sum();
        }, Mat.column(1, 2));
        assertEquals(Math.pow(1.0000001, depth), g.at(0), 1e-9);
    }

    @Test
    void constantsGetNoGradientAndAreNotRecorded() {
        Tape t = new Tape();
        Node x = t.variable(Mat.column(1, 2));
        Node c = t.constant(Mat.column(3, 4));
        Node cc = c.times(2).sin(); // constant-only work
        assertEquals(1, t.size(), "only the variable is on the tape");
        Node out = x.dot(cc);
        t.backward(out);
        assertEquals(Mat.zeros(2, 1), c.grad());
        assertEquals(cc.value(), x.grad());
    }

    @Test
    void errorsSayWhatWasRequiredAndWhatWasGot() {
        Tape t = new Tape();
        Node a = t.variable(Mat.zeros(2, 3));
        Node b = t.variable(Mat.zeros(2, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.times(b));
        assertTrue(e.getMessage().contains("required") && e.getMessage().contains("got 2x3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.backward(a));
        assertTrue(e.getMessage().contains("1x1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.inv());
        assertTrue(e.getMessage().contains("square"), e.getMessage());
        Tape other = new Tape();
        Node o = other.variable(Mat.zeros(2, 3));
        assertThrows(IllegalArgumentException.class, () -> a.plus(o));
        assertThrows(IllegalArgumentException.class, () -> AD.hvp(x -> x.sum(), Mat.zeros(2, 1), Mat.zeros(1, 2)));
        e = assertThrows(IllegalArgumentException.class, () -> AD.gradient(x -> x.inv().sum(), Mat.zeros(2, 2)));
        assertTrue(e.getMessage().contains("singular"), e.getMessage());
    }

    @Test
    void scalarProgramsRunOnTheTapeAsNums() {
        double[] g = AD.gradient(DualTest.F, DualTest.X);
        Mat fd = FiniteDifferences.gradient(m -> DualTest.value(m.toRowMajor()), Mat.column(DualTest.X));
        assertTrue(DerivativeCheck.compare(Mat.column(g), fd).passed(1e-8));
    }
}
