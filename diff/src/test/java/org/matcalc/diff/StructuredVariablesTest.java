package org.matcalc.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.matcalc.expr.Expr;
import org.matcalc.expr.TextPrinter;

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
}
