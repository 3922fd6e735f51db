package org.matcalc.simplify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.expr.TextPrinter;
import org.matcalc.expr.Typer;

/** One row per rule: input, declarations (lines), and the printed result. */
class SimplifierTableTest {
    private static final String SQUARE = "A : matrix(n); X : matrix(n, m); B : matrix(n)";

    static Stream<Arguments> rows() {
        return Stream.of(
                // the targets, fed as a linearise/transpose engine produces them
                row("tr(X'*A*X) by X", "A'*X + A*X", SQUARE, "(A + A')*X"),
                row("tr(X'*A*X) by X, transposed form", "(X'*A)' + A*X", SQUARE, "(A + A')*X"),
                row("tr(X'*S*X) by X, S symmetric", "S'*X + S*X", "S : symmetric(n); X : matrix(n, m)", "2*S*X"),
                row("a'*X*b by X", "(b*a')'", "a : vector(n); b : vector(m); X : matrix(n, m)", "a*b'"),
                row("a'*X*b by X, through eye", "(eye*b*a'*eye)'", "a : vector(n); b : vector(m)", "a*b'"),
                row("norm2(X*w - y)^2 by w, chain rule", "X'*(2*norm2(X*w - y)*((X*w - y)/norm2(X*w - y)))",
                        "X : matrix(n, m); w : vector(m); y : vector(n)", "2*X'*(X*w - y)"),
                row("norm2(X*w - y)^2 by w, product rule", "X'*(X*w - y) + ((X*w - y)'*X)'",
                        "X : matrix(n, m); w : vector(m); y : vector(n)", "2*X'*(X*w - y)"),
                row("x'*A*x Hessian", "A*eye + A'*eye", "A : matrix(n)", "A + A'"),
                row("x'*A*x Hessian, transposed", "A*eye + (eye*A)'", "A : matrix(n)", "A + A'"),
                row("logdet(X) by X", "(inv(X)*eye)'", "X : matrix(n)", "inv(X)'"),
                row("logdet(S) by S, S spd", "(inv(S)*eye)'", "S : spd(n)", "inv(S)"),
                // identities and constants
                row("X*eye", "X*eye", "", "X"),
                row("eye(n) kept alone", "2*eye(n)*3", "", "6*eye(n)"),
                row("1*X", "1*X", "", "X"),
                row("0*X kept: shorter than zeros(n, m)", "0*X", "X : matrix(n, m)", "0*X"),
                row("zero term dropped", "A*X + 0*B*X", "", "A*X"),
                row("x - x", "x - x", "x : vector(n)", "0*x"),
                row("zeros with explicit sizes", "A*X*B - A*X*B", "A : matrix(n); B : matrix(m); X : matrix(n, m)", "zeros(n, m)"),
                row("0*X*y", "0*X*y", "X : matrix(n, m)", "0*X*y"),
                row("zeros in a sum", "A + zeros(n, n)", "A : matrix(n)", "A"),
                row("--X", "--X", "", "X"),
                row("X''", "X''", "", "X"),
                row("fold numbers", "2*3 + 4", "", "10"),
                row("fold division", "6*X/3", "", "2*X"),
                row("half", "X*0.5", "", "X/2"),
                row("2*X + 3*X", "2*X + 3*X", "", "5*X"),
                row("scalar to the front", "A*(2*x)", "", "2*A*x"),
                row("negative scalar to the front", "A*(-x)", "", "-A*x"),
                row("positive term first", "-y + X*w", "", "X*w - y"),
                row("negated difference", "-(a - b)", "", "b - a"),
                // transposes
                row("(A*B)' shrinks", "(A*B)'", "", "B'*A'"),
                row("(A*inv(B))' pushed: shorter", "(A*inv(B))'", "", "inv(B)'*A'"),
                row("(A*B*C)' kept: not shorter", "(A*B*C)'", "", "(A*B*C)'"),
                row("long chain stays wrapped", "D'*C'*B'*A'", "", "(A*B*C*D)'"),
                row("tr(A')", "tr(A')", "", "tr(A)"),
                row("scalar transpose", "(x'*y)'", "", "x'*y"),
                row("scalar reorder for collection", "x'*y + y'*x", "", "2*x'*y"),
                row("S' symmetric", "S'", "S : symmetric(n)", "S"),
                row("inv(S)' symmetric", "inv(S)'", "S : spd(n)", "inv(S)"),
                row("inv(X)' kept", "inv(X)'", "", "inv(X)'"),
                row("A + A' symmetric", "A + A'", "A : symmetric(n)", "2*A"),
                row("X'*X symmetric", "(X'*X)' - X'*X + A", "X : matrix(n, m); A : matrix(m)", "A"),
                row("diagonal is symmetric", "D' + D", "D : diagonal(n)", "2*D"),
                row("orthogonal", "Q'*Q*X + inv(Q)*Q*Y", "Q : orthogonal(n); X : matrix(n, m); Y : matrix(n, m)", "X + Y"),
                row("orthogonal, scaled", "3*Q*Q'*x", "Q : orthogonal(n); x : vector(n)", "3*x"),
                row("orthogonal, eye(n) longer than Q'*Q", "Q'*Q*2*Q'*Q", "Q : orthogonal(n)", "2*Q'*Q"),
                row("inv(Q)", "inv(Q)", "Q : orthogonal(n)", "Q'"),
                row("palindrome is symmetric", "(X'*S*X)'", "S : symmetric(n); X : matrix(n, m)", "X'*S*X"),
                row("X*X' symmetric", "(X*X')' + X*X'", "X : matrix(n, m)", "2*X*X'"),
                row("diag(x) symmetric", "diag(x)'", "", "diag(x)"),
                row("exp of symmetric", "exp(S)' - exp(S)", "S : symmetric(n)", "zeros(n, n)"),
                row("commutation(n, n) symmetric", "commutation(n, n)'", "", "commutation(n, n)"),
                row("A*x + (x'*A')'", "A*x + (x'*A')'", "", "2*A*x"),
                row("det(A')", "det(A')", "", "det(A)"),
                row("logm_frechet(S, I) = inv(S)", "logm_frechet(S, eye(n))", "S : spd(n)", "inv(S)"),
                row("logm_frechet(S, -I) = -inv(S)", "logm_frechet(S, -eye(n)) + inv(S)", "S : spd(n)", "zeros(n, n)"),
                row("logm of a scalar", "logm(s)", "s : scalar", "log(s)"),
                row("expm_frechet2(A, I, F) = expm_frechet(A, F)", "expm_frechet2(A, eye(n), F)", "A : matrix(n); F : matrix(n)",
                        "expm_frechet(A, F)"),
                row("expm_frechet2(A, E, I) = expm_frechet(A, E)", "expm_frechet2(A, E, eye(n))", "A : matrix(n); E : matrix(n)",
                        "expm_frechet(A, E)"),
                row("expm_frechet2_kron(A, I) = expm_frechet_kron(A)", "expm_frechet2_kron(A, eye(n))", "A : matrix(n)",
                        "expm_frechet_kron(A)"),
                row("logdet(S')", "logdet(S')", "", "logdet(S)"),
                // collecting
                row("left factor", "X*h + X*k", "X : matrix(n, m); h : vector(m); k : vector(m)", "X*(h + k)"),
                row("right factor", "A*X*B + C*X*B", "", "(A + C)*X*B"),
                row("scalar factors", "a*X + X*b", "", "(a + b)*X"),
                row("traces of transposes", "tr(A*B') - tr(B*A')", "A : matrix(n, m); B : matrix(n, m)", "0"),
                row("transposed scalar products", "x'*A*y - y'*A'*x + a", "A : matrix(n, m); x : vector(n); y : vector(m)", "a"),
                row("like terms with scalars", "a*b*X + b*a*X", "", "2*a*b*X"),
                row("division cancels", "a*X/a", "", "X"),
                row("power merge", "a*a^2/a", "", "a^2"),
                row("c*(A + B) - c*B", "2*(A + B) - 2*B", "", "2*A"),
                row("c*(A + B) kept", "2*(A + B)", "", "2*(A + B)"),
                // calls
                row("tr of scalar", "tr(x'*y)", "", "x'*y"),
                row("tr rotation", "tr(x*y')", "", "y'*x"),
                row("sum(x')", "sum(x')", "", "sum(x)"),
                row("sum of a simplex vector", "softmax(W*x)*sum(y) - y", "y : simplex(n)", "softmax(W*x) - y"),
                row("norm2(-x)", "norm2(-x)", "", "norm2(x)"),
                row("inv(inv(X))", "inv(inv(X))", "", "X"),
                row("inv of scalar", "inv(a)", "", "1/a"),
                row("kron with scalar", "kron(a, X)", "", "a*X"),
                row("kron kept", "kron(A, B')", "", "kron(A, B')"),
                row("vec of vector", "vec(x')", "x : vector(n)", "x"),
                row("vec kept", "vec(X)", "X : matrix(n, m)", "vec(X)"),
                row("commutation transposed", "commutation(m, n)'", "", "commutation(n, m)"),
                // element-wise
                row("x .* vector(1, n)", "x .* vector(1, n)", "x : vector(n)", "x"),
                row("x .* vector(2)", "x .* vector(2)", "", "2*x"),
                row("x ./ vector(2)", "x ./ vector(2)", "", "x/2"),
                row("x ./ a", "x ./ a", "", "x/a"),
                row("sqrtm of scalar", "sqrtm(a)", "", "sqrt(a)"),
                row("norm2 of scalar", "norm2(a)", "", "abs(a)"),
                row("eye on both sides", "eye*X*eye", "", "X"),
                row("kron(eye(n), X) kept", "kron(eye(n), X)", "", "kron(eye(n), X)"),
                row("vec(X') kept", "vec(X')", "X : matrix(n, m)", "vec(X')"),
                row("zero hadamard", "x .* zeros(n, 1) + y", "x : vector(n); y : vector(n)", "y"),
                row("scalar hadamard", "a .* X", "", "a*X"),
                row("log(exp(x))", "log(exp(x))", "", "x"),
                row("exp(log(x)) kept", "exp(log(x))", "", "exp(log(x))"),
                row("exp(log(sigmoid(x)))", "exp(log(sigmoid(x)))", "", "sigmoid(x)"),
                row("abs(-x)", "abs(-x)", "", "abs(x)"),
                row("exp(0)", "exp(0)*X", "", "X"),
                row("x.^1", "x.^1", "", "x"),
                // element-wise factors above and below the line cancel
                row("cancel 1./a .* (a.*b)", "1./x .* (x .* y)", "", "y"),
                row("cancel in a quotient", "(x .* y) ./ (x .* z)", "", "y./z"),
                row("cancel, number left", "2./x .* (x .* y)", "", "2*y"),
                row("cancel through log", "1./sigmoid(X*w) .* (sigmoid(X*w) .* sigmoid(-X*w))", "", "sigmoid(-X*w)"),
                row("cancel matrices", "(A .* B) ./ A", "", "B"),
                row("nothing to cancel: above the line, then below", "x ./ y .* z", "", "x.*z./y"),
                // a matrix next to its inverse
                row("inv(A)*A", "inv(A)*A*B", "", "B"),
                row("A*inv(A)", "B*A*inv(A)", "", "B"),
                row("inv(A)'*A'", "-inv(X)'*X'*inv(X)'", "", "-inv(X)'"),
                row("inv(A)*B kept", "inv(A)*B*A", "", "inv(A)*B*A"),
                row("sum(u)/numel(x) = mean(u) for u of x's size", "sum((x - vector(mean(x))).^2)/numel(x)", CENTRED,
                        "mean((x - vector(mean(x))).^2)"),
                row("sum(u)/numel(b) kept: b of another size", "sum(x.^2)/numel(b)", CENTRED + "; b : vector(m)", "sum(x.^2)/numel(b)"),
                // the centring matrix H = I - 11'/n and a centred vector c = x - vector(mean(x)): c'*H = c', H*c = c, H*H = H
                row("c'*H = c'", "(x - vector(mean(x)))'*(eye(n) - vector(1, n)*vector(1, n)'/numel(x))", CENTRED, "x' - vector(mean(x))'"),
                row("c'*H = c', transpose pushed", "y*(x' - vector(mean(x))')*(eye(n) - vector(1, n)*vector(1, n)'/numel(x))", CENTRED, "y*(x' - vector(mean(x))')"),
                row("H*c = c", "(eye(n) - vector(1, n)*vector(1, n)'/numel(x))*(x - vector(mean(x)))", CENTRED, "x - vector(mean(x))"),
                row("H*H = H", "(eye(n) - vector(1, n)*vector(1, n)'/numel(x))*(eye(n) - vector(1, n)*vector(1, n)'/numel(x))", CENTRED, "eye(n) - vector(1, n)*vector(1, n)'/numel(x)"),
                row("H*c kept: c centred on another vector's mean", "(eye(n) - vector(1, n)*vector(1, n)'/numel(x))*(x - vector(mean(y)))", CENTRED,
                        "(eye(n) - vector(1, n)*vector(1, n)'/numel(x))*(x - vector(mean(y)))"),
                row("H*c kept: H of another size", "(eye(n) - vector(1, n)*vector(1, n)'/numel(b))*(x - vector(mean(x)))",
                        CENTRED + "; b : vector(m)", "(eye(n) - vector(1, n)*vector(1, n)'/numel(b))*(x - vector(mean(x)))"));
    }

    private static final String CENTRED = "x : vector(n); y : vector(n)";

    /** The centring rows keep their value, at random inputs (a wrong absorption shows). */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"(x - vector(mean(x)))'*(eye(n) - vector(1, n)*vector(1, n)'/numel(x))", "(eye(n) - vector(1, n)*vector(1, n)'/numel(x))*(x - vector(mean(x)))",
        "(eye(n) - vector(1, n)*vector(1, n)'/numel(x))*(eye(n) - vector(1, n)*vector(1, n)'/numel(x))", "y*(x' - vector(mean(x))')*(eye(n) - vector(1, n)*vector(1, n)'/numel(x))"})
    void centringKeepsTheValue(String input) {
        assertSimplifiedKeepingTheValue(input, CENTRED, org.matcalc.numeric.RandomInputs.Style.SIGNED, 1e-12);
    }

    /** The cancelling rows keep their value (where defined), at random positive inputs; a wrong cancellation shows. */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"1./x .* (x .* y)", "(x .* y) ./ (x .* z)", "2./x .* (x .* y)",
        "1./sigmoid(X*w) .* (sigmoid(X*w) .* sigmoid(-X*w))", "(A .* B) ./ A", "(x ./ y) .* (y ./ z) .* 3",
        "inv(A)*A*B", "B*A*inv(A)", "-inv(X)'*X'*inv(X)'"})
    void cancellingKeepsTheValue(String input) {
        Expr e = Expr.parse(input);
        Expr s = Simplifier.simplify(e, Declarations.NONE);
        java.util.Random rnd = new java.util.Random(input.hashCode());
        org.matcalc.numeric.RandomInputs.Sample at = org.matcalc.numeric.RandomInputs.sample(e, Declarations.NONE,
                java.util.Map.of(), rnd, org.matcalc.numeric.RandomInputs.Style.POSITIVE);
        org.matcalc.numeric.Mat want = org.matcalc.numeric.Evaluator.evaluate(e, Declarations.NONE, at.values(), at.sizes());
        org.matcalc.numeric.Mat got = org.matcalc.numeric.Evaluator.evaluate(s, Declarations.NONE, at.values(), at.sizes());
        assertTrue(got.minus(want).maxAbs() <= 1e-12 * Math.max(1, want.maxAbs()), input + " -> " + TextPrinter.print(s));
    }

    /** logm_frechet(S, I) = inv(S), by value at a random spd S. */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"logm_frechet(S, eye(n))", "logm_frechet(S, -eye(n)) + 2*inv(S)"})
    void logmIdentitiesKeepTheValue(String input) {
        assertSimplifiedKeepingTheValue(input, "S : spd(n)", org.matcalc.numeric.RandomInputs.Style.POSITIVE, 1e-10);
    }

    /** input simplifies to something else of the same value at random inputs of the style. */
    private static void assertSimplifiedKeepingTheValue(String input, String decls, org.matcalc.numeric.RandomInputs.Style style,
                                                        double tol) {
        Declarations d = Declarations.fromLines(decls);
        Expr e = Expr.parse(input);
        Expr s = Simplifier.simplify(e, d);
        org.matcalc.numeric.RandomInputs.Sample at = org.matcalc.numeric.RandomInputs.sample(e, d,
                java.util.Map.of(), new java.util.Random(input.hashCode()), style);
        org.matcalc.numeric.Mat want = org.matcalc.numeric.Evaluator.evaluate(e, d, at.values(), at.sizes());
        org.matcalc.numeric.Mat got = org.matcalc.numeric.Evaluator.evaluate(s, d, at.values(), at.sizes());
        assertTrue(!s.equals(e), "not simplified: " + input);
        assertTrue(got.minus(want).maxAbs() <= tol * Math.max(1, want.maxAbs()), input + " -> " + TextPrinter.print(s));
    }

    private static Arguments row(String rule, String input, String decls, String expected) {
        return Arguments.of(rule, input, decls, expected);
    }

    @ParameterizedTest(name = "{0}: {1} -> {3}")
    @MethodSource("rows")
    void simplifies(String rule, String input, String decls, String expected) {
        Declarations d = Declarations.fromLines(decls);
        Expr e = Expr.parse(input);
        Expr s = Simplifier.simplify(e, d);
        String printed = TextPrinter.print(s);
        assertEquals(expected, printed, rule);
        assertTrue(printed.length() <= TextPrinter.print(e).length(), "grew: " + printed);
        Expr back = Expr.parse(printed);
        assertEquals(Typer.check(e, d).shape().describe(), Typer.check(back, d).shape().describe(), "shape");
        assertEquals(printed, TextPrinter.print(Simplifier.simplify(back, d)), "idempotent");
    }
}
