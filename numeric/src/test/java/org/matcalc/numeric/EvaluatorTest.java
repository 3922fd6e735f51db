package org.matcalc.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.Parser;

/** Values of expressions against independent computations and identities, on non-square inputs. */
class EvaluatorTest {
    private final Random rnd = new Random(20261124);
    private final Mat a = RandomInputs.entries(4, 3, rnd, RandomInputs.Style.SIGNED);   // A: 4x3
    private final Mat x = RandomInputs.entries(3, 1, rnd, RandomInputs.Style.SIGNED);   // x: 3
    private final Mat y = RandomInputs.entries(4, 1, rnd, RandomInputs.Style.SIGNED);   // y: 4
    private final Mat sq = RandomInputs.entries(3, 3, rnd, RandomInputs.Style.SIGNED);
    private final Mat s = RandomInputs.spd(3, rnd);

    private static Mat eval(String text, Map<String, Mat> values) {
        return Evaluator.evaluate(Expr.parse(text), Declarations.NONE, values);
    }

    private static double scalar(String text, Map<String, Mat> values) {
        return eval(text, values).scalarValue();
    }

    @Test
    void quadraticFormMatchesHandComputation() {
        double want = 0.5 * x.transpose().times(sq).times(x).scalarValue();
        assertEquals(want, scalar("0.5*x'*A*x", Map.of("x", x, "A", sq)), 1e-12);
    }

    @Test
    void elementwiseAndProductsOnNonSquareShapes() {
        Mat want = a.times(x.map(Math::exp));
        assertTrue(want.approxEquals(eval("A*exp(x)", Map.of("A", a, "x", x)), 1e-12));
        Mat v = RandomInputs.entries(4, 1, rnd, RandomInputs.Style.SIGNED);
        double dot = y.hadamard(v).dot(y);
        assertEquals(dot, scalar("(y.*v)'*y", Map.of("y", y, "v", v)), 1e-12);
    }

    @Test
    void normsOfResiduals() {
        Mat r = a.times(x).minus(y);
        double n1 = 0, n2 = 0;
        for (int k = 0; k < r.size(); k++) {
            n1 += Math.abs(r.at(k));
            n2 += r.at(k) * r.at(k);
        }
        assertEquals(n1, scalar("norm1(A*x-y)", Map.of("A", a, "x", x, "y", y)), 1e-12);
        assertEquals(n2, scalar("norm2(A*x-y)^2", Map.of("A", a, "x", x, "y", y)), 1e-12);
    }

    @Test
    void logisticLossMatchesLoop() {
        Mat w = x;
        Mat xm = a;
        Mat labels = Mat.column(1, -1, 1, -1);
        double want = 0;
        for (int i = 0; i < 4; i++) {
            double margin = 0;
            for (int j = 0; j < 3; j++) {
                margin += xm.get(i, j) * w.at(j);
            }
            want += Math.log(Math.exp(-labels.at(i) * margin) + 1);
        }
        assertEquals(want, scalar("sum(log(exp(-y.*(X*w)) + vector(1)))", Map.of("X", xm, "w", w, "y", labels)), 1e-12);
    }

    @Test
    void traceOfProductChainWithNonSquareFactors() {
        Mat xx = RandomInputs.entries(4, 3, rnd, RandomInputs.Style.SIGNED);   // X: 4x3
        Mat aa = RandomInputs.entries(2, 3, rnd, RandomInputs.Style.SIGNED);   // A: 2x3
        Mat bb = RandomInputs.entries(4, 4, rnd, RandomInputs.Style.SIGNED);   // B: 4x4
        Mat cc = RandomInputs.entries(3, 2, rnd, RandomInputs.Style.SIGNED);   // C: 3x2
        double want = aa.times(xx.transpose()).times(bb).times(xx).times(cc).trace();
        assertEquals(want, scalar("tr(A*X'*B*X*C)", Map.of("A", aa, "X", xx, "B", bb, "C", cc)), 1e-12);
    }

    @Test
    void determinantIdentities() {
        Mat b = RandomInputs.entries(3, 3, rnd, RandomInputs.Style.SIGNED);
        Map<String, Mat> v = Map.of("A", sq, "B", b);
        assertEquals(scalar("det(A)*det(B)", v), scalar("det(A*B)", v), 1e-12);
        assertEquals(-Math.log(Math.abs(Kernels.det(sq))), scalar("log(abs(det(inv(A))))", v), 1e-10);
        assertEquals(Math.log(Kernels.det(s)), scalar("logdet(S)", Map.of("S", s)), 1e-12);
        assertEquals(scalar("log(det(S))", Map.of("S", s)), scalar("logdet(S)", Map.of("S", s)), 1e-12);
    }

    @Test
    void softmaxSumsToOneAndExpmOfZeroIsIdentity() {
        Mat big = Mat.column(1000, 999, -1000);
        assertEquals(1.0, scalar("sum(softmax(x))", Map.of("x", big)), 1e-15);
        assertEquals(1000 + Math.log(1 + Math.exp(-1)), scalar("logsumexp(x)", Map.of("x", big)), 1e-12);
        assertTrue(Mat.eye(3).approxEquals(eval("expm(0*A)", Map.of("A", sq)), 0));
        assertTrue(s.approxEquals(eval("sqrtm(S)*sqrtm(S)", Map.of("S", s)), 1e-12));
    }

    @Test
    void powersAndTransposes() {
        Map<String, Mat> v = Map.of("A", sq, "a", Mat.scalar(1.5), "b", Mat.scalar(2.5));
        assertEquals(Math.pow(1.5, 2.5), scalar("a^b", v), 1e-15);
        assertTrue(sq.times(sq).times(sq).approxEquals(eval("A^3", v), 1e-12));
        assertTrue(Kernels.inv(sq).approxEquals(eval("A^-1", v), 1e-12));
        assertTrue(sq.transpose().approxEquals(eval("A^T", v), 0));
        assertTrue(x.map(t -> t * t).approxEquals(eval("x.^2", Map.of("x", x)), 1e-15));
    }

    @Test
    void structuralFormsHaveTheirSizes() {
        Mat xx = RandomInputs.entries(2, 3, rnd, RandomInputs.Style.SIGNED);
        Mat k = eval("commutation(2, 3)*vec(X)", Map.of("X", xx));
        assertTrue(xx.transpose().vec().approxEquals(k, 0));
        Mat e = Evaluator.evaluate(Expr.parse("eye(n) + zeros(n, n) + matrix(2, n, n)"), Declarations.NONE, Map.of(), Map.of("n", 3));
        assertEquals(3, e.rows());
        assertEquals(3.0, e.get(0, 0));
        assertEquals(2.0, e.get(0, 1));
        Mat kron = eval("kron(A, X)", Map.of("A", a, "X", xx));
        assertEquals(8, kron.rows());
        assertEquals(9, kron.cols());
    }

    @Test
    void derivativePrimitivesMatchTheirDefinitions() {
        Map<String, Mat> v = Map.of("S", s, "E", sq, "C", sq);
        // expm_frechet(S, E) is d/dt expm(S + t*E) at 0: compare with a central difference.
        double h = 1e-6;
        Mat fd = Kernels.expm(s.plusScaled(h, sq)).minus(Kernels.expm(s.plusScaled(-h, sq))).scale(1 / (2 * h));
        assertTrue(fd.approxEquals(eval("expm_frechet(S, E)", v), 1e-7));
        // sylvester(S, C) solves S*Y + Y*S = C.
        Mat y = eval("sylvester(S, C)", v);
        assertTrue(s.times(y).plus(y.times(s)).approxEquals(sq, 1e-10));
        // eigvec_max is the unit eigenvector of lambda_max: S v = lambda v.
        Mat vmax = eval("eigvec_max(S)", v);
        assertTrue(s.times(vmax).approxEquals(vmax.scale(Kernels.lambdaMax(s)), 1e-10));
        assertEquals(1.0, eval("eigvec_min(S)'*eigvec_min(S)", v).scalarValue(), 1e-12);
        assertTrue(Mat.eye(3).approxEquals(eval("eigvecs(S)'*eigvecs(S)", v), 1e-12));
    }

    @Test
    void equalContextSizedLeavesOfDifferentSizesStayApart() {
        // eye is 2x2 in the first term and 3x3 in the second.
        Mat m = RandomInputs.entries(2, 3, rnd, RandomInputs.Style.SIGNED);
        Mat v = eval("sum(eye*M) + sum(M*eye)", Map.of("M", m));
        assertEquals(2 * m.sum(), v.scalarValue(), 1e-12);
    }

    @Test
    void logOfDetOfInverseOnSpd() {
        assertEquals(-Math.log(Kernels.det(s)), scalar("log(det(inv(X)))", Map.of("X", s)), 1e-12);
    }

    @Test
    void sharedSubexpressionsAreComputedOnce() {
        Plan p = Evaluator.compile(Expr.parse("exp(A*x)'*exp(A*x) + sum(exp(A*x))"), Declarations.NONE,
                org.matcalc.expr.SourceMap.EMPTY, Evaluator.shapesOf(Map.of("A", a, "x", x)), Map.of());
        // A, x, A*x, exp(A*x), exp(A*x)', product, sum(...), + : 8 distinct steps.
        assertEquals(8, p.size());
    }

    @Test
    void refusalsNameTheProblem() {
        var parsed = Parser.parse("log(x) + inv(A)*x");
        Map<String, Mat> v = Map.of("x", Mat.column(-1, 2, 3), "A", sq);
        MatcalcException e = assertThrows(MatcalcException.class,
                () -> Evaluator.evaluate(parsed, Declarations.NONE, v, Map.of()));
        assertEquals("1:1: the value of log(x) is not finite (NaN); check that the inputs are in its domain", e.getMessage());
        MatcalcException singular = assertThrows(MatcalcException.class,
                () -> eval("inv(A)", Map.of("A", Mat.zeros(3, 3))));
        assertTrue(singular.getMessage().contains("singular"), singular.getMessage());
        MatcalcException missing = assertThrows(MatcalcException.class, () -> eval("x'*y", Map.of("x", x)));
        assertEquals("no value for y (vector(3))", missing.getMessage());
        MatcalcException declared = assertThrows(MatcalcException.class, () -> Evaluator.evaluate(Expr.parse("tr(S)"),
                Declarations.fromStrings(Map.of("S", "symmetric(n)")), Map.of("S", sq)));
        assertTrue(declared.getMessage().contains("not symmetric"), declared.getMessage());
        MatcalcException wrongSize = assertThrows(MatcalcException.class, () -> Evaluator.evaluate(Expr.parse("A*x"),
                Declarations.fromStrings(Map.of("A", "matrix(n,m)", "x", "vector(m)")), Map.of("A", a, "x", y)));
        assertTrue(wrongSize.getMessage().startsWith("the value of x is 4x1"), wrongSize.getMessage());
    }

    @Test
    void randomInputsRespectDeclarations() {
        Expr e = Expr.parse("logdet(S) + tr(inv(S)*C) + a'*D*b + tr(Q) + sum(p)");
        Declarations d = Declarations.fromStrings(Map.of("S", "spd(n)", "C", "symmetric(n)", "D", "diagonal(m)",
                "Q", "orthogonal(k)", "a", "vector(m)", "b", "vector(m)", "p", "simplex(m)"));
        RandomInputs.Sample sample = RandomInputs.sample(e, d, Map.of(), new Random(7), RandomInputs.Style.SIGNED);
        assertTrue(sample.sizes().get("n") != sample.sizes().get("m").intValue());
        double v = Evaluator.evaluate(e, d, sample.values(), sample.sizes()).scalarValue();
        assertTrue(Double.isFinite(v));
        assertEquals(1.0, sample.values().get("p").sum(), 1e-12);
        MatcalcException notSimplex = assertThrows(MatcalcException.class, () -> Evaluator.evaluate(Expr.parse("sum(p)"),
                Declarations.fromStrings(Map.of("p", "simplex(n)")), Map.of("p", Mat.column(0.5, 0.6))));
        assertTrue(notSimplex.getMessage().contains("sum to"), notSimplex.getMessage());
    }
}
