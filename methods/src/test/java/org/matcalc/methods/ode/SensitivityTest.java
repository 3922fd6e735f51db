package org.matcalc.methods.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.matcalc.methods.ode.OdeModels.assertRel;
import static org.matcalc.methods.ode.OdeModels.fdGradient;

import org.junit.jupiter.api.Test;
import org.matcalc.expr.MatcalcException;
import org.matcalc.numeric.Kernels;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.Num;

/**
 * Forward sensitivities and the adjoint method against closed forms (u' = -a u; u' = A(p) u
 * through expm and its Frechet derivative), against each other and against central finite
 * differences of the integrator (Lotka-Volterra, the seed's quadratic ODE).
 */
class SensitivityTest {
    private static final Objective SQUARE_TERMINAL = Objective.of(new Objective.Program() {
        @Override
        public <T extends Num<T>> T apply(double t, T[] u, T[] p) {
            T s = u[0].square();
            for (int i = 1; i < u.length; i++) {
                s = s.plus(u[i].square());
            }
            return s;
        }
    });

    // ---- u' = -a u, u(0) = u0; p = (a, u0) ----

    @Test
    void decayMatchesItsClosedForm() {
        double a = 0.7, u0 = 1.3, tEnd = 2.5;
        OdeProblem problem = OdeProblem.of(OdeModels.DECAY, OdeModels.DECAY_U0, new double[] {a, u0}, tEnd);
        ForwardSensitivity.Solution s = ForwardSensitivity.solve(problem);
        double e = Math.exp(-a * tEnd);
        assertEquals(u0 * e, s.state().at(0), 1e-10 * u0 * e);
        assertRel(Mat.row(-tEnd * u0 * e, e), s.sensitivity(), 1e-9, "du/dp");

        // G = u(T)^2 = u0^2 e^{-2aT}
        Mat terminal = Mat.column(-2 * tEnd * u0 * u0 * e * e, 2 * u0 * e * e);
        assertRel(terminal, ForwardSensitivity.gradientTerminal(problem, SQUARE_TERMINAL).gradient(), 1e-9, "forward terminal");
        OdeGradient adj = Adjoint.gradientTerminal(problem, SQUARE_TERMINAL);
        assertEquals(u0 * u0 * e * e, adj.value(), 1e-9 * u0 * u0 * e * e);
        assertRel(terminal, adj.gradient(), 1e-9, "adjoint terminal");

        // G = int_0^T u^2 dt = u0^2 (1 - e^{-2aT}) / (2a)
        double e2 = e * e, w = (1 - e2) / (2 * a);
        Mat integral = Mat.column(u0 * u0 * (2 * tEnd * e2 / (2 * a) - (1 - e2) / (2 * a * a)), 2 * u0 * w);
        OdeGradient fwd = ForwardSensitivity.gradientIntegral(problem, SQUARE_TERMINAL);
        OdeGradient adjI = Adjoint.gradientIntegral(problem, SQUARE_TERMINAL);
        assertEquals(u0 * u0 * w, fwd.value(), 1e-9 * u0 * u0 * w);
        assertEquals(u0 * u0 * w, adjI.value(), 1e-9 * u0 * u0 * w);
        assertRel(integral, fwd.gradient(), 1e-9, "forward integral");
        assertRel(integral, adjI.gradient(), 1e-9, "adjoint integral");
    }

    // ---- u' = A(p) u: u(T) = expm(A T) u0, du/dp_k = L(A T, dA/dp_k T) u0 ----

    @Test
    void linearSystemMatchesExpmAndItsFrechetDerivative() {
        double[] p = {0.4, 1.1, 0.9};
        double tEnd = 1.7;
        Mat u0 = Mat.column(1.0, -0.5);
        Mat at = OdeModels.linearA(p).scale(tEnd);
        Mat uT = Kernels.expm(at).times(u0);
        double[] s = new double[2 * 3];
        for (int k = 0; k < 3; k++) {
            Mat col = Kernels.expmFrechet(at, OdeModels.linearADerivative(k).scale(tEnd)).times(u0);
            s[k] = col.at(0);
            s[3 + k] = col.at(1);
        }
        Mat exact = Mat.rowMajor(2, 3, s);
        Mat c = Mat.column(2.0, -3.0);
        Objective linear = new Objective() { // g = c'u, partials by hand
            @Override
            public Partials partials(double t, double[] u, double[] pp) {
                return new Partials(c.at(0) * u[0] + c.at(1) * u[1], c.toRowMajor(), new double[3]);
            }
        };
        for (Rhs rhs : new Rhs[] {OdeModels.LINEAR_BY_HAND, OdeModels.LINEAR_AD}) {
            OdeProblem problem = OdeProblem.of(rhs, InitialCondition.constant(u0.toRowMajor()), p, tEnd);
            ForwardSensitivity.Solution sol = ForwardSensitivity.solve(problem);
            assertRel(uT, sol.state(), 1e-10, "u(T)");
            assertRel(exact, sol.sensitivity(), 1e-9, "du/dp");
            Mat grad = exact.transposeTimes(c);
            assertRel(grad, Adjoint.gradientTerminal(problem, linear).gradient(), 1e-9, "adjoint c'u(T)");
            assertRel(grad, ForwardSensitivity.gradientTerminal(problem, linear).gradient(), 1e-9, "forward c'u(T)");
        }
    }

    @Test
    void handWrittenAndAdJacobiansAgree() {
        double[] u = {0.3, -1.2}, p = {0.4, 1.1, 0.9};
        Rhs hand = OdeModels.LINEAR_BY_HAND, ad = OdeModels.LINEAR_AD;
        assertRel(hand.dfdu(0, u, p), ad.dfdu(0, u, p), 1e-15, "f_u");
        assertRel(hand.dfdp(0, u, p), ad.dfdp(0, u, p), 1e-15, "f_p");
        Mat s = Mat.of(new double[][] {{1, 2, 3}, {-1, 0.5, 2}});
        assertRel(hand.sensitivity(0, u, p, s), ad.sensitivity(0, u, p, s), 1e-15, "f_u S + f_p");
        double[] lambda = {0.7, -2};
        Rhs.Vjp a = hand.vjp(0, u, p, lambda), b = ad.vjp(0, u, p, lambda);
        assertRel(Mat.column(a.u()), Mat.column(b.u()), 1e-15, "f_u' lambda");
        assertRel(Mat.column(a.p()), Mat.column(b.p()), 1e-15, "f_p' lambda");
    }

    // ---- nonlinear: Lotka-Volterra, 4 parameters, u0 = (p0, 1) depends on p ----

    private static final InitialCondition LV_U0 = InitialCondition.of(2, new InitialCondition.Program() {
        @Override
        public <T extends Num<T>> void apply(T[] p, T[] u0) {
            u0[0] = p[0]; // prey starts at a: the initial-condition term of the adjoint is exercised
            u0[1] = p[0].constant(1);
        }
    });

    /** g = (u0 - 1)^2 + b u1^2: depends on p too (g_p != 0). */
    private static final Objective LV_G = Objective.of(new Objective.Program() {
        @Override
        public <T extends Num<T>> T apply(double t, T[] u, T[] p) {
            return u[0].minus(1).square().plus(p[1].times(u[1].square()));
        }
    });

    private static OdeProblem lotkaVolterra() {
        return OdeProblem.of(OdeModels.LOTKA_VOLTERRA, LV_U0, new double[] {1.5, 1.0, 3.0, 1.0}, 4.0)
                .withTolerances(Tolerances.TIGHT);
    }

    @Test
    void lotkaVolterraSensitivitiesMatchFiniteDifferences() {
        OdeProblem problem = lotkaVolterra();
        Mat s = ForwardSensitivity.solve(problem).sensitivity();
        double[] p = problem.parameters();
        for (int i = 0; i < 2; i++) {
            final int ii = i;
            Mat fd = fdGradient(q -> problem.withParameters(q).solve().at(ii), p);
            assertRel(fd, Mat.column(row(s, i)), 1e-5, "du_" + i + "/dp");
        }
    }

    @Test
    void lotkaVolterraForwardAdjointAndFiniteDifferencesAgree() {
        OdeProblem problem = lotkaVolterra();
        double[] p = problem.parameters();

        OdeGradient fwdT = ForwardSensitivity.gradientTerminal(problem, LV_G);
        OdeGradient adjT = Adjoint.gradientTerminal(problem, LV_G);
        Mat fdT = fdGradient(q -> problem.withParameters(q).terminalValue(LV_G), p);
        assertEquals(fwdT.value(), adjT.value(), 1e-12 * Math.abs(fwdT.value()));
        assertRel(fwdT.gradient(), adjT.gradient(), 1e-6, "terminal: adjoint vs forward");
        assertRel(fdT, fwdT.gradient(), 1e-5, "terminal: forward vs FD");
        assertRel(fdT, adjT.gradient(), 1e-5, "terminal: adjoint vs FD");

        OdeGradient fwdI = ForwardSensitivity.gradientIntegral(problem, LV_G);
        OdeGradient adjI = Adjoint.gradientIntegral(problem, LV_G);
        Mat fdI = fdGradient(q -> problem.withParameters(q).integralValue(LV_G), p);
        assertEquals(fwdI.value(), adjI.value(), 1e-10 * Math.abs(fwdI.value()));
        assertRel(fwdI.gradient(), adjI.gradient(), 1e-6, "integral: adjoint vs forward");
        assertRel(fdI, fwdI.gradient(), 1e-5, "integral: forward vs FD");
        assertRel(fdI, adjI.gradient(), 1e-5, "integral: adjoint vs FD");
    }

    private static double[] row(Mat m, int i) {
        double[] r = new double[m.cols()];
        for (int j = 0; j < r.length; j++) {
            r[j] = m.get(i, j);
        }
        return r;
    }

    // ---- MIT 18.063 §9.3: u' = p0 + p1 u + p2 u^2, u(0) = 0, G = int_0^T (u - t^3)^2 dt ----

    @Test
    void seedQuadraticExampleAgrees() {
        Objective g = Objective.of(new Objective.Program() {
            @Override
            public <T extends Num<T>> T apply(double t, T[] u, T[] p) {
                return u[0].minus(t * t * t).square();
            }
        });
        OdeProblem problem = OdeProblem.of(OdeModels.SEED_QUADRATIC, InitialCondition.constant(0),
                new double[] {1.0, -0.5, -0.2}, 2.0).withTolerances(Tolerances.TIGHT);
        OdeGradient fwd = ForwardSensitivity.gradientIntegral(problem, g);
        OdeGradient adj = Adjoint.gradientIntegral(problem, g);
        Mat fd = fdGradient(q -> problem.withParameters(q).integralValue(g), problem.parameters());
        assertRel(fwd.gradient(), adj.gradient(), 1e-6, "adjoint vs forward");
        assertRel(fd, adj.gradient(), 1e-5, "adjoint vs FD");
    }

    // ---- refusals ----

    @Test
    void badProblemsAreRefusedClearly() {
        InitialCondition u0 = InitialCondition.constant(1.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OdeProblem.of(OdeModels.DECAY, u0, new double[] {1, 1}, 0));
        assertTrue(e.getMessage().contains("T > 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OdeProblem.of(OdeModels.DECAY, u0, new double[0], 1));
        assertTrue(e.getMessage().contains("at least one parameter"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> OdeProblem.of(OdeModels.DECAY, u0, new double[] {Double.NaN, 1}, 1));
        assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
        Rhs lazy = Rhs.of(new Rhs.Program() {
            @Override
            public <T extends Num<T>> void apply(double t, T[] u, T[] p, T[] du) {
                du[0] = u[0];
            }
        });
        e = assertThrows(IllegalArgumentException.class,
                () -> OdeProblem.of(lazy, InitialCondition.constant(1, 2), new double[] {1}, 1));
        assertTrue(e.getMessage().contains("du[1] was not written"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Tolerances(0, 1e-12, 1000));
        assertTrue(e.getMessage().contains("relative"), e.getMessage());
    }

    @Test
    void aSolutionThatBlowsUpFailsWithAMessageNotAHang() {
        Rhs blowUp = Rhs.of(new Rhs.Program() { // u' = p u^2, u(0) = 1: u = 1/(1 - p t), infinite at t = 1/p
            @Override
            public <T extends Num<T>> void apply(double t, T[] u, T[] p, T[] du) {
                du[0] = p[0].times(u[0].square());
            }
        });
        OdeProblem problem = OdeProblem.of(blowUp, InitialCondition.constant(1), new double[] {1}, 2.0);
        MatcalcException e = assertThrows(MatcalcException.class, problem::solve);
        assertTrue(e.getMessage().contains("integrating u"), e.getMessage());
    }
}
