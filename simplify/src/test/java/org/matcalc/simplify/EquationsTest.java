package org.matcalc.simplify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.expr.TextPrinter;
import org.matcalc.numeric.Evaluator;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.RandomInputs;

/**
 * The equations of {@link ElementwiseAlgebra} and of the matrix rules that make derivatives
 * readable, one row each: the left side simplifies to the right, and both sides are equal by
 * value at random inputs (signed and positive draws), so a wrong identity shows.
 */
class EquationsTest {
    private static final String V = "x: vector(n); y: vector(n); z: vector(n); u: vector(n); a: scalar";
    private static final String M = "A: matrix(n); B: matrix(n); X: matrix(n); t: scalar";

    static Stream<Arguments> rows() {
        return Stream.of(
                // element-wise algebra: powers, quotients, numbers
                row("x.*x", V, "x.^2"),
                row("1./x.*(1./x)", V, "1./x.^2"),
                row("0.5./x.*(2*y)", V, "y./x"),
                row("x.^3./x", V, "x.^2"),
                row("x.*y + x.*z", V, "x.*(y + z)"),
                row("a*x.*y - y.*x*a", V, "zeros(n, 1)"),
                // the logistic function
                row("vector(1) - sigmoid(u)", V, "sigmoid(-u)"),
                row("sigmoid(u) + sigmoid(-u)", V, "vector(1, n)"),
                row("y.*sigmoid(u) + y.*sigmoid(-u)", V, "y"),
                row("1./(vector(1) + exp(u))", V, "sigmoid(-u)"),
                row("exp(u)./(exp(u) + vector(1))", V, "sigmoid(u)"),
                row("exp(-u).*sigmoid(u)", V, "sigmoid(-u)"),
                row("sigmoid(u)./exp(u)", V, "sigmoid(-u)"),
                row("sigmoid(u) - sigmoid(u).^2", V, "sigmoid(u).*sigmoid(-u)"),
                row("(vector(1) - y).*sigmoid(u) - y.*sigmoid(-u)", V, "sigmoid(u) - y"),
                // signs and absolute values
                row("sign(a)*a", V, "abs(a)"),
                row("a*sign(a)/abs(a)", V, "1"),
                // diagonal matrices
                row("diag(x)*diag(y)", V, "diag(x.*y)"),
                row("diag(x) - 2*diag(y)", V, "diag(x - 2*y)"),
                row("diag(x)*diag(x)^2", V, "diag(x.^3)"),
                row("diag(-x.*y)*A", V + "; A: matrix(n)", "-diag(x.*y)*A"),
                // powers and inverses in a product
                row("inv(X^5)*X^4", M, "inv(X)"),
                row("X*inv(X^3)*X^2", M, "eye(n)"),
                row("inv(X)'*inv(X)'*inv(X)'", M, "inv(X^3)'"),
                row("sum(diag(2*x), 1)*A + sum(diag(x), 2)'*A", V + "; A: matrix(n)", "3*x'*A"),
                row("sum(x)/numel((x - y).^2)", V, "mean(x)"),
                row("A'*inv(A*X*B)'*B'", M, "inv(X)'"),
                row("inv(A*X)*A", M, "inv(X)"),
                // Kronecker products, vec and commutation matrices
                row("commutation(n, m)*commutation(m, n)*vec(X)", "X: matrix(n, m)", "vec(X)"),
                row("kron(eye(n), eye(m))*vec(X)", "X: matrix(m, n)", "vec(X)"),
                row("kron(A, B)*kron(C, D)", "A: matrix(n, p); B: matrix(m, q); C: matrix(p, r); D: matrix(q, s)", "kron(A*C, B*D)"),
                row("vec(P)'*vec(Q)", "P: matrix(n, m); Q: matrix(n, m)", "tr(P'*Q)"),
                row("kron(vec(B)', eye(m))*kron(vec(eye(n)), eye(m))*y", "B: matrix(n); y: vector(m)", "tr(B)*y"),
                // matrix functions of one argument
                row("expm_frechet(A, eye(n))", M, "expm(A)"),
                row("expm_frechet(t*A, A)", M, "A*expm(t*A)"),
                row("expm(A')", M, "expm(A)'"),
                row("sylvester(S, eye(n))", "S: spd(n)", "inv(S)/2"),
                row("sylvester(S, 3*eye(n))", "S: spd(n)", "1.5*inv(S)"));
    }

    private static Arguments row(String input, String decls, String expected) {
        return Arguments.of(input, decls, expected);
    }

    @ParameterizedTest(name = "{0} = {2}")
    @MethodSource("rows")
    void holds(String input, String declLines, String expected) {
        Declarations d = Declarations.fromLines(declLines);
        Expr e = Expr.parse(input);
        Expr s = Simplifier.simplify(e, d);
        assertEquals(expected, TextPrinter.print(s));
        for (RandomInputs.Style style : RandomInputs.Style.values()) {
            RandomInputs.Sample at = RandomInputs.sample(e, d, Map.of(), new Random(input.hashCode()), style);
            Mat want = Evaluator.evaluate(e, d, at.values(), at.sizes());
            Mat got = Evaluator.evaluate(Expr.parse(expected), d, at.values(), at.sizes());
            assertTrue(got.minus(want).maxAbs() <= 1e-9 * Math.max(1, want.maxAbs()),
                    input + " and " + expected + " differ at " + style + ": " + want + " vs " + got);
        }
    }
}
