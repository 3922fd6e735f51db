package org.matcalc.expr;

import java.util.Optional;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.Map;

/**
 * The table of element-wise functions: one row each. Every engine reads this table: the dense
 * evaluator and finite differences use {@link #apply}, forward and reverse AD use {@link #apply}
 * and {@link #derivative}, the symbolic engine uses {@link #symbolicDerivative}, the printers
 * use {@link #latex}. A test walks the rows and checks all of them against each other.
 *
 * <p>Derivatives are written in the language, in terms of {@code x}, without scalar
 * broadcasting in {@code +} (which the language refuses): e.g. arcsin' is
 * {@code 1 ./ cos(arcsin(x))}, since {@code cos(arcsin x) = sqrt(1 - x^2)}.
 * Non-smooth functions are differentiated where they are smooth (CONTRACT.md §4).
 */
public enum ScalarFunction {
    SIN("sin", "\\sin", Domain.ANY, Math::sin, Math::cos,
            "cos(x)"),
    COS("cos", "\\cos", Domain.ANY, Math::cos, x -> -Math.sin(x),
            "-sin(x)"),
    TAN("tan", "\\tan", Domain.NEAR_ZERO, Math::tan, x -> 1 / (Math.cos(x) * Math.cos(x)),
            "1 ./ cos(x).^2"),
    ARCSIN("arcsin", "\\arcsin", Domain.OPEN_UNIT, Math::asin, x -> 1 / Math.sqrt(1 - x * x),
            "1 ./ cos(arcsin(x))"),
    ARCCOS("arccos", "\\arccos", Domain.OPEN_UNIT, Math::acos, x -> -1 / Math.sqrt(1 - x * x),
            "-(1 ./ sin(arccos(x)))"),
    ARCTAN("arctan", "\\arctan", Domain.ANY, Math::atan, x -> 1 / (1 + x * x),
            "cos(arctan(x)).^2"),
    SINH("sinh", "\\sinh", Domain.ANY, Math::sinh, Math::cosh,
            "cosh(x)"),
    COSH("cosh", "\\cosh", Domain.ANY, Math::cosh, Math::sinh,
            "sinh(x)"),
    // sech^2 computed with sigmoid, 4*s(2x)*s(-2x), so that it underflows to 0 for large |x| instead of cosh overflowing;
    // written 1 - tanh(x)^2 as people write it; from the value y = tanh(x), 1 - y^2 (no exp at all; within 2e-16 absolutely)
    TANH("tanh", "\\tanh", Domain.ANY, ScalarFunction::tanh, x -> 4 * sigmoid(2 * x) * sigmoid(-2 * x),
            "1 - tanh(x).^2", (x, y) -> 1 - y * y),
    EXP("exp", "\\exp", Domain.ANY, Math::exp, Math::exp,
            "exp(x)", (x, y) -> y),
    LOG("log", "\\log", Domain.POSITIVE, Math::log, x -> 1 / x,
            "1 ./ x"),
    SQRT("sqrt", "\\sqrt", Domain.POSITIVE, Math::sqrt, x -> 0.5 / Math.sqrt(x),
            "0.5 ./ sqrt(x)"),
    ABS("abs", "\\operatorname{abs}", Domain.AWAY_FROM_ZERO, Math::abs, Math::signum,
            "sign(x)"),
    SIGN("sign", "\\operatorname{sign}", Domain.AWAY_FROM_ZERO, Math::signum, x -> 0,
            "0 .* x"),
    // the Heaviside step with step(0) = 1/2: the tie-shared derivative of max(a, b) is step(a - b)
    STEP("step", "\\operatorname{step}", Domain.AWAY_FROM_ZERO, x -> x > 0 ? 1 : x < 0 ? 0 : 0.5, x -> 0,
            "0 .* x"),
    RELU("relu", "\\operatorname{relu}", Domain.AWAY_FROM_ZERO, x -> x > 0 ? x : 0, x -> x > 0 ? 1 : 0,
            "sign(relu(x))"),
    SIGMOID("sigmoid", "\\sigma", Domain.ANY, ScalarFunction::sigmoid, x -> sigmoid(x) * sigmoid(-x),
            "sigmoid(x) .* sigmoid(-x)", (x, y) -> y * (1 - y)),
    SOFTPLUS("softplus", "\\operatorname{softplus}", Domain.ANY, ScalarFunction::softplus, ScalarFunction::sigmoid,
            "sigmoid(x)");

    /** Where random test inputs for the function are drawn, to stay inside its domain and off its kinks. */
    public enum Domain { ANY, POSITIVE, OPEN_UNIT, NEAR_ZERO, AWAY_FROM_ZERO }

    private final String name;
    private final String latex;
    private final Domain domain;
    private final DoubleUnaryOperator value;
    private final DoubleUnaryOperator derivative;
    private final String symbolic;
    private final DoubleBinaryOperator fromValue;
    private volatile Expr symbolicTemplate;

    ScalarFunction(String name, String latex, Domain domain, DoubleUnaryOperator value,
                   DoubleUnaryOperator derivative, String symbolic) {
        this(name, latex, domain, value, derivative, symbolic, null);
    }

    /** With {@code fromValue}: f'(x) from x and y = f(x), cheaper where f' is a function of f (exp, tanh, sigmoid). */
    ScalarFunction(String name, String latex, Domain domain, DoubleUnaryOperator value,
                   DoubleUnaryOperator derivative, String symbolic, DoubleBinaryOperator fromValue) {
        this.name = name;
        this.latex = latex;
        this.domain = domain;
        this.value = value;
        this.derivative = derivative;
        this.symbolic = symbolic;
        this.fromValue = fromValue;
    }

    /** The name in the language, e.g. {@code sigmoid}. */
    public String languageName() {
        return name;
    }

    public String latex() {
        return latex;
    }

    public Domain domain() {
        return domain;
    }

    public double apply(double x) {
        return value.applyAsDouble(x);
    }

    public double derivative(double x) {
        return derivative.applyAsDouble(x);
    }

    /** f'(x) given also y = f(x) (reverse AD keeps y): the same number as {@link #derivative(double)}, to rounding. */
    public double derivative(double x, double y) {
        return fromValue != null ? fromValue.applyAsDouble(x, y) : derivative.applyAsDouble(x);
    }

    /** f'(x) as an element-wise expression in {@code x}, for any shape of x. */
    public Expr symbolicDerivative(Expr x) {
        Expr t = symbolicTemplate;
        if (t == null) {
            t = Parser.parse(symbolic).expr();
            symbolicTemplate = t;
        }
        return Substitution.replace(t, Map.of("x", x));
    }

    /** f'(x) as written in the table, in the language, in terms of x. */
    public String derivativeText() {
        return symbolic;
    }

    public static Optional<ScalarFunction> byName(String name) {
        for (ScalarFunction f : values()) {
            if (f.name.equals(name)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** 1/(1+e^-x) without overflow for large |x|. */
    public static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }

    /**
     * tanh(x) to within a few ulps of {@link Math#tanh}, about 2.5x faster (Math.tanh is not an
     * intrinsic; Math.exp is): (1 - e)/(1 + e) with e = exp(-2|x|) where |x| >= 0.55, so e <= 1/3
     * and nothing cancels; expm1(2x)/(expm1(2x) + 2) below, exact for small x.
     */
    public static double tanh(double x) {
        double a = Math.abs(x);
        if (a >= 0.55) {
            double e = Math.exp(-2 * a);
            return Math.copySign((1 - e) / (1 + e), x);
        }
        double e = Math.expm1(2 * x);
        return e / (e + 2);
    }

    /** log(1+e^x) without overflow for large x or loss of precision for very negative x. */
    public static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }
}
