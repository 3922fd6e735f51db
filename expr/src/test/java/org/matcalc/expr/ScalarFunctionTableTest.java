package org.matcalc.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Each row of the element-wise table: value, derivative and symbolic derivative agree with each other. */
class ScalarFunctionTableTest {

    /** Points inside the row's domain and away from its kinks. */
    static double sample(ScalarFunction.Domain d, Random rnd) {
        double u = rnd.nextDouble();
        switch (d) {
            case ANY:
                return -4 + 8 * u;
            case POSITIVE:
                return 0.05 + 5 * u;
            case OPEN_UNIT:
                return -0.95 + 1.9 * u;
            case NEAR_ZERO:
                return -1.2 + 2.4 * u;
            case AWAY_FROM_ZERO:
                return (rnd.nextBoolean() ? 1 : -1) * (0.05 + 4 * u);
            default:
                throw new AssertionError(d);
        }
    }

    @ParameterizedTest
    @EnumSource(ScalarFunction.class)
    void derivativeMatchesCentralDifference(ScalarFunction f) {
        Random rnd = new Random(f.ordinal());
        for (int i = 0; i < 200; i++) {
            double x = sample(f.domain(), rnd);
            double h = 1e-5 * Math.max(1, Math.abs(x));
            double fd = (f.apply(x + h) - f.apply(x - h)) / (2 * h);
            double d = f.derivative(x);
            assertTrue(Double.isFinite(f.apply(x)) && Double.isFinite(d), f + " at " + x);
            assertEquals(fd, d, 1e-6 * Math.max(1, Math.abs(d)), f + "' at " + x);
        }
    }

    @ParameterizedTest
    @EnumSource(ScalarFunction.class)
    void symbolicDerivativeParsesTypesAndHasTheValueOfDerivative(ScalarFunction f) {
        Expr x = Expr.var("x");
        Expr d = f.symbolicDerivative(x);
        assertEquals(Parser.parse(f.derivativeText()).expr(), d);
        assertEquals(d, Parser.parse(TextPrinter.print(d)).expr());
        // Element-wise: the derivative has the shape of its argument, whatever that is (a number in
        // a template's sum, 1 - tanh(x).^2, is filled out to that shape as the engine rebuilds it).
        Declarations decls = Declarations.fromStrings(Map.of("x", "vector(n)", "X", "matrix(n,m)", "t", "scalar"));
        assertEquals(Shape.vector(Size.sym("n")), typed(d, decls));
        assertEquals(new Shape(Size.sym("n"), Size.sym("m")), typed(f.symbolicDerivative(Expr.var("X")), decls));
        assertEquals(Shape.SCALAR, typed(f.symbolicDerivative(Expr.var("t")), decls));
        // Substitution reaches every x: none is left when x is replaced by another expression.
        Expr y = f.symbolicDerivative(Expr.mul(Expr.num(2), Expr.var("u")));
        assertTrue(!TreeDepth.variables(y).contains("x"), TextPrinter.print(y));
        Random rnd = new Random(100 + f.ordinal());
        for (int i = 0; i < 100; i++) {
            double at = sample(f.domain(), rnd);
            assertEquals(f.derivative(at), eval(d, at), 1e-12 * Math.max(1, Math.abs(f.derivative(at))), f + "' = " + f.derivativeText() + " at " + at);
        }
    }

    private static Shape typed(Expr e, Declarations decls) {
        return Typer.run(e, decls, SourceMap.EMPTY, Map.of(), Map.of(), true).typing(e).shape();
    }

    @Test
    void namesAreDistinctAndFoundByName() {
        Set<String> names = new HashSet<>();
        for (ScalarFunction f : ScalarFunction.values()) {
            assertTrue(names.add(f.languageName()));
            assertEquals(f, ScalarFunction.byName(f.languageName()).orElseThrow());
            assertTrue(Builtin.byName(f.languageName()).isEmpty(), "both element-wise and built-in: " + f);
            assertTrue(f.latex().startsWith("\\"));
        }
        assertTrue(ScalarFunction.byName("sinn").isEmpty());
    }

    /** The fast tanh agrees with Math.tanh to a few ulps everywhere, across the switch at 0.55 and in both tails. */
    @Test
    void fastTanhAgreesWithMathTanh() {
        java.util.Random rnd = new java.util.Random(3);
        for (int i = 0; i < 200_000; i++) {
            double x = i % 4 == 0 ? rnd.nextGaussian() * 1e-6 : i % 4 == 1 ? 0.55 + (rnd.nextDouble() - 0.5) * 1e-3 : rnd.nextGaussian() * 8;
            double want = Math.tanh(x), got = ScalarFunction.tanh(x);
            assertTrue(Math.abs(got - want) <= 4 * Math.ulp(want), x + ": " + got + " vs " + want);
        }
        assertEquals(1.0, ScalarFunction.tanh(800), 0);
        assertEquals(-1.0, ScalarFunction.tanh(-800), 0);
        assertEquals(0.0, ScalarFunction.tanh(0), 0);
        assertTrue(Double.isNaN(ScalarFunction.tanh(Double.NaN)));
    }

    @Test
    void stableForms() {
        assertEquals(1.0, ScalarFunction.sigmoid(1000), 0);
        assertEquals(0.0, ScalarFunction.sigmoid(-1000), 0);
        assertEquals(1000.0, ScalarFunction.softplus(1000), 0);
        assertEquals(Math.exp(-800), ScalarFunction.softplus(-800), 0);
        assertEquals(Math.log(2), ScalarFunction.softplus(0), 1e-16);
    }

    /** A scalar evaluator for the derivative templates, x bound to a number. */
    static double eval(Expr e, double x) {
        return e.accept(new Expr.Visitor<Double>() {
            public Double num(Expr.Num n) {
                return n.value();
            }

            public Double var(Expr.Var v) {
                assertEquals("x", v.name());
                return x;
            }

            public Double neg(Expr.Neg n) {
                return -n.arg().accept(this);
            }

            public Double transpose(Expr.Transpose t) {
                return t.arg().accept(this);
            }

            public Double binary(Expr.Binary b) {
                double l = b.left().accept(this);
                double r = b.right().accept(this);
                switch (b.op()) {
                    case ADD: return l + r;
                    case SUB: return l - r;
                    case MUL: case HADAMARD: return l * r;
                    case DIV: case HADAMARD_DIV: return l / r;
                    case POW: case ELEM_POW: return Math.pow(l, r);
                    default: throw new AssertionError(b);
                }
            }

            public Double call(Expr.Call c) {
                throw new AssertionError("not element-wise: " + c);
            }

            public Double elementwise(Expr.Elementwise f) {
                return f.fn().apply(f.arg().accept(this));
            }

            public Double identity(Expr.Identity i) {
                throw new AssertionError(i);
            }

            public Double zeros(Expr.Zeros z) {
                throw new AssertionError(z);
            }

            public Double fill(Expr.Fill f) {
                throw new AssertionError(f);
            }

            public Double commutation(Expr.Commutation c) {
                throw new AssertionError(c);
            }
        });
    }
}
