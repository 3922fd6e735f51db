package org.matcalc.numeric.ad;

/**
 * The one table of element-wise scalar functions (DiffRules.jl's idea): each row gives f, its
 * first and second derivatives on doubles, and its first derivative on any {@link Num}, so
 * that nested duals can differentiate it again. Dual numbers, matrix duals and the reverse
 * tape all read this table; {@code ScalarFunctionTest} walks it row by row.
 *
 * <p>Rows with a kink ({@link #RELU}, {@link #ABS}) use the derivative of one side at 0 and
 * a zero second derivative (almost everywhere).
 */
public enum ScalarFunction {
    SIN("sin", -3, 3, false) {
        public double f(double x) { return Math.sin(x); }
        public double df(double x) { return Math.cos(x); }
        public double d2f(double x) { return -Math.sin(x); }
        public <T extends Num<T>> T df(T x) { return x.apply(COS); }
    },
    COS("cos", -3, 3, false) {
        public double f(double x) { return Math.cos(x); }
        public double df(double x) { return -Math.sin(x); }
        public double d2f(double x) { return -Math.cos(x); }
        public <T extends Num<T>> T df(T x) { return x.apply(SIN).negate(); }
    },
    TAN("tan", -1.2, 1.2, false) {
        public double f(double x) { return Math.tan(x); }
        public double df(double x) { double t = Math.tan(x); return 1 + t * t; }
        public double d2f(double x) { double t = Math.tan(x); return 2 * t * (1 + t * t); }
        public <T extends Num<T>> T df(T x) { T t = x.apply(TAN); return t.times(t).plus(1); }
    },
    EXP("exp", -2, 2, false) {
        public double f(double x) { return Math.exp(x); }
        public double df(double x) { return Math.exp(x); }
        public double d2f(double x) { return Math.exp(x); }
        public <T extends Num<T>> T df(T x) { return x.apply(EXP); }
        public double dfFromOutput(double x, double y) { return y; }
    },
    /** Natural logarithm; -Inf at 0, NaN below. */
    LOG("log", 0.2, 3, false) {
        public double f(double x) { return Math.log(x); }
        public double df(double x) { return 1 / x; }
        public double d2f(double x) { return -1 / (x * x); }
        public <T extends Num<T>> T df(T x) { return x.pow(-1); }
    },
    /** Square root; its derivative is +Inf at 0. */
    SQRT("sqrt", 0.2, 3, false) {
        public double f(double x) { return Math.sqrt(x); }
        public double df(double x) { return 0.5 / Math.sqrt(x); }
        public double d2f(double x) { return -0.25 / (x * Math.sqrt(x)); }
        public <T extends Num<T>> T df(T x) { return x.apply(SQRT).pow(-1).times(0.5); }
    },
    TANH("tanh", -2, 2, false) {
        public double f(double x) { return Math.tanh(x); }
        public double df(double x) { double t = Math.tanh(x); return 1 - t * t; }
        public double d2f(double x) { double t = Math.tanh(x); return -2 * t * (1 - t * t); }
        public <T extends Num<T>> T df(T x) { T t = x.apply(TANH); return t.times(t).negate().plus(1); }
        public double dfFromOutput(double x, double y) { return 1 - y * y; }
    },
    SIGMOID("sigmoid", -3, 3, false) {
        public double f(double x) { return sigmoid(x); }
        public double df(double x) { double s = sigmoid(x); return s * (1 - s); }
        public double d2f(double x) { double s = sigmoid(x); return s * (1 - s) * (1 - 2 * s); }
        public <T extends Num<T>> T df(T x) { T s = x.apply(SIGMOID); return s.times(s.negate().plus(1)); }
        public double dfFromOutput(double x, double y) { return y * (1 - y); }
    },
    /** log(1 + exp(x)), computed without overflow. */
    SOFTPLUS("softplus", -3, 3, false) {
        public double f(double x) { return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)); }
        public double df(double x) { return sigmoid(x); }
        public double d2f(double x) { double s = sigmoid(x); return s * (1 - s); }
        public <T extends Num<T>> T df(T x) { return x.apply(SIGMOID); }
    },
    /** max(x, 0); derivative 0 at the kink. */
    RELU("relu", -2, 2, true) {
        public double f(double x) { return x > 0 ? x : 0; }
        public double df(double x) { return x > 0 ? 1 : 0; }
        public double d2f(double x) { return 0; }
        public <T extends Num<T>> T df(T x) { return x.apply(STEP); }
    },
    /** |x|; derivative sign(x), 0 at the kink. */
    ABS("abs", -2, 2, true) {
        public double f(double x) { return Math.abs(x); }
        public double df(double x) { return Math.signum(x); }
        public double d2f(double x) { return 0; }
        public <T extends Num<T>> T df(T x) { return x.apply(SIGN); }
    },
    /** The Heaviside step (1 for x > 0): the derivative of relu. Piecewise constant. */
    STEP("step", -2, 2, true) {
        public double f(double x) { return x > 0 ? 1 : 0; }
        public double df(double x) { return 0; }
        public double d2f(double x) { return 0; }
        public <T extends Num<T>> T df(T x) { return x.constant(0); }
    },
    /** sign(x): the derivative of abs. Piecewise constant. */
    SIGN("sign", -2, 2, true) {
        public double f(double x) { return Math.signum(x); }
        public double df(double x) { return 0; }
        public double d2f(double x) { return 0; }
        public <T extends Num<T>> T df(T x) { return x.constant(0); }
    };

    private final String symbol;
    private final double lo;
    private final double hi;
    private final boolean kinkAtZero;

    ScalarFunction(String symbol, double lo, double hi, boolean kinkAtZero) {
        this.symbol = symbol;
        this.lo = lo;
        this.hi = hi;
        this.kinkAtZero = kinkAtZero;
    }

    public abstract double f(double x);

    public abstract double df(double x);

    public abstract double d2f(double x);

    /**
     * f'(x) given also y = f(x): rows whose derivative is cheap from the output (exp, tanh,
     * sigmoid) override this, so reverse sweeps need not evaluate f again.
     */
    public double dfFromOutput(double x, double y) {
        return df(x);
    }

    /** f'(x) on any number type: what nested duals use to differentiate f again. */
    public abstract <T extends Num<T>> T df(T x);

    /** The name used in the expression language and in printed output. */
    public String symbol() {
        return symbol;
    }

    /**
     * A test input in this function's comfortable domain, from {@code u} uniform in [0, 1);
     * inputs near a kink are moved away from it (finite differences straddling it are wrong).
     */
    public double sample(double u) {
        double x = lo + (hi - lo) * u;
        if (kinkAtZero && Math.abs(x) < 0.2) {
            x = x < 0 ? x - 0.2 : x + 0.2;
        }
        return x;
    }

    /** The row whose {@link #symbol()} is {@code name}, or null. */
    public static ScalarFunction bySymbol(String name) {
        for (ScalarFunction f : values()) {
            if (f.symbol.equals(name)) {
                return f;
            }
        }
        return null;
    }

    static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }
}
