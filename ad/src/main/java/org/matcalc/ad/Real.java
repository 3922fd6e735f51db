package org.matcalc.ad;

import org.matcalc.expr.ScalarFunction;
import org.matcalc.numeric.Num;

/** A plain double as a {@link Num}: runs a {@link ScalarProgram} without derivatives. */
public final class Real implements Num<Real> {
    private final double v;

    /** The number v. */
    public Real(double v) {
        this.v = v;
    }

    @Override public double real() { return v; }
    @Override public Real constant(double c) { return new Real(c); }
    @Override public Real plus(Real b) { return new Real(v + b.v); }
    @Override public Real minus(Real b) { return new Real(v - b.v); }
    @Override public Real times(Real b) { return new Real(v * b.v); }
    @Override public Real div(Real b) { return new Real(v / b.v); }
    @Override public Real negate() { return new Real(-v); }
    @Override public Real plus(double c) { return new Real(v + c); }
    @Override public Real times(double c) { return new Real(v * c); }
    @Override public Real pow(double p) { return new Real(Math.pow(v, p)); }
    @Override public Real apply(ScalarFunction f) { return new Real(f.apply(v)); }

    @Override
    public String toString() {
        return Double.toString(v);
    }
}
