package org.matcalc.ad;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.hipparchus.analysis.differentiation.DSFactory;
import org.hipparchus.analysis.differentiation.DerivativeStructure;
import org.junit.jupiter.api.Test;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.Num;

/** An independent oracle: Hipparchus' DerivativeStructure (order 2) against matcalc's modes. */
class HipparchusOracleTest {
    /** f(x, y) = exp(x y) / (1 + y^2) + sin(x) sqrt(y) - tanh(x - y)^3. */
    static final ScalarProgram F = new ScalarProgram() {
        @Override
        public <T extends Num<T>> T apply(T[] v) {
            T x = v[0], y = v[1];
            return x.times(y).exp().div(y.square().plus(1)).plus(x.sin().times(y.sqrt())).minus(x.minus(y).tanh().pow(3));
        }
    };

    static DerivativeStructure hip(DerivativeStructure x, DerivativeStructure y) {
        return x.multiply(y).exp().divide(y.square().add(1)).add(x.sin().multiply(y.sqrt()))
                .subtract(x.subtract(y).tanh().pow(3));
    }

    @Test
    void gradientAndHessianMatchDerivativeStructure() {
        double[] p = {0.4, 1.3};
        DSFactory factory = new DSFactory(2, 2);
        DerivativeStructure r = hip(factory.variable(0, p[0]), factory.variable(1, p[1]));
        double[] g = {r.getPartialDerivative(1, 0), r.getPartialDerivative(0, 1)};
        double[][] h = {{r.getPartialDerivative(2, 0), r.getPartialDerivative(1, 1)},
                {r.getPartialDerivative(1, 1), r.getPartialDerivative(0, 2)}};
        double[] gf = AD.gradientForward(F, p), gr = AD.gradient(F, p);
        for (int i = 0; i < 2; i++) {
            assertEquals(g[i], gf[i], 1e-13, "forward gradient " + i);
            assertEquals(g[i], gr[i], 1e-13, "reverse gradient " + i);
        }
        Mat hn = AD.hessianForward(F, p), hr = AD.hessian(F, p);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                assertEquals(h[i][j], hn.get(i, j), 1e-12, "nested forward Hessian " + i + "," + j);
                assertEquals(h[i][j], hr.get(i, j), 1e-12, "forward-over-reverse Hessian " + i + "," + j);
            }
        }
    }
}
