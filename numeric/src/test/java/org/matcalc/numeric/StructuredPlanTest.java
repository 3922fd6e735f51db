package org.matcalc.numeric;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.expr.SourceMap;
import org.matcalc.expr.Typer;
import org.matcalc.expr.Typing;

/**
 * One row per structure rule of the plan (Plan.Fused): the structured plan applies the rule,
 * skips the operand it does not need, and gives the value of the plain evaluation, at random
 * non-square inputs.
 */
class StructuredPlanTest {
    private static final String DECLS = "X: matrix(n,m); Y: matrix(n,m); v: vector(n); w: vector(m); S: spd(n); x: vector(n); "
            + "A: matrix(p,m); B: matrix(k,n); z: vector(k); u: vector(p); lambda: scalar";

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("X'*Y", "A'*B: the transpose folded into the product", true),
                Arguments.of("x'*v", "A'*B: the transpose folded into the product", true),
                Arguments.of("X*Y'", "A*B': the transpose folded into the product", true),
                Arguments.of("diag(v)*X", "diag(v)*X: rows of X scaled by v", true),
                Arguments.of("X*diag(w)", "X*diag(v): columns of X scaled by v", true),
                Arguments.of("X'*diag(v)*X", "X'*diag(d)*X: X' times the scaled rows of X, neither diag(d) nor X' formed", true),
                Arguments.of("X'*X + Y'*Y", "X'*X: one symmetric product of X with itself", true),
                Arguments.of("eye(n)*X + X*eye(m)", "eye*X: X itself", true),
                Arguments.of("X*eye(m)", "X*eye: X itself", true),
                Arguments.of("zeros(m, n)*X + X'*X", "zeros*X, X*zeros: zeros, no product (X is still computed, so its domain errors show)", true),
                Arguments.of("X'*zeros(n, n)", "zeros*X, X*zeros: zeros, no product (X is still computed, so its domain errors show)", true),
                Arguments.of("vector(2, m)*x'*X", "c*ones*X: the column sums of X, repeated; the fill never formed", false),
                Arguments.of("matrix(0.5, m, n)*X", "c*ones*X: the column sums of X, repeated; the fill never formed", true),
                Arguments.of("X*matrix(3, m, 2)", "X*c*ones: the row sums of X, repeated; the fill never formed", true),
                Arguments.of("commutation(n, m)*vec(X)", "commutation(m, n)*M: the rows of M permuted, the permutation matrix never formed", true),
                Arguments.of("commutation(m, n)*kron(w, v)", "commutation(m, n)*M: the rows of M permuted, the permutation matrix never formed", true),
                Arguments.of("kron(A, B)*vec(X)", "kron(A, B)*M: vec(B*X*A') for each column vec(X) of M, the Kronecker product never formed", true),
                Arguments.of("kron(A, B)*kron(w, v)*z'", "kron(A, B)*M: vec(B*X*A') for each column vec(X) of M, the Kronecker product never formed", true),
                Arguments.of("inv(S)*X", "inv(A)*B: a solve, A never inverted", true),
                Arguments.of("inv(S)*x + inv(S)*v", "inv(A)*B: a solve, A never inverted", true),
                Arguments.of("X'*X*w", "matrix chain in the order of fewest multiplications: X'*(X*w)", false),
                Arguments.of("x*v'*X", "matrix chain in the order of fewest multiplications: x*(v'*X)", false),
                // the operand is needed elsewhere too: it is computed once, and the product still fused
                Arguments.of("sum(inv(S)) + sum(inv(S)*x)", "inv(A)*B: a solve, A never inverted", false),
                // rewrites before planning (EvaluationForm), so that the rules above apply
                Arguments.of("-X'*v", EvaluationForm.Rule.NEGATION_OUT_OF_PRODUCT.rule(), true),
                Arguments.of("X*(-w)", EvaluationForm.Rule.NEGATION_OUT_OF_PRODUCT.rule(), false),
                Arguments.of("2*X'*X", EvaluationForm.Rule.SCALAR_OUT_OF_PRODUCT.rule(), true),
                Arguments.of("2*X'*X", "X'*X: one symmetric product of X with itself", true),
                Arguments.of("X'/3*(Y*w)", EvaluationForm.Rule.SCALAR_OUT_OF_PRODUCT.rule(), true),
                Arguments.of("X*(w*lambda)", EvaluationForm.Rule.SCALAR_OUT_OF_PRODUCT.rule(), false),
                Arguments.of("X'*(diag(v) - 2*diag(v)*diag(x))'*X", EvaluationForm.Rule.DIAGONAL_ALGEBRA.rule(), true),
                Arguments.of("X'*(diag(v)/3 + (-diag(x)).*diag(v))*Y", EvaluationForm.Rule.DIAGONAL_ALGEBRA.rule(), true),
                Arguments.of("X'*diag(v)*diag(x')*X", EvaluationForm.Rule.DIAGONAL_CHAIN.rule(), true),
                Arguments.of("X'*diag(v)*(diag(x) - diag(v)*diag(x)*diag(x))*diag(x)*diag(v)*X", EvaluationForm.Rule.DIAGONAL_CHAIN.rule(), true),
                Arguments.of("X'*diag(v)*(diag(x) - diag(v)*diag(x)*diag(x))*diag(x)*diag(v)*X",
                        "X'*diag(d)*X: X' times the scaled rows of X, neither diag(d) nor X' formed", true));
    }

    /** A 20,000-vector scaling rows is never a 20,000 x 20,000 matrix: the plain plan refuses it, the structured one runs. */
    @org.junit.jupiter.api.Test
    void aLongVectorNeverBecomesASquareMatrix() {
        Declarations decls = Declarations.fromLines("X: matrix(k,2); v: vector(k)");
        Expr e = Expr.parse("sum(diag(v)*X)");
        int k = 20_000;
        Mat v = Mat.fill(k, 1, 2), x = Mat.fill(k, 2, 0.5);
        Map<String, Mat> values = Map.of("v", v, "X", x);
        Typing typing = Typer.check(e, decls, SourceMap.EMPTY, Map.of(), Evaluator.shapesOf(values));
        org.matcalc.expr.MatcalcException refused = org.junit.jupiter.api.Assertions.assertThrows(org.matcalc.expr.MatcalcException.class,
                () -> Evaluator.compileAsWritten(e, decls, Evaluator.shapesOf(values), Map.of()));
        assertTrue(refused.getMessage().contains("diag(v) would have 20000x20000 entries"), refused.getMessage());
        org.junit.jupiter.api.Assertions.assertEquals(2.0 * k, Evaluator.evaluate(e, decls, values).scalarValue(), 1e-9);
    }

    /**
     * The logistic loss's Hessian as the engine writes it, X'*diag(y)*(t2 - t3*t2*t2)*t3*diag(y)*X
     * with t2 and t3 diagonal, at m = 20,000 rows: no m x m matrix is formed, and the value is
     * X'*diag(d)*X for the product d of the diagonals.
     */
    @org.junit.jupiter.api.Test
    void theLogisticHessianFormsNoSquareMatrixOfTheRows() {
        Declarations decls = Declarations.fromLines("X: matrix(m,n); w: vector(n); y: vector(m)");
        String t1 = "exp(-y.*(X*w))", t2 = "diag(1./(" + t1 + " + vector(1, m)))", t3 = "diag(" + t1 + ")";
        Expr e = Expr.parse("X'*diag(y)*(" + t2 + " - " + t3 + "*" + t2 + "*" + t2 + ")*" + t3 + "*diag(y)*X");
        int m = 20_000, n = 3;
        Random rnd = new Random(9);
        Mat x = TestMats.gaussian(rnd, m, n), w = TestMats.gaussian(rnd, n, 1), y = TestMats.gaussian(rnd, m, 1);
        Mat got = Evaluator.evaluate(e, decls, Map.of("X", x, "w", w, "y", y));
        double[] d = new double[m];
        Mat xw = x.times(w);
        for (int i = 0; i < m; i++) {
            double e1 = Math.exp(-y.at(i) * xw.at(i)), s2 = 1 / (e1 + 1);
            d[i] = y.at(i) * (s2 - e1 * s2 * s2) * e1 * y.at(i);
        }
        Mat want = x.transposeTimes(Kernels.scaleRows(Mat.column(d), x));
        assertTrue(got.approxEquals(want, 1e-10 * Math.max(1, want.maxAbs())), got + " vs " + want);
    }

    /** A zero product still evaluates its other operand: a value outside log's domain is reported, not multiplied away. */
    @org.junit.jupiter.api.Test
    void aZeroProductKeepsItsOperandsDomainErrors() {
        org.matcalc.expr.MatcalcException e = org.junit.jupiter.api.Assertions.assertThrows(org.matcalc.expr.MatcalcException.class,
                () -> Evaluator.evaluate(Expr.parse("zeros(2, 3)*log(x)"), Declarations.NONE, Map.of("x", Mat.column(1, -1, 2))));
        assertTrue(e.getMessage().contains("log(x) is not finite"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void structuredEqualsPlain(String text, String rule, boolean skipsAnOperand) {
        Declarations decls = Declarations.fromLines(DECLS);
        Expr e = Expr.parse(text);
        Random rnd = new Random(text.hashCode());
        RandomInputs.Sample s = RandomInputs.sample(e, decls, Map.of(), rnd, RandomInputs.Style.SIGNED);
        Typing typing = Typer.check(e, decls, SourceMap.EMPTY, s.sizes(), Evaluator.shapesOf(s.values()));
        Plan structured = Plan.of(List.of(typing), SourceMap.EMPTY, s.sizes(), true);
        Plan plain = Plan.of(List.of(typing), SourceMap.EMPTY, s.sizes(), false);
        assertTrue(structured.rewrites().contains(rule), text + ": " + structured.rewrites());
        assertTrue(plain.rewrites().isEmpty());
        assertTrue(skipsAnOperand ? structured.computed() < plain.computed() : structured.computed() <= plain.computed(),
                text + ": computes " + structured.computed() + " of " + structured.size() + " steps");
        Mat want = plain.run(s.values()), got = structured.run(s.values());
        assertTrue(got.approxEquals(want, 1e-10 * Math.max(1, want.maxAbs())), text + ": " + got + " vs " + want);
    }
}
