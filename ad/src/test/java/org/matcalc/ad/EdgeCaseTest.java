package org.matcalc.ad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.function.Executable;

import org.junit.jupiter.api.Test;
import org.matcalc.numeric.Mat;

/** Zero-size dimensions, and "throws in one mode iff it throws in all" (Stan's expect_ad). */
class EdgeCaseTest {
    @Test
    void zeroSizeDimensions() {
        Mat a = Mat.zeros(2, 0);
        Mat b = Mat.zeros(0, 3);
        Mat[] g = AD.gradient(x -> x[0].times(x[1]).sum(), a, b);
        assertEquals(2, g[0].rows());
        assertEquals(0, g[0].cols());
        assertEquals(0, g[1].rows());
        assertEquals(3, g[1].cols());
        Mat c = Mat.column(1, 2, 3);
        Mat gc = AD.gradient(x -> x.hcat(x.constant(Mat.zeros(3, 0))).sum().plus(x.slice(0, 0, 0, 1).sum()), c);
        assertEquals(Mat.fill(3, 1, 1), gc);
        AD.Jacobian j = AD.jacobian(x -> x.slice(1, 1, 0, 1), c);
        assertEquals(0, j.matrix().rows());
        assertEquals(3, j.matrix().cols());
    }

    /** A singular or invalid input must fail the same way whichever mode runs (Kernels refuse with IllegalArgumentException). */
    @Test
    void failuresAgreeAcrossModes() {
        Mat singular = Mat.of(new double[][] {{1, 2}, {2, 4}});
        Mat notSpd = Mat.of(new double[][] {{1, 0}, {0, -1}});
        record Bad(String name, AD.MatFunction f, Mat x, Class<? extends Throwable> error) {
        }
        List<Bad> bad = List.of(
                new Bad("inv singular", x -> x.inv().sum(), singular, IllegalArgumentException.class),
                new Bad("solve singular", x -> x.solve(x.constant(Mat.column(1, 1))).sum(), singular, IllegalArgumentException.class),
                new Bad("cholesky not spd", x -> x.cholesky().sum(), notSpd, IllegalArgumentException.class),
                new Bad("trace of non-square", x -> x.trace(), Mat.zeros(2, 3), IllegalArgumentException.class));
        for (Bad b : bad) {
            Mat v = Mat.fill(b.x().rows(), b.x().cols(), 1);
            List<Executable> modes = List.of(
                    () -> AD.gradient(b.f(), b.x()),
                    () -> AD.jvp(b.f(), b.x(), v),
                    () -> AD.hvp(b.f(), b.x(), v),
                    () -> AD.jacobian(b.f(), b.x(), AD.Mode.FORWARD),
                    () -> AD.jacobian(b.f(), b.x(), AD.Mode.REVERSE));
            for (Executable m : modes) {
                Throwable t = assertThrows(b.error(), m::execute, b.name());
                assertTrue(t.getMessage() != null && !t.getMessage().isEmpty(), b.name());
            }
        }
    }

    /** Identities with zero derivative: inv(inv(X)) - X, and a loss that ignores its input. */
    @Test
    void identitiesHaveZeroDerivative() {
        Mat x = Mat.of(new double[][] {{3, 1}, {0.5, 2}});
        Mat g = AD.gradient(v -> v.inv().inv().minus(v).norm2().pow(2), x);
        assertTrue(g.maxAbs() < 1e-12, g.toString());
        Mat h = AD.hvp(v -> v.inv().inv().minus(v).sum(), x, Mat.fill(2, 2, 1));
        assertTrue(h.maxAbs() < 1e-12, h.toString());
        Mat z = AD.gradient(v -> v.constant(Mat.scalar(5)), x);
        assertEquals(Mat.zeros(2, 2), z);
    }
}
