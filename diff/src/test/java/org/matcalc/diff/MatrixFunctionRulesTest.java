package org.matcalc.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.matcalc.expr.Expr;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.TextPrinter;

/** MatrixFunctionRules: logsumexp, softmax, expm, sqrtm, eigenvalues, and the new primitives. */
class MatrixFunctionRulesTest {

    @ParameterizedTest(name = "{0} by {1}")
    @CsvSource(delimiter = '|', value = {
            "logsumexp(x)                    | x",
            "logsumexp(X*w)                  | X",
            "logsumexp(X)                    | X",
            "softmax(x)                      | x",
            "softmax(X*w)                    | w",
            "a'*softmax(X*w)                 | X",
            "tr(expm(C))                     | C",
            "a'*expm(C)*y                    | C",
            "a'*expm(C/2)*expm(C')*y         | C",
            "tr(expm(S)*C)                   | S",
            "tr(sqrtm(S)*C)                  | S",
            "a'*sqrtm(S)*a                   | S",
            "sum(eigvals(S))                 | S",
            "y'*eigvals(S)                   | S",
            "lambda_max(S)                   | S",
            "lambda_min(T)                   | T",
            "lambda_max(X*X' + eye(n))       | X",
            "y'*eigvals(X*X' + C*C')         | X",
            "tr(sqrtm(X*X' + eye(n)))        | X",
            "a'*expm_frechet(S, C*C)*y       | C",
            "tr(sylvester(S, C))             | C",
            "sylvester(S, C)                 | C",
            "tr(sylvester(S + X*X', C))      | X",
            "(y'*eigvec_max(X*X' + eye(n)))^2 | X",
            "(y'*eigvec_min(X*X' + C*C'))^2 | X",
            "sum((eigvecs(X*X' + C*C') .^ 2) .* C) | X",
    })
    void rule(String f, String wrt) {
        DerivativeCheck.check(f, RuleTables.DECLS, wrt, f.hashCode(), false);
    }

    /** Jacobians and Hessians through expm: its Frechet derivative's Kronecker form and its second Frechet derivative. */
    @ParameterizedTest(name = "{0} by {1}")
    @CsvSource(delimiter = '|', value = {
            "expm(C)                         | C",
            "expm(C')*a                      | C",
            "expm(s*C)                       | s",
            "expm_frechet(C, C*C)            | C",
            "expm_frechet2(S, C, C)          | C",
            "expm_frechet2(S, C, C*C)        | C",
    })
    void jacobianThroughExpm(String f, String wrt) {
        DerivativeCheck.check(f, RuleTables.DECLS, wrt, f.hashCode(), false);
    }

    @ParameterizedTest(name = "{0} by {1}")
    @CsvSource(delimiter = '|', value = {
            "tr(expm(C))                     | C",
            "tr(expm(C)*C')                  | C",
            "a'*expm(C)*y                    | C",
            "tr(expm(C)*expm(C'))            | C",
            "tr(expm(X*X'))                  | X",
            "y'*expm(S)*y                    | S",
            "tr(expm(s*C))                   | s",
            "sum(expm(s*C)*a)                | s",
            "tr(expm_frechet(S, C*C)*C)      | C",
    })
    void hessianThroughExpm(String f, String wrt) {
        DerivativeCheck.checkHessian(f, RuleTables.DECLS, wrt, f.hashCode(), false);
    }

    @ParameterizedTest(name = "{0} by {1} = {2}")
    @CsvSource(delimiter = '|', value = {
            "logsumexp(x)     | x | softmax(x)",
            "tr(expm(C))      | C | expm(C)'",
            "lambda_max(S)    | S | eigvec_max(S)*eigvec_max(S)'",
            "tr(sqrtm(S)*C)   | S | sylvester(sqrtm(S), (C + C')/2)",
            "softmax(x)       | x | diag(softmax(x)) - softmax(x)*softmax(x)'",
    })
    void printed(String f, String wrt, String want) {
        Derivative d = Derivatives.derive(Expr.parse(f), DerivativeCheck.decls(RuleTables.DECLS), wrt, 1, Layout.MIXED);
        assertEquals(want, TextPrinter.print(d.expr()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "tr(expm_frechet2(C, C, C)) | C | 1 | expm_frechet2 in its first argument (third derivatives of expm)",
            "sum(expm_frechet_kron(C)) | C | 1 | expm_frechet_kron (third derivatives of expm)",
            "sum(expm_frechet2_kron(S, C)) | C | 1 | expm_frechet2_kron (third derivatives of expm)",
    })
    void notImplementedSaysSo(String f, String wrt, int order, String what) {
        MatcalcException e = assertThrows(MatcalcException.class,
                () -> Derivatives.derive(Expr.parse(f), DerivativeCheck.decls(RuleTables.DECLS), wrt, order, Layout.MIXED));
        assertEquals(MatcalcException.Kind.UNSUPPORTED, e.kind());
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(what), e.getMessage());
    }
}
