package org.matcalc.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.matcalc.expr.Expr;
import org.matcalc.expr.Limits;
import org.matcalc.expr.MatcalcException;
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

    /** d(X^k) is a sum of k terms: past the limit it is refused before it is built (X^70000 overflowed the stack). */
    @Test
    void aHugeMatrixPowerIsRefusedByTheLimit() {
        Derivative ok = Derivatives.derive(Expr.parse("tr(C^300)"), DerivativeCheck.decls(RuleTables.DECLS), "C", 1, Layout.MIXED);
        assertEquals("300*(C^299)'", TextPrinter.print(ok.expr()));
        for (String f : new String[] {"tr(C^70000)", "tr(C^-5000)"}) {
            MatcalcException e = assertThrows(MatcalcException.class,
                    () -> Derivatives.derive(Expr.parse(f), DerivativeCheck.decls(RuleTables.DECLS), "C", 1, Layout.MIXED));
            assertEquals(MatcalcException.Kind.LIMIT, e.kind());
            assertTrue(e.getMessage().contains("past the limit of " + Limits.MAX_DIFFERENTIATED_POWER), e.getMessage());
        }
    }

    /**
     * Numbers fold only to finite numbers (found by DeriveProtocolFuzzTest: max(x/0) by x folded
     * 1/0 into a number, an internal error); a derivative that divides by 0 is written as such.
     */
    @Test
    void divisionByZeroIsWrittenNotFolded() {
        Derivative d = Derivatives.derive(Expr.parse("max(x/0)"), DerivativeCheck.decls(RuleTables.DECLS), "x", 1, Layout.MIXED);
        assertEquals("ismax(x/0)/0", TextPrinter.print(d.expr()));
        Derivative e = Derivatives.derive(Expr.parse("sum(x*1e300*1e300)"), DerivativeCheck.decls(RuleTables.DECLS), "x", 1,
                Layout.MIXED);
        assertTrue(!TextPrinter.print(e.expr()).contains("Infinity"), TextPrinter.print(e.expr()));
    }
}
