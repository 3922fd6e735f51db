package org.matcalc.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.matcalc.expr.MatcalcException.Kind;

/**
 * The catalogue of refusals: each bad input pinned to its kind, line, column and exact message
 * (CONTRACT.md section 6). Line and column 0 mean "no position" (errors of the request as a whole).
 */
class ErrorCatalogueTest {
    /** Every function name in the order the parser lists them: the element-wise table, then the primitive registry, then the constructors. */
    private static final String KNOWN_FUNCTIONS = String.join(", ", java.util.stream.Stream.of(
            java.util.Arrays.stream(ScalarFunction.values()).map(ScalarFunction::languageName),
            java.util.Arrays.stream(Builtin.values()).map(Builtin::languageName).distinct(),
            java.util.stream.Stream.of("eye", "zeros", "vector", "matrix", "commutation", "transpose", "mean")).flatMap(x -> x).toList());

    static final Declarations DECLARED = Declarations.fromLines(
            "A : matrix(n,m); B : matrix(n); X : matrix(n,m); Y : matrix(m,n); x : vector(n); z : vector(n); y : vector(m); w : vector(m)");
    static final Declarations NONE = Declarations.NONE;

    static Stream<Arguments> catalogue() {
        return Stream.of(
                row("(x + y", DECLARED, Kind.SYNTAX, 1, 7,
                        "missing ')' to close '(' at 1:1"),
                row("x + y)", DECLARED, Kind.SYNTAX, 1, 6,
                        "unmatched ')'"),
                row(")x", DECLARED, Kind.SYNTAX, 1, 1,
                        "unmatched ')'"),
                row("((x)", DECLARED, Kind.SYNTAX, 1, 5,
                        "missing ')' to close '(' at 1:1"),
                row("sin(x", DECLARED, Kind.SYNTAX, 1, 6,
                        "missing ')' to close '(' at 1:4"),
                row("x\\n  + y\\n  + (z", DECLARED, Kind.SYNTAX, 3, 7,
                        "missing ')' to close '(' at 3:5"),
                row("trace(X)", DECLARED, Kind.SYNTAX, 1, 1,
                        "unknown function 'trace'; did you mean tr?"),
                row("sinn(x)", DECLARED, Kind.SYNTAX, 1, 1,
                        "unknown function 'sinn'; did you mean sin?"),
                row("foo(x)", DECLARED, Kind.SYNTAX, 1, 1,
                        "unknown function 'foo'; known functions: " + KNOWN_FUNCTIONS),
                row("max(x, y, z)", DECLARED, Kind.SYNTAX, 1, 1,
                        "max takes 1 or 2 arguments, got 3"),
                row("sum(X, 3)", DECLARED, Kind.SYNTAX, 1, 8,
                        "the dimension of sum(X, k) must be 1 (down each column) or 2 (along each row), got 3"),
                row("softmax(X, a)", DECLARED, Kind.SYNTAX, 1, 12,
                        "the dimension of softmax(X, k) must be 1 (down each column) or 2 (along each row), written as the number 1 or 2"),
                row("transpose(X, Y)", DECLARED, Kind.SYNTAX, 1, 1,
                        "transpose takes 1 argument, got 2"),
                row("X + x'", DECLARED, Kind.SHAPE, 1, 3,
                        "cannot broadcast matrix(n,m) with rowvector(n): a column needs as many rows as the matrix, a row as many columns"),
                row("X .* y", DECLARED, Kind.SHAPE, 1, 3,
                        "cannot broadcast matrix(n,m) with vector(m): a column needs as many rows as the matrix, a row as many columns"),
                row("x + y'", DECLARED, Kind.SHAPE, 1, 3,
                        "cannot add vector(n) and rowvector(m); transpose one of them"),
                row("x*y", NONE, Kind.SHAPE, 1, 2,
                        "cannot multiply vector by vector; did you mean x'*y (inner product) or x*y' (outer product)?"),
                row("x*z", DECLARED, Kind.SHAPE, 1, 2,
                        "cannot multiply vector(n) by vector(n); did you mean x'*z (inner product) or x*z' (outer product)?"),
                row("(A*y)*(B*x)", DECLARED, Kind.SHAPE, 1, 6,
                        "cannot multiply vector(n) by vector(n); did you mean (A*y)'*(B*x) (inner product) or (A*y)*(B*x)' (outer product)?"),
                row("A*x", DECLARED, Kind.SHAPE, 1, 2,
                        "cannot multiply matrix(n,m) by vector(n): the left has m columns but the right has n rows"),
                row("X + Y", DECLARED, Kind.SHAPE, 1, 3,
                        "cannot add matrix(n,m) and matrix(m,n): shapes differ"),
                row("x .* y", DECLARED, Kind.SHAPE, 1, 3,
                        "cannot apply .* to vector(n) and vector(m): shapes differ"),
                row("x - x'", DECLARED, Kind.SHAPE, 1, 3,
                        "cannot subtract vector(n) and rowvector(n); transpose one of them"),
                row("det(A)", DECLARED, Kind.SHAPE, 1, 1,
                        "det needs a square matrix, got matrix(n,m)"),
                row("tr(A)", DECLARED, Kind.SHAPE, 1, 1,
                        "tr needs a square matrix, got matrix(n,m)"),
                row("inv(A)", DECLARED, Kind.SHAPE, 1, 1,
                        "inv needs a square matrix, got matrix(n,m)"),
                row("det(x)", DECLARED, Kind.SHAPE, 1, 1,
                        "det needs a square matrix, got vector(n)"),
                row("tr(x)", DECLARED, Kind.SHAPE, 1, 1,
                        "tr needs a square matrix, got vector(n)"),
                row("inv(x)", DECLARED, Kind.SHAPE, 1, 1,
                        "inv needs a square matrix, got vector(n)"),
                row("diag(X)", DECLARED, Kind.SHAPE, 1, 1,
                        "diag needs a vector or a square matrix, got matrix(n,m)"),
                row("A^2", DECLARED, Kind.SHAPE, 1, 2,
                        "a matrix power needs a square matrix, got matrix(n,m)"),
                row("C*x + C*y", DECLARED, Kind.SHAPE, 1, 8,
                        "cannot multiply matrix(?,n) by vector(m): the left has n columns but the right has m rows (the size n was inferred at 1:2)"),
                row("A*eye*x'", NONE, Kind.SHAPE, 1, 6,
                        "cannot multiply matrix by rowvector: the left has more than one column but the right has 1 row"),
                row("X*w'", DECLARED, Kind.SHAPE, 1, 2,
                        "cannot multiply matrix(n,m) by rowvector(m): the left has m columns but the right has 1 row"),
                row("x'*y'", NONE, Kind.SHAPE, 1, 3,
                        "cannot multiply rowvector by rowvector: the left has more than one column but the right has 1 row; did you mean x'*y?"),
                row("x # y", DECLARED, Kind.SYNTAX, 1, 3,
                        "unexpected character '#'; expected a name, a number, an operator or a parenthesis"),
                row("x @ y", DECLARED, Kind.SYNTAX, 1, 3,
                        "unexpected character '@'; expected a name, a number, an operator or a parenthesis"),
                row("x × y", DECLARED, Kind.SYNTAX, 1, 3,
                        "unexpected character '×'; expected a name, a number, an operator or a parenthesis"),
                row("x +", DECLARED, Kind.SYNTAX, 1, 4,
                        "expected an operand after '+', but the expression ends"),
                row("x'*", DECLARED, Kind.SYNTAX, 1, 4,
                        "expected an operand after '*', but the expression ends"),
                row("x + * y", DECLARED, Kind.SYNTAX, 1, 5,
                        "expected an operand after '+', got '*'"),
                row("x +\\n* y", DECLARED, Kind.SYNTAX, 2, 1,
                        "expected an operand after '+', got '*'"),
                row("a +\\n  b)", DECLARED, Kind.SYNTAX, 2, 4,
                        "unmatched ')'"),
                row("1e", DECLARED, Kind.SYNTAX, 1, 1,
                        "malformed number '1e': expected digits after 'e'"),
                row("1.2.3", DECLARED, Kind.SYNTAX, 1, 1,
                        "malformed number '1.2.3': a number has at most one decimal point"),
                row("1e+", DECLARED, Kind.SYNTAX, 1, 1,
                        "malformed number '1e+': expected digits after 'e'"),
                row("1e999", DECLARED, Kind.SYNTAX, 1, 1,
                        "number '1e999' is too large for a double"),
                row("x.y", DECLARED, Kind.SYNTAX, 1, 2,
                        "unexpected '.'; expected '.*', './', '.^' (element-wise operators) or .' (transpose)"),
                row("2x", DECLARED, Kind.SYNTAX, 1, 2,
                        "expected an operator or the end of the expression, got 'x'; did you mean 2*x?"),
                row("x y", DECLARED, Kind.SYNTAX, 1, 3,
                        "expected an operator or the end of the expression, got 'y'; did you mean x*y?"),
                row("tr(A, B)", DECLARED, Kind.SYNTAX, 1, 1,
                        "tr takes 1 argument, got 2"),
                row("kron(A)", DECLARED, Kind.SYNTAX, 1, 1,
                        "kron takes 2 arguments, got 1"),
                row("sin x", DECLARED, Kind.SYNTAX, 1, 1,
                        "sin is a function: write sin(...)"),
                row("sum", DECLARED, Kind.SYNTAX, 1, 1,
                        "sum is a function: write sum(...)"),
                row("zeros", DECLARED, Kind.SYNTAX, 1, 1,
                        "zeros needs arguments: write zeros(n, m)"),
                row("()", DECLARED, Kind.SYNTAX, 1, 2,
                        "empty parentheses: expected an expression inside"),
                row("tr()", DECLARED, Kind.SYNTAX, 1, 4,
                        "tr needs an argument, e.g. tr(X)"),
                row("(x, z)", DECLARED, Kind.SYNTAX, 1, 3,
                        "unexpected ','; expected ')' to close '(' at 1:1"),
                row("vector()", DECLARED, Kind.SYNTAX, 1, 8,
                        "vector needs the value of its entries, e.g. vector(1)"),
                row("vector(x)", DECLARED, Kind.SHAPE, 1, 1,
                        "vector(c) needs a scalar c, got vector(n)"),
                row("vector(1, n, m)", DECLARED, Kind.SYNTAX, 1, 1,
                        "vector takes its value and one size or the value alone, got 2 sizes"),
                row("eye()", DECLARED, Kind.SYNTAX, 1, 1,
                        "eye takes 1 size, got 0"),
                row("eye(1.5)", DECLARED, Kind.SYNTAX, 1, 5,
                        "a size must be a whole number between 0 and 100000, got 1.5"),
                row("zeros(n, m, k)", DECLARED, Kind.SYNTAX, 1, 1,
                        "zeros takes 1 or 2 sizes, got 3"),
                row("x^y", NONE, Kind.SHAPE, 1, 2,
                        "the exponent of ^ must be a scalar, got vector; for element-wise powers use .^"),
                row("x^2", NONE, Kind.SHAPE, 1, 2,
                        "cannot raise vector to a power; use .^ for element-wise powers, e.g. x.^2 or x'*x for the squared norm"),
                row("A^0.5", NONE, Kind.SHAPE, 1, 2,
                        "a matrix can only be raised to a whole-number power such as A^2 or A^-1; for element-wise powers use .^"),
                row("A^x", NONE, Kind.SHAPE, 1, 2,
                        "the exponent of ^ must be a scalar, got vector; for element-wise powers use .^"),
                row("x/y", NONE, Kind.SHAPE, 1, 2,
                        "can only divide by a scalar, got vector; for element-wise division use ./"),
                row("1/x", NONE, Kind.SHAPE, 1, 2,
                        "can only divide by a scalar, got vector; for element-wise division use ./"),
                row("(a+b)(c+d)", DECLARED, Kind.SYNTAX, 1, 6,
                        "expected an operator or the end of the expression, got '('; insert '*' to multiply"),
                row("x'y", DECLARED, Kind.SYNTAX, 1, 3,
                        "expected an operator or the end of the expression, got 'y'; insert '*' to multiply"),
                row("2(x+1)", DECLARED, Kind.SYNTAX, 1, 2,
                        "expected an operator or the end of the expression, got '('; did you mean 2*(...)?"),
                row("eye(n+1)", DECLARED, Kind.SYNTAX, 1, 6,
                        "expected ')' to close '(' at 1:4, got '+'"),
                row("eye(-1)", DECLARED, Kind.SYNTAX, 1, 5,
                        "expected a size (a whole number or a size name such as n), got '-'"),
                row("zeros(n, )", DECLARED, Kind.SYNTAX, 1, 10,
                        "expected a size (a whole number or a size name such as n), got ')'"),
                row("commutation", DECLARED, Kind.SYNTAX, 1, 1,
                        "commutation needs arguments: write commutation(m, n)"),
                row("vector", DECLARED, Kind.SYNTAX, 1, 1,
                        "vector needs arguments: write vector(1)"),
                row("matrix(x)", DECLARED, Kind.SHAPE, 1, 1,
                        "matrix(c) needs a scalar c, got vector(n)"),
                row("matrix(1, n)", DECLARED, Kind.SYNTAX, 1, 1,
                        "matrix takes its value and two sizes or the value alone, got 1 size"),
                row("tr(X))", DECLARED, Kind.SYNTAX, 1, 6,
                        "unmatched ')'"),
                row("sin(x,y)", DECLARED, Kind.SYNTAX, 1, 1,
                        "sin takes 1 argument, got 2"),
                row("vector(1, n", DECLARED, Kind.SYNTAX, 1, 12,
                        "missing ')' to close '(' at 1:7"),
                row("x\u0007y", DECLARED, Kind.SYNTAX, 1, 2,
                        "unexpected character U+0007; expected a name, a number, an operator or a parenthesis"),
                row("x\u00a0y", DECLARED, Kind.SYNTAX, 1, 2,
                        "unexpected character U+00A0 (no-break space, which looks like a space: type a plain space);"
                                + " expected a name, a number, an operator or a parenthesis"),
                row("x\u3000+ y", DECLARED, Kind.SYNTAX, 1, 2,
                        "unexpected character U+3000 (ideographic space, which looks like a space: type a plain space);"
                                + " expected a name, a number, an operator or a parenthesis"),
                row("x + \u00e9", DECLARED, Kind.SYNTAX, 1, 5,
                        "unexpected character '\u00e9' (names are ASCII letters, digits and _); expected a name, a number,"
                                + " an operator or a parenthesis"),
                row("x \u2018 y", DECLARED, Kind.SYNTAX, 1, 3,
                        "unexpected character '\u2018'; expected a name, a number, an operator or a parenthesis"),
                row("", DECLARED, Kind.SYNTAX, 0, 0,
                        "empty expression: expected an expression such as x'*A*x"),
                row("   \\n ", DECLARED, Kind.SYNTAX, 0, 0,
                        "empty expression: expected an expression such as x'*A*x")
        );
    }

    private static Arguments row(String input, Declarations decls, Kind kind, int line, int column, String message) {
        return Arguments.of(input.replace("\\n", "\n"), decls, kind, line, column, message);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("catalogue")
    void refusedWithPositionAndMessage(String input, Declarations decls, Kind kind, int line, int column, String message) {
        // as every surface reads text: elaborated (broadcasting, kinds from use), then typed
        MatcalcException e = assertThrows(MatcalcException.class, () -> {
            Elaboration.Elaborated el = Elaboration.of(Parser.parse(input), decls);
            Typer.check(el.parsed(), el.decls());
        });
        assertEquals(message, e.detail());
        assertEquals(kind, e.kind());
        if (line == 0) {
            assertNull(e.span(), "no position");
            assertEquals(message, e.getMessage());
        } else {
            assertEquals(line + ":" + column, e.span().position());
            assertEquals(line + ":" + column + ": " + message, e.getMessage());
        }
    }

    @Test
    void catalogueIsLargeAndEveryMessageIsDistinctPerInput() {
        List<Arguments> rows = catalogue().toList();
        assertTrue(rows.size() >= 35, "at least 35 bad inputs, got " + rows.size());
        Set<String> inputs = new HashSet<>();
        for (Arguments a : rows) {
            assertTrue(inputs.add((String) a.get()[0]), "duplicate input " + a.get()[0]);
        }
    }

    @Test
    void contradictionNamesBothPlaces() {
        MatcalcException e = assertThrows(MatcalcException.class,
                () -> Typer.check(Parser.parse("C*x + C*y"), DECLARED));
        assertTrue(e.getMessage().startsWith("1:8: "), e.getMessage());
        assertTrue(e.getMessage().contains("inferred at 1:2"), e.getMessage());
        // Across lines, with an integer size meeting a symbol.
        Declarations d = Declarations.fromStrings(Map.of("u", "vector(3)", "v", "vector(4)"));
        MatcalcException e2 = assertThrows(MatcalcException.class,
                () -> Typer.check(Parser.parse("C*u\n + C*v"), d));
        assertEquals("2:5: cannot multiply matrix(?,3) by vector(4): the left has 3 columns but the right has 4 rows"
                + " (the size 3 was inferred at 1:2)", e2.getMessage());
    }

    @Test
    void declaredSymbolsNeverUnifyAndNeverBecomeOne() {
        Declarations d = Declarations.fromStrings(Map.of("x", "vector(n)", "y", "vector(m)", "X", "matrix(n,m)"));
        assertEquals("1:3: cannot add vector(n) and vector(m): shapes differ",
                assertThrows(MatcalcException.class, () -> Typer.check(Parser.parse("x + y"), d)).getMessage());
        // X*u' would need m = 1: refused rather than turning X into a column.
        assertEquals("1:2: cannot multiply matrix(n,m) by rowvector: the left has m columns but the right has 1 row",
                assertThrows(MatcalcException.class, () -> Typer.check(Parser.parse("X*u'"), d)).getMessage());
        // A value of size 1 is the truth when evaluating.
        Typing t = Typer.check(Parser.parse("X*y").expr(), d, SourceMap.EMPTY, Map.of(), Map.of("X", new Shape(Size.of(3), Size.ONE)));
        assertEquals(Shape.vector(Size.of(3)), t.shape());
    }

    static Stream<Arguments> badDeclarations() {
        return Stream.of(
                Arguments.of(Map.of("X", "matrx(n)"), "declaration of X: expected scalar, vector(n), rowvector(n), matrix(n,m), matrix(n), "
                        + "symmetric(n), spd(n), diagonal(n), orthogonal(n) or simplex(n), optionally after const; got 'matrx(n)'; did you mean matrix(n)?"),
                Arguments.of(Map.of("x", "vector(0)"), "declaration of x: size 0 must be a whole number from 1 to 100000 or a size name such as n"),
                Arguments.of(Map.of("x", "vector(n, m)"), "declaration of x: expected scalar, vector(n), rowvector(n), matrix(n,m), matrix(n), "
                        + "symmetric(n), spd(n), diagonal(n), orthogonal(n) or simplex(n), optionally after const; got 'vector(n, m)'"),
                Arguments.of(Map.of("a", "scalar(3)"), "declaration of a: expected scalar, vector(n), rowvector(n), matrix(n,m), matrix(n), "
                        + "symmetric(n), spd(n), diagonal(n), orthogonal(n) or simplex(n), optionally after const; got 'scalar(3)'"),
                Arguments.of(Map.of("x", "vector(_n)"), "declaration of x: size _n must be a whole number from 1 to 100000 or a size name such as n"),
                Arguments.of(Map.of("x", "vector(2n)"), "declaration of x: size 2n must be a whole number from 1 to 100000 or a size name such as n"),
                Arguments.of(Map.of("sin", "scalar"), "'sin' is a function name and cannot be declared as a variable"),
                Arguments.of(Map.of("eye", "matrix(n)"), "'eye' is a function name and cannot be declared as a variable"),
                Arguments.of(Map.of("1x", "scalar"), "'1x' is not a variable name: use letters, digits and _ , starting with a letter"),
                Arguments.of(Map.of("S", "spd"), "declaration of S: expected scalar, vector(n), rowvector(n), matrix(n,m), matrix(n), "
                        + "symmetric(n), spd(n), diagonal(n), orthogonal(n) or simplex(n), optionally after const; got 'spd'"));
    }

    @ParameterizedTest
    @MethodSource("badDeclarations")
    void badDeclarationsAreRefusedAsRequests(Map<String, String> decls, String message) {
        MatcalcException e = assertThrows(MatcalcException.class, () -> Declarations.fromStrings(decls));
        assertEquals(Kind.REQUEST, e.kind());
        assertNull(e.span());
        assertEquals(message, e.getMessage());
    }

    @Test
    void badDeclarationLines() {
        assertEquals("declaration 'X matrix(n)': expected NAME : KIND, e.g. X : matrix(n, m)",
                assertThrows(MatcalcException.class, () -> Declarations.fromLines("x : vector(n)\nX matrix(n)")).getMessage());
        assertEquals("'cos' is a function name and cannot be declared as a variable",
                assertThrows(MatcalcException.class, () -> Declarations.fromLines("const cos")).getMessage());
    }

    @Test
    void aValueOfTheWrongShapeIsARequestError() {
        Declarations d = Declarations.fromStrings(Map.of("X", "matrix(n,m)"));
        MatcalcException e = assertThrows(MatcalcException.class, () -> Typer.check(Parser.parse("X*w").expr(), d, SourceMap.EMPTY,
                Map.of("n", 3), Map.of("X", new Shape(Size.of(4), Size.of(2)))));
        assertEquals(Kind.REQUEST, e.kind());
        assertNull(e.span());
        assertEquals("the value of X is 4x2 but it is declared matrix(3,m)", e.getMessage());
    }

    @Test
    void renderDrawsTheCaretUnderTheColumn() {
        String src = "x + y*#z";
        MatcalcException e = assertThrows(MatcalcException.class, () -> Parser.parse(src));
        assertEquals("error: 1:7: unexpected character '#'; expected a name, a number, an operator or a parenthesis\n"
                + "  x + y*#z\n"
                + "        ^", e.render(src));
        // A span longer than one character is underlined with ~.
        String src2 = "a +\n  trace(X)";
        MatcalcException e2 = assertThrows(MatcalcException.class, () -> Parser.parse(src2));
        assertEquals("error: 2:3: unknown function 'trace'; did you mean tr?\n"
                + "    trace(X)\n"
                + "    ^~~~~", e2.render(src2));
        // A tab before the error keeps the caret aligned.
        String src3 = "x\t+ )";
        MatcalcException e3 = assertThrows(MatcalcException.class, () -> Parser.parse(src3));
        String[] lines = e3.render(src3).split("\n");
        assertEquals("  x\t+ )", lines[1]);
        assertEquals("   \t  ^", lines[2]);
        // No position: just the message.
        MatcalcException e4 = assertThrows(MatcalcException.class, () -> Parser.parse(""));
        assertEquals("error: empty expression: expected an expression such as x'*A*x", e4.render(""));
    }

    @Test
    void renderCutsALongLineToAWindowAroundTheCaret() {
        String src = "x + ".repeat(100) + "$" + " + x".repeat(100);
        MatcalcException e = assertThrows(MatcalcException.class, () -> Parser.parse(src));
        assertEquals(401, e.span().column());
        String[] lines = e.render(src).split("\n");
        assertEquals(3, lines.length);
        String shown = lines[1].substring(2);
        String caret = lines[2].substring(2);
        assertTrue(shown.startsWith("...") && shown.endsWith("..."), shown);
        assertTrue(shown.length() < 130, "fits a screen: " + shown.length());
        assertEquals('$', shown.charAt(caret.indexOf('^')));
        assertEquals(caret.length() - 1, caret.indexOf('^'));
    }
}
