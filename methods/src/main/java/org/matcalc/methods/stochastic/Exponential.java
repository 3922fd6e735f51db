package org.matcalc.methods.stochastic;

import java.util.SplittableRandom;

import org.matcalc.numeric.Num;

/**
 * The exponential family Exp(p) with scale (mean) p > 0, sampled by inversion as in MIT 18.063
 * §11.3: x = -p log(1 - ω), ω ~ U[0, 1), so the pathwise derivative is dx/dp = -log(1 - ω).
 */
public final class Exponential implements Family {
    @Override
    public String name() {
        return "Exp(p)";
    }

    @Override
    public String[] parameters() {
        return new String[] {"p"};
    }

    @Override
    public void requireValid(double[] theta) {
        if (theta == null || theta.length != 1) {
            throw new IllegalArgumentException("Exp(p): required 1 parameter (the scale p), got "
                    + (theta == null ? "null" : theta.length));
        }
        if (!(theta[0] > 0) || !Double.isFinite(theta[0])) {
            throw new IllegalArgumentException("Exp(p): required a finite scale p > 0, got " + theta[0]);
        }
    }

    @Override
    public double noise(SplittableRandom rng) {
        return rng.nextDouble();
    }

    @Override
    public <T extends Num<T>> T sample(T[] theta, double omega) {
        return theta[0].times(-Math.log1p(-omega));
    }

    @Override
    public <T extends Num<T>> T logDensity(T[] theta, double x) {
        // p(x) = exp(-x/p)/p on x >= 0; samples are never negative, so the support never moves under them
        return theta[0].log().plus(theta[0].pow(-1).times(x)).negate();
    }
}
