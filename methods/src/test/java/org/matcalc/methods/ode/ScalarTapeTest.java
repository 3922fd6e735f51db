package org.matcalc.methods.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.matcalc.expr.ScalarFunction;
import org.matcalc.numeric.Mat;
import org.matcalc.ad.DualVec;
import org.matcalc.ad.Node;
import org.matcalc.numeric.Num;
import org.matcalc.ad.ScalarTape;
import org.matcalc.ad.Tape;

/**
 * The scalar tape behind {@code Rhs.of(...).vjp} and {@code Objective.of(...).partials}:
 * against matcalc's general reverse tape ({@link Tape}) and forward multi-direction duals
 * ({@link DualVec}) on a program that uses every operation of {@link Num}, a constant among
 * the outputs and pow(x, 0).
 */
class ScalarTapeTest {
    /** f: R^4 x R^3 -> R^4, every Num operation at least once. */
    static final Rhs.Program EVERYTHING = new Rhs.Program() {
        @Override
        public <T extends Num<T>> void apply(double t, T[] u, T[] p, T[] du) {
            T a = u[0].times(p[0]).plus(u[1].div(p[1].plus(3.0))).minus(u[2].negate().times(t));
            du[0] = a.apply(ScalarFunction.TANH).plus(u[0].pow(3)).plus(u[1].pow(0));
            du[1] = p[2].apply(ScalarFunction.SIN).times(u[0].exp()).div(u[1].square().plus(1.0));
            du[2] = u[0].constant(2.5);                       // no dependence at all
            du[3] = a.times(a).minus(p[0].sqrt()).times(-0.5).plus(u[2].times(u[0].minus(1.0))).times(u[3]);
        }
    };

    private static double[] random(Random r, int n, double lo, double hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * r.nextDouble();
        }
        return v;
    }

    @Test
    void vjpMatchesTheGeneralTapeAndForwardDuals() {
        Rhs f = Rhs.of(EVERYTHING);
        Random r = new Random(7);
        for (int trial = 0; trial < 20; trial++) {
            double t = r.nextDouble();
            double[] u = random(r, 4, -1, 1), p = random(r, 3, 0.2, 2), lambda = random(r, 4, -2, 2);
            Rhs.Vjp vjp = f.vjp(t, u, p, lambda);

            // The general reverse tape (1x1 matrix nodes).
            Tape tape = new Tape();
            Node[] us = new Node[4], ps = new Node[3], du = new Node[4];
            for (int i = 0; i < 4; i++) {
                us[i] = tape.variable(Mat.scalar(u[i]));
            }
            for (int i = 0; i < 3; i++) {
                ps[i] = tape.variable(Mat.scalar(p[i]));
            }
            EVERYTHING.apply(t, us, ps, du);
            Node s = tape.constant(0);
            for (int i = 0; i < 4; i++) {
                s = s.plus(du[i].times(lambda[i]));
            }
            tape.backward(s);
            for (int i = 0; i < 4; i++) {
                assertClose(us[i].grad().scalarValue(), vjp.u()[i], "f_u' lambda [" + i + "]");
            }
            for (int i = 0; i < 3; i++) {
                assertClose(ps[i].grad().scalarValue(), vjp.p()[i], "f_p' lambda [" + i + "]");
            }

            // Forward duals: the Jacobians, then their transposes times lambda.
            Mat lam = Mat.column(lambda);
            double[] byU = f.dfdu(t, u, p).transposeTimes(lam).toRowMajor();
            double[] byP = f.dfdp(t, u, p).transposeTimes(lam).toRowMajor();
            for (int i = 0; i < 4; i++) {
                assertClose(byU[i], vjp.u()[i], "f_u' lambda by DualVec [" + i + "]");
            }
            for (int i = 0; i < 3; i++) {
                assertClose(byP[i], vjp.p()[i], "f_p' lambda by DualVec [" + i + "]");
            }
        }
    }

    @Test
    void objectivePartialsMatchForwardDuals() {
        Objective.Program program = new Objective.Program() {
            @Override
            public <T extends Num<T>> T apply(double t, T[] u, T[] p) {
                return u[0].times(u[1]).apply(ScalarFunction.EXP).div(p[0].plus(2.0))
                        .minus(u[1].pow(2.5).times(p[1])).plus(u[0].constant(t));
            }
        };
        Objective g = Objective.of(program);
        Random r = new Random(11);
        for (int trial = 0; trial < 20; trial++) {
            double t = r.nextDouble();
            double[] u = random(r, 2, 0.1, 1.5), p = random(r, 2, -1, 1);
            Objective.Partials partials = g.partials(t, u, p);
            DualVec[] ud = new DualVec[2], pd = new DualVec[2];
            for (int i = 0; i < 2; i++) {
                ud[i] = DualVec.variable(u[i], i, 4);
                pd[i] = DualVec.variable(p[i], 2 + i, 4);
            }
            DualVec d = program.apply(t, ud, pd);
            assertEquals(d.value(), partials.value(), 0, "g");
            assertEquals(d.value(), g.value(t, u, p), 0, "g alone");
            for (int i = 0; i < 2; i++) {
                assertClose(d.partial(i), partials.du()[i], "g_u[" + i + "]");
                assertClose(d.partial(2 + i), partials.dp()[i], "g_p[" + i + "]");
            }
        }
    }

    @Test
    void constantOutputsGiveZeroAndUnwrittenOutputsAreRefused() {
        Rhs constant = Rhs.of(new Rhs.Program() {
            @Override
            public <T extends Num<T>> void apply(double t, T[] u, T[] p, T[] du) {
                du[0] = u[0].constant(1.0);
                du[1] = p[0].pow(0);
            }
        });
        Rhs.Vjp vjp = constant.vjp(0, new double[] {1, 2}, new double[] {3}, new double[] {1, 1});
        assertEquals(0, vjp.u()[0]);
        assertEquals(0, vjp.u()[1]);
        assertEquals(0, vjp.p()[0]);

        Rhs missing = Rhs.of(new Rhs.Program() {
            @Override
            public <T extends Num<T>> void apply(double t, T[] u, T[] p, T[] du) {
                du[0] = u[0];
            }
        });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> missing.vjp(0, new double[] {1, 2}, new double[] {3}, new double[] {1, 1}));
        assertTrue(e.getMessage().contains("du[1] was not written"), e.getMessage());
    }

    @Test
    void operandsFromAnotherTapeAreRefused() {
        ScalarTape a = new ScalarTape(), b = new ScalarTape();
        ScalarTape.Var x = a.variable(1), y = b.variable(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.plus(y));
        assertTrue(e.getMessage().contains("different tapes"), e.getMessage());
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-13 * Math.max(1, Math.abs(expected)), what);
    }
}
