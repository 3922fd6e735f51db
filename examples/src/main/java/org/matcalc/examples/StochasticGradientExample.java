package org.matcalc.examples;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import org.matcalc.expr.ScalarFunction;
import org.matcalc.numeric.Num;
import org.matcalc.ad.ScalarProgram;
import org.matcalc.methods.stochastic.Exponential;
import org.matcalc.methods.stochastic.Family;
import org.matcalc.methods.stochastic.Gaussian;
import org.matcalc.methods.stochastic.StochasticGradient;
import org.matcalc.methods.stochastic.StochasticGradient.Estimate;

/**
 * MIT 18.063 ch. 11: d/dθ E[f(x)], x ~ p_θ, by the reparameterisation and score-function
 * estimators on the same seeded samples, against closed forms: x^2 and sin x under N(μ, σ²),
 * x^2 under Exp(p) (the chapter's figure 40 at p = 10), and sign x, where the pathwise
 * estimator is blind to the jump and only the score function is right.
 */
public final class StochasticGradientExample implements Example {
    static final int N = 100_000;
    static final long SEED = 42;

    @Override
    public String name() {
        return "stochastic-gradient";
    }

    @Override
    public String summary() {
        return "reparameterisation vs score-function gradient estimators: mean, variance, std error vs exact";
    }

    record Case(String title, Family family, double[] theta, ScalarProgram f, double[] exact, boolean smooth) {
    }

    static List<Case> cases() {
        double mu = 0.5, s = 1.0, damp = Math.exp(-s * s / 2);
        double m2 = 0.3, s2 = 0.8, phi = Math.exp(-0.5 * (m2 / s2) * (m2 / s2)) / Math.sqrt(2 * Math.PI);
        return List.of(
                new Case("f(x) = x^2, x ~ N(1, 1):  E f = mu^2 + sigma^2", new Gaussian(), new double[] {1, 1},
                        square(), new double[] {2, 2}, true),
                new Case("f(x) = sin x, x ~ N(0.5, 1):  E f = sin(mu) exp(-sigma^2/2)", new Gaussian(),
                        new double[] {mu, s}, fn(ScalarFunction.SIN),
                        new double[] {Math.cos(mu) * damp, -s * Math.sin(mu) * damp}, true),
                new Case("f(x) = x^2, x ~ Exp(10):  E f = 2 p^2 (18.063 §11.3: d/dp = 40)", new Exponential(),
                        new double[] {10}, square(), new double[] {40}, true),
                new Case("f(x) = sign x, x ~ N(0.3, 0.64):  E f = 2 Phi(mu/sigma) - 1 (a jump at 0)", new Gaussian(),
                        new double[] {m2, s2}, fn(ScalarFunction.SIGN),
                        new double[] {2 * phi / s2, -2 * phi * m2 / (s2 * s2)}, false));
    }

    private static ScalarProgram square() {
        return new ScalarProgram() {
            public <T extends Num<T>> T apply(T[] x) {
                return x[0].square();
            }
        };
    }

    private static ScalarProgram fn(ScalarFunction g) {
        return new ScalarProgram() {
            public <T extends Num<T>> T apply(T[] x) {
                return x[0].apply(g);
            }
        };
    }

    @Override
    public boolean run(PrintStream out, Path outputDir) {
        out.printf("d/dtheta E[f(x)], x ~ p_theta: %d samples per estimator, seed %d, the same samples for all%n", N, SEED);
        out.println("(z = (mean - exact)/std error; baselines from n/10 independent pilot draws)");
        boolean ok = true;
        for (Case c : cases()) {
            out.println();
            out.println(c.title());
            List<Estimate> es = StochasticGradient.compare(c.family(), c.theta(), c.f(), N, SEED);
            StochasticGradient.printTable(out, es, c.exact());
            Estimate rep = es.get(0), sf = es.get(1), best = es.get(3);
            for (int i = 1; i < es.size(); i++) {
                ok &= es.get(i).worstZ(c.exact()) < 4;
            }
            for (int k = 0; k < c.theta().length; k++) {
                ok &= best.variance()[k] <= sf.variance()[k] * 1.01;   // it loses only its own O(1/m) estimation error
                if (c.smooth()) {
                    ok &= rep.worstZ(c.exact()) < 4 && rep.variance()[k] < sf.variance()[k];
                } else {
                    ok &= rep.mean()[k] == 0;   // sign' = 0 almost everywhere: the jump's mass is lost
                }
            }
        }
        out.println();
        out.println(ok ? "OK: unbiased estimators within 4 std errors of the exact gradient; pathwise has the lower"
                + " variance where f is smooth, and is blind to the jump of sign x" : "MISMATCH");
        return ok;
    }
}
