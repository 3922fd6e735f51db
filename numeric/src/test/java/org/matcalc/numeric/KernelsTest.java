package org.matcalc.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.matcalc.numeric.TestMats.assertClose;
import static org.matcalc.numeric.TestMats.assertRelClose;
import static org.matcalc.numeric.TestMats.gaussian;
import static org.matcalc.numeric.TestMats.spd;
import static org.matcalc.numeric.TestMats.wellConditioned;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** The LU family (inv, det, logdet, solve, power), structure (kron, commutation, diag) and reductions. */
class KernelsTest {

    // ---------------------------------------------------------------- inv, solve

    @Test
    void invTimesAIsIdentity() {
        Random rnd = new Random(1);
        for (int n : new int[] {1, 2, 3, 4, 5, 6, 30}) {
            Mat a = wellConditioned(rnd, n);
            Mat ai = Kernels.inv(a);
            assertClose(Mat.eye(n), ai.times(a), 1e-12, "inv(A)*A, n=" + n);
            assertClose(Mat.eye(n), a.times(ai), 1e-12, "A*inv(A), n=" + n);
        }
    }

    @Test
    void invOfKnown2x2() {
        Mat a = Mat.of(new double[][] {{4, 7}, {2, 6}});
        assertClose(Mat.of(new double[][] {{0.6, -0.7}, {-0.2, 0.4}}), Kernels.inv(a), 1e-15, "inv 2x2");
    }

    @Test
    void invRefusesNonSquareAndSingular() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.inv(Mat.zeros(2, 3)));
        assertTrue(e.getMessage().contains("2x3") && e.getMessage().contains("square"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.inv(Mat.of(new double[][] {{1, 2}, {2, 4}})));
        assertTrue(e.getMessage().contains("singular"), e.getMessage());

        // Rank 4 out of 5 with irrational-looking entries: singular only up to rounding.
        Random rnd = new Random(2);
        Mat rankDeficient = gaussian(rnd, 5, 4).times(gaussian(rnd, 4, 5));
        e = assertThrows(IllegalArgumentException.class, () -> Kernels.inv(rankDeficient));
        assertTrue(e.getMessage().contains("singular"), e.getMessage());

        assertThrows(IllegalArgumentException.class, () -> Kernels.inv(Mat.zeros(3, 3)));
        e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.inv(Mat.of(new double[][] {{1, Double.NaN}, {0, 1}})));
        assertTrue(e.getMessage().contains("finite"), e.getMessage());
    }

    @Test
    void invKeepsTinyButRegularScale() {
        // Singularity is judged relative to the entries, not against an absolute epsilon.
        Mat a = Mat.of(new double[][] {{2e-20, 1e-20}, {1e-20, 3e-20}});
        assertClose(Mat.eye(2), Kernels.inv(a).times(a), 1e-14, "inv of a tiny matrix");
    }

    @Test
    void solveMatchesInvWithNonSquareRightHandSide() {
        Random rnd = new Random(3);
        for (int n : new int[] {1, 3, 7}) {
            Mat a = wellConditioned(rnd, n);
            Mat b = gaussian(rnd, n, n + 2);
            Mat x = Kernels.solve(a, b);
            assertEquals(n + "x" + (n + 2), x.shapeString());
            assertClose(Kernels.inv(a).times(b), x, 1e-12, "solve vs inv, n=" + n);
            assertClose(b, a.times(x), 1e-12, "A*solve(A,B) = B, n=" + n);
        }
    }

    @Test
    void solveRefusesBadShapesAndSingular() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.solve(Mat.eye(3), Mat.zeros(2, 1)));
        assertTrue(e.getMessage().contains("3 rows"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Kernels.solve(Mat.zeros(2, 3), Mat.zeros(2, 1)));
        e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.solve(Mat.of(new double[][] {{1, 1}, {1, 1}}), Mat.column(1, 2)));
        assertTrue(e.getMessage().contains("singular"), e.getMessage());
    }

    // ---------------------------------------------------------------- det, logdet

    @Test
    void detIsMultiplicative() {
        Random rnd = new Random(4);
        for (int n = 1; n <= 6; n++) {
            Mat a = gaussian(rnd, n, n), b = gaussian(rnd, n, n);
            assertRelClose(Kernels.det(a) * Kernels.det(b), Kernels.det(a.times(b)), 1e-10, "det(AB), n=" + n);
        }
    }

    @Test
    void detOfKnownMatrices() {
        assertRelClose(-2, Kernels.det(Mat.of(new double[][] {{1, 2}, {3, 4}})), 1e-15, "det 2x2");
        // A row swap is needed by the pivoting: the sign must survive it.
        assertRelClose(-1, Kernels.det(Mat.of(new double[][] {{0, 1}, {1, 0}})), 0, "det of a swap");
        Mat upper = Mat.of(new double[][] {{2, 5, -1}, {0, -3, 4}, {0, 0, 0.5}});
        assertRelClose(-3, Kernels.det(upper), 1e-15, "det of triangular");
        assertEquals(1.0, Kernels.det(Mat.zeros(0, 0)), "det of 0x0");
        assertEquals(0.0, Kernels.det(Mat.of(new double[][] {{1, 2}, {2, 4}})), 0.0, "det of singular");
    }

    @Test
    void detRefusesNonSquare() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kernels.det(Mat.zeros(3, 2)));
        assertTrue(e.getMessage().contains("det") && e.getMessage().contains("3x2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Kernels.logdet(Mat.zeros(1, 2)));
    }

    @Test
    void logdetEqualsLogDetOnSpd() {
        Random rnd = new Random(5);
        for (int n = 1; n <= 8; n++) {
            Mat s = spd(rnd, n);
            assertRelClose(Math.log(Kernels.det(s)), Kernels.logdet(s), 1e-12, "logdet spd, n=" + n);
        }
    }

    @Test
    void logdetIsLogAbsDetForNegativeDeterminant() {
        Random rnd = new Random(6);
        Mat a = wellConditioned(rnd, 5);
        Mat flip = Mat.eye(5).minus(Kernels.diag(Mat.column(2, 0, 0, 0, 0))); // negates row 0
        Mat neg = flip.times(a);
        assertTrue(Kernels.det(neg) * Kernels.det(a) < 0, "sign flipped");
        assertRelClose(Math.log(Math.abs(Kernels.det(neg))), Kernels.logdet(neg), 1e-12, "log|det|");
        assertRelClose(Kernels.logdet(a), Kernels.logdet(neg), 1e-12, "same |det|");
    }

    @Test
    void logdetOfExactlySingularIsMinusInfinity() {
        assertEquals(Double.NEGATIVE_INFINITY, Kernels.logdet(Mat.of(new double[][] {{1, 2}, {2, 4}})));
        assertEquals(Double.NEGATIVE_INFINITY, Kernels.logdet(Mat.zeros(3, 3)));
        assertEquals(0.0, Kernels.logdet(Mat.zeros(0, 0)));
    }

    @Test
    void logdetStaysFiniteWhereDetOverflows() {
        Random rnd = new Random(7);
        int n = 200;
        Mat s = spd(rnd, n); // eigenvalues >= 200: det >= 200^200 = 1e460
        assertEquals(Double.POSITIVE_INFINITY, Kernels.det(s), "det overflows double");
        double logdet = Kernels.logdet(s);
        assertTrue(Double.isFinite(logdet) && logdet > 200 * Math.log(200), "logdet " + logdet);
        Mat l = Kernels.cholesky(s);
        double viaCholesky = 0;
        for (int i = 0; i < n; i++) {
            viaCholesky += 2 * Math.log(l.get(i, i));
        }
        assertRelClose(viaCholesky, logdet, 1e-12, "logdet vs 2 sum log diag(chol)");
    }

    // ---------------------------------------------------------------- power

    @Test
    void powerMatchesRepeatedProducts() {
        Random rnd = new Random(8);
        for (int n : new int[] {1, 2, 4, 6}) {
            Mat a = wellConditioned(rnd, n).scale(1.0 / n);
            assertClose(a.times(a).times(a), Kernels.power(a, 3), 1e-13, "A^3, n=" + n);
            Mat ai = Kernels.inv(a);
            assertClose(ai.times(ai), Kernels.power(a, -2), 1e-12, "A^-2, n=" + n);
            assertEquals(Mat.eye(n), Kernels.power(a, 0), "A^0");
            assertEquals(a, Kernels.power(a, 1), "A^1");
            Mat p = Mat.eye(n);
            for (int k = 1; k <= 13; k++) {
                p = p.times(a);
                assertClose(p, Kernels.power(a, k), 1e-12, "A^" + k + ", n=" + n);
            }
        }
    }

    @Test
    void powerZeroOfSingularIsIdentityAndNegativeOfSingularThrows() {
        Mat singular = Mat.of(new double[][] {{1, 2}, {2, 4}});
        assertEquals(Mat.eye(2), Kernels.power(singular, 0));
        assertThrows(IllegalArgumentException.class, () -> Kernels.power(singular, -1));
        assertThrows(IllegalArgumentException.class, () -> Kernels.power(Mat.zeros(2, 3), 2));
    }

    @Test
    void powerOfRotationHandlesExtremeExponents() {
        // A rotation by pi/2 has period 4; Integer.MIN_VALUE is a multiple of 4.
        Mat r = Mat.of(new double[][] {{0, -1}, {1, 0}});
        assertClose(Mat.eye(2), Kernels.power(r, Integer.MIN_VALUE), 0, "R^MIN_VALUE");
        assertClose(r.transpose(), Kernels.power(r, Integer.MAX_VALUE), 0, "R^MAX_VALUE = R^3");
    }

    // ---------------------------------------------------------------- kron, commutation, diag

    @Test
    void kronMixedProductWithNonSquareFactors() {
        Random rnd = new Random(9);
        Mat a = gaussian(rnd, 2, 3), b = gaussian(rnd, 4, 2), c = gaussian(rnd, 3, 5), d = gaussian(rnd, 2, 3);
        Mat ab = Kernels.kron(a, b);
        assertEquals("8x6", ab.shapeString());
        assertEquals(a.get(1, 2) * b.get(3, 0), ab.get(1 * 4 + 3, 2 * 2 + 0), "block entry a_12 b_30");
        Mat lhs = ab.times(Kernels.kron(c, d));
        assertClose(Kernels.kron(a.times(c), b.times(d)), lhs, 1e-13, "(A x B)(C x D) = AC x BD");
    }

    @Test
    void kronTurnsSandwichIntoVec() {
        Random rnd = new Random(10);
        Mat a = gaussian(rnd, 3, 2), x = gaussian(rnd, 2, 4), b = gaussian(rnd, 4, 5);
        assertClose(a.times(x).times(b).vec(), Kernels.kron(b.transpose(), a).times(x.vec()), 1e-13,
                "vec(AXB) = (B' x A) vec X");
    }

    @Test
    void commutationTransposesVec() {
        Random rnd = new Random(11);
        int[][] shapes = {{2, 3}, {3, 2}, {1, 4}, {4, 1}, {4, 5}, {3, 3}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1];
            Mat x = gaussian(rnd, m, n);
            Mat k = Kernels.commutation(m, n);
            assertEquals((m * n) + "x" + (m * n), k.shapeString());
            assertEquals(x.transpose().vec(), k.times(x.vec()), "K vec X = vec X', " + m + "x" + n);
            assertEquals(Kernels.commutation(n, m), k.transpose(), "K_mn' = K_nm");
            assertEquals(Mat.eye(m * n), k.times(k.transpose()), "permutation");
        }
        assertEquals("0x0", Kernels.commutation(0, 3).shapeString());
        assertThrows(IllegalArgumentException.class, () -> Kernels.commutation(-1, 2));
    }

    @Test
    void diagBothWays() {
        Mat col = Mat.column(1, 2, 3);
        Mat d = Kernels.diag(col);
        assertEquals(Mat.of(new double[][] {{1, 0, 0}, {0, 2, 0}, {0, 0, 3}}), d);
        assertEquals(d, Kernels.diag(Mat.row(1, 2, 3)), "row vector");
        assertEquals(col, Kernels.diag(d), "diag(diag(x)) = x");
        assertEquals(Mat.column(1, 4), Kernels.diag(Mat.of(new double[][] {{1, 2}, {3, 4}})), "diagonal of square");
        assertEquals(Mat.scalar(5), Kernels.diag(Mat.scalar(5)), "1x1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kernels.diag(Mat.zeros(2, 3)));
        assertTrue(e.getMessage().contains("2x3"), e.getMessage());
    }

    // ---------------------------------------------------------------- softmax, logsumexp, norms

    @Test
    void softmaxMatchesNaiveAndSumsToOne() {
        Random rnd = new Random(12);
        Mat x = gaussian(rnd, 3, 4);
        Mat s = Kernels.softmax(x);
        assertEquals("3x4", s.shapeString());
        assertRelClose(1, s.sum(), 1e-15, "sum");
        Mat e = x.map(Math::exp);
        assertClose(e.scale(1 / e.sum()), s, 1e-14, "naive exp/sum");
    }

    @Test
    void softmaxIsFiniteForHugeInputs() {
        Mat s = Kernels.softmax(Mat.column(1000, -1000, 999, 1000));
        for (int k = 0; k < 4; k++) {
            assertTrue(Double.isFinite(s.at(k)) && s.at(k) >= 0, "entry " + k + " = " + s.at(k));
        }
        assertRelClose(1, s.sum(), 1e-15, "sum");
        double big = 1 / (2 + Math.exp(-1));
        assertClose(Mat.column(big, 0, big * Math.exp(-1), big), s, 1e-15, "values");
        assertClose(Mat.row(0.5, 0.5), Kernels.softmax(Mat.row(-1000, -1000)), 0, "equal very negative entries");
        assertClose(Mat.column(0.5, 0, 0.5), Kernels.softmax(Mat.column(Double.POSITIVE_INFINITY, 1,
                Double.POSITIVE_INFINITY)), 0, "infinite entries share the mass");
    }

    @Test
    void logsumexpShiftsAndStaysFinite() {
        Random rnd = new Random(13);
        Mat x = gaussian(rnd, 2, 5);
        double naive = Math.log(x.map(Math::exp).sum());
        assertRelClose(naive, Kernels.logsumexp(x), 1e-14, "naive");
        for (double c : new double[] {-1000, -3.5, 7, 1000}) {
            assertRelClose(Kernels.logsumexp(x) + c, Kernels.logsumexp(x.plus(Mat.fill(2, 5, c))), 1e-13,
                    "shift by " + c);
        }
        assertRelClose(1000 + Math.log(2), Kernels.logsumexp(Mat.column(1000, 1000)), 1e-16, "1000, 1000");
        assertRelClose(-1000 + Math.log(2), Kernels.logsumexp(Mat.column(-1000, -1000)), 1e-16, "-1000, -1000");
        assertRelClose(1000, Kernels.logsumexp(Mat.row(1000, -1000)), 1e-16, "1000, -1000");
        // log1p keeps the small terms: log(1 + 1e-20) is 1e-20, not 0.
        assertRelClose(Math.exp(-46.0517), Kernels.logsumexp(Mat.column(0, -46.0517)), 1e-10, "tiny tail");
        assertEquals(Double.NEGATIVE_INFINITY, Kernels.logsumexp(Mat.column(Double.NEGATIVE_INFINITY)));
        assertEquals(Double.NEGATIVE_INFINITY, Kernels.logsumexp(Mat.zeros(0, 1)));
        assertTrue(Double.isNaN(Kernels.logsumexp(Mat.column(1, Double.NaN))));
    }

    @Test
    void normsOnKnownAndExtremeValues() {
        Mat x = Mat.of(new double[][] {{3, -4}, {0, 12}});
        assertEquals(19.0, Kernels.norm1(x));
        assertEquals(13.0, Kernels.norm2(x), "Frobenius");
        assertRelClose(5e200, Kernels.norm2(Mat.column(3e200, 4e200)), 1e-15, "no overflow");
        assertRelClose(5e-200, Kernels.norm2(Mat.column(3e-200, -4e-200)), 1e-15, "no underflow");
        assertEquals(0.0, Kernels.norm2(Mat.zeros(2, 2)));
        assertEquals(Double.POSITIVE_INFINITY, Kernels.norm2(Mat.column(1, Double.NEGATIVE_INFINITY)));
        Random rnd = new Random(14);
        Mat g = gaussian(rnd, 4, 3);
        assertRelClose(Math.sqrt(g.dot(g)), Kernels.norm2(g), 1e-15, "vs sqrt(sum of squares)");
        assertRelClose(g.map(Math::abs).sum(), Kernels.norm1(g), 1e-15, "vs sum |x|");
    }

    @Test
    void emptyMatrices() {
        assertEquals("0x0", Kernels.inv(Mat.zeros(0, 0)).shapeString());
        assertEquals("0x3", Kernels.solve(Mat.zeros(0, 0), Mat.zeros(0, 3)).shapeString());
        assertEquals("0x0", Kernels.power(Mat.zeros(0, 0), -3).shapeString());
        assertEquals("0x6", Kernels.kron(Mat.zeros(0, 2), Mat.zeros(4, 3)).shapeString());
        assertEquals("0x0", Kernels.expm(Mat.zeros(0, 0)).shapeString());
        assertEquals(0.0, Kernels.norm2(Mat.zeros(0, 1)));
        assertEquals("0x1", Kernels.softmax(Mat.zeros(0, 1)).shapeString());
    }

    @Test
    void inputsAreNotModified() {
        // Mat is immutable, but the kernels hand EJML routines that work in place (LU, the
        // eigensolver): check that they received copies.
        Random rnd = new Random(15);
        Mat a = wellConditioned(rnd, 6);
        Mat s = spd(rnd, 6);
        Mat a0 = Mat.rowMajor(6, 6, a.toRowMajor()), s0 = Mat.rowMajor(6, 6, s.toRowMajor());
        Kernels.inv(a);
        Kernels.det(a);
        Kernels.logdet(a);
        Kernels.solve(a, s);
        Kernels.expm(a.scale(0.1));
        Kernels.expmFrechet(a, s);
        Kernels.eigSym(s);
        Kernels.eigvals(s);
        Kernels.sqrtm(s);
        Kernels.sylvesterSym(s, a);
        Kernels.cholesky(s);
        assertEquals(a0, a);
        assertEquals(s0, s);
    }

    @Test
    void isSymmetricIsRelative() {
        Mat big = Mat.of(new double[][] {{1e10, 2e10}, {2e10 + 1e-3, 5e10}});
        assertTrue(Kernels.isSymmetric(big, 1e-10), "1e-3 is rounding at scale 1e10");
        assertFalse(Kernels.isSymmetric(big, 1e-15));
        assertFalse(Kernels.isSymmetric(Mat.of(new double[][] {{1, 2}, {2.1, 1}}), 1e-10));
        assertFalse(Kernels.isSymmetric(Mat.zeros(2, 3), 1), "non-square");
        assertFalse(Kernels.isSymmetric(Mat.of(new double[][] {{1, Double.NaN}, {Double.NaN, 1}}), 1), "NaN");
        assertTrue(Kernels.isSymmetric(Mat.zeros(3, 3), 0));
    }
}
