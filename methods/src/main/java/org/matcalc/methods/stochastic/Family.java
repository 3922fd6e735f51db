package org.matcalc.methods.stochastic;

import java.util.SplittableRandom;

import org.matcalc.numeric.Num;

/**
 * A parameterised distribution p_θ written so that both gradient estimators can run on it
 * (MIT 18.063 ch. 11): a sample is a differentiable map x = g(θ, ω) of noise ω whose law does
 * not depend on θ (the reparameterisation), and the log density log p_θ(x) is a program in θ
 * (for the score ∇_θ log p_θ(x)). Both are written once over any {@link Num}, so the
 * project's dual numbers differentiate them.
 */
public interface Family {
    /** A short name with the parameter names, e.g. {@code N(mu, sigma^2)}. */
    String name();

    /** The parameter names, in the order of θ. */
    String[] parameters();

    /** Throws IllegalArgumentException unless θ is a valid parameter (right length, in range). */
    void requireValid(double[] theta);

    /** One draw of the base noise ω; its law is fixed, independent of θ. */
    double noise(SplittableRandom rng);

    /** The sample x = g(θ, ω), differentiable in θ (the pathwise derivative). */
    <T extends Num<T>> T sample(T[] theta, double noise);

    /** log p_θ(x) as a program in θ (its gradient is the score). */
    <T extends Num<T>> T logDensity(T[] theta, double x);
}
