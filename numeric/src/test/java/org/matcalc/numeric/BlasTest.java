package org.matcalc.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every operation that {@link Blas} can take over, run through both paths (all in EJML, all in
 * native OpenBLAS) on the same inputs, non-square where the operation allows: the results agree
 * to rounding. Sizes straddle {@link Blas#MIN_WORK}, so the automatic choice is covered too.
 */
class BlasTest {
    record Inputs(Mat a, Mat b, Mat tall, Mat v, Mat w, Mat spd, Mat sym, Mat sq, Mat rhs) {
    }

    static Inputs inputs(int n) {
        Random rnd = new Random(7 + n);
        int m = n + 3, k = 2 * n + 1;
        Mat d = TestMats.gaussian(rnd, k, 1);
        return new Inputs(TestMats.gaussian(rnd, m, n), TestMats.gaussian(rnd, n, k), TestMats.gaussian(rnd, k, n),
                TestMats.gaussian(rnd, n, 1), d, TestMats.spd(rnd, n), TestMats.symmetric(rnd, n),
                TestMats.wellConditioned(rnd, n), TestMats.gaussian(rnd, n, 3));
    }

    static Stream<Arguments> operations() {
        Stream<Arguments> rows = Stream.of(
                row("A*B", in -> in.a().times(in.b())),
                row("A'*A via transposeTimes", in -> in.a().transposeTimes(in.a())),
                row("B*B' via timesTranspose", in -> in.b().timesTranspose(in.b())),
                row("A*v (gemv)", in -> in.a().times(in.v())),
                row("A'*(A*v) (gemv, transposed)", in -> in.a().transposeTimes(in.a().times(in.v()))),
                row("v'*B (row times matrix)", in -> in.v().transpose().times(in.b())),
                row("v'*A' (row times transposed)", in -> in.v().transpose().timesTranspose(in.a())),
                row("X'*X (syrk)", in -> Kernels.inner(in.tall())),
                row("X'*diag(d)*X, d of both signs", in -> Kernels.scaledInner(in.tall(), in.w())),
                row("X'*diag(d)*X, d >= 0", in -> Kernels.scaledInner(in.tall(), in.w().map(Math::abs))),
                row("solve(A, B)", in -> Kernels.solve(in.sq(), in.rhs())),
                row("inv(A)", in -> Kernels.inv(in.sq())),
                row("det(A)", in -> Mat.scalar(Kernels.det(in.sq()))),
                row("logdet(S)", in -> Mat.scalar(Kernels.logdet(in.spd()))),
                row("cholesky(S)", in -> Kernels.cholesky(in.spd())),
                row("eigSym values", in -> Kernels.eigSym(in.sym()).values()),
                row("eigSym vectors", in -> Kernels.eigSym(in.sym()).vectors()),
                row("eigvals(S)", in -> Kernels.eigvals(in.spd())),
                row("A*B then element-wise (native result read by Java)", in -> in.a().times(in.b()).map(Math::tanh)));
        return rows.flatMap(r -> Stream.of(3, 17, 64).map(n -> Arguments.of(r.get()[0], n, r.get()[1])));
    }

    private static Arguments row(String name, Function<Inputs, Mat> op) {
        return Arguments.of(name, op);
    }

    @ParameterizedTest(name = "{0}, n = {1}")
    @MethodSource("operations")
    void nativeAgreesWithJava(String name, int n, Function<Inputs, Mat> op) {
        assertTrue(Blas.available(), "the native BLAS should load on this platform: " + Blas.status());
        Mat java = Blas.with(Blas.Mode.JAVA, () -> op.apply(inputs(n)));
        Mat nativ = Blas.with(Blas.Mode.NATIVE, () -> op.apply(inputs(n)));
        Mat auto = op.apply(inputs(n));
        double scale = Math.max(1, java.maxAbs());
        assertEquals(java.rows(), nativ.rows(), name);
        assertEquals(java.cols(), nativ.cols(), name);
        assertTrue(java.minus(nativ).maxAbs() <= 1e-10 * scale, name + ": native differs by " + java.minus(nativ).maxAbs());
        assertTrue(java.minus(auto).maxAbs() <= 1e-10 * scale, name + ": the automatic choice differs");
    }

    @Test
    void nativeRefusesSingularMatricesAsJavaDoes() {
        Mat singular = Mat.of(new double[][] {{1, 2, 3}, {2, 4, 6}, {1, 0, 1}});
        for (Blas.Mode mode : new Blas.Mode[] {Blas.Mode.JAVA, Blas.Mode.NATIVE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Blas.with(mode, () -> Kernels.solve(singular, Mat.column(1, 2, 3))));
            assertTrue(e.getMessage().contains("singular"), mode + ": " + e.getMessage());
            IllegalArgumentException c = assertThrows(IllegalArgumentException.class,
                    () -> Blas.with(mode, () -> Kernels.cholesky(Mat.of(new double[][] {{1, 2}, {2, 1}}))));
            assertTrue(c.getMessage().contains("positive definite"), mode + ": " + c.getMessage());
        }
    }

    @Test
    void aNativeResultIsAnOrdinaryValue() {
        Mat a = inputs(40).a(), b = inputs(40).b();
        Mat p = Blas.with(Blas.Mode.NATIVE, () -> a.times(b));
        Mat q = Blas.with(Blas.Mode.JAVA, () -> a.times(b));
        assertTrue(p.approxEquals(q, 1e-12));
        assertEquals(p, Mat.rowMajor(p.rows(), p.cols(), p.toRowMajor()), "heap copy equals the native value");
        Mat twice = Blas.with(Blas.Mode.NATIVE, () -> p.times(Mat.eye(p.cols())));
        assertTrue(twice.approxEquals(p, 1e-15), "a native result used again natively");
    }

    /** A server's workers share the cores: each native operation gets cores / workers threads, at least one. */
    @Test
    void workersShareTheCores() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertTrue(Blas.available());
        int before = Blas.threads();
        try {
            Blas.shareCores(2 * cores);
            assertEquals(1, Blas.threads());
            Blas.shareCores(1);
            assertEquals(cores, Blas.threads());
        } finally {
            Blas.setThreads(before);
        }
    }

    @Test
    void statusNamesTheLibraryAndThreads() {
        assertTrue(Blas.status().contains("OpenBLAS"), Blas.status());
        assertTrue(Blas.threads() >= 1);
    }
}
