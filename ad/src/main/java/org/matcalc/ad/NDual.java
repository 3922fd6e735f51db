package org.matcalc.ad;

import org.matcalc.expr.ScalarFunction;
import org.matcalc.numeric.Num;
import org.matcalc.numeric.ScalarRules;

/**
 * A dual number whose parts are themselves numbers of type T: {@code NDual<Dual>} carries
 * second derivatives, {@code NDual<DualVec>} a gradient of a directional derivative (one row
 * of a Hessian per run), {@code NDual<NDual<Dual>>} third derivatives. The rules are those of
 * {@link Dual}, written with T's operations, so they differentiate themselves.
 *
 * <p>Perturbation confusion is avoided by construction: each level is a distinct type and
 * is seeded explicitly by the caller.
 */
public final class NDual<T extends Num<T>> implements Num<NDual<T>> {
    private final T v;
    private final T d;

    /** A value and its derivative. */
    public NDual(T value, T derivative) {
        this.v = value;
        this.d = derivative;
    }

    /** The value. */
    public T value() { return v; }

    /** The derivative. */
    public T derivative() { return d; }

    @Override public double real() { return v.real(); }
    @Override public NDual<T> constant(double c) { return new NDual<>(v.constant(c), v.constant(0)); }
    @Override public NDual<T> plus(NDual<T> b) { return new NDual<>(v.plus(b.v), d.plus(b.d)); }
    @Override public NDual<T> minus(NDual<T> b) { return new NDual<>(v.minus(b.v), d.minus(b.d)); }
    @Override public NDual<T> times(NDual<T> b) { return new NDual<>(v.times(b.v), d.times(b.v).plus(v.times(b.d))); }

    @Override
    public NDual<T> div(NDual<T> b) {
        T q = v.div(b.v);
        return new NDual<>(q, d.minus(q.times(b.d)).div(b.v));
    }

    @Override public NDual<T> negate() { return new NDual<>(v.negate(), d.negate()); }
    @Override public NDual<T> plus(double c) { return new NDual<>(v.plus(c), d); }
    @Override public NDual<T> times(double c) { return new NDual<>(v.times(c), d.times(c)); }

    @Override
    public NDual<T> pow(double p) {
        T dp = p == 0 ? v.constant(0) : d.times(v.pow(p - 1).times(p));
        return new NDual<>(v.pow(p), dp);
    }

    @Override
    public NDual<T> apply(ScalarFunction f) {
        return new NDual<>(v.apply(f), d.times(ScalarRules.derivative(f, v)));
    }

    @Override
    public String toString() {
        return "(" + v + ") + (" + d + ")ε'";
    }
}
