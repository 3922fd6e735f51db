package org.matcalc.methods.optimize;

import org.matcalc.numeric.Mat;
import org.matcalc.ad.AD;
import org.matcalc.ad.ScalarProgram;

/** The Hessian of an objective at x, for {@link NewtonMinimizer}. */
@FunctionalInterface
public interface Hessian {
    /**
     * @param x the point. Not modified.
     * @return the n x n symmetric Hessian
     */
    Mat at(double[] x);

    /** By forward-over-reverse AD ({@link AD#hessian(ScalarProgram, double[])}). */
    static Hessian of(ScalarProgram f) {
        return x -> AD.hessian(f, x);
    }

    /** By forward-over-reverse AD of a scalar matrix program of a column vector x. */
    static Hessian of(AD.MatFunction f) {
        return x -> AD.hessian(f, Mat.column(x));
    }
}
