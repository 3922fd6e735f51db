package org.matcalc.methods.variations;

import org.matcalc.numeric.Num;

/**
 * The two functionals of MIT 18.063 ch. 10, as integrands and as exact segment costs.
 * y is measured downward in the brachistochrone, from the height where the bead starts at rest.
 */
public final class Functionals {
    private Functionals() {
    }

    /** Arc length: F = sqrt(1 + y'^2). Its Euler–Lagrange equation is y'' = 0: straight lines. */
    public static Lagrangian arcLength() {
        return new Lagrangian() {
            @Override
            public <T extends Num<T>> T apply(double x, T y, T yp) {
                return yp.square().plus(1).sqrt();
            }
        };
    }

    /** The length of the chord, sqrt(h^2 + (y1 - y0)^2): exact for a polyline. */
    public static SegmentCost chordLength() {
        return new SegmentCost() {
            @Override
            public <T extends Num<T>> T apply(double x0, T y0, double x1, T y1) {
                double h = x1 - x0;
                return y1.minus(y0).square().plus(h * h).sqrt();
            }
        };
    }

    /**
     * Descent time: F = sqrt((1 + y'^2) / (2 g y)), from speed sqrt(2 g y) by energy
     * conservation. Infinite at y = 0: use it with {@link SegmentCost#midpoint} or prefer
     * {@link #segmentTime}.
     */
    public static Lagrangian descentTime(double g) {
        requireGravity(g);
        return new Lagrangian() {
            @Override
            public <T extends Num<T>> T apply(double x, T y, T yp) {
                return yp.square().plus(1).div(y.times(2 * g)).sqrt();
            }
        };
    }

    /**
     * The exact time for a bead, at rest at depth 0, to slide without friction along the
     * straight segment from depth y0 to depth y1: ∫ ds / sqrt(2 g y) over the chord of length
     * L gives 2 L / (sqrt(2 g) (sqrt(y0) + sqrt(y1))). Finite at the start y0 = 0 (the
     * integrand's singularity is integrable), valid for level segments too, and never below the
     * optimum: the discrete time of any polyline is a real travel time.
     */
    public static SegmentCost segmentTime(double g) {
        requireGravity(g);
        double c = 2 / Math.sqrt(2 * g);
        return new SegmentCost() {
            @Override
            public <T extends Num<T>> T apply(double x0, T y0, double x1, T y1) {
                double h = x1 - x0;
                T length = y1.minus(y0).square().plus(h * h).sqrt();
                return length.div(root(y0).plus(root(y1))).times(c);
            }
        };
    }

    /**
     * sqrt(y), except that a y exactly 0 (the fixed start) gives a constant 0: its derivative
     * there is infinite, and 0 * inf = NaN would poison the dual numbers of the fixed end.
     * y < 0 (above the start, unreachable) gives NaN, which line searches treat as too far.
     */
    private static <T extends Num<T>> T root(T y) {
        return y.real() == 0 ? y.constant(0) : y.sqrt();
    }

    private static void requireGravity(double g) {
        if (!(g > 0) || !Double.isFinite(g)) {
            throw new IllegalArgumentException("gravity: required a finite g > 0, got " + g);
        }
    }
}
