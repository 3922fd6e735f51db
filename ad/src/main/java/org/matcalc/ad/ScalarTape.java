package org.matcalc.ad;

import java.util.Arrays;

import org.matcalc.expr.ScalarFunction;
import org.matcalc.numeric.Num;

/**
 * Reverse mode for scalar programs, as flat arrays: each recorded operation keeps at most two
 * parents and its two local partials (a Wengert list), and {@link #backward} sweeps them once
 * from the end, accumulating adjoints with +=.
 *
 * <p>Why beside {@link Tape}: its nodes hold matrix duals, so a scalar program of m
 * operations allocates m 1x1 matrices with their pullback closures. {@link AD#gradient(ScalarProgram, double[])}
 * and the ODE adjoint (f_u' lambda and f_p' lambda at every stage of every backward step) run
 * scalar programs; there the general tape was about 6x the cost of evaluating f
 * (docs/ode-sensitivity.md, "Cost: forward vs adjoint"). The rules are the same as
 * {@link Dual}'s (including pow's at p = 0 and {@link ScalarFunction#derivative}). One tape per
 * evaluation and thread.
 */
public final class ScalarTape {
    private int size;
    private int[] left = new int[256];
    private int[] right = new int[256];
    private double[] dLeft = new double[256];
    private double[] dRight = new double[256];

    /** An input to differentiate by. */
    public Var variable(double x) {
        return new Var(this, x, push(-1, 0, -1, 0));
    }

    /** v as variables, one per entry. */
    public Var[] variables(double[] v) {
        Var[] r = new Var[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = variable(v[i]);
        }
        return r;
    }

    /** A value with no derivative: not recorded. */
    public Var constant(double x) {
        return new Var(this, x, -1);
    }

    /**
     * Reverse sweep seeded with {@code seeds[i]} on {@code outputs[i]} (outputs that are
     * constants contribute nothing): the adjoints of every recorded value, indexed as
     * {@link #gradient} reads them.
     */
    public double[] backward(Var[] outputs, double[] seeds) {
        double[] adj = new double[size];
        for (int i = 0; i < outputs.length; i++) {
            Var o = own(outputs[i]);
            if (o.index >= 0) {
                adj[o.index] += seeds[i];
            }
        }
        for (int i = size - 1; i >= 0; i--) {
            double a = adj[i];
            if (a != 0) {
                if (left[i] >= 0) {
                    adj[left[i]] += dLeft[i] * a;
                }
                if (right[i] >= 0) {
                    adj[right[i]] += dRight[i] * a;
                }
            }
        }
        return adj;
    }

    /** The adjoints of the given variables after {@link #backward}. */
    public static double[] gradient(Var[] variables, double[] adjoints) {
        double[] g = new double[variables.length];
        for (int i = 0; i < variables.length; i++) {
            g[i] = adjoints[variables[i].index];
        }
        return g;
    }

    private int push(int l, double dl, int r, double dr) {
        if (size == left.length) {
            int cap = 2 * size;
            left = Arrays.copyOf(left, cap);
            right = Arrays.copyOf(right, cap);
            dLeft = Arrays.copyOf(dLeft, cap);
            dRight = Arrays.copyOf(dRight, cap);
        }
        left[size] = l;
        dLeft[size] = dl;
        right[size] = r;
        dRight[size] = dr;
        return size++;
    }

    private Var own(Var x) {
        if (x.tape != this) {
            throw new IllegalArgumentException("ScalarTape: operands belong to different tapes");
        }
        return x;
    }

    /** z = op(x) with dz/dx = dx; a constant if x is one. */
    private Var unary(double z, Var x, double dx) {
        return x.index < 0 ? constant(z) : new Var(this, z, push(x.index, dx, -1, 0));
    }

    /** z = op(x, y) with partials dx, dy; parents that are constants are not linked. */
    private Var binary(double z, Var x, double dx, Var y, double dy) {
        own(y);
        if (x.index < 0 && y.index < 0) {
            return constant(z);
        }
        return new Var(this, z, push(x.index, dx, y.index, dy));
    }

    /** A scalar on a {@link ScalarTape}; index -1 for a constant. Immutable. */
    public static final class Var implements Num<Var> {
        private final ScalarTape tape;
        private final double v;
        private final int index;

        private Var(ScalarTape tape, double v, int index) {
            this.tape = tape;
            this.v = v;
            this.index = index;
        }

        @Override public double real() { return v; }
        @Override public Var constant(double c) { return tape.constant(c); }
        @Override public Var plus(Var b) { return tape.binary(v + b.v, this, 1, b, 1); }
        @Override public Var minus(Var b) { return tape.binary(v - b.v, this, 1, b, -1); }
        @Override public Var times(Var b) { return tape.binary(v * b.v, this, b.v, b, v); }

        @Override
        public Var div(Var b) {
            double z = v / b.v;
            return tape.binary(z, this, 1 / b.v, b, -z / b.v);
        }

        @Override public Var negate() { return tape.unary(-v, this, -1); }
        @Override public Var plus(double c) { return tape.unary(v + c, this, 1); }
        @Override public Var times(double c) { return tape.unary(v * c, this, c); }

        @Override
        public Var pow(double p) {
            return tape.unary(Math.pow(v, p), this, p == 0 ? 0 : p * Math.pow(v, p - 1));
        }

        @Override
        public Var apply(ScalarFunction f) {
            return tape.unary(f.apply(v), this, f.derivative(v));
        }

        @Override
        public String toString() {
            return Double.toString(v);
        }
    }
}
