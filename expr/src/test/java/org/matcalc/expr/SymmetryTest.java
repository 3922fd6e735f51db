package org.matcalc.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The structural symmetry test, read on parsed trees (transposes compared as written). */
class SymmetryTest {
    private static final Declarations DECLS = Declarations.fromLines(
            "S: symmetric(n); T: spd(n); D: diagonal(n); A: matrix(n); X: matrix(n,m); x: vector(n); a: scalar");

    private static boolean symmetric(String text) {
        Expr root = Expr.parse(text);
        Typing typing = Typer.check(root, DECLS);
        return new Symmetry() {
            protected Shape shape(Expr e) {
                return typing.shapeOf(e);
            }

            protected Decl declOf(String name) {
                return typing.declOf(name);
            }

            protected List<Expr> factors(Expr product) {
                List<Expr> out = new ArrayList<>();
                collect(product, out);
                return out;
            }

            private void collect(Expr e, List<Expr> out) {
                if (e instanceof Expr.Binary b && b.op() == BinaryOp.MUL) {
                    collect(b.left(), out);
                    collect(b.right(), out);
                } else {
                    out.add(e);
                }
            }

            protected boolean transposes(Expr a, Expr b) {
                return b.equals(new Expr.Transpose(a)) || a.equals(new Expr.Transpose(b));
            }

            protected boolean recurse(Expr e) {
                return decide(e);
            }
        }.decide(root);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "S                        | true",
        "T + D                    | true",
        "A                        | false",
        "X'*X                     | true",
        "X*X'                     | true",
        "X'*S*X                   | true",
        "X'*A*X                   | false",
        "a*S                      | true",
        "S*a                      | true",
        "S*A                      | false",
        "inv(T) - expm(S)         | true",
        "sqrtm(T) .* S            | true",
        "diag(x)                  | true",
        "x*x'                     | true",
        "eye(n) + zeros(n, n)     | true",
        "commutation(n, n)        | true",
        "commutation(n, m)        | false",
        "kron(S, T)               | true",
        "sylvester(T, S)          | true",
        "sylvester(T, A)          | false",
        "expm_frechet(S, T)       | true",
        "eigvecs(S)               | false",
        "exp(S)                   | true",
        "x'*x                     | true",
    })
    void table(String expression, boolean want) {
        assertEquals(want, symmetric(expression), expression);
    }
}
