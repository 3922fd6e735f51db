package org.matcalc.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.matcalc.expr.Expr;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.TextPrinter;

/** StructureRules, row by row: each derivative against central differences at non-square inputs. */
class StructureRulesTest {

    @ParameterizedTest(name = "{0} by {1}")
    @CsvSource(delimiter = '|', value = {
            "tr(X'*Y)              | X",
            "a'*X*b                | X",
            "tr(A*X*B)             | X",
            "sum(X)                | X",
            "-X                    | X",
            "X'                    | X",
            "A*X                   | X",
            "X*w                   | X",
            "X*B                   | X",
            "A*X*B                 | X",
            "X/s                   | X",
            "X/s                   | s",
            "s*X                   | s",
            "sum(X)/(s*s + 1)      | s",
            "vec(X)                | X",
            "vec(X)'*vec(Y)        | X",
            "diag(x)               | x",
            "diag(C)               | C",
            "sum(diag(C))          | C",
            "tr(C)                 | C",
            "x'*z                  | x",
            "X*w - y               | w",
            "(X*w)'                | w",
            "s*x                   | x",
            "s^2*x                 | s",
            "x/(x'*x)              | x",
            "a'*X*X'*a             | X",
            "tr(X*D*X')            | X",
            "vec(X)'*vec(X)        | X",
            "tr(eye*C)             | C",
            "vector(s)'*x          | s",
            "sum(matrix(s*t) .* X) | t",
            "X' + Y'               | Y",
            "(A*X)'*u              | X",
            "x*x'                  | x",
            "x'*C                  | x",
    })
    void rule(String f, String wrt) {
        DerivativeCheck.check(f, RuleTables.DECLS, wrt, f.hashCode(), false);
    }

    @ParameterizedTest(name = "{0} by {1} = {2}")
    @CsvSource(delimiter = '|', value = {
            "a'*X*b      | X | a*b'",
            "tr(A*X*B)   | X | A'*B'",
            "A*X         | X | kron(eye(m), A)",
            "X*w         | X | kron(w', eye(n))",
            "X'          | X | commutation(n, m)",
            "A*X*B       | X | kron(B', A)",
            "tr(C)       | C | eye(n)",
            "sum(X)      | X | matrix(1, n, m)",
            "x'*z        | x | z",
    })
    void printed(String f, String wrt, String want) {
        Derivative d = Derivatives.derive(Expr.parse(f), DerivativeCheck.decls(RuleTables.DECLS), wrt, 1, Layout.MIXED);
        assertEquals(want, TextPrinter.print(d.expr()));
    }

    @ParameterizedTest(name = "{0} by {1}")
    @CsvSource(delimiter = '|', value = {
            "tr(kron(C, D))               | C",
            "tr(kron(C, D))               | D",
            "sum(kron(X, B) .* kron(Y, B)) | X",
            "sum(kron(A, X) .* kron(A, Y)) | X",
            "sum(kron(X, x) .* kron(Y, y)) | X",
            "sum(kron(x, X) .* kron(y, Y)) | x",
            "kron(X, B)                   | X",
            "kron(A, X)                   | X",
            "kron(x, w)                   | w",
            "kron(X, X)                   | X",
            "kron(w', x)                  | x",
    })
    void kron(String f, String wrt) {
        DerivativeCheck.check(f, RuleTables.DECLS, wrt, f.hashCode(), false);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "X^2        | X | cannot",
    })
    void illShapedIsRefused(String f, String wrt, String message) {
        MatcalcException e = assertThrows(MatcalcException.class,
                () -> Derivatives.derive(Expr.parse(f), DerivativeCheck.decls(RuleTables.DECLS), wrt, 1, Layout.MIXED));
        assertEquals(MatcalcException.Kind.SHAPE, e.kind());
        assertTrue(e.getMessage().contains("square"), e.getMessage());
    }
}
