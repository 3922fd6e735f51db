package org.matcalc.methods.variations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.matcalc.methods.optimize.Options;

class BrachistochroneTest {
    static final double G = 9.81;
    static final Options OPTIONS = Options.defaults().withGradientTolerance(1e-10).withMaxIterations(20_000);

    @Test
    void cycloidThroughAKnownPoint() {
        // R = 1, theta = pi reaches (pi, 2) in time pi / sqrt(g)
        Cycloid c = Cycloid.through(Math.PI, 2, G);
        assertEquals(Math.PI, c.thetaEnd(), 1e-15);
        assertEquals(1, c.radius(), 1e-15);
        assertEquals(Math.PI / Math.sqrt(G), c.time(), 1e-15);
        // beyond pi/2 = b/yb the cycloid dips below the end point; it still ends there
        Cycloid d = Cycloid.through(2, 1, G);
        assertTrue(d.thetaEnd() > Math.PI);
        assertEquals(2, d.x(d.thetaEnd()), 1e-14);
        assertEquals(1, d.y(d.thetaEnd()), 1e-14);
        for (double t = 0.1; t < d.thetaEnd(); t += 0.37) {
            assertEquals(d.y(t), d.yAt(d.x(t)), 1e-13);
            // Beltrami's first integral of the Euler-Lagrange equation: y (1 + y'^2) = 2R
            double slope = Math.sin(t) / (1 - Math.cos(t));
            assertEquals(2 * d.radius(), d.y(t) * (1 + slope * slope), 1e-13);
        }
    }

    @Test
    void cycloidTimeIsTheIntegralOfDsOverSpeed() {
        // sum of exact segment times along a fine polyline inscribed in the cycloid (uniform in theta) tends to its time
        Cycloid c = Cycloid.through(2, 1, G);
        SegmentCost t = Functionals.segmentTime(G);
        int m = 20_000;
        double sum = 0;
        for (int k = 0; k < m; k++) {
            double a = c.thetaEnd() * k / m, b = c.thetaEnd() * (k + 1) / m;
            sum += t.apply(c.x(a), new org.matcalc.ad.Real(c.y(a)), c.x(b),
                    new org.matcalc.ad.Real(c.y(b))).real();
        }
        assertEquals(c.time(), sum, 1e-8);
        assertTrue(sum > c.time());   // an inscribed polyline is slower than the optimum
    }

    @Test
    void discreteMinimisersConvergeToTheCycloid() {
        Brachistochrone p = new Brachistochrone(2, 1, G);
        double tc = p.cycloid().time();
        Brachistochrone.Solution u31 = p.solve(31, OPTIONS), u63 = p.solve(63, OPTIONS);
        Brachistochrone.Solution g31 = p.solve(DiscreteFunctional.graded(0, 2, 31, 3), OPTIONS);
        Brachistochrone.Solution g63 = p.solve(DiscreteFunctional.graded(0, 2, 63, 3), OPTIONS);
        for (Brachistochrone.Solution s : new Brachistochrone.Solution[] {u31, u63, g31, g63}) {
            assertTrue(s.result().converged(), s.result().message());
            assertTrue(s.time() > tc, "a polyline cannot beat the cycloid");
            assertEquals(tc, s.cycloidTime());
        }
        double uOrder = log2((u31.time() - tc) / (u63.time() - tc));
        double gOrder = log2((g31.time() - tc) / (g63.time() - tc));
        double gDev = log2(g31.maxDeviation() / g63.maxDeviation());
        assertEquals(1, uOrder, 0.15, "uniform grid: first order in time (vertical start)");
        assertEquals(2, gOrder, 0.15, "graded grid: second order in time");
        assertEquals(2, gDev, 0.15, "graded grid: second order in the curve");
        assertTrue(g63.maxDeviation() < 2e-4, "deviation " + g63.maxDeviation());

        // the discrete minimisers approach Beltrami's y (1 + y'^2) = 2R at second order (segment midpoints,
        // away from the start where a chord's slope is a poor y')
        double b31 = beltramiResidual(g31, p.cycloid().radius()), b63 = beltramiResidual(g63, p.cycloid().radius());
        assertTrue(b63 < 2e-3 && b31 / b63 > 3, "Beltrami residuals " + b31 + ", " + b63);
    }

    static double beltramiResidual(Brachistochrone.Solution s, double radius) {
        double worst = 0;
        double[] x = s.x(), y = s.y();
        for (int k = x.length / 4; k < x.length - 1; k++) {
            double slope = (y[k + 1] - y[k]) / (x[k + 1] - x[k]), ym = 0.5 * (y[k] + y[k + 1]);
            worst = Math.max(worst, Math.abs(ym * (1 + slope * slope) / (2 * radius) - 1));
        }
        return worst;
    }

    @Test
    void theGenericAndMatrixLevelSolversFindTheSameCurve() {
        Brachistochrone p = new Brachistochrone(1, 1, G);
        Brachistochrone.Solution fast = p.solve(15, OPTIONS), generic = p.solve(p.discretise(15), OPTIONS);
        assertEquals(fast.time(), generic.time(), 1e-13);
        for (int k = 0; k < fast.y().length; k++) {
            assertEquals(fast.y()[k], generic.y()[k], 1e-7);
        }
    }

    @Test
    void badInputIsRefusedWithAMessage() {
        String m = assertThrows(IllegalArgumentException.class, () -> new Brachistochrone(2, -1, G)).getMessage();
        assertTrue(m.contains("yb > 0"), m);
        assertThrows(IllegalArgumentException.class, () -> new Brachistochrone(0, 1, G));
        assertThrows(IllegalArgumentException.class, () -> new Brachistochrone(1, 1, -G));
        Brachistochrone p = new Brachistochrone(2, 1, G);
        String g = assertThrows(IllegalArgumentException.class,
                () -> p.solve(DiscreteFunctional.uniform(0, 3, 5), OPTIONS)).getMessage();
        assertTrue(g.contains("from 0 to 2"), g);
        assertThrows(IllegalArgumentException.class, () -> p.cycloid().thetaAt(5));
    }

    private static double log2(double r) {
        return Math.log(r) / Math.log(2);
    }
}
