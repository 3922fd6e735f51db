package org.matcalc.ad;

import org.matcalc.expr.ScalarFunction;

import java.util.Arrays;
import org.matcalc.numeric.Num;

/**
 * A value with its gradient along n directions at once (ForwardDiff.jl's multi-partial dual):
 * one run of a program with input k seeded by {@link #variable(double, int, int)} yields the
 * whole gradient. Costs O(n) per operation, so it suits small n. Immutable.
 */
public final class DualVec implements Num<DualVec> {
    private final double v;
    private final double[] g;

    private DualVec(double v, double[] g) {
        this.v = v;
        this.g = g;
    }

    /** Input {@code k} of {@code n}: gradient e_k. */
    public static DualVec variable(double x, int k, int n) {
        double[] g = new double[n];
        g[k] = 1;
        return new DualVec(x, g);
    }

    /** A value with its gradient (copied). */
    public static DualVec of(double value, double[] gradient) {
        return new DualVec(value, gradient.clone());
    }

    /** The value. */
    public double value() { return v; }

    /** A copy of the gradient. */
    public double[] gradient() { return g.clone(); }

    /** The partial derivative along direction k. */
    public double partial(int k) { return g[k]; }

    /** The number of directions (the length of the gradient). */
    public int directions() { return g.length; }

    @Override public double real() { return v; }
    @Override public DualVec constant(double c) { return new DualVec(c, new double[g.length]); }

    @Override
    public DualVec plus(DualVec b) {
        double[] r = new double[g.length];
        for (int k = 0; k < r.length; k++) r[k] = g[k] + b.g[k];
        return new DualVec(v + b.v, r);
    }

    @Override
    public DualVec minus(DualVec b) {
        double[] r = new double[g.length];
        for (int k = 0; k < r.length; k++) r[k] = g[k] - b.g[k];
        return new DualVec(v - b.v, r);
    }

    @Override
    public DualVec times(DualVec b) {
        double[] r = new double[g.length];
        for (int k = 0; k < r.length; k++) r[k] = g[k] * b.v + v * b.g[k];
        return new DualVec(v * b.v, r);
    }

    @Override
    public DualVec div(DualVec b) {
        double q = v / b.v;
        double[] r = new double[g.length];
        for (int k = 0; k < r.length; k++) r[k] = (g[k] - q * b.g[k]) / b.v;
        return new DualVec(q, r);
    }

    @Override public DualVec negate() { return scaled(-v, -1); }
    @Override public DualVec plus(double c) { return new DualVec(v + c, g); }
    @Override public DualVec times(double c) { return scaled(v * c, c); }

    @Override
    public DualVec pow(double p) {
        return scaled(Math.pow(v, p), p == 0 ? 0 : p * Math.pow(v, p - 1));
    }

    @Override
    public DualVec apply(ScalarFunction f) {
        return scaled(f.apply(v), f.derivative(v));
    }

    /** (value, gradient * s): the chain rule for a unary function. */
    private DualVec scaled(double value, double s) {
        double[] r = new double[g.length];
        for (int k = 0; k < r.length; k++) r[k] = g[k] * s;
        return new DualVec(value, r);
    }

    @Override
    public String toString() {
        return v + " + " + Arrays.toString(g) + "·ε";
    }
}
