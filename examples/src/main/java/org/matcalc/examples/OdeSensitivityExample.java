package org.matcalc.examples;

import java.io.PrintStream;
import java.nio.file.Path;

import org.matcalc.numeric.Kernels;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.Num;
import org.matcalc.numeric.fd.FiniteDifferences;
import org.matcalc.methods.ode.Adjoint;
import org.matcalc.methods.ode.ForwardSensitivity;
import org.matcalc.methods.ode.InitialCondition;
import org.matcalc.methods.ode.Objective;
import org.matcalc.methods.ode.OdeGradient;
import org.matcalc.methods.ode.OdeProblem;
import org.matcalc.methods.ode.Rhs;
import org.matcalc.methods.ode.Tolerances;

/**
 * MIT 18.063 ch. 9 on Lotka-Volterra (prey x, predator y; x' = a x - b x y, y' = -c y + d x y):
 * du/dp by the forward sensitivity equations, the gradients of g(u(T)) and of the integral of
 * g by the adjoint method and by forward sensitivities, each against central finite differences
 * of the integrator; then the seed's own example (§9.3), u' = p1 + p2 u + p3 u^2,
 * G = integral_0^T (u - t^3)^2 dt.
 */
public final class OdeSensitivityExample implements Example {
    @Override
    public String name() {
        return "ode-sensitivity";
    }

    @Override
    public String summary() {
        return "ODE sensitivities on Lotka-Volterra: forward du/dp, adjoint gradients, finite differences";
    }

    /** x' = a x - b x y, y' = -c y + d x y, p = (a, b, c, d). */
    static final Rhs LOTKA_VOLTERRA = Rhs.of(new Rhs.Program() {
        @Override
        public <T extends Num<T>> void apply(double t, T[] u, T[] p, T[] du) {
            T xy = u[0].times(u[1]);
            du[0] = p[0].times(u[0]).minus(p[1].times(xy));
            du[1] = p[3].times(xy).minus(p[2].times(u[1]));
        }
    });

    /** g(u(T)) = x(T)^2 + y(T)^2. */
    static final Objective TERMINAL = Objective.of(new Objective.Program() {
        @Override
        public <T extends Num<T>> T apply(double t, T[] u, T[] p) {
            return u[0].square().plus(u[1].square());
        }
    });

    /** g(u, p) = (x - c/d)^2 + (y - a/b)^2, the squared distance from the equilibrium (it depends on p). */
    static final Objective FROM_EQUILIBRIUM = Objective.of(new Objective.Program() {
        @Override
        public <T extends Num<T>> T apply(double t, T[] u, T[] p) {
            return u[0].minus(p[2].div(p[3])).square().plus(u[1].minus(p[0].div(p[1])).square());
        }
    });

    private static final String[] LV_NAMES = {"a", "b", "c", "d"};

    @Override
    public boolean run(PrintStream out, Path outputDir) {
        Tolerances tol = Tolerances.TIGHT;
        OdeProblem lv = OdeProblem.of(LOTKA_VOLTERRA, InitialCondition.constant(1, 1),
                new double[] {1.5, 1.0, 3.0, 1.0}, 10.0).withTolerances(tol);
        Mat p = lv.parameterColumn();
        out.println("Lotka-Volterra  x' = a x - b x y,  y' = -c y + d x y,  (a, b, c, d) = (1.5, 1, 3, 1),");
        out.println("u(0) = (1, 1), T = 10; Hipparchus Dormand-Prince 8(5,3), tolerances " + tol + ";");
        out.println("finite differences: central, step 6.1e-6 * max(1, |p_k|), each a full re-integration.");

        ForwardSensitivity.Solution sol = ForwardSensitivity.solve(lv);
        Mat fdS = FiniteDifferences.jacobian(q -> lv.withParameters(q.toRowMajor()).solve(), p);
        out.printf("%nu(T) = (%.10f, %.10f)   (%d evaluations of the n + nN = 10 equations)%n",
                sol.state().at(0), sol.state().at(1), sol.evaluations());
        out.println("du/dp at T by forward sensitivities, against finite differences:");
        out.printf("  %-10s %20s %20s %10s%n", "entry", "forward", "finite diff.", "rel. diff");
        for (int i = 0; i < 2; i++) {
            for (int k = 0; k < 4; k++) {
                row(out, "d" + (i == 0 ? "x" : "y") + "/d" + LV_NAMES[k], sol.sensitivity().get(i, k), fdS.get(i, k));
            }
        }
        double errS = rel(sol.sensitivity(), fdS);

        double[] errs = new double[4];
        errs[0] = gradients(out, "G = g(u(T)) = x(T)^2 + y(T)^2",
                ForwardSensitivity.gradientTerminal(lv, TERMINAL), Adjoint.gradientTerminal(lv, TERMINAL),
                FiniteDifferences.gradient(q -> lv.withParameters(q.toRowMajor()).terminalValue(TERMINAL), p), LV_NAMES,
                errs, 1);
        gradients(out, "G = integral_0^T (x - c/d)^2 + (y - a/b)^2 dt",
                ForwardSensitivity.gradientIntegral(lv, FROM_EQUILIBRIUM), Adjoint.gradientIntegral(lv, FROM_EQUILIBRIUM),
                FiniteDifferences.gradient(q -> lv.withParameters(q.toRowMajor()).integralValue(FROM_EQUILIBRIUM), p),
                LV_NAMES, errs, 2);

        Rhs quadratic = Rhs.of(new Rhs.Program() {
            @Override
            public <T extends Num<T>> void apply(double t, T[] u, T[] q, T[] du) {
                du[0] = q[0].plus(q[1].times(u[0])).plus(q[2].times(u[0].square()));
            }
        });
        Objective fit = Objective.of(new Objective.Program() {
            @Override
            public <T extends Num<T>> T apply(double t, T[] u, T[] q) {
                return u[0].minus(t * t * t).square();
            }
        });
        OdeProblem seed = OdeProblem.of(quadratic, InitialCondition.constant(0), new double[] {1.0, -0.5, -0.2}, 2.0)
                .withTolerances(tol);
        out.printf("%nMIT 18.063 §9.3: u' = p1 + p2 u + p3 u^2, u(0) = 0, p = (1, -0.5, -0.2), T = 2:%n");
        gradients(out, "G = integral_0^T (u - t^3)^2 dt",
                ForwardSensitivity.gradientIntegral(seed, fit), Adjoint.gradientIntegral(seed, fit),
                FiniteDifferences.gradient(q -> seed.withParameters(q.toRowMajor()).integralValue(fit), seed.parameterColumn()),
                new String[] {"p1", "p2", "p3"}, errs, 3);

        out.printf("%nnormwise relative differences: du/dp forward vs FD %.1e;%n", errS);
        out.printf("gradients adjoint vs forward %.1e, %.1e, %.1e; worst gradient vs FD %.1e%n",
                errs[1], errs[2], errs[3], errs[0]);
        boolean ok = errS <= 1e-5 && errs[0] <= 1e-5 && errs[1] <= 1e-6 && errs[2] <= 1e-6 && errs[3] <= 1e-6;
        out.println(ok ? "OK: forward and adjoint agree within 1e-6 and both match finite differences within 1e-5"
                : "MISMATCH");
        return ok;
    }

    /**
     * Prints one gradient three ways; records the adjoint-vs-forward difference in errs[slot]
     * and the worst difference against FD in errs[0]. Returns errs[0].
     */
    private static double gradients(PrintStream out, String title, OdeGradient fwd, OdeGradient adj, Mat fd,
                                    String[] names, double[] errs, int slot) {
        out.printf("%n%s = %.12g%n", title, adj.value());
        out.printf("  gradient: forward sensitivities (%d evaluations), adjoint (%d, forward + backward), FD:%n",
                fwd.evaluations(), adj.evaluations());
        out.printf("  %-5s %20s %20s %20s %10s %10s%n", "p", "forward", "adjoint", "finite diff.", "fwd/adj", "adj/FD");
        for (int k = 0; k < names.length; k++) {
            double f = fwd.gradient().at(k), a = adj.gradient().at(k), d = fd.at(k);
            out.printf("  %-5s %20.12e %20.12e %20.12e %10.1e %10.1e%n", names[k], f, a, d, relEntry(f, a), relEntry(a, d));
        }
        errs[slot] = rel(fwd.gradient(), adj.gradient());
        errs[0] = Math.max(errs[0], Math.max(rel(fd, fwd.gradient()), rel(fd, adj.gradient())));
        return errs[0];
    }

    private static void row(PrintStream out, String name, double a, double b) {
        out.printf("  %-10s %20.12e %20.12e %10.1e%n", name, a, b, relEntry(a, b));
    }

    private static double relEntry(double a, double b) {
        double s = Math.max(Math.abs(a), Math.abs(b));
        return s == 0 ? 0 : Math.abs(a - b) / s;
    }

    /** ||a - b|| / ||b||, Frobenius. */
    private static double rel(Mat a, Mat b) {
        return Kernels.norm2(a.minus(b)) / Kernels.norm2(b);
    }
}
