package org.matcalc.methods.optimize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.matcalc.numeric.Kernels;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.Num;
import org.matcalc.ad.ScalarProgram;
import org.matcalc.numeric.fd.DerivativeCheck;
import org.matcalc.numeric.fd.FiniteDifferences;
import org.matcalc.methods.optimize.CriticalPoints.Eigenvalue;
import org.matcalc.methods.optimize.CriticalPoints.HessianKind;
import org.matcalc.methods.optimize.CriticalPoints.SystemKind;

class CriticalPointsTest {
    static Mat m(double a, double b, double c, double d) {
        return Mat.of(new double[][] {{a, b}, {c, d}});
    }

    @Test
    void systemClassificationTable() {
        Object[][] table = {
            {m(-1, 0, 0, -3), SystemKind.STABLE_NODE},
            {m(-2, 1, 0, -2), SystemKind.STABLE_NODE},       // repeated eigenvalue, one eigenvector
            {m(4, 0, 0, 2), SystemKind.UNSTABLE_NODE},
            {m(2, 0, 1, -2), SystemKind.SADDLE},
            {m(0, -4, 2, -4), SystemKind.STABLE_SPIRAL},
            {m(1, -2, 2, 1), SystemKind.UNSTABLE_SPIRAL},
            {m(0, 1, -1, 0), SystemKind.CENTER},
            {m(0, 0, 0, -1), SystemKind.DEGENERATE},
            {m(0, 1, 0, 0), SystemKind.DEGENERATE},          // nilpotent: both eigenvalues 0
        };
        for (Object[] row : table) {
            assertEquals(row[1], CriticalPoints.classify((Mat) row[0]), row[0].toString());
        }
        // three dimensions: a stable spiral in a plane and a decaying direction; a saddle-focus
        Mat a = Mat.of(new double[][] {{-1, -5, 0}, {5, -1, 0}, {0, 0, -2}});
        assertEquals(SystemKind.STABLE_SPIRAL, CriticalPoints.classify(a));
        Mat b = Mat.of(new double[][] {{-1, -5, 0}, {5, -1, 0}, {0, 0, 2}});
        assertEquals(SystemKind.SADDLE, CriticalPoints.classify(b));
    }

    @Test
    void eigenvaluesOfKnownMatrices() {
        assertEquals(List.of(new Eigenvalue(-2, 2), new Eigenvalue(-2, -2)), round(CriticalPoints.eigenvalues(m(0, -4, 2, -4))));
        assertEquals(List.of(new Eigenvalue(4, 0), new Eigenvalue(2, 0)), round(CriticalPoints.eigenvalues(m(4, 0, 0, 2))));
        assertEquals(List.of(new Eigenvalue(2, 0), new Eigenvalue(-2, 0)), round(CriticalPoints.eigenvalues(m(2, 0, 1, -2))));
        assertEquals("-2+2i", new Eigenvalue(-2, 2).toString());
        assertEquals("-2-2i", new Eigenvalue(-2, -2).toString());
        assertEquals("4", new Eigenvalue(4, 0).toString());
        assertThrows(IllegalArgumentException.class, () -> CriticalPoints.eigenvalues(Mat.zeros(2, 3)));
    }

    @Test
    void eigenvaluesSumToTheTraceAndMultiplyToTheDeterminant() {
        Random rnd = new Random(21);
        for (int n = 1; n <= 5; n++) {
            Mat a = Problems.gaussian(rnd, n, n);
            List<Eigenvalue> ev = CriticalPoints.eigenvalues(a);
            double sre = 0, sim = 0, pre = 1, pim = 0;
            for (Eigenvalue e : ev) {
                sre += e.re();
                sim += e.im();
                double r = pre * e.re() - pim * e.im();
                pim = pre * e.im() + pim * e.re();
                pre = r;
            }
            assertEquals(a.trace(), sre, 1e-12);
            assertEquals(0, sim, 1e-12);
            assertEquals(Kernels.det(a), pre, 1e-10);
            assertEquals(0, pim, 1e-10);
        }
    }

    @Test
    void hessianClassificationTable() {
        Object[][] table = {
            {new double[] {1, 2}, HessianKind.MINIMUM},
            {new double[] {-1, -2}, HessianKind.MAXIMUM},
            {new double[] {1, -1}, HessianKind.SADDLE},
            {new double[] {-4.20448002, 1.86236874, 4.34211128}, HessianKind.SADDLE},
            {new double[] {1, -1, 0}, HessianKind.SADDLE},
            {new double[] {0, 1}, HessianKind.DEGENERATE},
            {new double[] {-1, 1e-12}, HessianKind.DEGENERATE},
            {new double[] {0, 0}, HessianKind.DEGENERATE},
        };
        for (Object[] row : table) {
            assertEquals(row[1], CriticalPoints.classifyHessian((double[]) row[0]));
        }
    }

    /** x' = 4x - 2xy, y' = 2y + xy - 2y^2 (the chapter's system). */
    static final SystemProgram CHAPTER = new SystemProgram() {
        @Override
        public <T extends Num<T>> List<T> apply(T[] u) {
            T x = u[0], y = u[1];
            return List.of(x.times(4).minus(x.times(y).times(2)), y.times(2).plus(x.times(y)).minus(y.square().times(2)));
        }
    };

    @Test
    void theChaptersSystemHasThreeCriticalPoints() {
        List<CriticalPoints.SystemPoint> ps = CriticalPoints.find(CHAPTER,
                CriticalPoints.grid(new double[] {-1, -1}, new double[] {3, 3}, 5), Options.defaults().withGradientTolerance(1e-12));
        assertEquals(3, ps.size(), ps.toString());
        double[][] where = {{0, 0}, {0, 1}, {2, 2}};
        SystemKind[] kinds = {SystemKind.UNSTABLE_NODE, SystemKind.SADDLE, SystemKind.STABLE_SPIRAL};
        for (int i = 0; i < 3; i++) {
            CriticalPoints.SystemPoint p = ps.get(i);
            assertArrayEquals(where[i], p.point(), 1e-12);
            assertEquals(kinds[i], p.kind());
            double x = p.point()[0], y = p.point()[1];
            // the hand-derived Jacobian [[4 - 2y, -2x], [y, 2 + x - 4y]] and finite differences
            assertTrue(p.jacobian().approxEquals(m(4 - 2 * y, -2 * x, y, 2 + x - 4 * y), 1e-12));
            Mat fd = FiniteDifferences.jacobian(v -> Mat.column(Newton.values(CHAPTER, v.toRowMajor())), Mat.column(p.point()));
            assertTrue(DerivativeCheck.compare(p.jacobian(), fd).passed(1e-8));
        }
    }

    @Test
    void lotkaVolterraHasASaddleAndACentre() {
        SystemProgram lv = new SystemProgram() {
            @Override
            public <T extends Num<T>> List<T> apply(T[] u) {
                T x = u[0], y = u[1];
                return List.of(x.minus(x.times(y)), x.times(y).minus(y));
            }
        };
        List<CriticalPoints.SystemPoint> ps = CriticalPoints.find(lv,
                CriticalPoints.grid(new double[] {-0.5, -0.5}, new double[] {2, 2}, 4), Options.defaults().withGradientTolerance(1e-13));
        assertEquals(2, ps.size(), ps.toString());
        assertEquals(SystemKind.SADDLE, ps.get(0).kind());
        assertEquals(SystemKind.CENTER, ps.get(1).kind());
        List<Eigenvalue> ev = ps.get(1).eigenvalues();
        assertEquals(0, ev.get(0).re(), 1e-12);
        assertEquals(1, ev.get(0).im(), 1e-12);
        assertEquals(-1, ev.get(1).im(), 1e-12);
    }

    @Test
    void stationaryPointsOfADoubleWell() {
        ScalarProgram f = new ScalarProgram() {
            @Override
            public <T extends Num<T>> T apply(T[] x) {
                return x[0].pow(4).times(0.25).minus(x[0].square().times(0.5)).plus(x[1].square());
            }
        };
        List<CriticalPoints.StationaryPoint> ps = CriticalPoints.findStationary(f,
                CriticalPoints.grid(new double[] {-2, -1}, new double[] {2, 1}, 5), Options.defaults().withGradientTolerance(1e-13));
        assertEquals(3, ps.size());
        assertArrayEquals(new double[] {-1, 0}, ps.get(0).point(), 1e-12);
        assertArrayEquals(new double[] {0, 0}, ps.get(1).point(), 1e-12);
        assertArrayEquals(new double[] {1, 0}, ps.get(2).point(), 1e-12);
        assertEquals(HessianKind.MINIMUM, ps.get(0).kind());
        assertEquals(HessianKind.SADDLE, ps.get(1).kind());
        assertEquals(HessianKind.MINIMUM, ps.get(2).kind());
        assertArrayEquals(new double[] {-1, 2}, ps.get(1).eigenvalues(), 1e-12);
        // and a maximum
        ScalarProgram cap = new ScalarProgram() {
            @Override
            public <T extends Num<T>> T apply(T[] x) {
                return x[0].square().plus(x[1].square()).negate();
            }
        };
        assertEquals(HessianKind.MAXIMUM, CriticalPoints.classify(cap, new double[] {0, 0}).kind());
    }

    @Test
    void gridCoversTheBox() {
        double[][] g = CriticalPoints.grid(new double[] {0, 10}, new double[] {1, 20}, 3);
        assertEquals(9, g.length);
        assertArrayEquals(new double[] {0, 10}, g[0]);
        assertArrayEquals(new double[] {0, 15}, g[1]);
        assertArrayEquals(new double[] {1, 20}, g[8]);
        assertThrows(IllegalArgumentException.class, () -> CriticalPoints.grid(new double[] {0}, new double[] {1, 2}, 3));
        assertThrows(IllegalArgumentException.class, () -> CriticalPoints.grid(new double[7], new double[7], 10));
    }

    /** Eigenvalues rounded to 12 digits so that exact cases compare equal. */
    static List<Eigenvalue> round(List<Eigenvalue> ev) {
        return ev.stream().map(e -> new Eigenvalue(r(e.re()), r(e.im()))).toList();
    }

    static double r(double v) {
        return Math.round(v * 1e12) / 1e12 + 0.0;
    }
}
