package org.matcalc.methods.optimize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

import org.matcalc.numeric.Kernels;
import org.matcalc.numeric.Mat;
import org.matcalc.ad.AD;
import org.matcalc.numeric.Dual;
import org.matcalc.ad.DualVec;
import org.matcalc.ad.Node;
import org.matcalc.ad.Tape;

/**
 * Newton's method for F(x) = 0: solve J(x_k) dx = -F(x_k), then x_{k+1} = x_k + a dx.
 * Near a simple root the full step a = 1 converges quadratically (e_{k+1} ~ C e_k^2); far from
 * it the step is damped by backtracking on the merit |F|^2 (Armijo: |F(x + a dx)|^2 <=
 * (1 - 2e-4 a) |F(x)|^2; Dennis and Schnabel, <i>Numerical Methods for Unconstrained
 * Optimization and Nonlinear Equations</i>, sec. 6.5), so an iterate never gets worse.
 * The Jacobian comes from the caller, from dual numbers, or from {@link AD}.
 *
 * <pre>{@code
 * RootResult r = Newton.solveScalar(x -> 2 - x * x, x -> -2 * x, 1.0, Options.defaults());
 * RootResult s = Newton.solveScalar(x -> x.times(x).negate().plus(2), 1.0, Options.defaults()); // f' by duals
 * System.out.println(r.table(new double[] {Math.sqrt(2)}));
 * }</pre>
 *
 * Stops when |F(x)| <= o.gradientTolerance() (converged), at the iteration limit, at a singular
 * Jacobian (the message says where; no NaN is returned), or when no damped step reduces |F|.
 */
public final class Newton {
    static final double C1 = 1e-4;
    static final int MAX_HALVINGS = 40;

    private Newton() {
    }

    /** F: R^n -> R^n on plain arrays. */
    @FunctionalInterface
    public interface VectorFunction {
        /** F(x). */
        double[] apply(double[] x);
    }

    /** The Jacobian dF/dx at x, rows = outputs. */
    @FunctionalInterface
    public interface JacobianFunction {
        /** The Jacobian of F at x. */
        Mat at(double[] x);
    }

    /** F and its Jacobian from one evaluation (they often share work). */
    private interface Linearisation {
        double[] value(double[] x);

        Mat jacobian(double[] x);
    }

    /** Scalar f(x) = 0 with the derivative given. */
    public static RootResult solveScalar(DoubleUnaryOperator f, DoubleUnaryOperator df, double x0, Options o) {
        Checks.notNull("Newton", "f", f);
        Checks.notNull("Newton", "f'", df);
        return run(new Linearisation() {
            public double[] value(double[] x) {
                return new double[] {f.applyAsDouble(x[0])};
            }

            public Mat jacobian(double[] x) {
                return Mat.scalar(df.applyAsDouble(x[0]));
            }
        }, new double[] {x0}, o);
    }

    /** Scalar f(x) = 0 with f' from one dual-number pass per iteration. */
    public static RootResult solveScalar(AD.DualFunction f, double x0, Options o) {
        Checks.notNull("Newton", "f", f);
        return run(new Linearisation() {
            public double[] value(double[] x) {
                return new double[] {f.apply(Dual.constantOf(x[0])).value()};
            }

            public Mat jacobian(double[] x) {
                return Mat.scalar(f.apply(Dual.variable(x[0])).derivative());
            }
        }, new double[] {x0}, o);
    }

    /** F(x) = 0 with the Jacobian given by the caller. */
    public static RootResult solve(VectorFunction f, JacobianFunction jacobian, double[] x0, Options o) {
        Checks.notNull("Newton", "F", f);
        Checks.notNull("Newton", "the Jacobian", jacobian);
        return run(new Linearisation() {
            public double[] value(double[] x) {
                return f.apply(x.clone());
            }

            public Mat jacobian(double[] x) {
                return jacobian.at(x.clone());
            }
        }, x0, o);
    }

    /** F(x) = 0 for a system written over {@link org.matcalc.numeric.Num}; the Jacobian by forward-mode {@link DualVec}. */
    public static RootResult solve(SystemProgram f, double[] x0, Options o) {
        Checks.notNull("Newton", "F", f);
        return run(new Linearisation() {
            public double[] value(double[] x) {
                return values(f, x);
            }

            public Mat jacobian(double[] x) {
                return jacobianForward(f, x);
            }
        }, x0, o);
    }

    /**
     * F(x) = 0 for a matrix program of a column vector x (returning a column of the same
     * length); the Jacobian by {@link AD#jacobian(AD.MatFunction, Mat)}.
     */
    public static RootResult solve(AD.MatFunction f, double[] x0, Options o) {
        Checks.notNull("Newton", "F", f);
        return run(new Linearisation() {
            public double[] value(double[] x) {
                Node out = f.apply(Tape.forwardOnly().constant(Mat.column(x)));
                return out.value().vec().toRowMajor();
            }

            public Mat jacobian(double[] x) {
                return AD.jacobian(f, Mat.column(x)).matrix();
            }
        }, x0, o);
    }

    /** F(x) of a {@link SystemProgram} on plain values. */
    static double[] values(SystemProgram f, double[] x) {
        org.matcalc.ad.Real[] xs = new org.matcalc.ad.Real[x.length];
        for (int i = 0; i < x.length; i++) xs[i] = new org.matcalc.ad.Real(x[i]);
        return f.apply(xs).stream().mapToDouble(org.matcalc.ad.Real::real).toArray();
    }

    /** dF/dx of a {@link SystemProgram} by one forward pass with n directions. */
    public static Mat jacobianForward(SystemProgram f, double[] x) {
        int n = x.length;
        DualVec[] xs = new DualVec[n];
        for (int i = 0; i < n; i++) xs[i] = DualVec.variable(x[i], i, n);
        List<DualVec> out = f.apply(xs);
        double[][] j = new double[out.size()][];
        for (int i = 0; i < j.length; i++) j[i] = out.get(i).gradient();
        return j.length == 0 ? Mat.zeros(0, n) : Mat.of(j);
    }

    private static RootResult run(Linearisation f, double[] x0, Options o) {
        String name = "Newton";
        double[] x = Checks.start(name, x0);
        Checks.options(name, o);
        int n = x.length;
        double[] fx = f.value(x);
        int evaluations = 1;
        if (fx.length != n) {
            throw new IllegalArgumentException(name + ": F maps " + n + " inputs to " + fx.length
                    + " outputs; Newton's method needs a square system (as many equations as unknowns)");
        }
        if (!Vec.allFinite(fx)) {
            throw new IllegalArgumentException(name + ": F is not finite at the starting point " + Arrays.toString(x));
        }
        Trace trace = new Trace(o);
        List<double[]> iterates = new ArrayList<>();
        double r = Vec.norm(fx);
        trace.add(0, r, r, 0, 0);
        iterates.add(x.clone());
        boolean converged = false, roundingLimited = false;
        String message;
        int k = 0;
        while (true) {
            if (r <= o.gradientTolerance()) {
                converged = true;
                message = String.format("converged: |F| = %.3e <= %.1e after %d iterations", r, o.gradientTolerance(), k);
                break;
            }
            if (k >= o.maxIterations()) {
                message = String.format("not converged: iteration limit %d reached with |F| = %.3e", k, r);
                break;
            }
            Mat j = f.jacobian(x);
            if (j.rows() != n || j.cols() != n) {
                throw new IllegalArgumentException(name + ": the Jacobian is " + j.shapeString() + ", required " + n + "x" + n);
            }
            double[] dx = newtonStep(j, fx);
            if (dx == null) {
                message = String.format("stopped: the Jacobian is singular (or not finite) at x = %s (iteration %d, |F| = %.3e), "
                        + "so the Newton step is undefined; try another starting point", Arrays.toString(x), k, r);
                break;
            }
            // backtracking on m(a) = |F(x + a dx)|^2, whose slope at 0 is -2|F|^2 along the Newton step
            double a = 1;
            double[] xt = new double[n];
            double[] ft = null;
            double rt = Double.NaN;
            boolean accepted = false;
            for (int h = 0; h < MAX_HALVINGS; h++) {
                Vec.step(x, a, dx, xt);
                if (Arrays.equals(xt, x)) break;
                ft = f.value(xt);
                evaluations++;
                rt = Vec.allFinite(ft) ? Vec.norm(ft) : Double.POSITIVE_INFINITY;
                if (rt * rt <= (1 - 2 * C1 * a) * r * r) {
                    accepted = true;
                    break;
                }
                // quadratic model of m through m(0), m'(0) = -2 m(0) and m(a), kept in [0.1 a, 0.5 a]
                double q = Double.isFinite(rt) ? r * r * a * a / (rt * rt - r * r + 2 * r * r * a) : 0.1 * a;
                a = Math.min(0.5 * a, Math.max(0.1 * a, q));
            }
            if (!accepted) {
                // a full step that barely moves x means x is the root to working precision
                double dxNorm = Vec.norm(dx);
                roundingLimited = dxNorm <= 8 * Math.ulp(1.0) * Vec.norm(x) || Arrays.equals(x, stepped(x, dx));
                message = roundingLimited
                        ? String.format("stopped at rounding level: the Newton step |dx| = %.3e no longer changes x, and "
                                + "|F| = %.3e is as small as double precision allows here (the tolerance %.1e is tighter)",
                                dxNorm, r, o.gradientTolerance())
                        : String.format("stopped: no step along the Newton direction reduces |F| = %.3e at iteration %d "
                                + "(the Jacobian may be wrong, or F is not smooth here)", r, k);
                break;
            }
            k++;
            double stepNorm = a * Vec.norm(dx);
            x = xt.clone();
            fx = ft;
            r = rt;
            trace.add(k, r, r, a, stepNorm);
            iterates.add(x.clone());
        }
        Result res = new Result(x, r, r, converged, message, trace.rows(), evaluations);
        return new RootResult(res, List.copyOf(iterates), roundingLimited);
    }

    private static double[] stepped(double[] x, double[] dx) {
        double[] y = new double[x.length];
        Vec.step(x, 1, dx, y);
        return y;
    }

    /** Solves J dx = -F; null when J is singular to working precision or the step is not finite. */
    private static double[] newtonStep(Mat j, double[] fx) {
        for (int i = 0; i < j.size(); i++) {
            if (!Double.isFinite(j.at(i))) return null;
        }
        double[] dx;
        try {
            dx = Kernels.solve(j, Mat.column(fx)).toRowMajor();
        } catch (IllegalArgumentException singular) {
            return null;
        }
        for (int i = 0; i < dx.length; i++) dx[i] = -dx[i];
        return Vec.allFinite(dx) ? dx : null;
    }
}
