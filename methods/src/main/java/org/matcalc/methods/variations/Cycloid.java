package org.matcalc.methods.variations;

/**
 * The brachistochrone's Euler–Lagrange solution: the cycloid x = R(θ - sin θ),
 * y = R(1 - cos θ) (y downward) from the origin, where the bead starts at rest, through the
 * end point (b, yb). F = sqrt((1 + y'^2)/(2 g y)) has no explicit x, so F - y' ∂F/∂y' is
 * constant along the solution, i.e. y (1 + y'^2) = 2R; the cycloid solves that.
 * The descent time is θ_end sqrt(R/g), since ds / sqrt(2 g y) = sqrt(R/g) dθ.
 */
public final class Cycloid {
    private static final double TWO_PI = 2 * Math.PI;

    private final double radius;
    private final double thetaEnd;
    private final double g;

    private Cycloid(double radius, double thetaEnd, double g) {
        this.radius = radius;
        this.thetaEnd = thetaEnd;
        this.g = g;
    }

    /**
     * The cycloid from (0, 0) through (b, yb), b > 0 and yb > 0 (downward). θ_end solves
     * (θ - sin θ)/(1 - cos θ) = b/yb, whose left side increases from 0 to +inf on (0, 2π), by
     * bisection to the last bit; then R = yb / (1 - cos θ_end).
     */
    public static Cycloid through(double b, double yb, double g) {
        if (!(b > 0) || !(yb > 0) || !Double.isFinite(b) || !Double.isFinite(yb)) {
            throw new IllegalArgumentException("cycloid end point: required b > 0 and yb > 0 (y downward), got ("
                    + b + ", " + yb + ")");
        }
        if (!(g > 0) || !Double.isFinite(g)) {
            throw new IllegalArgumentException("gravity: required a finite g > 0, got " + g);
        }
        double ratio = b / yb;
        double lo = 0, hi = TWO_PI;
        while (true) {
            double mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi) {
                break;
            }
            if ((mid - Math.sin(mid)) / (1 - Math.cos(mid)) < ratio) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double theta = 0.5 * (lo + hi);
        return new Cycloid(yb / (1 - Math.cos(theta)), theta, g);
    }

    /** The radius of the rolling circle. */
    public double radius() {
        return radius;
    }

    /** The parameter θ at the end point. */
    public double thetaEnd() {
        return thetaEnd;
    }

    /** The exact descent time from the origin to the end point, θ_end sqrt(R/g). */
    public double time() {
        return thetaEnd * Math.sqrt(radius / g);
    }

    /** The abscissa at angle theta. */
    public double x(double theta) {
        return radius * (theta - Math.sin(theta));
    }

    /** The ordinate (downwards) at angle theta. */
    public double y(double theta) {
        return radius * (1 - Math.cos(theta));
    }

    /** The θ in [0, θ_end] with x(θ) = x, by bisection (x(θ) increases, as dx/dθ = y >= 0). */
    public double thetaAt(double x) {
        if (!(x >= 0) || x > x(thetaEnd) * (1 + 1e-12)) {
            throw new IllegalArgumentException("cycloid: x must lie in [0, " + x(thetaEnd) + "], got " + x);
        }
        double lo = 0, hi = thetaEnd;
        while (true) {
            double mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi) {
                return mid;
            }
            if (x(mid) < x) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
    }

    /** The depth of the cycloid above the abscissa x. */
    public double yAt(double x) {
        return y(thetaAt(x));
    }
}
