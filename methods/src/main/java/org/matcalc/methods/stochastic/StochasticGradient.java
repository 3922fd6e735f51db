package org.matcalc.methods.stochastic;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.matcalc.ad.AD;
import org.matcalc.numeric.Num;
import org.matcalc.ad.Real;
import org.matcalc.ad.ScalarProgram;

/**
 * Monte Carlo estimators of ∇_θ E_{x ~ p_θ}[f(x)] (MIT 18.063 ch. 11; Mohamed et al. 2020,
 * "Monte Carlo gradient estimation in machine learning"):
 * <ul>
 *   <li><b>reparameterisation</b> (pathwise): x = g(θ, ω) with ω drawn from a fixed law, so
 *       ∇_θ E[f(x)] = E[f'(g(θ, ω)) ∇_θ g(θ, ω)]; each sample is the gradient of
 *       θ ↦ f(g(θ, ω)) by one multi-direction dual-number pass. Needs f differentiable
 *       (a.e. is not enough when f jumps: the jump's contribution is lost).</li>
 *   <li><b>score function</b> (REINFORCE, likelihood ratio): ∇_θ E[f(x)] = E[f(x) ∇_θ log
 *       p_θ(x)]; needs only values of f, the score by dual numbers. Any constant baseline b
 *       gives E[(f(x) - b) ∇_θ log p_θ(x)] the same mean, since E[∇_θ log p_θ] = 0; the
 *       right b lowers the variance ({@link #optimalBaseline}), the popular b = E[f] may not.</li>
 * </ul>
 * f is a {@link ScalarProgram} of one input {@code x[0]}. The estimators draw their noise from
 * {@code new SplittableRandom(seed)}: equal seeds give equal samples x_i to every estimator
 * (common random numbers), so a side-by-side table compares estimators, not luck.
 *
 * <pre>{@code
 * ScalarProgram f = new ScalarProgram() {
 *     public <T extends Num<T>> T apply(T[] x) { return x[0].sin(); }
 * };
 * Estimate r = StochasticGradient.reparameterisation(new Gaussian(), new double[] {0.5, 1}, f, 100_000, 42);
 * r.mean();  r.standardErrors();   // close to (cos 0.5, -sin 0.5) e^{-1/2}
 * }</pre>
 */
public final class StochasticGradient {
    private StochasticGradient() {
    }

    /**
     * The sample mean and variance, per parameter, of n independent draws of one estimator.
     *
     * @param method     which estimator
     * @param parameters the parameter names of the family
     * @param mean       the estimate of ∇_θ E[f]
     * @param variance   the sample variance of one draw (unbiased, divisor n - 1)
     * @param samples    n
     */
    public record Estimate(String method, String[] parameters, double[] mean, double[] variance, int samples) {
        /** The arrays are copied. */
        public Estimate {
            parameters = parameters.clone();
            mean = mean.clone();
            variance = variance.clone();
        }

        @Override
        public String[] parameters() {
            return parameters.clone();
        }

        @Override
        public double[] mean() {
            return mean.clone();
        }

        @Override
        public double[] variance() {
            return variance.clone();
        }

        /** The standard error of the mean, sqrt(variance / n), per parameter. */
        public double[] standardErrors() {
            double[] se = new double[variance.length];
            for (int k = 0; k < se.length; k++) {
                se[k] = Math.sqrt(variance[k] / samples);
            }
            return se;
        }

        /** The largest |mean - exact| / standard error over the parameters. */
        public double worstZ(double[] exact) {
            double[] se = standardErrors();
            double z = 0;
            for (int k = 0; k < mean.length; k++) {
                z = Math.max(z, Math.abs(mean[k] - exact[k]) / se[k]);
            }
            return z;
        }
    }

    /** The pathwise estimator: the mean of ∇_θ f(g(θ, ω_i)) over n draws of ω. */
    public static Estimate reparameterisation(Family family, double[] theta, ScalarProgram f, int n, long seed) {
        check(family, theta, f, n);
        SplittableRandom rng = new SplittableRandom(seed);
        Pathwise h = new Pathwise(family, f);
        Moments m = new Moments(theta.length);
        for (int i = 0; i < n; i++) {
            h.noise = family.noise(rng);
            m.add(AD.gradientForward(h, theta));
        }
        return m.estimate("reparameterisation", family, n);
    }

    /** The score-function estimator without baseline: the mean of f(x_i) ∇_θ log p_θ(x_i). */
    public static Estimate scoreFunction(Family family, double[] theta, ScalarProgram f, int n, long seed) {
        return score("score function", family, theta, f, n, seed, new double[theta.length]);
    }

    /**
     * The score-function estimator with constant baselines, one per parameter: component k is
     * the mean of (f(x_i) - b_k) ∂_k log p_θ(x_i). Unbiased for any b fixed before the samples
     * are drawn (from {@link #meanBaseline} or {@link #optimalBaseline}, say).
     */
    public static Estimate scoreFunction(Family family, double[] theta, ScalarProgram f, int n, long seed,
                                         double[] baseline) {
        family.requireValid(theta);
        if (baseline == null || baseline.length != theta.length) {
            throw new IllegalArgumentException("baseline: required one number per parameter (" + theta.length
                    + "), got " + (baseline == null ? "null" : baseline.length));
        }
        for (double b : baseline) {
            if (!Double.isFinite(b)) {
                throw new IllegalArgumentException("baseline: required finite numbers, got " + b);
            }
        }
        return score("score function, baseline", family, theta, f, n, seed, baseline.clone());
    }

    /**
     * The common baseline b_k = E[f], estimated by the mean of f over m pilot draws. Pilot draws
     * come from a stream split off {@code seed}, independent of the n samples that {@code seed}
     * gives the estimators, so the estimator stays unbiased. Not always a gain: see
     * {@link #optimalBaseline}.
     */
    public static double[] meanBaseline(Family family, double[] theta, ScalarProgram f, int m, long seed) {
        double[][] sums = pilot(family, theta, f, m, seed);
        double[] b = new double[theta.length];
        Arrays.fill(b, sums[0][0] / m);
        return b;
    }

    /**
     * The variance-minimising constant baseline per parameter, b_k = E[f s_k^2] / E[s_k^2] with
     * s = ∇_θ log p_θ(x) (set the derivative of E[(f - b)^2 s_k^2] in b to zero), estimated
     * from m independent pilot draws as {@link #meanBaseline} does. It can differ much from
     * E[f]: for f = sin under N(μ, 1), b_μ = 0 while E[f] = sin(μ)/sqrt(e).
     */
    public static double[] optimalBaseline(Family family, double[] theta, ScalarProgram f, int m, long seed) {
        double[][] sums = pilot(family, theta, f, m, seed);
        double[] b = new double[theta.length];
        for (int k = 0; k < b.length; k++) {
            b[k] = sums[2][k] > 0 ? sums[1][k] / sums[2][k] : 0;
        }
        return b;
    }

    /**
     * The estimators side by side on the same n samples: reparameterisation, score function,
     * and score function with the mean and with the optimal baseline (each from n/10
     * independent pilot draws).
     */
    public static List<Estimate> compare(Family family, double[] theta, ScalarProgram f, int n, long seed) {
        int m = Math.max(2, n / 10);
        double[] mean = meanBaseline(family, theta, f, m, seed), best = optimalBaseline(family, theta, f, m, seed);
        return List.of(reparameterisation(family, theta, f, n, seed), scoreFunction(family, theta, f, n, seed),
                rename(scoreFunction(family, theta, f, n, seed, mean), "score, mean baseline"),
                rename(scoreFunction(family, theta, f, n, seed, best), "score, optimal baseline"));
    }

    /** Prints one row per estimator and parameter: mean, variance, standard error, exact (if given) and z. */
    public static void printTable(PrintStream out, List<Estimate> estimates, double[] exact) {
        out.printf("  %-26s %-6s %13s %13s %11s %13s %6s%n", "estimator", "d/d", "mean", "variance", "std error",
                "exact", "z");
        for (Estimate e : estimates) {
            double[] se = e.standardErrors(), mean = e.mean(), var = e.variance();
            String[] names = e.parameters();
            for (int k = 0; k < mean.length; k++) {
                // a zero-variance estimator (pathwise on a step function) has no z to speak of
                String z = exact == null ? "" : se[k] == 0 ? "n/a" : String.format("%6.2f", (mean[k] - exact[k]) / se[k]);
                String ex = exact == null ? "" : String.format("%13.6f", exact[k]);
                out.printf("  %-26s %-6s %13.6f %13.5g %11.3g %13s %6s%n", e.method(), names[k], mean[k], var[k],
                        se[k], ex, z);
            }
        }
    }

    private static Estimate score(String name, Family family, double[] theta, ScalarProgram f, int n, long seed,
                                  double[] baseline) {
        check(family, theta, f, n);
        SplittableRandom rng = new SplittableRandom(seed);
        Real[] th = reals(theta);
        LogDensity logp = new LogDensity(family);
        Moments m = new Moments(theta.length);
        double[] term = new double[theta.length];
        for (int i = 0; i < n; i++) {
            double x = family.sample(th, family.noise(rng)).real();
            logp.x = x;
            double[] s = AD.gradientForward(logp, theta);
            double fx = value(f, new Real(x));
            for (int k = 0; k < term.length; k++) {
                term[k] = (fx - baseline[k]) * s[k];
            }
            m.add(term);
        }
        return m.estimate(name, family, n);
    }

    /** Sums over m pilot draws: [0][0] of f, [1][k] of f s_k^2, [2][k] of s_k^2. */
    private static double[][] pilot(Family family, double[] theta, ScalarProgram f, int m, long seed) {
        check(family, theta, f, m);
        SplittableRandom rng = new SplittableRandom(seed).split();
        Real[] th = reals(theta);
        LogDensity logp = new LogDensity(family);
        double[][] sums = new double[3][theta.length];
        for (int i = 0; i < m; i++) {
            logp.x = family.sample(th, family.noise(rng)).real();
            double fx = value(f, new Real(logp.x));
            double[] s = AD.gradientForward(logp, theta);
            sums[0][0] += fx;
            for (int k = 0; k < s.length; k++) {
                sums[1][k] += fx * s[k] * s[k];
                sums[2][k] += s[k] * s[k];
            }
        }
        return sums;
    }

    private static Estimate rename(Estimate e, String method) {
        return new Estimate(method, e.parameters(), e.mean(), e.variance(), e.samples());
    }

    private static void check(Family family, double[] theta, ScalarProgram f, int n) {
        if (family == null || f == null) {
            throw new IllegalArgumentException("required a family and an integrand, got null");
        }
        family.requireValid(theta);
        if (n < 2) {
            throw new IllegalArgumentException("sample size: required at least 2 (for a variance), got " + n);
        }
    }

    private static double value(ScalarProgram f, Real x) {
        return f.apply(new Real[] {x}).real();
    }

    private static Real[] reals(double[] theta) {
        Real[] r = new Real[theta.length];
        for (int k = 0; k < r.length; k++) {
            r[k] = new Real(theta[k]);
        }
        return r;
    }

    /** θ ↦ f(g(θ, ω)) for the current noise ω. */
    private static final class Pathwise implements ScalarProgram {
        private final Family family;
        private final ScalarProgram f;
        double noise;

        Pathwise(Family family, ScalarProgram f) {
            this.family = family;
            this.f = f;
        }

        @Override
        public <T extends Num<T>> T apply(T[] theta) {
            T[] x = Arrays.copyOf(theta, 1);
            x[0] = family.sample(theta, noise);
            return f.apply(x);
        }
    }

    /** θ ↦ log p_θ(x) for the current sample x. */
    private static final class LogDensity implements ScalarProgram {
        private final Family family;
        double x;

        LogDensity(Family family) {
            this.family = family;
        }

        @Override
        public <T extends Num<T>> T apply(T[] theta) {
            return family.logDensity(theta, x);
        }
    }

    /** Welford's running mean and variance, per component (stable for large n). */
    private static final class Moments {
        private final double[] mean;
        private final double[] m2;
        private int count;

        Moments(int k) {
            mean = new double[k];
            m2 = new double[k];
        }

        void add(double[] v) {
            count++;
            for (int k = 0; k < mean.length; k++) {
                double d = v[k] - mean[k];
                mean[k] += d / count;
                m2[k] += d * (v[k] - mean[k]);
            }
        }

        Estimate estimate(String method, Family family, int n) {
            double[] var = new double[m2.length];
            for (int k = 0; k < var.length; k++) {
                var[k] = m2[k] / (count - 1);
            }
            return new Estimate(method, family.parameters(), mean.clone(), var, n);
        }
    }
}
