package org.matcalc.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Every example of LANGUAGE.md, matrixcalculus.org's documentation page and the seeds: it parses,
 * has the expected shape, and prints back to text that parses to an equal tree.
 */
class LanguageExamplesTest {
    /** Declarations with symbolic sizes n, m (p for a third size). */
    static final Declarations DECLS = Declarations.fromStrings(Map.ofEntries(
            Map.entry("A", "matrix(n)"), Map.entry("B", "matrix(m,n)"), Map.entry("C", "matrix(n)"),
            Map.entry("X", "matrix(n,m)"), Map.entry("W", "matrix(p,n)"), Map.entry("S", "spd(n)"),
            Map.entry("x", "vector(n)"), Map.entry("y", "vector(n)"), Map.entry("v", "vector(n)"),
            Map.entry("w", "vector(m)"), Map.entry("z", "vector(p)"),
            Map.entry("a", "scalar"), Map.entry("b", "scalar"), Map.entry("c", "scalar")));

    static Stream<Arguments> examples() {
        return Stream.of(
                // matrixcalculus.org documentation, LANGUAGE.md
                ex("0.5*x'*A*x", "scalar", "scalar"),
                ex("A*exp(x)", "vector(n)", "vector"),
                ex("(y.*v)'*x", "scalar", "scalar"),
                ex("a^b", "scalar", "scalar"),
                ex("norm1(A*x-y)", "scalar", "scalar"),
                ex("norm2(A*x-y)^2", "scalar", "scalar"),
                ex("sum(log(exp(-y.*(X*w)) + vector(1)))", "scalar", "scalar"),
                ex("tr(A*X'*B*X*C)", "scalar", "scalar", "A : matrix(m); B : matrix(n); C : matrix(m)"),
                ex("log(det(inv(X)))", "scalar", "scalar", "X : matrix(n)"),
                ex("log(det(inv(X*X')))", "scalar", "scalar"),
                ex("x'*A*x", "scalar", "scalar"),
                ex("1:7", null, null),
                // seeds
                ex("x'*X*w", "scalar", "scalar"),
                ex("norm2(X*w - y)^2", "scalar", "scalar"),
                ex("-z'*log(softmax(W*x))", "scalar", "scalar"),
                ex("logdet(S) + tr(inv(S)*C)", "scalar", "scalar"),
                ex("A^-1", "matrix(n,n)", "matrix"),
                ex("X^T", "matrix(m,n)", "matrix"),
                ex("kron(A, B)", "matrix(m*n,n*n)", "matrix(?*?,?*?)"),
                ex("kron(x, w)", "vector(m*n)", "vector(?*?)"),
                ex("commutation(m, n)", "matrix(m*n,m*n)", "matrix(m*n,m*n)"),
                ex("commutation(m, n)*vec(X)", "vector(m*n)", "vector(m*n)"),
                ex("kron(eye(m), A)*vec(X)", "vector(m*n)", "vector(?*m)"),
                ex("eye(n)", "matrix(n,n)", "matrix(n,n)"),
                ex("zeros(n, m)", "matrix(n,m)", "matrix(n,m)"),
                ex("vector(2, n)", "vector(n)", "vector(n)"),
                ex("matrix(1) + X", "matrix(n,m)", "matrix"),
                ex("eye + A", "matrix(n,n)", "matrix"),
                ex("expm(X'*X)", "matrix(m,m)", "matrix"),
                ex("sqrtm(S)", "matrix(n,n)", "matrix"),
                ex("eigvals(S)", "vector(n)", "vector"),
                ex("lambda_max(S)", "scalar", "scalar"),
                ex("lambda_min(S)", "scalar", "scalar"),
                ex("logsumexp(x)", "scalar", "scalar"),
                ex("diag(x)", "matrix(n,n)", "matrix"),
                ex("diag(A)", "vector(n)", "vector"),
                ex("vec(X)", "vector(m*n)", "vector(?*?)"),
                ex("sum(X)", "scalar", "scalar"),
                ex("x.^2", "vector(n)", "vector"),
                ex("1./x", "vector(n)", "vector"),
                ex("A*B'/c", "matrix(n,m)", "matrix"),
                ex("a*X", "matrix(n,m)", "matrix"),
                ex("x'", "rowvector(n)", "rowvector"),
                ex("x*w'", "matrix(n,m)", "matrix"),
                ex("A^2", "matrix(n,n)", "matrix"),
                ex("x .^ a", "vector(n)", "vector"),
                ex("exp(X) ./ X", "matrix(n,m)", "matrix"),
                ex("-x", "vector(n)", "vector"));
    }

    private static Arguments ex(String text, String declared, String undeclared) {
        return Arguments.of(text, declared, undeclared, "");
    }

    /** With extra declaration lines that override {@link #DECLS}. */
    private static Arguments ex(String text, String declared, String undeclared, String extra) {
        return Arguments.of(text, declared, undeclared, extra);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void parsesTypesAndRoundTrips(String text, String declaredShape, String byLetterShape, String extra) {
        if (declaredShape == null) {
            assertThrows(MatcalcException.class, () -> Parser.parse(text));
            return;
        }
        Parsed p = Parser.parse(text);
        Declarations decls = DECLS;
        for (var d : Declarations.fromLines(extra).asMap().entrySet()) {
            decls = decls.with(d.getKey(), d.getValue());
        }
        assertEquals(declaredShape, Typer.check(p, decls).shape().describe(), "with declarations n, m");
        // Undeclared names take their kind from the first letter; sizes are inferred (unsolved ones print as nothing or ?).
        Shape inferred = Typer.check(p, Declarations.NONE).shape();
        assertEquals(byLetterShape, inferred.describe().replaceAll("\\(\\?,\\?\\)", ""), "by first letter");
        String printed = TextPrinter.print(p.expr());
        assertEquals(p.expr(), Parser.parse(printed).expr(), "printed as " + printed);
    }

    @Test
    void matrixcalculusOrgExamplesTypeWithoutDeclarations() {
        for (String text : new String[] {"tr(A*X'*B*X*C)", "log(det(inv(X)))", "X'*X", "kron(A, B)*vec(X)"}) {
            Typer.check(Parser.parse(text), Declarations.NONE);
        }
        // The inferred sizes are consistent: in A*X'*B*X*C, X' and X chain through B.
        Parsed p = Parser.parse("tr(A*X'*B*X*C)");
        Typing t = Typer.check(p, Declarations.NONE);
        Shape x = t.variables().get("X");
        assertEquals(x.rows(), t.variables().get("B").rows());
        assertEquals(x.rows(), t.variables().get("B").cols());
        assertEquals(x.cols(), t.variables().get("A").cols());
        assertEquals(x.cols(), t.variables().get("C").rows());
    }

    @Test
    void everyElementwiseFunctionParsesAndKeepsTheShape() {
        for (ScalarFunction f : ScalarFunction.values()) {
            for (String arg : new String[] {"a", "x", "X"}) {
                String text = f.languageName() + "(" + arg + ")";
                Parsed p = Parser.parse(text);
                assertEquals(new Expr.Elementwise(f, new Expr.Var(arg)), p.expr());
                assertEquals(Typer.check(Parser.parse(arg), DECLS).shape(), Typer.check(p, DECLS).shape(), text);
                assertEquals(text, TextPrinter.print(p.expr()));
            }
        }
    }

    @Test
    void inferenceSolvesUndeclaredSizesFromDeclaredOnes() {
        Declarations d = Declarations.fromStrings(Map.of("X", "matrix(n,m)"));
        Typing t = Typer.check(Parser.parse("u'*X*w + sum(eye*A*X)"), d);
        assertEquals(Shape.vector(Size.sym("n")), t.variables().get("u"));
        assertEquals(Shape.vector(Size.sym("m")), t.variables().get("w"));
        // eye*A*X fixes A's columns; its rows stay free (eye takes whatever A has).
        assertEquals(Size.sym("n"), t.variables().get("A").cols());
        assertEquals("matrix(?,n)", t.variables().get("A").describe());
        // An integer size and a symbol: the symbol takes the integer.
        Declarations d2 = Declarations.fromStrings(Map.of("x", "vector(n)", "y", "vector(3)"));
        Typing t2 = Typer.check(Parser.parse("(x + y)*z'"), d2);
        assertEquals("matrix(3,?)", t2.shape().describe());
        assertEquals(Shape.vector(Size.of(3)), t2.variables().get("x"));
    }

    @Test
    void productSizesUnify() {
        Declarations d = Declarations.fromStrings(Map.of("X", "matrix(n,m)"));
        Typing t = Typer.check(Parser.parse("kron(eye(m), A)*vec(X)"), d);
        assertEquals(Size.sym("n"), t.variables().get("A").cols());
        assertEquals(Size.times(Size.sym("m"), t.variables().get("A").rows()), t.shape().rows());
        // kron(eye, A) has A's size only when eye is 1 x 1.
        Typing t2 = Typer.check(Parser.parse("kron(eye, A) + A"), Declarations.NONE);
        assertEquals(t2.variables().get("A"), t2.shape());
        // A and kron(A, B) differ in size unless B were 1 x 1, which an undeclared matrix is not.
        MatcalcException e = assertThrows(MatcalcException.class, () -> Typer.check(Parser.parse("A + kron(A, B)"), Declarations.NONE));
        assertEquals("1:3: cannot add matrix and matrix(?*?,?*?): shapes differ", e.getMessage());
        MatcalcException e2 = assertThrows(MatcalcException.class, () -> Typer.check(Parser.parse("kron(x, w) + x"),
                Declarations.fromStrings(Map.of("x", "vector(n)", "w", "vector(m)"))));
        assertEquals("1:12: cannot add vector(m*n) and vector(n): shapes differ", e2.getMessage());
    }

    @ParameterizedTest(name = "{0} prints as {1}")
    @CsvSource(delimiter = '|', value = {
        "(y.*v)'*x | (y.*v)'*x",
        "-x^2 | -x^2",
        "(-x)^2 | (-x)^2",
        "(-2)^2 | (-2)^2",
        "-2^2 | -2^2",
        "a - (b - c) | a - (b - c)",
        "(a - b) - c | a - b - c",
        "x*-2 | x*-2",
        "x * (-2) | x*-2",
        "A*B/c | A*B/c",
        "(A*B)/c | (A*B)/c",
        "a/(b*c) | a/(b*c)",
        "(a/b)*c | a/b*c",
        "((x))' | x'",
        "x^T | x'",
        "X^T^T | X''",
        "a^b^c | a^b^c",
        "(a^b)^c | (a^b)^c",
        "A^-1 | A^-1",
        "A^(-1) | A^-1",
        "-(-x) | --x",
        "-(2) | -(2)",
        "- 2 | -2",
        "1e-3 | 0.001",
        "1.5e20 | 1.5e20",
        "1./x | 1./x",
        "x.^2 | x.^2",
        "exp(x)' | exp(x)'",
        "(x+y)' | (x + y)'",
        "a*(b+c) | a*(b + c)",
        "a .* (b .* c) | a.*(b.*c)",
        "(a .* b) .* c | a.*b.*c",
        "kron(A,B) | kron(A, B)",
        "zeros(n) | zeros(n, 1)",
        "eye(2*n) | eye(2*n)",
        "vector(1,m*n) | vector(1, m*n)",
        "a^(T) | a^(T)",
        "a^(T') | a^(T')",
    })
    void printsWithTheFewestParentheses(String in, String out) {
        Expr e = Parser.parse(in).expr();
        assertEquals(out, TextPrinter.print(e));
        assertEquals(e, Parser.parse(out).expr());
    }

    @Test
    void treesAreValuesWithoutPositions() {
        assertEquals(Parser.parse("x'*A*x").expr(), Parser.parse("  x' * A\n* x ").expr());
        assertEquals(Parser.parse("x + y").expr(), Parser.parse("x\t+\ty\r\n").expr());
        assertEquals(Expr.mul(Expr.mul(Expr.transpose(Expr.var("x")), Expr.var("A")), Expr.var("x")), Expr.parse("x'*A*x"));
        assertEquals(Expr.pow(Expr.num(2), Expr.num(-1)), Expr.parse("2^-1"));
        assertEquals(new Expr.Neg(new Expr.Num(2)), Expr.parse("-(2)"));
        assertEquals(new Expr.Num(-2), Expr.parse("-2"));
        // Precedence of LANGUAGE.md: * below /, / below .*, .* below unary minus.
        assertEquals(Expr.mul(Expr.var("A"), Expr.div(Expr.var("B"), Expr.var("c"))), Expr.parse("A*B/c"));
        assertEquals(Expr.div(Expr.var("a"), Expr.hadamard(Expr.var("x"), Expr.var("y"))), Expr.parse("a/x.*y"));
        assertEquals(Expr.hadamard(Expr.neg(Expr.var("x")), Expr.var("y")), Expr.parse("-x.*y"));
        assertEquals(Expr.neg(Expr.pow(Expr.var("x"), Expr.num(2))), Expr.parse("-x^2"));
    }

    @Test
    void sourceMapPointsAtOperatorsAndNames() {
        Parsed p = Parser.parse("tr(A)\n  + x'*y");
        Expr.Binary plus = (Expr.Binary) p.expr();
        assertEquals(new Span(8, 1, 2, 3), p.spans().spanOf(plus));
        assertEquals(new Span(0, 2, 1, 1), p.spans().spanOf(plus.left()));
        Expr.Binary times = (Expr.Binary) plus.right();
        assertEquals(2, p.spans().spanOf(times).line());
        assertEquals(7, p.spans().spanOf(times).column());
        assertEquals(null, SourceMap.EMPTY.spanOf(plus));
    }
}
