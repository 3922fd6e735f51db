package org.matcalc.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeclarationsTest {
    private static final Size N = Size.sym("n");
    private static final Size M = Size.sym("m");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // text | kind | rows | cols | properties | constant | describe
        "scalar | SCALAR | 1 | 1 | | false | scalar",
        "vector(n) | VECTOR | n | 1 | | false | vector(n)",
        "vector(3) | VECTOR | 3 | 1 | | false | vector(3)",
        "rowvector(n) | ROWVECTOR | 1 | n | | false | rowvector(n)",
        "matrix(n,m) | MATRIX | n | m | | false | matrix(n,m)",
        "matrix( n , m ) | MATRIX | n | m | | false | matrix(n,m)",
        "matrix(n) | MATRIX | n | n | | false | matrix(n,n)",
        "matrix(2, k) | MATRIX | 2 | k | | false | matrix(2,k)",
        "symmetric(n) | MATRIX | n | n | SYMMETRIC | false | symmetric(n)",
        "spd(n) | MATRIX | n | n | SPD | false | spd(n)",
        "diagonal(4) | MATRIX | 4 | 4 | DIAGONAL | false | diagonal(4)",
        "orthogonal(n) | MATRIX | n | n | ORTHOGONAL | false | orthogonal(n)",
        "const matrix(n,m) | MATRIX | n | m | | true | const matrix(n,m)",
        "const spd(n) | MATRIX | n | n | SPD | true | const spd(n)",
        "  const   scalar  | SCALAR | 1 | 1 | | true | const scalar",
        "vector(n_1) | VECTOR | n_1 | 1 | | false | vector(n_1)",
    })
    void parsesEveryKind(String text, Decl.VarKind kind, String rows, String cols, String property, boolean constant, String describe) {
        Decl d = Decl.parse("V", text);
        assertEquals(kind, d.kind());
        assertEquals(size(rows), d.rows());
        assertEquals(size(cols), d.cols());
        assertEquals(property == null ? Set.of() : Set.of(Decl.Property.valueOf(property)), d.properties());
        assertEquals(constant, d.constant());
        assertEquals(describe, d.describe());
        // What describe() writes reads back to the same declaration.
        assertEquals(d, Decl.parse("V", d.describe()));
    }

    private static Size size(String s) {
        return Character.isDigit(s.charAt(0)) ? Size.of(Integer.parseInt(s)) : Size.sym(s);
    }

    @Test
    void fromStringsKeepsOrderAndTypesWithThem() {
        Map<String, String> kinds = new LinkedHashMap<>();
        kinds.put("X", "matrix(n,m)");
        kinds.put("S", "spd(n)");
        kinds.put("w", "vector(m)");
        kinds.put("lambda", "scalar");
        kinds.put("r", "rowvector(n)");
        Declarations d = Declarations.fromStrings(kinds);
        assertEquals(List.of("X", "S", "w", "lambda", "r"), List.copyOf(d.asMap().keySet()));
        assertTrue(d.get("S").orElseThrow().isSymmetric());
        assertTrue(d.get("S").orElseThrow().has(Decl.Property.SPD));
        assertFalse(d.get("X").orElseThrow().isSymmetric());
        Typing t = Typer.check(Parser.parse("lambda*X'*S*X*w + r*S*r'*w"), d);
        assertEquals(Shape.vector(M), t.shape());
        assertEquals(new Shape(N, N), t.variables().get("S"));
        assertEquals(new Shape(Size.ONE, N), t.variables().get("r"));
        assertEquals(Shape.SCALAR, t.variables().get("lambda"));
        assertEquals(Decl.parse("S", "spd(n)"), t.declOf("S"));
        // Undeclared names keep their first-letter kinds.
        assertEquals(Decl.VarKind.VECTOR, t.declOf("q").kind());
        assertEquals(Decl.VarKind.SCALAR, t.declOf("c").kind());
        assertEquals(Decl.VarKind.MATRIX, t.declOf("Q").kind());
    }

    @Test
    void declarationsOverrideTheFirstLetter() {
        // x would be a vector and A a matrix by their first letters.
        Declarations d = Declarations.fromStrings(Map.of("x", "scalar", "A", "vector(n)", "beta", "matrix(n)"));
        assertEquals(Shape.SCALAR, Typer.check(Parser.parse("x"), d).shape());
        assertEquals(Shape.vector(N), Typer.check(Parser.parse("A"), d).shape());
        assertEquals(Shape.SCALAR, Typer.check(Parser.parse("x*x"), d).shape());
        assertEquals(new Shape(N, N), Typer.check(Parser.parse("beta*A*A'"), d).shape());
        assertEquals(Shape.SCALAR, Typer.check(Parser.parse("beta"), Declarations.NONE).shape());
    }

    @Test
    void fromLinesReadsEveryForm() {
        Declarations d = Declarations.fromLines(String.join("\n",
                "# a comment line",
                "X : matrix(n, m)   # trailing comment",
                "",
                "S: spd(n); w : vector(m)",
                "y : vector(3)",
                "const A",
                "const X, w",
                "D : diagonal(n)",
                "Q : orthogonal(n)",
                "R : const symmetric(n)"));
        assertEquals(Decl.matrix(N, M).asConstant(), d.get("X").orElseThrow());
        assertEquals(Decl.parse("S", "spd(n)"), d.get("S").orElseThrow());
        assertEquals(Decl.vector(M).asConstant(), d.get("w").orElseThrow());
        assertEquals(Decl.vector(Size.of(3)), d.get("y").orElseThrow());
        // const of an undeclared name keeps the first-letter kind, with sizes to infer.
        Decl a = d.get("A").orElseThrow();
        assertTrue(a.constant());
        assertEquals(Decl.VarKind.MATRIX, a.kind());
        assertEquals(null, a.rows());
        assertTrue(d.get("D").orElseThrow().has(Decl.Property.DIAGONAL));
        assertTrue(d.get("Q").orElseThrow().has(Decl.Property.ORTHOGONAL));
        assertTrue(d.get("R").orElseThrow().constant() && d.get("R").orElseThrow().isSymmetric());
        assertFalse(d.get("S").orElseThrow().constant());
        // const before or after the kind line gives the same result.
        assertEquals(Declarations.fromLines("const B\nB : matrix(n)").asMap(), Declarations.fromLines("B : matrix(n)\nconst B").asMap());
    }

    @Test
    void integerSizesBindSymbolsAndDistinctSymbolsNeverUnify() {
        Declarations d = Declarations.fromStrings(Map.of("X", "matrix(n,m)", "y", "vector(4)", "z", "vector(5)", "u", "vector(n)", "v", "vector(m)"));
        // n meets 4: n is 4 from then on.
        Typing t = Typer.check(Parser.parse("X'*y + X'*u"), d);
        assertEquals(Shape.vector(M), t.shape());
        assertEquals(new Shape(Size.of(4), M), t.variables().get("X"));
        // n is 4, so it cannot also be 5.
        MatcalcException e = assertThrows(MatcalcException.class, () -> Typer.check(Parser.parse("X'*y + X'*z"), d));
        assertEquals("1:10: cannot multiply matrix(m,4) by vector(5): the left has 4 columns but the right has 5 rows"
                + " (the size 4 was inferred at 1:3)", e.getMessage());
        // Two symbols never unify, even when nothing else fixes them.
        MatcalcException e2 = assertThrows(MatcalcException.class, () -> Typer.check(Parser.parse("u + v"), d));
        assertEquals("1:3: cannot add vector(n) and vector(m): shapes differ", e2.getMessage());
        MatcalcException e3 = assertThrows(MatcalcException.class, () -> Typer.check(Parser.parse("X*u"), d));
        assertEquals("1:2: cannot multiply matrix(n,m) by vector(n): the left has m columns but the right has n rows", e3.getMessage());
        // The same symbol in two declarations is the same size.
        assertEquals(Shape.SCALAR, Typer.check(Parser.parse("u'*X*v"), d).shape());
    }

    @Test
    void spdIsSquareAndSizesComeFromTheDeclaration() {
        Declarations d = Declarations.fromStrings(Map.of("S", "spd(n)", "P", "spd(3)"));
        assertEquals(new Shape(N, N), Typer.check(Parser.parse("inv(S)"), d).shape());
        assertEquals(Shape.SCALAR, Typer.check(Parser.parse("logdet(S) + tr(P)"), d).shape());
        assertEquals(new Shape(Size.of(3), Size.of(3)), Typer.check(Parser.parse("sqrtm(P)*eye"), d).shape());
        // A symbol meets an integer: n is 3 here, for S too.
        Typing t = Typer.check(Parser.parse("S + P"), d);
        assertEquals(new Shape(Size.of(3), Size.of(3)), t.shape());
        assertEquals(new Shape(Size.of(3), Size.of(3)), t.variables().get("S"));
        Declarations d2 = Declarations.fromStrings(Map.of("S", "spd(n)", "P", "spd(3)", "Q", "spd(4)"));
        assertThrows(MatcalcException.class, () -> Typer.check(Parser.parse("S + P + Q"), d2));
    }

    @Test
    void ofAndWithValidateNames() {
        Declarations d = Declarations.of(Map.of("x", Decl.scalar()));
        assertEquals(Decl.scalar(), d.with("y", Decl.vector(N)).get("x").orElseThrow());
        assertTrue(d.get("y").isEmpty(), "with() copies");
        assertThrows(MatcalcException.class, () -> Declarations.of(Map.of("tr", Decl.scalar())));
        assertThrows(MatcalcException.class, () -> Declarations.of(Map.of("", Decl.scalar())));
        assertThrows(MatcalcException.class, () -> Declarations.of(Map.of("x y", Decl.scalar())));
        assertThrows(MatcalcException.class, () -> Declarations.fromStrings(Map.of("\u00e9", "scalar")));
    }
}
