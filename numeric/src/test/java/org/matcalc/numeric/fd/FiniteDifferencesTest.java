package org.matcalc.numeric.fd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.fd.FiniteDifferences.Scheme;

class FiniteDifferencesTest {
    @Test
    void stepsFollowTheTheory() {
        double eps = Math.ulp(1.0);
        assertEquals(Math.sqrt(eps), FiniteDifferences.step(Scheme.FORWARD, 0.5), 0);
        assertEquals(Math.cbrt(eps), FiniteDifferences.step(Scheme.CENTRAL, 1), 0);
        assertEquals(100 * Math.cbrt(eps), FiniteDifferences.step(Scheme.CENTRAL, -100), 1e-18);
    }

    @Test
    void orderOfAccuracyOfEachScheme() {
        // halving h divides the error by 2 (forward), 4 (central), 16 (Richardson)
        double x = 0.7, exact = Math.exp(x);
        double[] expectedRatio = {2, 4, 16};
        Scheme[] schemes = {Scheme.FORWARD, Scheme.CENTRAL, Scheme.RICHARDSON};
        for (int s = 0; s < 3; s++) {
            double e1 = Math.abs(FiniteDifferences.derivative(Math::exp, x, schemes[s], 0.04) - exact);
            double e2 = Math.abs(FiniteDifferences.derivative(Math::exp, x, schemes[s], 0.02) - exact);
            assertEquals(expectedRatio[s], e1 / e2, 0.15 * expectedRatio[s], schemes[s].toString());
        }
    }

    @Test
    void automaticStepsReachTheirExpectedAccuracy() {
        double x = 1.3, exact = Math.cos(x);
        assertEquals(exact, FiniteDifferences.derivative(Math::sin, x, Scheme.FORWARD), 1e-7);
        assertEquals(exact, FiniteDifferences.derivative(Math::sin, x, Scheme.CENTRAL), 1e-9);
        assertEquals(exact, FiniteDifferences.derivative(Math::sin, x, Scheme.RICHARDSON), 1e-11);
    }

    @Test
    void jacobianUsesColumnMajorVecAndOutputRows() {
        // f(X) = X * b for a 2x3 X: J = kron(b', I_2)
        Mat b = Mat.column(1, 2, 3);
        Mat x = Mat.of(new double[][] {{1, 2, 3}, {4, 5, 6}});
        Mat j = FiniteDifferences.jacobian(m -> m.times(b), x);
        Mat exact = Mat.of(new double[][] {{1, 0, 2, 0, 3, 0}, {0, 1, 0, 2, 0, 3}});
        assertTrue(j.approxEquals(exact, 1e-9), j.toString());
    }

    @Test
    void checkerReportsTheWorstEntryAndWhere() {
        Mat x = Mat.of(new double[][] {{1, 2}, {3, 4}});
        Mat good = x.scale(2);
        Mat bad = Mat.of(new double[][] {{2, 4}, {6.3, 8}});
        DerivativeCheck.Report ok = DerivativeCheck.gradient(m -> m.dot(m), x, good);
        assertTrue(ok.passed(1e-9), ok.toString());
        DerivativeCheck.Report rep = DerivativeCheck.gradient(m -> m.dot(m), x, bad);
        assertEquals(1, rep.row());
        assertEquals(0, rep.col());
        assertEquals(0.3 / 6.3, rep.worstError(), 1e-8);
        assertTrue(!rep.passed(1e-3));
        DerivativeCheck.Report nan = DerivativeCheck.compare(Mat.column(Double.NaN), Mat.column(1));
        assertTrue(!nan.passed(1), "NaN must fail");
    }

    @Test
    void stepStudyShowsTheV() {
        StepStudy s = StepStudy.run(Math::exp, 0.5, Math.exp(0.5));
        double bf = s.bestStep(false), bc = s.bestStep(true);
        assertTrue(bf >= 1e-10 && bf <= 1e-6, "forward best " + bf);
        assertTrue(bc >= 1e-7 && bc <= 1e-3, "central best " + bc);
    }
}
