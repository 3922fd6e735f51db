package org.matcalc.methods.optimize;

/**
 * The state every descent solver carries, with the parts they share: argument checks and the
 * first evaluation ({@link #start}), the two stopping tests ({@link #done}), taking an accepted
 * step ({@link #advance}) and the final {@link Result}. Each solver keeps only its direction and
 * line search.
 */
final class Descent {
    final String name;
    final Options options;
    final LineSearch search;
    private final Trace trace;
    double[] x;
    double[] g;
    double fx;
    double gnorm;
    /** Steps taken so far. */
    int k;
    boolean converged;
    /** Why the solver stopped; set by {@link #done} or by the solver. */
    String message;

    private Descent(String name, Objective f, double[] x, Options o) {
        this.name = name;
        this.options = o;
        this.search = new LineSearch(f);
        this.trace = new Trace(o);
        this.x = x;
        this.g = new double[x.length];
        this.fx = search.evaluate(x, g);
        if (!Double.isFinite(fx)) {
            throw new IllegalArgumentException(name + ": the objective is " + fx + " at the starting point");
        }
        if (!Vec.allFinite(g)) {
            throw new IllegalArgumentException(name + ": the gradient has a non-finite entry at the starting point");
        }
        this.gnorm = Vec.norm(g);
        trace.add(0, fx, gnorm, 0, 0);
    }

    /**
     * Checks f, x0 and o (refusing bad input with the solver's name), evaluates f at x0 and
     * records history row 0.
     *
     * @throws IllegalArgumentException on a null objective, an empty or non-finite x0, bad
     *     options, or an objective or gradient that is not finite at x0
     */
    static Descent start(String name, Objective f, double[] x0, Options o) {
        Checks.notNull(name, "objective", f);
        double[] x = Checks.start(name, x0);
        Checks.options(name, o);
        return new Descent(name, f, x, o);
    }

    /** True, with {@link #message} set, once the gradient tolerance or the iteration limit is reached. */
    boolean done() {
        if (gnorm <= options.gradientTolerance()) {
            converged = true;
            message = Trace.converged(gnorm, options.gradientTolerance(), k);
            return true;
        }
        if (k >= options.maxIterations()) {
            message = Trace.limit(gnorm, k);
            return true;
        }
        return false;
    }

    /** Moves to the accepted trial t and records the step in the history. */
    void advance(LineSearch.Trial t, double stepNorm) {
        k++;
        x = t.x;
        g = t.g;
        fx = t.f;
        gnorm = Vec.norm(g);
        trace.add(k, fx, gnorm, t.alpha, stepNorm);
    }

    /** The result with the given message (normally {@link #message} plus any warnings). */
    Result result(String finalMessage) {
        return new Result(x, fx, gnorm, converged, finalMessage, trace.rows(), search.evaluations());
    }
}
