package org.matcalc.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.matcalc.numeric.Mat;
import org.matcalc.ad.AD;
import org.matcalc.ad.Node;
import org.matcalc.expr.ScalarFunction;
import org.matcalc.ad.Tape;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Reverse-mode gradients against the function and against hand-written gradients on the same
 * backend (matcalc's Mat over EJML), for two losses (docs/automatic-differentiation.md):
 * <ul>
 *   <li>logistic loss L(w) = sum(softplus(X w) - y .* (X w)), X of size 2n x n;</li>
 *   <li>two-layer network L(W1, W2) = sum((W2 tanh(W1 X) - Y).^2) / b, W1 n x n, W2 10 x n,
 *       X n x 32 (a batch of b = 32).</li>
 * </ul>
 * Run: {@code java -cp ... org.openjdk.jmh.Main AdBench -f 1 -wi 2 -i 3 -w 1s -r 1s}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class AdBench {
    @Param({"100", "1000"})
    public int n;

    static final int OUT = 10;
    static final int BATCH = 32;

    Mat x;
    Mat y;
    Mat w;
    Mat netX;
    Mat netY;
    Mat w1;
    Mat w2;

    static Mat random(Random r, int rows, int cols, double scale) {
        double[] d = new double[rows * cols];
        for (int k = 0; k < d.length; k++) d[k] = scale * r.nextGaussian();
        return Mat.rowMajor(rows, cols, d);
    }

    @Setup
    public void setup() {
        Random r = new Random(1);
        x = random(r, 2 * n, n, 1 / Math.sqrt(n));
        y = random(r, 2 * n, 1, 1).map(v -> v > 0 ? 1 : 0);
        w = random(r, n, 1, 1);
        netX = random(r, n, BATCH, 1);
        netY = random(r, OUT, BATCH, 1);
        w1 = random(r, n, n, 1 / Math.sqrt(n));
        w2 = random(r, OUT, n, 1 / Math.sqrt(n));
    }

    // ---- logistic loss ----

    static Node logistic(Node w, Mat x, Mat y) {
        Node z = w.constant(x).times(w);
        return z.softplus().minus(z.hadamard(w.constant(y))).sum();
    }

    @Benchmark
    public double logisticFunction() {
        Mat z = x.times(w);
        return z.map(ScalarFunction.SOFTPLUS::apply).minus(z.hadamard(y)).sum();
    }

    @Benchmark
    public Mat logisticGradientReverse() {
        return AD.gradient(v -> logistic(v, x, y), w);
    }

    /** grad = X' (sigmoid(X w) - y). */
    @Benchmark
    public Mat logisticGradientHand() {
        Mat z = x.times(w);
        return x.transposeTimes(z.map(ScalarFunction.SIGMOID::apply).minus(y));
    }

    /** The loss and its gradient by hand: what reverse mode computes, as a user would write it. */
    @Benchmark
    public Mat logisticValueAndGradientHand() {
        Mat z = x.times(w);
        double loss = z.map(ScalarFunction.SOFTPLUS::apply).minus(z.hadamard(y)).sum();
        Mat g = x.transposeTimes(z.map(ScalarFunction.SIGMOID::apply).minus(y));
        return loss > Double.NEGATIVE_INFINITY ? g : null;
    }

    // ---- two-layer network ----

    @Benchmark
    public double netFunction() {
        Mat h = w1.times(netX).map(Math::tanh);
        Mat res = w2.times(h).minus(netY);
        return res.dot(res) / BATCH;
    }

    @Benchmark
    public Mat[] netGradientReverse() {
        Tape t = new Tape();
        Node a = t.variable(w1);
        Node b = t.variable(w2);
        Node h = a.times(t.constant(netX)).tanh();
        Node res = b.times(h).minus(t.constant(netY));
        t.backward(res.dot(res).times(1.0 / BATCH));
        return new Mat[] {a.grad(), b.grad()};
    }

    /** dO = 2R/b; dW2 = dO H'; dZ = (W2' dO) .* (1 - H.^2); dW1 = dZ X'. */
    @Benchmark
    public Mat[] netGradientHand() {
        Mat h = w1.times(netX).map(Math::tanh);
        Mat dO = w2.times(h).minus(netY).scale(2.0 / BATCH);
        Mat dW2 = dO.timesTranspose(h);
        Mat dZ = w2.transposeTimes(dO).hadamard(h.map(v -> 1 - v * v));
        Mat dW1 = dZ.timesTranspose(netX);
        return new Mat[] {dW1, dW2};
    }

    /** The loss and both gradients by hand. */
    @Benchmark
    public Mat[] netValueAndGradientHand() {
        Mat h = w1.times(netX).map(Math::tanh);
        Mat res = w2.times(h).minus(netY);
        double loss = res.dot(res) / BATCH;
        Mat dO = res.scale(2.0 / BATCH);
        Mat dW2 = dO.timesTranspose(h);
        Mat dZ = w2.transposeTimes(dO).hadamard(h.map(v -> 1 - v * v));
        Mat dW1 = dZ.timesTranspose(netX);
        return new Mat[] {dW1, dW2, Mat.scalar(loss)};
    }
}
