package org.matcalc.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LatexPrinterTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '"', value = {
        "x'*A*x => x^{T} A x",
        "0.5*x'*A*x => 0.5 x^{T} A x",
        "inv(X) => X^{-1}",
        "inv(X') => \\left(X^{T}\\right)^{-1}",
        "inv(X)' => \\left(X^{-1}\\right)^{T}",
        "A^-1 => A^{-1}",
        "a .* b => a \\odot b",
        "a ./ b => a \\oslash b",
        "x.^2 => x^{\\circ 2}",
        "norm2(x)^2 => \\left\\| x \\right\\|_2^{2}",
        "norm1(A*x - y) => \\left\\| A x - y \\right\\|_1",
        "kron(A, B) => A \\otimes B",
        "kron(A + B, C) => \\left(A + B\\right) \\otimes C",
        "lambda => \\lambda",
        "lambda*x => \\lambda x",
        "x1 => x_{1}",
        "x_1 => x_{1}",
        "theta_12 => \\theta_{12}",
        "alpha2 => \\alpha_{2}",
        "W_out => W_{out}",
        "xy => \\mathit{xy}",
        "a/b => \\frac{a}{b}",
        "(a + b)/(c - d) => \\frac{a + b}{c - d}",
        "A*B/c => A \\frac{B}{c}",
        "2*x => 2 x",
        "x*2 => x \\cdot 2",
        "-x => -x",
        "-2*x => -2 x",
        "-x^2 => -x^{2}",
        "(-x)^2 => \\left(-x\\right)^{2}",
        "a - (b - c) => a - \\left(b - c\\right)",
        "(a + b)*(c + d) => \\left(a + b\\right) \\left(c + d\\right)",
        "X^T^T => \\left(X^{T}\\right)^{T}",
        "sqrt(x) => \\sqrt{x}",
        "sqrtm(S) => S^{1/2}",
        "exp(x) => \\exp\\left(x\\right)",
        "expm(X) => \\operatorname{expm}\\left(X\\right)",
        "sigmoid(x) => \\sigma\\left(x\\right)",
        "tr(X) => \\operatorname{tr}\\left(X\\right)",
        "det(X) => \\det\\left(X\\right)",
        "logdet(S) => \\log\\det\\left(S\\right)",
        "lambda_max(S) => \\lambda_{\\max}\\left(S\\right)",
        "eye => I",
        "eye(n) => I_{n}",
        "zeros(n, m) => 0_{n \\times m}",
        "vector(1) => \\mathbb{1}",
        "vector(2, n) => 2 \\mathbb{1}_{n}",
        "matrix(c, n, m) => c \\mathbb{1}_{n \\times m}",
        "commutation(m, n) => K_{m,n}",
        "1e-30 => 1 \\cdot 10^{-30}",
        "1e-30^2 => \\left(1 \\cdot 10^{-30}\\right)^{2}",
        "1e-30' => \\left(1 \\cdot 10^{-30}\\right)^{T}",
        "kron(A, B)' => \\left(A \\otimes B\\right)^{T}",
        "kron(A, B)*x => \\left(A \\otimes B\\right) x",
        "kron(A, B) + a => A \\otimes B + a",
        "-kron(A, B) => -\\left(A \\otimes B\\right)",
        "kron(kron(A, B), C) => A \\otimes B \\otimes C",
    })
    void rendersAsExpected(String text, String latex) {
        assertEquals(latex, LatexPrinter.print(Expr.parse(text)));
    }

    @Test
    void matrixAndElementwiseExponentialsDiffer() {
        assertNotEquals(LatexPrinter.print(Expr.parse("exp(X)")), LatexPrinter.print(Expr.parse("expm(X)")));
    }

    @Test
    void everyNodeTypeOperatorAndFunctionRendersNonEmptyAndDistinct() {
        List<Expr> samples = new java.util.ArrayList<>(List.of(Expr.parse("2"), Expr.parse("x"), Expr.parse("-x"), Expr.parse("x'"),
                Expr.parse("eye"), Expr.parse("eye(n)"), Expr.parse("zeros(n, m)"), Expr.parse("vector(1)"),
                Expr.parse("matrix(2, n, m)"), Expr.parse("commutation(m, n)")));
        for (BinaryOp op : BinaryOp.values()) {
            samples.add(new Expr.Binary(op, Expr.var("X"), Expr.var("Y")));
        }
        for (Builtin b : Builtin.values()) {
            samples.add(new Expr.Call(b, List.<Expr>of(Expr.var("X"), Expr.var("Y"), Expr.var("Z")).subList(0, b.arity())));
        }
        for (ScalarFunction f : ScalarFunction.values()) {
            samples.add(new Expr.Elementwise(f, Expr.var("X")));
        }
        Set<Class<?>> covered = new HashSet<>();
        Set<String> rendered = new HashSet<>();
        for (Expr e : samples) {
            covered.add(e.getClass());
            String latex = LatexPrinter.print(e);
            assertFalse(latex.isBlank(), TextPrinter.print(e));
            assertWellFormed(latex, TextPrinter.print(e));
            assertTrue(rendered.add(latex), "two different nodes render alike: " + latex);
        }
        assertEquals(Set.of(Expr.class.getPermittedSubclasses()), covered);
    }

    @Test
    void randomTreesRenderWellFormed() {
        for (long seed = 0; seed < 3000; seed++) {
            Expr e = new ExprGenerator(seed).arbitrary(2 + (int) (seed % 6));
            String latex = LatexPrinter.print(e);
            assertFalse(latex.isBlank());
            assertWellFormed(latex, "seed " + seed + ": " + TextPrinter.print(e));
        }
    }

    /** Balanced {} and \left/\right, and never a double superscript or subscript such as x^{a}^{b}. */
    static void assertWellFormed(String latex, String what) {
        int braces = 0;
        for (int i = 0; i < latex.length(); i++) {
            char c = latex.charAt(i);
            if (c == '{') {
                braces++;
            } else if (c == '}' && --braces < 0) {
                fail(what + ": unbalanced '}' in " + latex);
            }
        }
        assertEquals(0, braces, what + ": unbalanced '{' in " + latex);
        assertEquals(count(latex, "\\left"), count(latex, "\\right"), what + ": \\left without \\right in " + latex);
        for (int i = 0; i < latex.length(); i++) {
            char c = latex.charAt(i);
            if (c == '^' || c == '_') {
                int end = i + 1;
                if (end < latex.length() && latex.charAt(end) == '{') {
                    int depth = 0;
                    do {
                        depth += latex.charAt(end) == '{' ? 1 : latex.charAt(end) == '}' ? -1 : 0;
                        end++;
                    } while (depth > 0);
                } else {
                    end++;
                }
                if (end < latex.length() && latex.charAt(end) == c) {
                    fail(what + ": double " + c + " at " + i + " in " + latex);
                }
            }
        }
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
