package org.matcalc.methods.stochastic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.matcalc.ad.AD;
import org.matcalc.numeric.Num;
import org.matcalc.ad.ScalarProgram;
import org.matcalc.methods.stochastic.StochasticGradient.Estimate;

class StochasticGradientTest {
    static final int N = 100_000;
    static final long SEED = 20261124L;

    static final ScalarProgram SQUARE = new ScalarProgram() {
        public <T extends Num<T>> T apply(T[] x) {
            return x[0].square();
        }
    };
    static final ScalarProgram SIN = new ScalarProgram() {
        public <T extends Num<T>> T apply(T[] x) {
            return x[0].sin();
        }
    };
    static final ScalarProgram SIGN = new ScalarProgram() {
        public <T extends Num<T>> T apply(T[] x) {
            return x[0].apply(org.matcalc.expr.ScalarFunction.SIGN);
        }
    };

    /**
     * All four unbiased within 4 standard errors; reparameterisation and the optimal baseline
     * below the plain score function in variance. Returns the estimates for further checks.
     */
    static List<Estimate> checkUnbiasedAndOrdered(Family family, double[] theta, ScalarProgram f, double[] exact) {
        List<Estimate> es = StochasticGradient.compare(family, theta, f, N, SEED);
        Estimate rep = es.get(0), sf = es.get(1), base = es.get(3);
        for (Estimate e : es) {
            assertTrue(e.worstZ(exact) < 4, e.method() + ": mean " + Arrays.toString(e.mean()) + " vs exact "
                    + Arrays.toString(exact) + ", se " + Arrays.toString(e.standardErrors()));
        }
        for (int k = 0; k < theta.length; k++) {
            assertTrue(rep.variance()[k] < sf.variance()[k], "reparameterisation variance not lower, parameter " + k);
            // the estimated optimal baseline can only lose by its own estimation error, O(1/pilot size): under 1% here
            assertTrue(base.variance()[k] < sf.variance()[k] * 1.01, "optimal baseline raised the variance, parameter " + k);
        }
        return es;
    }

    @Test
    void squareUnderGaussian() {
        double mu = 0.7, sigma = 1.3;   // E[x^2] = mu^2 + sigma^2
        List<Estimate> es = checkUnbiasedAndOrdered(new Gaussian(), new double[] {mu, sigma}, SQUARE,
                new double[] {2 * mu, 2 * sigma});
        // here both baselines pay, the optimal one the most: at least a 20% cut
        for (int k = 0; k < 2; k++) {
            assertTrue(es.get(3).variance()[k] < es.get(2).variance()[k], "optimal vs mean baseline, parameter " + k);
            assertTrue(es.get(2).variance()[k] < 0.8 * es.get(1).variance()[k], "mean baseline vs none, parameter " + k);
        }
    }

    @Test
    void sinUnderGaussian() {
        double mu = 0.5, sigma = 1.0, damp = Math.exp(-sigma * sigma / 2);   // E[sin x] = sin(mu) e^{-sigma^2/2}
        checkUnbiasedAndOrdered(new Gaussian(), new double[] {mu, sigma}, SIN,
                new double[] {Math.cos(mu) * damp, -sigma * Math.sin(mu) * damp});
    }

    @Test
    void theMeanBaselineCanHurtTheOptimalOneIsTheClosedForm() {
        // f = sin under N(mu, sigma^2), d/dmu: s = eps/sigma, so b* = E[f eps^2] = sin(mu) (1 - sigma^2) e^{-sigma^2/2}
        Gaussian g = new Gaussian();
        for (double sigma : new double[] {0.6, 1.0}) {
            double mu = 0.5, bStar = Math.sin(mu) * (1 - sigma * sigma) * Math.exp(-sigma * sigma / 2);
            double[] theta = {mu, sigma};
            double[] b = StochasticGradient.optimalBaseline(g, theta, SIN, N, SEED);
            assertEquals(bStar, b[0], 0.01, "sigma = " + sigma);
        }
        // at sigma = 1, b* = 0 for d/dmu: the mean baseline E[f] = sin(0.5)/sqrt(e) only adds variance
        double[] theta = {0.5, 1.0};
        List<Estimate> es = StochasticGradient.compare(g, theta, SIN, N, SEED);
        assertTrue(es.get(2).variance()[0] > 1.1 * es.get(1).variance()[0]);
        assertTrue(es.get(3).variance()[0] < 1.01 * es.get(1).variance()[0]);
    }

    @Test
    void squareUnderExponentialIsTheSeedsFigure() {
        // MIT 18.063 §11.3: E[X^2] = 2 p^2 for X ~ Exp(p), so d/dp = 4p = 40 at p = 10
        checkUnbiasedAndOrdered(new Exponential(), new double[] {10}, SQUARE, new double[] {40});
        Estimate rep = StochasticGradient.reparameterisation(new Exponential(), new double[] {10}, SQUARE, N, SEED);
        assertEquals(40, rep.mean()[0], 1.0);
    }

    @Test
    void pathwiseMissesAJumpButTheScoreFunctionDoesNot() {
        // E[sign x] = 2 Phi(mu/sigma) - 1: d/dmu = 2 phi(mu/sigma)/sigma, d/dsigma = -2 phi(mu/sigma) mu/sigma^2
        double mu = 0.3, sigma = 0.8, phi = Math.exp(-0.5 * (mu / sigma) * (mu / sigma)) / Math.sqrt(2 * Math.PI);
        double[] exact = {2 * phi / sigma, -2 * phi * mu / (sigma * sigma)};
        double[] theta = {mu, sigma};
        Estimate rep = StochasticGradient.reparameterisation(new Gaussian(), theta, SIGN, N, SEED);
        assertArrayEquals(new double[] {0, 0}, rep.mean(), 0.0);   // sign' = 0 almost everywhere
        Estimate sf = StochasticGradient.scoreFunction(new Gaussian(), theta, SIGN, N, SEED);
        assertTrue(sf.worstZ(exact) < 4, Arrays.toString(sf.mean()) + " vs " + Arrays.toString(exact));
    }

    @Test
    void perSampleDerivativesAgreeWithFiniteDifferences() {
        // one sample of each estimator is a derivative: check it against central differences in theta
        SplittableRandom rng = new SplittableRandom(7);
        for (Family fam : List.of(new Gaussian(), new Exponential())) {
            double[] theta = fam instanceof Gaussian ? new double[] {0.4, 1.7} : new double[] {2.5};
            for (int trial = 0; trial < 5; trial++) {
                double w = fam.noise(rng);
                ScalarProgram path = new ScalarProgram() {
                    public <T extends Num<T>> T apply(T[] th) {
                        return fam.sample(th, w).sin().times(fam.sample(th, w));
                    }
                };
                double x = fam.sample(reals(theta), w).real();
                ScalarProgram logp = new ScalarProgram() {
                    public <T extends Num<T>> T apply(T[] th) {
                        return fam.logDensity(th, x);
                    }
                };
                for (ScalarProgram p : List.of(path, logp)) {
                    double[] forward = AD.gradientForward(p, theta);
                    double[] reverse = AD.gradient(p, theta);
                    double[] fd = centralDifferences(p, theta);
                    for (int k = 0; k < theta.length; k++) {
                        assertEquals(fd[k], forward[k], 1e-7 * Math.max(1, Math.abs(fd[k])), fam.name());
                        assertEquals(forward[k], reverse[k], 1e-12 * Math.max(1, Math.abs(fd[k])), fam.name());
                    }
                }
            }
        }
    }

    @Test
    void scoreHasMeanZeroAndTheLogDensityIsNormalised() {
        // trapezoid rule on a wide grid: integral of p = 1, integral of p * d log p = 0
        Gaussian g = new Gaussian();
        double[] theta = {0.3, 0.9};
        double h = 1e-3, mass = 0, dmu = 0;
        for (double x = -12; x <= 12; x += h) {
            final double xx = x;
            ScalarProgram logp = new ScalarProgram() {
                public <T extends Num<T>> T apply(T[] th) {
                    return g.logDensity(th, xx);
                }
            };
            double p = Math.exp(logp.apply(reals(theta)).real());
            mass += p * h;
            dmu += p * AD.gradientForward(logp, theta)[0] * h;
        }
        assertEquals(1, mass, 1e-9);
        assertEquals(0, dmu, 1e-9);
    }

    @Test
    void sameSeedSameNumbersOtherSeedOtherNumbers() {
        double[] theta = {0.2, 1.1};
        Estimate a = StochasticGradient.scoreFunction(new Gaussian(), theta, SIN, 1000, 5);
        Estimate b = StochasticGradient.scoreFunction(new Gaussian(), theta, SIN, 1000, 5);
        Estimate c = StochasticGradient.scoreFunction(new Gaussian(), theta, SIN, 1000, 6);
        assertArrayEquals(a.mean(), b.mean(), 0.0);
        assertTrue(a.mean()[0] != c.mean()[0]);
    }

    @Test
    void badInputIsRefusedWithAMessage() {
        Gaussian g = new Gaussian();
        var e1 = assertThrows(IllegalArgumentException.class,
                () -> StochasticGradient.reparameterisation(g, new double[] {0, -1}, SIN, 100, 1));
        assertTrue(e1.getMessage().contains("sigma > 0"), e1.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> StochasticGradient.scoreFunction(g, new double[] {0}, SIN, 100, 1));
        assertTrue(e2.getMessage().contains("required 2 parameters"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class,
                () -> StochasticGradient.scoreFunction(g, new double[] {0, 1}, SIN, 1, 1));
        assertTrue(e3.getMessage().contains("at least 2"), e3.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> StochasticGradient.scoreFunction(new Exponential(), new double[] {0}, SIN, 100, 1));
        assertThrows(IllegalArgumentException.class,
                () -> StochasticGradient.scoreFunction(g, new double[] {0, 1}, SIN, 100, 1, new double[] {0, Double.NaN}));
        var e4 = assertThrows(IllegalArgumentException.class,
                () -> StochasticGradient.scoreFunction(g, new double[] {0, 1}, SIN, 100, 1, new double[] {0}));
        assertTrue(e4.getMessage().contains("one number per parameter (2), got 1"), e4.getMessage());
    }

    static org.matcalc.ad.Real[] reals(double[] v) {
        org.matcalc.ad.Real[] r = new org.matcalc.ad.Real[v.length];
        for (int k = 0; k < v.length; k++) r[k] = new org.matcalc.ad.Real(v[k]);
        return r;
    }

    static double[] centralDifferences(ScalarProgram p, double[] theta) {
        double[] g = new double[theta.length];
        for (int k = 0; k < theta.length; k++) {
            double h = 1e-6 * Math.max(1, Math.abs(theta[k]));
            double[] a = theta.clone(), b = theta.clone();
            a[k] += h;
            b[k] -= h;
            g[k] = (p.apply(reals(a)).real() - p.apply(reals(b)).real()) / (2 * h);
        }
        return g;
    }
}
