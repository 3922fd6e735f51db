package org.matcalc.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.matcalc.expr.Expr;
import org.matcalc.expr.TextPrinter;

/** CONTRACT.md §4: one row per line of the layouts table. */
class LayoutTest {

    @ParameterizedTest(name = "{0} by {1}")
    @CsvSource(delimiter = '|', value = {
            "s^3*t       | s",
            "x'*C*x      | x",
            "a'*X*b      | X",
            "tr(A*X*B)   | X",
            "sin(s)*x    | s",
            "s*X         | s",
            "s*x'        | s",
            "A*x         | x",
            "sin(x)      | x",
            "A*X         | X",
            "X*w         | X",
            "x'*X        | x",
            "X'          | X",
    })
    void layoutsAgree(String f, String wrt) {
        DerivativeCheck.checkLayouts(f, RuleTables.DECLS, wrt, f.hashCode(), false);
    }

    @Test
    void contractExampleTrAXB() {
        Expr f = Expr.parse("tr(A*X*B)");
        assertEquals("A'*B'", TextPrinter.print(Derivatives.derive(f, DerivativeCheck.decls(RuleTables.DECLS), "X", 1, Layout.MIXED).expr()));
        assertEquals("A'*B'", TextPrinter.print(Derivatives.derive(f, DerivativeCheck.decls(RuleTables.DECLS), "X", 1, Layout.DENOMINATOR).expr()));
        assertEquals("B*A", TextPrinter.print(Derivatives.derive(f, DerivativeCheck.decls(RuleTables.DECLS), "X", 1, Layout.NUMERATOR).expr()));
    }

    @Test
    void everyAnswerStatesLayoutAndShape() {
        Derivative d = Derivatives.derive(Expr.parse("X*w"), DerivativeCheck.decls(RuleTables.DECLS), "X", 1, Layout.DENOMINATOR);
        assertEquals(Layout.DENOMINATOR, d.layout());
        assertEquals("matrix(m*n,n)", d.shape().describe());
        assertEquals("kron(w, eye(n))", TextPrinter.print(d.expr()));
    }
}
