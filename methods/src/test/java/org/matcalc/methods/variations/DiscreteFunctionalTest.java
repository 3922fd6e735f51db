package org.matcalc.methods.variations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.hipparchus.analysis.integration.SimpsonIntegrator;
import org.junit.jupiter.api.Test;
import org.matcalc.numeric.Mat;
import org.matcalc.ad.AD;
import org.matcalc.ad.Real;
import org.matcalc.numeric.fd.DerivativeCheck;
import org.matcalc.numeric.fd.FiniteDifferences;
import org.matcalc.methods.optimize.Options;
import org.matcalc.methods.optimize.Result;

class DiscreteFunctionalTest {
    static final double G = 9.81;

    /** Positive depths near a smooth curve, so every functional here is defined and smooth. */
    static double[] randomDepths(int n, long seed) {
        Random r = new Random(seed);
        double[] y = new double[n];
        for (int k = 0; k < n; k++) {
            y[k] = 0.3 + 0.5 * Math.sin(Math.PI * (k + 1) / (n + 1)) + 0.1 * r.nextDouble();
        }
        return y;
    }

    @Test
    void reverseModeGradientsAgreeWithFiniteDifferencesAndForwardMode() {
        int n = 9;
        double[] uniform = DiscreteFunctional.uniform(0, 2, n), graded = DiscreteFunctional.graded(0, 2, n, 3);
        List<DiscreteFunctional> cases = List.of(
                new DiscreteFunctional(0, 0.2, 2, 1, n, Functionals.chordLength()),
                new DiscreteFunctional(0, 0.2, 2, 1, n, SegmentCost.midpoint(Functionals.arcLength())),
                new DiscreteFunctional(uniform, 0, 1, Functionals.segmentTime(G)),
                new DiscreteFunctional(graded, 0, 1, Functionals.segmentTime(G)),
                new DiscreteFunctional(uniform, 0, 1, SegmentCost.midpoint(Functionals.descentTime(G))));
        for (int c = 0; c < cases.size(); c++) {
            DiscreteFunctional j = cases.get(c);
            double[] y = randomDepths(n, c), g = new double[n];
            double v = j.valueAndGradient(y, g);
            assertEquals(j.value(y), v, 1e-15 * Math.abs(v), "value, case " + c);
            Mat fd = FiniteDifferences.gradient(m -> j.value(m.toRowMajor()), Mat.column(y));
            DerivativeCheck.Report rep = DerivativeCheck.compare(Mat.column(g), fd);
            assertTrue(rep.passed(1e-7), "case " + c + ": " + rep);
            double[] fwd = AD.gradientForward(j, y);
            for (int k = 0; k < n; k++) {
                assertEquals(fwd[k], g[k], 1e-14 * Math.max(1, Math.abs(g[k])), "forward vs reverse, case " + c);
            }
        }
    }

    @Test
    void theMatrixLevelTimeProgramIsTheGenericOneFaster() {
        Brachistochrone p = new Brachistochrone(2, 1, G);
        for (double[] x : List.of(DiscreteFunctional.uniform(0, 2, 20), DiscreteFunctional.graded(0, 2, 20, 3))) {
            DiscreteFunctional j = p.discretise(x, p.segmentTime());
            double[] y = randomDepths(20, 3), g1 = new double[20], g2 = new double[20];
            double v1 = j.valueAndGradient(y, g1), v2 = p.objective(x).evaluate(y, g2);
            assertEquals(v1, v2, 1e-14);
            for (int k = 0; k < 20; k++) {
                assertEquals(g1[k], g2[k], 1e-14);
            }
        }
        // above the start the bead cannot go: NaN for the line search to back off from, not an exception
        double[] y = randomDepths(5, 1);
        y[2] = -0.1;
        assertTrue(Double.isNaN(p.objective(DiscreteFunctional.uniform(0, 2, 5)).evaluate(y, new double[5])));
    }

    @Test
    void arcLengthGradientIsStepTimesMinusCurvature() {
        // 18.063 §10.3 and remark 45/47: grad J = -(u'/sqrt(1 + u'^2))' = -u''/(1 + u'^2)^(3/2), times h on the grid
        int n = 199;
        DiscreteFunctional j = new DiscreteFunctional(0, 0, 1, Math.sin(1), n, Functionals.chordLength());
        double[] x = j.grid(), u = new double[n], g = new double[n];
        for (int k = 0; k < n; k++) {
            u[k] = Math.sin(x[k + 1]);
        }
        j.valueAndGradient(u, g);
        double h = 1.0 / (n + 1), worst = 0;
        for (int k = 0; k < n; k++) {
            double xk = x[k + 1], up = Math.cos(xk), upp = -Math.sin(xk);
            worst = Math.max(worst, Math.abs(g[k] / h - (-upp / Math.pow(1 + up * up, 1.5))));
        }
        assertTrue(worst < 1e-4, "worst " + worst);   // O(h^2) = 2.5e-5 here
    }

    @Test
    void shortestPathIsTheStraightLine() {
        int n = 40;
        DiscreteFunctional j = new DiscreteFunctional(-1, 2, 3, -1, n, Functionals.chordLength());
        double[] y0 = randomDepths(n, 11);
        Result r = j.minimize(y0, Options.defaults().withGradientTolerance(1e-12));
        assertTrue(r.converged(), r.message());
        double[] line = j.line();
        for (int k = 0; k < n; k++) {
            assertEquals(line[k], r.x()[k], 1e-9);
        }
        assertEquals(5.0, r.value(), 1e-13);   // a 3-4-5 triangle
    }

    @Test
    void segmentTimeIsTheTravelTimeOfABeadOnTheChord() {
        // free fall and an inclined plane from rest, in closed form
        SegmentCost t = Functionals.segmentTime(G);
        assertEquals(Math.sqrt(2 * 2.0 / G), t.apply(0, new Real(0), 0, new Real(2)).real(), 1e-15);
        double len = 3, angle = 0.4;
        assertEquals(Math.sqrt(2 * len / (G * Math.sin(angle))),
                t.apply(0, new Real(0), len * Math.cos(angle), new Real(len * Math.sin(angle))).real(), 1e-14);
        // a segment not starting at rest, against quadrature of ds / sqrt(2 g y) along the chord
        double x0 = 0.5, x1 = 1.25, y0 = 0.3, y1 = 0.9, l = Math.hypot(x1 - x0, y1 - y0);
        double quad = new SimpsonIntegrator(1e-14, 1e-14, 3, 30).integrate(1_000_000,
                s -> 1 / Math.sqrt(2 * G * (y0 + s / l * (y1 - y0))), 0, l);
        assertEquals(quad, t.apply(x0, new Real(y0), x1, new Real(y1)).real(), 1e-12);
        // level segment: L / sqrt(2 g y)
        assertEquals(2 / Math.sqrt(2 * G * 0.7), t.apply(1, new Real(0.7), 3, new Real(0.7)).real(), 1e-15);
    }

    @Test
    void theMidpointRuleUnderratesAFallFromRestBySqrt2() {
        // why the midpoint discretisation cannot be trusted at y = 0: a near-vertical first segment
        SegmentCost mid = SegmentCost.midpoint(Functionals.descentTime(G));
        SegmentCost exact = Functionals.segmentTime(G);
        double ratio = mid.apply(0, new Real(0), 1e-9, new Real(1)).real() / exact.apply(0, new Real(0), 1e-9, new Real(1)).real();
        assertEquals(1 / Math.sqrt(2), ratio, 1e-9);
    }

    @Test
    void gridsAndEnds() {
        double[] u = DiscreteFunctional.uniform(1, 2, 3);
        assertEquals(List.of(1.0, 1.25, 1.5, 1.75, 2.0), java.util.Arrays.stream(u).boxed().toList());
        double[] g = DiscreteFunctional.graded(0, 8, 1, 3);
        assertEquals(1.0, g[1], 1e-15);   // 8 * (1/2)^3
        assertEquals(8.0, g[2]);
        DiscreteFunctional j = new DiscreteFunctional(0, 1, 1, 3, 1, Functionals.chordLength());
        assertEquals(List.of(1.0, 2.0, 3.0), java.util.Arrays.stream(j.withEnds(new double[] {2})).boxed().toList());
        assertEquals(2.0, j.line()[0], 1e-15);
    }

    @Test
    void badInputIsRefusedWithAMessage() {
        SegmentCost c = Functionals.chordLength();
        String m1 = assertThrows(IllegalArgumentException.class, () -> new DiscreteFunctional(1, 0, 0, 0, 3, c)).getMessage();
        assertTrue(m1.contains("a < b"), m1);
        String m2 = assertThrows(IllegalArgumentException.class, () -> new DiscreteFunctional(0, 0, 1, 0, 0, c)).getMessage();
        assertTrue(m2.contains("at least 1"), m2);
        String m3 = assertThrows(IllegalArgumentException.class,
                () -> new DiscreteFunctional(new double[] {0, 0.5, 0.5, 1}, 0, 0, c)).getMessage();
        assertTrue(m3.contains("strictly increasing"), m3);
        String m4 = assertThrows(IllegalArgumentException.class,
                () -> new DiscreteFunctional(0, 0, 1, 0, 3, c).value(new double[2])).getMessage();
        assertTrue(m4.contains("required 3, got 2"), m4);
        assertThrows(IllegalArgumentException.class, () -> new DiscreteFunctional(0, Double.NaN, 1, 0, 3, c));
        assertThrows(IllegalArgumentException.class, () -> new DiscreteFunctional(0, 0, 1, 0, 3, null));
        assertThrows(IllegalArgumentException.class, () -> Functionals.segmentTime(0));
        assertThrows(IllegalArgumentException.class, () -> DiscreteFunctional.graded(0, 1, 3, 0.5));
    }
}
