package org.matcalc.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.matcalc.numeric.Mat;
import org.matcalc.ad.AD;
import org.matcalc.expr.ScalarFunction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The logistic-loss Hessian (n x n, X of size 2n x n): forward-over-reverse (n dual-valued
 * reverse sweeps, {@link AD#hessian}) against n plain reverse gradient passes (the cost floor of
 * any Hessian built from n gradient-like sweeps, e.g. by differencing gradients) and against
 * the hand-written closed form X' diag(s(1-s)) X.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class AdHessianBench {
    @Param({"100", "1000"})
    public int n;

    Mat x;
    Mat y;
    Mat w;

    @Setup
    public void setup() {
        Random r = new Random(2);
        x = AdBench.random(r, 2 * n, n, 1 / Math.sqrt(n));
        y = AdBench.random(r, 2 * n, 1, 1).map(v -> v > 0 ? 1 : 0);
        w = AdBench.random(r, n, 1, 1);
    }

    @Benchmark
    public Mat hessianForwardOverReverse() {
        return AD.hessian(v -> AdBench.logistic(v, x, y), w);
    }

    @Benchmark
    public double nReverseGradients() {
        double s = 0;
        for (int k = 0; k < n; k++) {
            s += AD.gradient(v -> AdBench.logistic(v, x, y), w).at(k);
        }
        return s;
    }

    @Benchmark
    public Mat hessianHand() {
        Mat d = x.times(w).map(ScalarFunction.SIGMOID::derivative);
        // X' diag(d) X: scale the rows of X by d, then one product
        double[][] rows = x.toArray();
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < rows[i].length; j++) rows[i][j] *= d.at(i);
        }
        return x.transposeTimes(Mat.of(rows));
    }
}
