package org.matcalc.methods.stochastic;

import java.util.SplittableRandom;

import org.matcalc.numeric.Num;

/** The normal family N(μ, σ²), θ = (μ, σ) with σ > 0: x = μ + σ ε, ε ~ N(0, 1). */
public final class Gaussian implements Family {
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    @Override
    public String name() {
        return "N(mu, sigma^2)";
    }

    @Override
    public String[] parameters() {
        return new String[] {"mu", "sigma"};
    }

    @Override
    public void requireValid(double[] theta) {
        if (theta == null || theta.length != 2) {
            throw new IllegalArgumentException("N(mu, sigma^2): required 2 parameters (mu, sigma), got "
                    + (theta == null ? "null" : theta.length));
        }
        if (!Double.isFinite(theta[0]) || !(theta[1] > 0) || !Double.isFinite(theta[1])) {
            throw new IllegalArgumentException("N(mu, sigma^2): required finite mu and sigma > 0, got mu = "
                    + theta[0] + ", sigma = " + theta[1]);
        }
    }

    @Override
    public double noise(SplittableRandom rng) {
        return rng.nextGaussian();
    }

    @Override
    public <T extends Num<T>> T sample(T[] theta, double eps) {
        return theta[1].times(eps).plus(theta[0]);
    }

    @Override
    public <T extends Num<T>> T logDensity(T[] theta, double x) {
        T z = theta[0].negate().plus(x).div(theta[1]);
        return z.square().times(-0.5).minus(theta[1].log()).minus(HALF_LOG_2PI);
    }
}
