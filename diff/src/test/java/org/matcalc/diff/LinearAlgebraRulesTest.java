package org.matcalc.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.matcalc.expr.Expr;
import org.matcalc.expr.TextPrinter;

/** LinearAlgebraRules: det, logdet, inv, matrix and scalar powers. */
class LinearAlgebraRulesTest {

    @ParameterizedTest(name = "{0} by {1}")
    @CsvSource(delimiter = '|', value = {
            "det(C)                    | C | false",
            "logdet(C'*C + eye(n))     | C | false",
            "logdet(X'*X + eye(m))      | X | false",
            "det(X'*X + eye(m))         | X | false",
            "tr(inv(C'*C + eye(n)))    | C | false",
            "inv(C'*C + eye(n))        | C | false",
            "a'*inv(S)*y               | S | false",
            "C^2                       | C | false",
            "C^3                       | C | false",
            "tr(C^3)                   | C | false",
            "tr(C^4)                   | C | false",
            "tr(C^2*C^3)               | C | false",
            "tr(C'*C'*C)               | C | false",
            "x'*C'*C'*C*x              | x | false",
            "tr((S + C*C')^-2)         | C | false",
            "s^3                       | s | false",
            "s^t                       | t | true",
            "s^t                       | s | true",
            "tr(X'*C*X)                | X | false",
            "x'*inv(eye(n) + x*x')*x   | x | false",
    })
    void rule(String f, String wrt, boolean positive) {
        DerivativeCheck.check(f, RuleTables.DECLS, wrt, f.hashCode(), positive);
    }

    @ParameterizedTest(name = "{0} by {1} = {2}")
    @CsvSource(delimiter = '|', value = {
            "logdet(C)   | C | inv(C)'",
            "det(C)      | C | det(C)*inv(C)'",
            "tr(X'*C*X)  | X | (C + C')*X",
            "tr(X'*S*X)  | X | 2*S*X",
            "C^2         | C | kron(C', eye(n)) + kron(eye(n), C)",
            // the sum of k products from a matrix power, adjacent powers merged and collected
            "tr(C^3)     | C | 3*(C^2)'",
            "tr(C^4)     | C | 4*(C^3)'",
            "tr(C^2*C^3) | C | 5*(C^4)'",
    })
    void printed(String f, String wrt, String want) {
        Derivative d = Derivatives.derive(Expr.parse(f), DerivativeCheck.decls(RuleTables.DECLS), wrt, 1, Layout.MIXED);
        assertEquals(want, TextPrinter.print(d.expr()));
    }
}
