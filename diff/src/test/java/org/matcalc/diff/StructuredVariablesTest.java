package org.matcalc.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.matcalc.expr.Decl;
import org.matcalc.expr.Expr;
import org.matcalc.expr.TextPrinter;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.RandomInputs;

/** CONTRACT.md §5: symmetric/spd get (G + G')/2, diagonal the diagonal part, and say so. */
class StructuredVariablesTest {

    @ParameterizedTest(name = "{0} by {1} = {2}")
    @CsvSource(delimiter = '|', value = {
            "logdet(S)              | S | inv(S)",
            "tr(C*S)                | S | (C + C')/2",
            "a'*S*y                 | S | (a*y' + y*a')/2",
            "tr(inv(S)*C)           | S | -inv(S)*(C + C')/2*inv(S)",
            "x'*T*x                 | T | x*x'",
            "tr(T*T)                | T | 2*T",
            "a'*Q*y                 | Q | diag(diag(a*y'))",
            "tr(C*Q)                | Q | diag(diag(C))",
    })
    void projectedAndChecked(String f, String wrt, String want) {
        Derivative d = DerivativeCheck.check(f, RuleTables.DECLS, wrt, f.hashCode(), false);
        assertEquals(want, TextPrinter.print(d.expr()));
    }

    @Test
    void conventionIsStated() {
        Derivative s = Derivatives.derive(Expr.parse("logdet(S)"), DerivativeCheck.decls(RuleTables.DECLS), "S", 1, Layout.MIXED);
        assertEquals(Projection.SYMMETRIC, s.convention());
        Derivative q = Derivatives.derive(Expr.parse("logdet(Q)"), DerivativeCheck.decls(RuleTables.DECLS), "Q", 1, Layout.MIXED);
        assertEquals(Projection.DIAGONAL, q.convention());
        Derivative c = Derivatives.derive(Expr.parse("logdet(C)"), DerivativeCheck.decls(RuleTables.DECLS), "C", 1, Layout.MIXED);
        assertNull(c.convention());
    }

    @ParameterizedTest(name = "{0} by {1}")
    @CsvSource(delimiter = '|', value = {
            "logdet(Q)                   | Q",
            "logdet(S) + tr(inv(S)*C)    | S",
            "a'*inv(S + T*T)*a           | T",
            "lambda_max(T)               | T",
            "tr(expm(T)*C)               | T",
            "sum(exp(S))                 | S",
    })
    void moreStructured(String f, String wrt) {
        DerivativeCheck.check(f, RuleTables.DECLS, wrt, f.hashCode(), false);
    }

    /**
     * Jacobians and Hessians by a structured variable follow the gradients' convention: J*P and
     * P*H*P with P the projection of vec(dX) onto the variable's space. Checked along directions
     * in that space (symbolic = AD = differences), and P's defining property: J kills the
     * directions orthogonal to the space (antisymmetric, off-diagonal) and keeps the rest.
     */
    @ParameterizedTest(name = "{0} by {1}, order {2}")
    @CsvSource(delimiter = '|', value = {
            "S*x                         | S | 1",
            "inv(S)                      | S | 1",
            "T*C*T                       | T | 1",
            "Q*X                         | Q | 1",
            "exp(Q)*x                    | Q | 1",
            "tr(T^3)                     | T | 2",
            "logdet(S) + tr(inv(S)*C)    | S | 2",
            "x'*Q*Q*x                    | Q | 2",
            "sum(exp(Q*x))               | Q | 2",
    })
    void jacobiansAndHessiansAreProjected(String f, String wrt, int order) {
        Derivative d = order == 1 ? DerivativeCheck.check(f, RuleTables.DECLS, wrt, f.hashCode(), false)
                : DerivativeCheck.checkHessian(f, RuleTables.DECLS, wrt, f.hashCode(), false);
        Decl decl = d.declarations().get(wrt).orElseThrow();
        boolean symmetric = decl.isSymmetric();
        assertEquals(order == 1 ? (symmetric ? Projection.JACOBIAN_SYMMETRIC : Projection.JACOBIAN_DIAGONAL)
                : (symmetric ? Projection.HESSIAN_SYMMETRIC : Projection.HESSIAN_DIAGONAL), d.convention());
        Random r = new Random(7);
        DerivativeCheck.Point p = DerivativeCheck.point(Expr.parse(f), d.declarations(), r, false);
        Mat j = DerivativeCheck.eval(d.expr(), d.declarations(), p);
        int n = p.values().get(wrt).rows();
        Mat a = RandomInputs.entries(n, n, r, RandomInputs.Style.SIGNED);
        Mat inSpace = symmetric ? a.plus(a.transpose()).scale(0.5) : diagonalPart(a);
        Mat across = a.minus(inSpace);
        DerivativeCheck.assertMatClose(j.times(a.vec()), j.times(inSpace.vec()), f + ": J*vec(A) = J*vec(P(A))");
        assertEquals(0, j.times(across.vec()).maxAbs(), 1e-9 * Math.max(1, j.maxAbs()), f + ": J*vec(A - P(A)) = 0");
        if (order == 2) {
            DerivativeCheck.assertMatClose(j, j.transpose(), f + ": P*H*P is symmetric");
        }
    }

    private static Mat diagonalPart(Mat a) {
        double[][] d = new double[a.rows()][a.cols()];
        for (int i = 0; i < a.rows(); i++) {
            d[i][i] = a.get(i, i);
        }
        return Mat.of(d);
    }
}
