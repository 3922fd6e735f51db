package org.matcalc.methods.variations;

import org.matcalc.numeric.Num;

/**
 * The contribution of one segment, from (x0, y0) to (x1, y1), of a polyline to a discretised
 * functional. {@link #midpoint(Lagrangian)} turns any integrand into one; a segment cost can
 * also be exact for straight segments (the length of a chord, the travel time of a bead).
 */
@FunctionalInterface
public interface SegmentCost {
    /** The cost of the segment from (x0, y0) to (x1, y1). */
    <T extends Num<T>> T apply(double x0, T y0, double x1, T y1);

    /**
     * The midpoint rule: h F(x_mid, (y0 + y1)/2, (y1 - y0)/h) with h = x1 - x0. Second-order
     * accurate for smooth F, and it never evaluates F at the ends, where integrands such as
     * the brachistochrone's 1/sqrt(y) blow up.
     */
    static SegmentCost midpoint(Lagrangian f) {
        return new SegmentCost() {
            @Override
            public <T extends Num<T>> T apply(double x0, T y0, double x1, T y1) {
                double h = x1 - x0;
                return f.apply(0.5 * (x0 + x1), y0.plus(y1).times(0.5), y1.minus(y0).div(h)).times(h);
            }
        };
    }
}
