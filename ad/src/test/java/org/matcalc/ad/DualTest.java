package org.matcalc.ad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.fd.DerivativeCheck;
import org.matcalc.numeric.fd.FiniteDifferences;
import org.matcalc.numeric.Num;
import org.matcalc.numeric.Dual;

/** Forward mode on scalars: Dual, DualVec and nested NDual. */
class DualTest {
    /** f(x, y, z) = exp(x*y) / (1 + z^2) + sin(x) * sqrt(y) - tanh(z) ^ 3, with a loop and a branch. */
    static final ScalarProgram F = new ScalarProgram() {
        @Override
        public <T extends Num<T>> T apply(T[] x) {
            T s = x[0].times(x[1]).exp().div(x[2].square().plus(1));
            s = s.plus(x[0].sin().times(x[1].sqrt())).minus(x[2].tanh().pow(3));
            for (int i = 0; i < 3; i++) {
                s = s.times(0.9).plus(x[0].times(x[2]).times(0.01));
            }
            return s.real() > 0 ? s : s.negate();
        }
    };

    static double value(double[] x) {
        Real[] r = {new Real(x[0]), new Real(x[1]), new Real(x[2])};
        return F.apply(r).real();
    }

    static final double[] X = {0.3, 1.7, -0.8};

    @Test
    void dualArithmeticFollowsTheRules() {
        Dual x = Dual.variable(2), y = Dual.constantOf(5);
        assertEquals(5, x.times(y).derivative());
        assertEquals(-2.0 / 25 * 0 + 1.0 / 5, x.div(y).derivative(), 1e-15);
        assertEquals(-5.0 / 4, y.div(x).derivative(), 1e-15);
        assertEquals(3 * 4, x.pow(3).derivative(), 1e-12);
        assertEquals(Math.cos(2), x.sin().derivative(), 1e-15);
        assertEquals(0, x.pow(0).derivative());
    }

    @Test
    void dualVecGradientMatchesFiniteDifferences() {
        double[] g = AD.gradientForward(F, X);
        Mat fd = FiniteDifferences.gradient(m -> value(m.toRowMajor()), Mat.column(X));
        DerivativeCheck.Report rep = DerivativeCheck.compare(Mat.column(g), fd);
        assertEquals(true, rep.passed(1e-8), rep.toString());
    }

    @Test
    void dualVecGradientEqualsReverseGradient() {
        assertArrayEquals(AD.gradient(F, X), AD.gradientForward(F, X), 1e-12);
    }

    @Test
    void nestedDualGivesSecondDerivative() {
        ScalarProgram g = new ScalarProgram() {
            @Override
            public <T extends Num<T>> T apply(T[] x) {
                return x[0].sin().times(x[0].exp()); // (sin x e^x)'' = 2 cos(x) e^x
            }
        };
        double x = 0.7;
        assertEquals(2 * Math.cos(x) * Math.exp(x), AD.secondDerivative(g, x), 1e-13);
    }

    @Test
    void thirdDerivativeByDoublyNestedDuals() {
        // d^3/dx^3 of x^5 = 60 x^2
        NDual<NDual<Dual>> x = new NDual<>(new NDual<>(Dual.variable(1.5), new Dual(1, 0)),
                new NDual<>(new Dual(1, 0), new Dual(0, 0)));
        NDual<NDual<Dual>> y = x.pow(5);
        assertEquals(60 * 1.5 * 1.5, y.derivative().derivative().derivative(), 1e-11);
    }

    @Test
    void nestedForwardHessianEqualsForwardOverReverse() {
        Mat nested = AD.hessianForward(F, X);
        Mat fwdOverRev = AD.hessian(F, X);
        assertEquals(true, nested.approxEquals(fwdOverRev, 1e-11), nested + " vs " + fwdOverRev);
        Mat fd = FiniteDifferences.jacobian(m -> Mat.column(AD.gradient(F, m.toRowMajor())), Mat.column(X));
        DerivativeCheck.Report rep = DerivativeCheck.compare(nested, fd);
        assertEquals(true, rep.passed(1e-7), rep.toString());
    }

    @Test
    void randomPolynomialsAgreeAcrossModes() {
        long seed = 99;
        Random r = new Random(seed);
        for (int trial = 0; trial < 10; trial++) {
            double a = r.nextGaussian(), b = r.nextGaussian(), c = r.nextGaussian();
            ScalarProgram p = new ScalarProgram() {
                @Override
                public <T extends Num<T>> T apply(T[] x) {
                    return x[0].times(x[1]).times(a).plus(x[1].pow(3).times(b)).plus(x[0].cos().times(c));
                }
            };
            double[] x = {r.nextGaussian(), r.nextGaussian()};
            Mat h = AD.hessianForward(p, x);
            // exact: [[-c cos x0, a], [a, 6 b x1]]
            Mat exact = Mat.of(new double[][] {{-c * Math.cos(x[0]), a}, {a, 6 * b * x[1]}});
            assertEquals(true, h.approxEquals(exact, 1e-12), "seed " + seed + " trial " + trial);
            assertEquals(true, AD.hessian(p, x).approxEquals(exact, 1e-12), "seed " + seed + " trial " + trial);
        }
    }
}
