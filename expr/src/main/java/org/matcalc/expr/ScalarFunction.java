package org.matcalc.expr;

import java.util.Optional;
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
    // sech^2 written with sigmoid, 4*s(2x)*s(-2x), so that it underflows to 0 for large |x| instead of cosh overflowing
    TANH("tanh", "\\tanh", Domain.ANY, Math::tanh, x -> 4 * sigmoid(2 * x) * sigmoid(-2 * x),
            "4*sigmoid(2*x) .* sigmoid(-2*x)"),
    EXP("exp", "\\exp", Domain.ANY, Math::exp, Math::exp,
            "exp(x)"),
    LOG("log", "\\log", Domain.POSITIVE, Math::log, x -> 1 / x,
            "1 ./ x"),
    SQRT("sqrt", "\\sqrt", Domain.POSITIVE, Math::sqrt, x -> 0.5 / Math.sqrt(x),
            "0.5 ./ sqrt(x)"),
    ABS("abs", "\\operatorname{abs}", Domain.AWAY_FROM_ZERO, Math::abs, Math::signum,
            "sign(x)"),
    SIGN("sign", "\\operatorname{sign}", Domain.AWAY_FROM_ZERO, Math::signum, x -> 0,
            "0 .* x"),
    RELU("relu", "\\operatorname{relu}", Domain.AWAY_FROM_ZERO, x -> x > 0 ? x : 0, x -> x > 0 ? 1 : 0,
            "sign(relu(x))"),
    SIGMOID("sigmoid", "\\sigma", Domain.ANY, ScalarFunction::sigmoid, x -> sigmoid(x) * sigmoid(-x),
            "sigmoid(x) .* sigmoid(-x)"),
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
    private volatile Expr symbolicTemplate;

    ScalarFunction(String name, String latex, Domain domain, DoubleUnaryOperator value,
                   DoubleUnaryOperator derivative, String symbolic) {
        this.name = name;
        this.latex = latex;
        this.domain = domain;
        this.value = value;
        this.derivative = derivative;
        this.symbolic = symbolic;
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

    /** log(1+e^x) without overflow for large x or loss of precision for very negative x. */
    public static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }
}
