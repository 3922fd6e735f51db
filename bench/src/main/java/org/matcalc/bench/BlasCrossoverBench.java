package org.matcalc.bench;

import java.util.Random;

import org.matcalc.numeric.Blas;
import org.matcalc.numeric.Kernels;
import org.matcalc.numeric.Mat;

/**
 * Where the native BLAS starts to beat EJML: n x n times n x n and n x n times a vector, each
 * path forced ({@link Blas#with}), median of many runs after warm-up, inputs fresh from the heap
 * (so the native side pays its copies, as a one-off product does). Sets {@code Blas.MIN_WORK}.
 * Run: {@code java -XX:+UseSerialGC -cp bench/target/benchmarks.jar org.matcalc.bench.BlasCrossoverBench}.
 */
public final class BlasCrossoverBench {
    private BlasCrossoverBench() {
    }

    public static void main(String[] args) {
        System.out.println(Blas.status());
        System.out.printf("%6s %12s %12s %8s %14s %12s %8s %18s %14s %10s%n", "n", "EJML A*B us", "native us", "ratio", "EJML A*v us",
                "native us", "ratio", "native, A reused", "EJML solve us", "native us");
        for (int n : new int[] {8, 16, 24, 32, 40, 48, 64, 96, 128, 256, 512, 1024}) {
            Random r = new Random(n);
            double[] a = gaussian(r, n * n), b = gaussian(r, n * n), v = gaussian(r, n);
            double[] t = new double[7];
            Mat kept = Mat.rowMajor(n, n, a);
            for (int path = 0; path < 2; path++) {
                Blas.Mode mode = path == 0 ? Blas.Mode.JAVA : Blas.Mode.NATIVE;
                // new Mats each run (a copy of the array): the native side copies them in, as for a one-off product
                t[path] = Blas.with(mode, () -> PeerBench.medianMs(
                        () -> Mat.rowMajor(n, n, a).times(Mat.rowMajor(n, n, b)), 501)) * 1e3;
                t[2 + path] = Blas.with(mode, () -> PeerBench.medianMs(
                        () -> Mat.rowMajor(n, n, a).times(Mat.rowMajor(n, 1, v)), 501)) * 1e3;
            }
            Mat well = Mat.rowMajor(n, n, a).plus(Mat.eye(n).scale(2 * Math.sqrt(n)));
            t[5] = Blas.with(Blas.Mode.JAVA, () -> PeerBench.medianMs(() -> Kernels.solve(well, Mat.rowMajor(n, 1, v)), 201)) * 1e3;
            t[6] = Blas.with(Blas.Mode.NATIVE, () -> PeerBench.medianMs(() -> Kernels.solve(well, Mat.rowMajor(n, 1, v)), 201)) * 1e3;
            t[4] = Blas.with(Blas.Mode.NATIVE, () -> PeerBench.medianMs(() -> kept.times(Mat.rowMajor(n, 1, v)), 501)) * 1e3;
            System.out.printf("%6d %12.2f %12.2f %8.2f %14.2f %12.2f %8.2f %18.2f %14.2f %10.2f%n", n, t[0], t[1], t[1] / t[0],
                    t[2], t[3], t[3] / t[2], t[4], t[5], t[6]);
        }
    }

    private static double[] gaussian(Random r, int n) {
        double[] d = new double[n];
        for (int k = 0; k < n; k++) {
            d[k] = r.nextGaussian();
        }
        return d;
    }
}
