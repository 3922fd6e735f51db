package org.matcalc.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.matcalc.expr.Expr;
import org.matcalc.expr.ScalarFunction;
import org.matcalc.expr.TextPrinter;

/** ElementwiseRules: every row of the scalar-function table, Hadamard algebra, norms, log-softmax. */
class ElementwiseRulesTest {

    private static String argument(ScalarFunction fn, String x) {
        switch (fn.domain()) {
            case OPEN_UNIT:
                return x + "/2";
            default:
                return x;
        }
    }

    @ParameterizedTest
    @EnumSource(ScalarFunction.class)
    void everyTableRowAsGradient(ScalarFunction fn) {
        boolean positive = fn.domain() == ScalarFunction.Domain.POSITIVE || fn.domain() == ScalarFunction.Domain.AWAY_FROM_ZERO;
        String f = "sum(" + fn.languageName() + "(" + argument(fn, "X") + ") .* Y)";
        DerivativeCheck.check(f, RuleTables.DECLS, "X", fn.ordinal(), positive);
    }

    @ParameterizedTest
    @EnumSource(ScalarFunction.class)
    void everyTableRowAsJacobian(ScalarFunction fn) {
        boolean positive = fn.domain() == ScalarFunction.Domain.POSITIVE || fn.domain() == ScalarFunction.Domain.AWAY_FROM_ZERO;
        String f = fn.languageName() + "(" + argument(fn, "x") + ")";
        Derivative d = DerivativeCheck.check(f, RuleTables.DECLS, "x", 100 + fn.ordinal(), positive);
        if (fn == ScalarFunction.SIGN) {
            assertEquals("zeros(n, n)", TextPrinter.print(d.expr()));
        }
    }

    @ParameterizedTest(name = "{0} by {1}")
    @CsvSource(delimiter = '|', value = {
            "X .* Y                 | X | false",
            "sum(X .* Y .* X)       | X | false",
            "X ./ Y                 | Y | true",
            "sum(X ./ Y)            | Y | true",
            "sum(s ./ X)            | s | true",
            "sum(X .^ 2)            | X | false",
            "X .^ 3                 | X | false",
            "sum(X .^ Y)            | Y | true",
            "sum(X .^ Y)            | X | true",
            "s .^ t                 | t | true",
            "norm1(x)               | x | true",
            "norm2(X)               | X | false",
            "norm2(x)               | x | false",
            "norm2(X*w - y)^2       | X | false",
            "norm2(X*w - y)^2       | w | false",
            "log(softmax(x))        | x | false",
            "-pr'*log(softmax(x))   | x | false",
            "-y'*log(softmax(W'*u)) | W | false",
            "exp(x)'*sin(x)         | x | false",
            "sigmoid(X*w)           | w | false",
            "relu(X*w)              | X | true",
    })
    void rule(String f, String wrt, boolean positive) {
        DerivativeCheck.check(f, RuleTables.DECLS, wrt, f.hashCode(), positive);
    }

    @ParameterizedTest(name = "{0} by {1} = {2}")
    @CsvSource(delimiter = '|', value = {
            "sum(X .* Y)      | X | Y",
            "X .* Y           | X | diag(vec(Y))",
            "exp(x)           | x | diag(exp(x))",
            "norm2(X*w - y)^2 | w | 2*X'*(X*w - y)",
            "norm1(x)         | x | sign(x)",
    })
    void printed(String f, String wrt, String want) {
        Derivative d = Derivatives.derive(Expr.parse(f), DerivativeCheck.decls(RuleTables.DECLS), wrt, 1, Layout.MIXED);
        assertEquals(want, TextPrinter.print(d.expr()).toLowerCase(Locale.ROOT).equals(want.toLowerCase(Locale.ROOT))
                ? want : TextPrinter.print(d.expr()));
    }
}
