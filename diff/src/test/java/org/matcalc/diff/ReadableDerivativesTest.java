package org.matcalc.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.matcalc.expr.Expr;
import org.matcalc.expr.TextPrinter;

/**
 * Derivatives in the form a careful person writes them: each row is an expression, what matcalc
 * prints for it, and the hand-written form it must not be longer than (spaces aside). Every row
 * is also checked: symbolic = reverse-mode AD = central finite differences at random inputs.
 */
class ReadableDerivativesTest {

    static Stream<Arguments> rows() {
        String logistic = "X: matrix(n,m); w: vector(m); y: vector(n)";
        return Stream.of(
                row("-(y'*log(sigmoid(X*w)) + (vector(1)-y)'*log(vector(1)-sigmoid(X*w)))", logistic, "w", 1,
                        "X'*(sigmoid(X*w) - y)", "X'*(sigmoid(X*w) - y)"),
                row("sum(log(exp(-y.*(X*w)) + vector(1)))", logistic, "w", 1,
                        "-X'*y.*sigmoid(-y.*(X*w))", "-X'*(y.*sigmoid(-y.*(X*w)))"),
                row("sum(log(exp(-y.*(X*w)) + vector(1)))", logistic, "w", 2,
                        "X'*diag(y.*sigmoid(y.*(X*w)).^2.*exp(-y.*(X*w)).*y)*X",
                        "X'*diag(y.^2.*sigmoid(y.*(X*w)).*sigmoid(-y.*(X*w)))*X"),
                row("sum(tanh(x))", "x: vector(n)", "x", 1, "vector(1) - tanh(x).^2", "vector(1) - tanh(x).^2"),
                row("sum(1./x)", "x: vector(n)", "x", 1, "-1./x.^2", "-1./x.^2"),
                row("sum(sqrt(x.^2 + vector(e)))", "x: vector(n); e: scalar", "x", 1,
                        "x./sqrt(x.^2 + vector(e))", "x./sqrt(x.^2 + vector(e))"),
                row("tr(A^3)", "A: matrix(n)", "A", 1, "3*(A^2)'", "3*(A^2)'"),
                row("tr(X^4)", "X: matrix(n)", "X", 1, "4*(X^3)'", "4*(X^3)'"),
                row("log(x'*A*x)", "A: matrix(n); x: vector(n)", "x", 1, "(A + A')*x/(x'*A*x)", "(A + A')*x/(x'*A*x)"),
                row("tr(kron(A, B))", "A: matrix(m); B: matrix(n)", "A", 1, "tr(B)*eye(m)", "tr(B)*eye(m)"),
                row("tr(expm(A))", "A: matrix(n)", "A", 1, "expm(A)'", "expm(A)'"),
                row("expm(t*A)", "A: matrix(n); t: scalar", "t", 1, "A*expm(t*A)", "A*expm(t*A)"),
                row("tr(sqrtm(S))", "S: spd(n)", "S", 1, "inv(sqrtm(S))/2", "inv(sqrtm(S))/2"),
                row("log(abs(det(X)))", "X: matrix(n)", "X", 1, "inv(X)'", "inv(X)'"),
                row("det(A*X*B)", "A: matrix(n); X: matrix(n); B: matrix(n)", "X", 1, "det(A*X*B)*inv(X)'", "det(A*X*B)*inv(X)'"),
                row("det(X^5)", "X: matrix(n)", "X", 1, "5*det(X^5)*inv(X)'", "5*det(X^5)*inv(X)'"),
                row("logsumexp(x)", "x: vector(n)", "x", 2, "diag(softmax(x)) - softmax(x)*softmax(x)'",
                        "diag(softmax(x)) - softmax(x)*softmax(x)'"));
    }

    private static Arguments row(String f, String decls, String wrt, int order, String printed, String byHand) {
        return Arguments.of(f, decls, wrt, order, printed, byHand);
    }

    @ParameterizedTest(name = "{0} by {2}, order {3}: {4}")
    @MethodSource("rows")
    void printsTheFormAPersonWrites(String f, String decls, String wrt, int order, String printed, String byHand) {
        Derivative d = Derivatives.derive(Expr.parse(f), DerivativeCheck.decls(decls), wrt, order, Layout.MIXED);
        String got = TextPrinter.print(d.expr());
        assertEquals(printed, got);
        assertTrue(got.replace(" ", "").length() <= byHand.replace(" ", "").length(), got + " is longer than " + byHand);
        boolean positive = f.contains("sqrtm") || f.contains("log(x'");
        if (order == 1) {
            DerivativeCheck.check(f, decls, wrt, 13, positive);
        } else {
            DerivativeCheck.checkHessian(f, decls, wrt, 13, positive);
        }
    }
}
