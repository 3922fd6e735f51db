package org.matcalc.bench;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;

/**
 * Why matcalc does not fuse element-wise chains by composing functions: two chains of four
 * element-wise functions over 100,000 entries, as separate passes (each allocating its result, as
 * the plan runs them) and as one pass through the composed functions
 * ({@link DoubleUnaryOperator#andThen}). The composed calls cannot be inlined, and come out slower
 * than the separate passes; fusion needs generated code. Median of 21 runs after warm-up.
 * Run: {@code java -XX:+UseSerialGC -cp bench/target/benchmarks.jar org.matcalc.bench.FusionBench}.
 */
public final class FusionBench {
    private FusionBench() {
    }

    private static double[] map(double[] x, DoubleUnaryOperator f) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = f.applyAsDouble(x[i]);
        }
        return out;
    }

    public static void main(String[] args) {
        int n = 100_000;
        double[] x = new Random(1).doubles(n).map(v -> 4 * v - 2).toArray();
        DoubleUnaryOperator exp = Math::exp, plusOne = v -> v + 1, log = Math::log, neg = v -> -v, square = v -> v * v,
                twice = v -> 2 * v;
        DoubleUnaryOperator softplusOfNeg = neg.andThen(exp).andThen(plusOne).andThen(log);
        DoubleUnaryOperator polynomial = square.andThen(twice).andThen(plusOne).andThen(neg);
        double separate = PeerBench.medianMs(() -> {
            map(map(map(map(x, neg), exp), plusOne), log);
            return map(map(map(map(x, square), twice), plusOne), neg);
        }, 21);
        double composed = PeerBench.medianMs(() -> {
            map(x, softplusOfNeg);
            return map(x, polynomial);
        }, 21);
        System.out.printf("two chains of four functions over %d entries: separate passes %.3f ms, composed %.3f ms (%.2fx)%n",
                n, separate, composed, composed / separate);
    }
}
