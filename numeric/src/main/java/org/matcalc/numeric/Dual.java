package org.matcalc.numeric;

import org.matcalc.expr.ScalarFunction;

/**
 * A dual number v + d*eps with eps^2 = 0 (MIT 18.063 ch. 8): carrying d alongside v through
 * a program yields the program's derivative along one direction, exactly. Immutable.
 *
 * <pre>{@code
 * Dual x = Dual.variable(49);
 * Dual y = x.sqrt();          // y.value() == 7, y.derivative() == 1/14
 * }</pre>
 */
public final class Dual implements Num<Dual> {
    private final double v;
    private final double d;

    public Dual(double value, double derivative) {
        this.v = value;
        this.d = derivative;
    }

    /** The independent variable: derivative 1. */
    public static Dual variable(double x) {
        return new Dual(x, 1);
    }

    public static Dual constantOf(double c) {
        return new Dual(c, 0);
    }

    public double value() { return v; }

    public double derivative() { return d; }

    @Override public double real() { return v; }
    @Override public Dual constant(double c) { return new Dual(c, 0); }
    @Override public Dual plus(Dual b) { return new Dual(v + b.v, d + b.d); }
    @Override public Dual minus(Dual b) { return new Dual(v - b.v, d - b.d); }
    @Override public Dual times(Dual b) { return new Dual(v * b.v, d * b.v + v * b.d); }

    @Override
    public Dual div(Dual b) {
        double q = v / b.v;
        return new Dual(q, (d - q * b.d) / b.v);
    }

    @Override public Dual negate() { return new Dual(-v, -d); }
    @Override public Dual plus(double c) { return new Dual(v + c, d); }
    @Override public Dual times(double c) { return new Dual(v * c, d * c); }

    @Override
    public Dual pow(double p) {
        return new Dual(Math.pow(v, p), p == 0 ? 0 : d * p * Math.pow(v, p - 1));
    }

    @Override
    public Dual apply(ScalarFunction f) {
        return new Dual(f.apply(v), d * f.derivative(v));
    }

    @Override
    public String toString() {
        return v + " + " + d + "ε";
    }
}
