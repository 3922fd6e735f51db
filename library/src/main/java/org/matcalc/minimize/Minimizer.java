package org.matcalc.minimize;

import java.util.Locale;

import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.MatcalcException.Kind;
import org.matcalc.numeric.Mat;
import org.matcalc.methods.optimize.GradientDescent;
import org.matcalc.methods.optimize.Lbfgs;
import org.matcalc.methods.optimize.NewtonMinimizer;
import org.matcalc.methods.optimize.Options;
import org.matcalc.methods.optimize.Result;

/**
 * Minimises a {@link Problem} by one of the solvers of {@code org.matcalc.methods.optimize},
 * fed by the problem's symbolic gradient (and Hessian for Newton).
 *
 * <pre>{@code
 * Problem p = Problem.of("norm2(X*w - y)^2", Declarations.NONE, "w", Map.of("X", x, "y", y), null);
 * Minimizer.Solution s = Minimizer.minimize(p, p.defaultStart(), Minimizer.Method.AUTO, Options.defaults());
 * s.x();  s.result().converged();
 * }</pre>
 */
public final class Minimizer {
    /** Newton pays while its Hessian (dimension^2 entries, a dimension^3 solve) stays small. */
    public static final int NEWTON_MAX_UNKNOWNS = 200;

    /**
     * A Hessian over data costs about (data entries) x (unknowns) operations, a gradient about
     * the data entries: Newton's 5 iterations beat L-BFGS's 10-50 only while the Hessian stays
     * this cheap. Measured: logistic regression 10,000 x 100 (10^8) is 6x faster by L-BFGS
     * (docs/minimize.md).
     */
    public static final long NEWTON_MAX_HESSIAN_WORK = 10_000_000L;

    /**
     * The solver. AUTO: Newton for at most {@value #NEWTON_MAX_UNKNOWNS} unknowns when a Hessian
     * can be had and costs at most {@value #NEWTON_MAX_HESSIAN_WORK} (data entries x unknowns),
     * else L-BFGS.
     */
    public enum Method {
        /** Newton where the Hessian pays (see above), else L-BFGS. */
        AUTO,
        /** L-BFGS on the symbolic gradient. */
        LBFGS,
        /** Newton's method with the symbolic Hessian, safeguarded. */
        NEWTON,
        /** Gradient descent with a line search. */
        GD;

        /** Reads "auto", "lbfgs", "newton", "gd" (any case). */
        public static Method parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT).replace("-", ""));
            } catch (IllegalArgumentException e) {
                throw new MatcalcException(Kind.REQUEST, "unknown method '" + s + "'; expected auto, lbfgs, newton or gd");
            }
        }

        /** The method as the command line writes it: "auto", "lbfgs", "newton", "gd". */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The answer: the minimiser shaped like the variable, the solver's result (over the
     * unknowns), the method used, why that one, and the wall time in seconds.
     */
    public record Solution(Mat x, Result result, Method method, String why, double seconds) {
    }

    private Minimizer() {
    }

    /** The method AUTO stands for on this problem, with the reason. */
    public static Method choose(Problem p, Method asked, StringBuilder why) {
        if (asked != Method.AUTO) {
            why.append("as asked");
            if (asked == Method.NEWTON && !p.hasHessian()) {
                throw new MinimizeException(Kind.REQUEST, MinimizeException.Needs.METHOD, "Newton needs the Hessian, which cannot be had here: " + p.hessianRefusal()
                        + "; use the L-BFGS method");
            }
            return asked;
        }
        if (p.dimension() > NEWTON_MAX_UNKNOWNS) {
            why.append(p.dimension()).append(" unknowns > ").append(NEWTON_MAX_UNKNOWNS).append(": L-BFGS");
            return Method.LBFGS;
        }
        long work = Math.max(1, p.dataEntries()) * p.dimension();
        if (work > NEWTON_MAX_HESSIAN_WORK) {
            why.append(p.dimension()).append(" unknowns over ").append(p.dataEntries())
                    .append(" data entries: a Hessian costs more than L-BFGS's extra iterations: L-BFGS");
            return Method.LBFGS;
        }
        if (!p.hasHessian()) {
            why.append("no Hessian (").append(p.hessianRefusal()).append("): L-BFGS");
            return Method.LBFGS;
        }
        why.append(p.dimension()).append(" unknowns <= ").append(NEWTON_MAX_UNKNOWNS).append(" and a symbolic Hessian: Newton");
        return Method.NEWTON;
    }

    /**
     * Minimises from {@code start} (a value of the variable).
     *
     * @throws MatcalcException when the objective cannot be evaluated at the start, or Newton is
     *                          asked for without a Hessian
     */
    public static Solution minimize(Problem p, Mat start, Method method, Options options) {
        StringBuilder why = new StringBuilder();
        Method m = choose(p, method, why);
        double[] x0 = p.pack(start);
        double f0;
        try {
            f0 = p.value(p.unpack(x0));
        } catch (MatcalcException e) {
            throw new MinimizeException(Kind.EVALUATION, MinimizeException.Needs.START, "the objective cannot be evaluated at the starting point: " + e.getMessage()
                    + "; give another starting point");
        }
        if (!Double.isFinite(f0)) {
            throw new MinimizeException(Kind.EVALUATION, MinimizeException.Needs.START, "the objective is not finite at the starting point; give another starting point");
        }
        long t0 = System.nanoTime();
        Result r = switch (m) {
            case LBFGS -> Lbfgs.minimize(p.objective(), x0, options);
            case GD -> GradientDescent.minimize(p.objective(), x0, options);
            case NEWTON -> NewtonMinimizer.minimize(p.objective(), p.hessianOfUnknowns(), x0, options);
            case AUTO -> throw new AssertionError(m);
        };
        double seconds = (System.nanoTime() - t0) * 1e-9;
        return new Solution(p.unpack(r.x()), r, m, why.toString(), seconds);
    }
}
