package org.matcalc.ad;

import org.matcalc.expr.ScalarFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.fd.DerivativeCheck;
import org.matcalc.numeric.fd.FiniteDifferences;

/** Hessians by forward-over-reverse: symmetric, equal to differences of gradients; hvp = H*v. */
class HessianTest {
    private static final long SEED = 4242;

    record Case(String name, AD.MatFunction f, Mat x) {
    }

    static List<Case> cases() {
        Random r = new Random(SEED);
        Mat xData = Agreement.random(r, 7, 3);
        Mat y = Agreement.random(r, 7, 1).map(v -> v > 0 ? 1 : 0);
        Mat c = Agreement.random(r, 3, 3);
        Mat cov = c.timesTranspose(c).plus(Mat.eye(3));
        Mat a = Agreement.random(r, 2, 4);
        return List.of(
                new Case("inverse norm", x -> x.norm2().pow(-1), Agreement.random(r, 4, 1)),
                new Case("logistic loss", w -> {
                    Node z = w.constant(xData).times(w);
                    return z.softplus().minus(z.hadamard(w.constant(y))).sum();
                }, Agreement.random(r, 3, 1)),
                new Case("covariance MLE logdet(S) + tr(inv(S) C)",
                        s -> s.logdet().plus(s.inv().times(s.constant(cov)).trace()), cov.plus(Mat.eye(3))),
                new Case("a' X b on a 2x3 matrix with tanh", x -> x.tanh().times(x.constant(Mat.column(1, -2, 0.5)))
                        .transposeTimes(x.constant(Mat.column(0.3, 0.7))).pow(2), Agreement.random(r, 2, 3)),
                new Case("softmax regression -y' log softmax(W x)", w -> w.times(w.constant(Mat.column(0.5, -1, 2, 0.1)))
                        .softmax().log().transposeTimes(w.constant(Mat.column(0, 1))).negate(), a));
    }

    @Test
    void hessiansAreSymmetricAndMatchDifferencesOfGradients() {
        for (Case c : cases()) {
            Mat h = AD.hessian(c.f(), c.x());
            int n = c.x().size();
            assertEquals(n, h.rows(), c.name());
            assertTrue(h.approxEquals(h.transpose(), 1e-10), c.name() + ": not symmetric: " + h);
            Mat fd = FiniteDifferences.jacobian(x -> AD.gradient(c.f(), Mat.unvec(x, c.x().rows(), c.x().cols())).vec(),
                    c.x().vec());
            DerivativeCheck.Report rep = DerivativeCheck.compare(h, fd);
            assertTrue(rep.passed(1e-6), c.name() + " (seed " + SEED + "): " + rep);
        }
    }

    @Test
    void hvpEqualsHessianTimesV() {
        Random r = new Random(SEED + 1);
        for (Case c : cases()) {
            Mat v = Agreement.random(r, c.x().rows(), c.x().cols());
            Mat hv = AD.hvp(c.f(), c.x(), v);
            Mat expected = Mat.unvec(AD.hessian(c.f(), c.x()).times(v.vec()), v.rows(), v.cols());
            assertTrue(hv.approxEquals(expected, 1e-10), c.name() + " (seed " + SEED + "): " + hv + " vs " + expected);
        }
    }

    @Test
    void logisticHessianHasItsClosedForm() {
        Random r = new Random(SEED + 2);
        Mat xData = Agreement.random(r, 6, 3);
        Mat y = Mat.column(1, 0, 0, 1, 1, 0);
        Mat w = Agreement.random(r, 3, 1);
        Mat h = AD.hessian(v -> {
            Node z = v.constant(xData).times(v);
            return z.softplus().minus(z.hadamard(v.constant(y))).sum();
        }, w);
        // H = X' diag(s (1 - s)) X with s = sigmoid(X w)
        Mat s = xData.times(w).map(ScalarFunction.SIGMOID::derivative);
        Mat d = Mat.zeros(6, 6);
        double[][] dd = d.toArray();
        for (int i = 0; i < 6; i++) dd[i][i] = s.at(i);
        Mat exact = xData.transpose().times(Mat.of(dd)).times(xData);
        assertTrue(h.approxEquals(exact, 1e-12), h + " vs " + exact);
    }
}
