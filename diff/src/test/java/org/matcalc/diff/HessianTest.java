package org.matcalc.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.matcalc.expr.Expr;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.TextPrinter;

/** Hessians by scalars, vectors and matrices (over vec(X)), and Hessian-vector products. */
class HessianTest {

    @ParameterizedTest(name = "{0} by {1}")
    @CsvSource(delimiter = '|', value = {
            "x'*C*x                   | x | false",
            "s^3*t                    | s | false",
            "logsumexp(x)             | x | false",
            "sum(exp(x))              | x | false",
            "norm2(X*w - y)^2         | X | false",
            "norm2(X*w - y)^2         | w | false",
            "tr(X'*C*X)               | X | false",
            "logdet(C'*C + eye(n))    | C | false",
            "tr(inv(C'*C + eye(n)))   | C | false",
            "-y'*log(softmax(X*w))    | w | false",
            "sum(sigmoid(X*w))        | X | false",
            "a'*X*X'*a*s              | X | false",
            "norm2(x)                 | x | false",
            "tr(sqrtm(S + X*X'))      | X | false",
            "det(C)                   | C | false",
            "sum(log(x))              | x | true",
            "lambda_max(X*X' + eye(n)) | X | false",
            "y'*eigvals(X*X' + C'*C)  | X | false",
            "lambda_min(C*C' + eye(n)) | C | false",
            // commutation(m*m, m*m) in the Hessian: the plan sizes products of sizes
            "vec(D)'*kron(D, D)*vec(D) | D | false",
    })
    void hessian(String f, String wrt, boolean positive) {
        DerivativeCheck.checkHessian(f, RuleTables.DECLS, wrt, f.hashCode(), positive);
    }

    @Test
    void quadraticForm() {
        Derivative h = Derivatives.derive(Expr.parse("x'*C*x"), DerivativeCheck.decls(RuleTables.DECLS), "x", 2, Layout.MIXED);
        assertEquals("C + C'", TextPrinter.print(h.expr()));
        assertEquals("matrix(n,n)", h.shape().describe());
    }

    @Test
    void hvpNeverFormsTheHessian() {
        Expr hv = Derivatives.hvp(Expr.parse("norm2(X*w - y)^2"), DerivativeCheck.decls(RuleTables.DECLS), "X", "V");
        assertEquals("2*V*w*w'", TextPrinter.print(hv));
        Expr hx = Derivatives.hvp(Expr.parse("x'*C*x"), DerivativeCheck.decls(RuleTables.DECLS), "x", "v");
        assertEquals("(C + C')*v", TextPrinter.print(hx));
    }

    @Test
    void hessianOfNonScalarIsRefused() {
        MatcalcException e = assertThrows(MatcalcException.class,
                () -> Derivatives.derive(Expr.parse("A*x"), DerivativeCheck.decls(RuleTables.DECLS), "x", 2, Layout.MIXED));
        assertEquals(MatcalcException.Kind.REQUEST, e.kind());
    }
}
