package org.matcalc.numeric.eigen;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.matcalc.numeric.Kernels;
import org.matcalc.numeric.Mat;

/**
 * Derivatives of det, logdet and inv (MIT 18.063 ch. 7):
 * <pre>
 *   d det(A)    = tr(adj(A) dA) = det(A) tr(inv(A) dA),   grad det(A) = adj(A)' = det(A) inv(A)'
 *   d logdet(A) = tr(inv(A) dA),                          grad logdet(A) = inv(A)'
 *   d inv(A)    = -inv(A) dA inv(A)
 * </pre>
 * The adjugate adj(A) = det(A) inv(A) is computed from the SVD A = U diag(s) V' as
 * det(U) det(V) V diag(prod_{j != i} s_j) U', which has no division: it stays exact for a
 * singular A, where det(A) inv(A) is 0 * Infinity (for rank n-1 the gradient of det is not
 * zero). logdet and inv need a nonsingular A and refuse a singular one, as {@link Kernels} does.
 */
public final class MatrixDerivatives {
    private MatrixDerivatives() {
    }

    /** adj(A), the transposed cofactor matrix: A adj(A) = det(A) I. Defined for every square A. */
    public static Mat adjugate(Mat a) {
        requireSquare(a, "adjugate");
        int n = a.rows();
        if (n == 0) {
            return Mat.zeros(0, 0);
        }
        if (n == 1) {
            return Mat.scalar(1); // the empty cofactor
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(n, n, true, true, false);
        if (!svd.decompose(a.toDDRM())) { // a fresh copy
            throw new IllegalStateException("adjugate: the SVD did not converge on a " + a.shapeString() + " matrix");
        }
        Mat u = Mat.wrap(svd.getU(null, false)), v = Mat.wrap(svd.getV(null, false));
        double[] s = svd.getSingularValues();
        double[] others = new double[n]; // prod_{j != i} s_j, by prefix and suffix products
        double prefix = 1;
        for (int i = 0; i < n; i++) {
            others[i] = prefix;
            prefix *= s[i];
        }
        double suffix = 1;
        for (int i = n - 1; i >= 0; i--) {
            others[i] *= suffix;
            suffix *= s[i];
        }
        double sign = Math.signum(Kernels.det(u)) * Math.signum(Kernels.det(v)); // each +-1
        return v.times(Kernels.diag(Mat.column(others))).timesTranspose(u).scale(sign);
    }

    /** d det(A) in direction dA: tr(adj(A) dA). */
    public static double detDirectional(Mat a, Mat dA) {
        requireDirection(a, dA, "detDirectional");
        return adjugate(a).times(dA).trace();
    }

    /** The gradient of det at A, shaped like A: adj(A)' (= det(A) inv(A)' when A is nonsingular). */
    public static Mat detGradient(Mat a) {
        return adjugate(a).transpose();
    }

    /** d logdet(A) = tr(inv(A) dA), with logdet = log|det|; A nonsingular. */
    public static double logdetDirectional(Mat a, Mat dA) {
        requireDirection(a, dA, "logdetDirectional");
        return Kernels.solve(a, dA).trace();
    }

    /** The gradient of logdet = log|det| at A: inv(A)'; A nonsingular. */
    public static Mat logdetGradient(Mat a) {
        return Kernels.inv(a).transpose();
    }

    /** d inv(A) = -inv(A) dA inv(A); A nonsingular. */
    public static Mat invDirectional(Mat a, Mat dA) {
        requireDirection(a, dA, "invDirectional");
        Mat ai = Kernels.inv(a);
        return ai.times(dA).times(ai).negate();
    }

    private static void requireSquare(Mat a, String op) {
        if (!a.isSquare()) {
            throw new IllegalArgumentException(op + ": required a square matrix, got " + a.shapeString());
        }
        for (int r = 0; r < a.rows(); r++) {
            for (int c = 0; c < a.cols(); c++) {
                if (!Double.isFinite(a.get(r, c))) {
                    throw new IllegalArgumentException(op + ": A has a non-finite entry at (" + r + ", " + c + ")");
                }
            }
        }
    }

    private static void requireDirection(Mat a, Mat dA, String op) {
        requireSquare(a, op);
        if (!a.sameShape(dA)) {
            throw new IllegalArgumentException(op + ": required dA shaped like A (" + a.shapeString() + "), got "
                    + dA.shapeString());
        }
    }
}
