package org.matcalc.numeric.optimize;

/** A smooth objective f: R^n -> R with its gradient, evaluated together (they share work). */
@FunctionalInterface
public interface Objective {
    /**
     * Returns f(x) and writes the gradient of f at x into {@code gradient}.
     *
     * @param x        the point. Not modified.
     * @param gradient length x.length. Modified: overwritten with the gradient.
     */
    double evaluate(double[] x, double[] gradient);
}
