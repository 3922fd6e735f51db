package org.matcalc.methods.variations;

import org.matcalc.numeric.Num;
import org.matcalc.ad.Real;
import org.matcalc.ad.ScalarProgram;
import org.matcalc.methods.optimize.Lbfgs;
import org.matcalc.methods.optimize.Objective;
import org.matcalc.methods.optimize.Options;
import org.matcalc.methods.optimize.Result;

/**
 * A functional J[y] with fixed ends y(a) = ya, y(b) = yb, discretised on a grid
 * a = x_0 < x_1 < ... < x_{n+1} = b (uniform unless given): the unknowns are the n interior
 * values y_1..y_n, and J is the sum of a {@link SegmentCost} over the n + 1 segments of the
 * polyline. Its gradient comes from one reverse sweep of the project's tape; on a uniform grid
 * it is h times the continuous gradient ∂F/∂y - (∂F/∂y')' (18.063 remark 45), so a zero
 * gradient is the discrete Euler–Lagrange equation.
 *
 * <pre>{@code
 * DiscreteFunctional j = new DiscreteFunctional(0, 0, 1, 0.5, 63, Functionals.chordLength());
 * Result r = j.minimize(j.line(), Options.defaults().withGradientTolerance(1e-12));
 * double[] y = j.withEnds(r.x());   // the straight line from (0, 0) to (1, 0.5)
 * }</pre>
 */
public final class DiscreteFunctional implements ScalarProgram {
    private final double a;
    private final double ya;
    private final double b;
    private final double yb;
    private final int n;
    private final SegmentCost cost;
    private final double[] x;

    /**
     * The uniform grid on [a, b] with n interior points.
     *
     * @throws IllegalArgumentException unless a < b, the ends are finite, n >= 1 and cost is given
     */
    public DiscreteFunctional(double a, double ya, double b, double yb, int n, SegmentCost cost) {
        this(uniform(a, b, n), ya, yb, cost);
    }

    /**
     * Any grid: {@code grid[0]} = a < grid[1] < ... < grid[n+1] = b, e.g. one graded towards
     * an end where the solution is singular.
     *
     * @param grid the abscissae, ends included, at least 3 of them. Not modified.
     */
    public DiscreteFunctional(double[] grid, double ya, double yb, SegmentCost cost) {
        if (grid == null || grid.length < 3) {
            throw new IllegalArgumentException("grid: required at least 3 points (one interior), got "
                    + (grid == null ? "null" : grid.length));
        }
        for (int k = 0; k < grid.length; k++) {
            if (!Double.isFinite(grid[k]) || (k > 0 && !(grid[k] > grid[k - 1]))) {
                throw new IllegalArgumentException("grid: required finite, strictly increasing abscissae, got "
                        + grid[k] + " at index " + k + (k > 0 ? " after " + grid[k - 1] : ""));
            }
        }
        if (!(Double.isFinite(ya) && Double.isFinite(yb))) {
            throw new IllegalArgumentException("end values: required finite numbers, got " + ya + " and " + yb);
        }
        if (cost == null) {
            throw new IllegalArgumentException("segment cost: required, got null");
        }
        this.x = grid.clone();
        this.n = grid.length - 2;
        this.a = x[0];
        this.b = x[n + 1];
        this.ya = ya;
        this.yb = yb;
        this.cost = cost;
    }

    /** a = x_0 < ... < x_{n+1} = b, evenly spaced. */
    public static double[] uniform(double a, double b, int n) {
        if (!(Double.isFinite(a) && Double.isFinite(b) && a < b)) {
            throw new IllegalArgumentException("interval: required finite a < b, got a = " + a + ", b = " + b);
        }
        if (n < 1) {
            throw new IllegalArgumentException("interior points: required at least 1, got " + n);
        }
        double[] x = new double[n + 2];
        for (int k = 0; k <= n + 1; k++) {
            x[k] = k == n + 1 ? b : a + k * (b - a) / (n + 1);
        }
        return x;
    }

    /**
     * a + (b - a) s_k^p at evenly spaced s_k in [0, 1]: graded towards a for p > 1. With p = 3
     * it resolves a start where y ~ (x - a)^(2/3), as the cycloid's, like a uniform grid in
     * the cycloid's parameter θ (x ~ θ^3, y ~ θ^2 near the start).
     */
    public static double[] graded(double a, double b, int n, double p) {
        if (!(p >= 1) || !Double.isFinite(p)) {
            throw new IllegalArgumentException("grading exponent: required p >= 1, got " + p);
        }
        double[] x = uniform(0, 1, n);
        for (int k = 0; k < x.length; k++) {
            x[k] = k == x.length - 1 ? b : a + (b - a) * Math.pow(x[k], p);
        }
        return x;
    }

    /** The number of interior grid points (the unknowns). */
    public int interiorPoints() {
        return n;
    }

    /** The grid x_0 = a, ..., x_{n+1} = b (a copy). */
    public double[] grid() {
        return x.clone();
    }

    /** The full y_0..y_{n+1}: the interior values with the fixed ends added. */
    public double[] withEnds(double[] interior) {
        requireLength(interior);
        double[] y = new double[n + 2];
        y[0] = ya;
        System.arraycopy(interior, 0, y, 1, n);
        y[n + 1] = yb;
        return y;
    }

    /** The straight line between the ends at the interior points: a natural starting guess. */
    public double[] line() {
        double[] y = new double[n];
        for (int k = 1; k <= n; k++) {
            y[k - 1] = ya + (yb - ya) * (x[k] - a) / (b - a);
        }
        return y;
    }

    /** J at the interior values y (any number type; the ends enter as constants). */
    @Override
    public <T extends Num<T>> T apply(T[] y) {
        requireLength(y);
        T sum = y[0].constant(0);
        T prev = y[0].constant(ya);
        for (int k = 1; k <= n + 1; k++) {
            T next = k <= n ? y[k - 1] : y[0].constant(yb);
            sum = sum.plus(cost.apply(x[k - 1], prev, x[k], next));
            prev = next;
        }
        return sum;
    }

    /** J at the interior values y. */
    public double value(double[] y) {
        requireLength(y);
        Real[] r = new Real[n];
        for (int k = 0; k < n; k++) {
            r[k] = new Real(y[k]);
        }
        return apply(r).real();
    }

    /**
     * J and its gradient by one forward run on the tape and one reverse sweep.
     *
     * @param y        the interior values. Not modified.
     * @param gradient length n. Modified: overwritten with dJ/dy.
     */
    public double valueAndGradient(double[] y, double[] gradient) {
        requireLength(y);
        requireLength(gradient);
        return Objective.of(this).evaluate(y, gradient);
    }

    /** This functional as an objective for the solvers in {@code org.matcalc.methods.optimize}. */
    public Objective objective() {
        return this::valueAndGradient;
    }

    /** Minimises J by L-BFGS from the interior values y0 (not modified). */
    public Result minimize(double[] y0, Options options) {
        requireLength(y0);
        return Lbfgs.minimize(objective(), y0, options);
    }

    private void requireLength(Object[] y) {
        if (y == null || y.length != n) {
            throw new IllegalArgumentException("interior values: required " + n + ", got "
                    + (y == null ? "null" : y.length));
        }
    }

    private void requireLength(double[] y) {
        if (y == null || y.length != n) {
            throw new IllegalArgumentException("interior values: required " + n + ", got "
                    + (y == null ? "null" : y.length));
        }
    }

    @Override
    public String toString() {
        return "DiscreteFunctional[(" + a + ", " + ya + ") to (" + b + ", " + yb + "), n = " + n + "]";
    }
}
