package org.matcalc.methods.variations;

import org.matcalc.expr.ScalarFunction;
import org.matcalc.numeric.Mat;
import org.matcalc.ad.AD;
import org.matcalc.ad.Node;
import org.matcalc.methods.optimize.Lbfgs;
import org.matcalc.methods.optimize.Objective;
import org.matcalc.methods.optimize.Options;
import org.matcalc.methods.optimize.Result;

/**
 * The brachistochrone (MIT 18.063 §10.4): the curve from (0, 0) to (b, yb), y downward, along
 * which a bead starting at rest slides fastest under gravity g. Discretised as a polyline with
 * the exact travel time of each straight segment ({@link Functionals#segmentTime}), minimised
 * by L-BFGS with reverse-mode gradients, and compared with the cycloid.
 *
 * <p>The time is also written as one matrix-level program of the column of interior depths
 * ({@link #timeProgram}): a dozen tape nodes of length n instead of a dozen 1 x 1 nodes per
 * segment, several times faster than the generic {@link DiscreteFunctional} (see
 * docs/calculus-of-variations.md), with which it agrees to rounding (tested).
 *
 * <pre>{@code
 * Brachistochrone p = new Brachistochrone(2, 1, 9.81);
 * Brachistochrone.Solution s = p.solve(DiscreteFunctional.graded(0, 2, 63, 3),
 *         Options.defaults().withGradientTolerance(1e-10));
 * s.time();  s.cycloidTime();  s.maxDeviation();
 * }</pre>
 */
public final class Brachistochrone {
    private final double b;
    private final double yb;
    private final double g;
    private final Cycloid cycloid;

    /** The problem from (0, 0) to (b, yb) under gravity g (y measured downwards). */
    public Brachistochrone(double b, double yb, double g) {
        this.cycloid = Cycloid.through(b, yb, g);   // validates b, yb and g
        this.b = b;
        this.yb = yb;
        this.g = g;
    }

    /** The exact solution, the cycloid through both end points. */
    public Cycloid cycloid() {
        return cycloid;
    }

    /** The exact segment time for this g. */
    public SegmentCost segmentTime() {
        return Functionals.segmentTime(g);
    }

    /** The polyline's descent time on n interior points of a uniform grid, as a generic discrete functional. */
    public DiscreteFunctional discretise(int n) {
        return discretise(DiscreteFunctional.uniform(0, b, n), segmentTime());
    }

    /**
     * The problem on the grid x (from 0 to b) with any segment cost, e.g. the midpoint rule of
     * {@link Functionals#descentTime}.
     */
    public DiscreteFunctional discretise(double[] x, SegmentCost cost) {
        return new DiscreteFunctional(requireGrid(x), 0, yb, cost);
    }

    /**
     * The polyline's time on grid x as a function of the column of interior depths y_1..y_n:
     * with Y = [0; y; yb], sum_k 2 L_k / (sqrt(2g) (sqrt(Y_k) + sqrt(Y_{k+1}))), L_k the chord
     * lengths. The fixed ends' square roots are constants, so the infinite slope of sqrt at the
     * start never enters the tape.
     */
    public AD.MatFunction timeProgram(double[] x) {
        int n = requireGrid(x).length - 2;
        double[] h2 = new double[n + 1];
        for (int k = 0; k <= n; k++) {
            h2[k] = (x[k + 1] - x[k]) * (x[k + 1] - x[k]);
        }
        Mat hSquared = Mat.column(h2);
        double c = 2 / Math.sqrt(2 * g), rootEnd = Math.sqrt(yb);
        return y -> {
            Node depth = y.constant(0).vcat(y).vcat(y.constant(yb));
            Node dy = depth.slice(1, n + 2, 0, 1).minus(depth.slice(0, n + 1, 0, 1));
            Node length = dy.pow(2).plus(y.constant(hSquared)).map(ScalarFunction.SQRT);
            Node root = y.constant(0).vcat(y.map(ScalarFunction.SQRT)).vcat(y.constant(rootEnd));
            Node speeds = root.slice(0, n + 1, 0, 1).plus(root.slice(1, n + 2, 0, 1));
            return length.div(speeds).sum().times(c);
        };
    }

    /** {@link #timeProgram} with its reverse-mode gradient, for the solvers. */
    public Objective objective(double[] x) {
        Objective f = Objective.of(timeProgram(x));
        int n = x.length - 2;
        return (y, grad) -> {
            if (y.length != n || grad.length != n) {
                throw new IllegalArgumentException("interior depths and gradient: required " + n + ", got "
                        + y.length + " and " + grad.length);
            }
            return f.evaluate(y, grad);
        };
    }

    /**
     * One discrete minimiser against the cycloid.
     *
     * @param x            the grid, ends included
     * @param y            the minimiser, ends included
     * @param time         its descent time (the discrete functional's value)
     * @param cycloidTime  the cycloid's exact time
     * @param maxDeviation max over the grid of |y - y_cycloid|
     * @param result       the solver's report
     */
    public record Solution(int n, double[] x, double[] y, double time, double cycloidTime, double maxDeviation,
                           Result result) {
        /** The abscissae and ordinates are copied. */
        public Solution {
            x = x.clone();
            y = y.clone();
        }

        /** A copy of the abscissae. */
        @Override
        public double[] x() {
            return x.clone();
        }

        /** A copy of the ordinates. */
        @Override
        public double[] y() {
            return y.clone();
        }
    }

    /** Minimises the exact polyline time on n interior points of a uniform grid, from the straight line. */
    public Solution solve(int n, Options options) {
        return solve(DiscreteFunctional.uniform(0, b, n), options);
    }

    /** Minimises the exact polyline time on the grid x (from 0 to b), from the straight line. */
    public Solution solve(double[] x, Options options) {
        DiscreteFunctional j = discretise(x, segmentTime());   // for the grid, the start and the ends
        Result r = Lbfgs.minimize(objective(x), j.line(), options);
        return solution(j, r);
    }

    /** Minimises any discretisation of this problem (e.g. the midpoint rule) from the straight line. */
    public Solution solve(DiscreteFunctional j, Options options) {
        return solution(j, j.minimize(j.line(), options));
    }

    private Solution solution(DiscreteFunctional j, Result r) {
        double[] x = j.grid(), y = j.withEnds(r.x());
        return new Solution(j.interiorPoints(), x, y, r.value(), cycloid.time(), maxDeviation(x, y), r);
    }

    /** max_k |y_k - y_cycloid(x_k)|. */
    public double maxDeviation(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("deviation: required as many depths as abscissae, got "
                    + y.length + " and " + x.length);
        }
        double d = 0;
        for (int k = 0; k < x.length; k++) {
            d = Math.max(d, Math.abs(y[k] - cycloid.yAt(x[k])));
        }
        return d;
    }

    private double[] requireGrid(double[] x) {
        if (x == null || x.length < 3 || x[0] != 0 || x[x.length - 1] != b) {
            throw new IllegalArgumentException("grid: required at least 3 abscissae from 0 to " + b);
        }
        return x;
    }
}
