package org.matcalc.numeric.ad;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.decomposition.lu.LUDecompositionAlt_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.matcalc.numeric.Mat;

/**
 * Forward values of the tape's primitives computed with EJML directly. Kept small and private
 * to the package so that they can later be routed to the shared numeric kernels. Each method
 * leaves its arguments unmodified and returns a fresh matrix.
 */
final class MatOps {
    private MatOps() {
    }

    static void requireSquare(String op, Mat a) {
        if (!a.isSquare()) {
            throw new IllegalArgumentException(op + ": required a square matrix, got " + a.shapeString());
        }
    }

    static Mat inv(Mat a) {
        requireSquare("inv", a);
        DMatrixRMaj m = a.toDDRM();
        if (!CommonOps_DDRM.invert(m) || !finite(m)) {
            throw new ArithmeticException("inv: matrix is singular");
        }
        return Mat.wrap(m);
    }

    /** a \ b: the solution X of a*X = b. */
    static Mat solve(Mat a, Mat b) {
        requireSquare("solve", a);
        if (a.rows() != b.rows()) {
            throw new IllegalArgumentException("solve: required " + a.rows() + " rows on the right, got " + b.shapeString());
        }
        DMatrixRMaj x = new DMatrixRMaj(a.cols(), b.cols());
        if (!CommonOps_DDRM.solve(a.toDDRM(), b.toDDRM(), x) || !finite(x)) {
            throw new ArithmeticException("solve: matrix is singular");
        }
        return Mat.wrap(x);
    }

    /** EJML's LU reports exact singularity only; a zero pivot shows up as Inf or NaN. */
    private static boolean finite(DMatrixRMaj m) {
        for (int k = 0; k < m.getNumElements(); k++) {
            if (!Double.isFinite(m.data[k])) {
                return false;
            }
        }
        return true;
    }

    static double det(Mat a) {
        requireSquare("det", a);
        return CommonOps_DDRM.det(a.toDDRM());
    }

    /** log|det(a)| from the LU factors, without overflow. */
    static double logdet(Mat a) {
        requireSquare("logdet", a);
        LUDecompositionAlt_DDRM lu = new LUDecompositionAlt_DDRM();
        if (!lu.decompose(a.toDDRM())) {
            throw new ArithmeticException("logdet: LU failed");
        }
        DMatrixRMaj f = lu.getLU();
        double s = 0;
        for (int i = 0; i < a.rows(); i++) {
            s += Math.log(Math.abs(f.unsafe_get(i, i))); // -Inf for a singular matrix
        }
        return s;
    }

    /** The lower Cholesky factor L with a = L*L'; reads the lower triangle of a. */
    static Mat cholesky(Mat a) {
        requireSquare("cholesky", a);
        CholeskyDecomposition_F64<DMatrixRMaj> c = DecompositionFactory_DDRM.chol(a.rows(), true);
        if (!c.decompose(a.toDDRM())) {
            throw new ArithmeticException("cholesky: matrix is not positive definite");
        }
        DMatrixRMaj l = c.getT(null);
        for (int i = 0; i < l.numRows; i++) {
            for (int j = i + 1; j < l.numCols; j++) {
                l.unsafe_set(i, j, 0);
            }
        }
        return Mat.wrap(l);
    }

    /** Eigenvalues (ascending, as a column) and eigenvectors (columns) of a symmetric matrix. */
    static Mat[] eigSym(Mat a) {
        requireSquare("eigSym", a);
        int n = a.rows();
        EigenDecomposition_F64<DMatrixRMaj> e = DecompositionFactory_DDRM.eig(n, true, true);
        if (!e.decompose(a.toDDRM())) {
            throw new ArithmeticException("eigSym: decomposition failed");
        }
        Integer[] order = new Integer[n];
        double[] lam = new double[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            lam[i] = e.getEigenvalue(i).real;
        }
        java.util.Arrays.sort(order, (p, q) -> Double.compare(lam[p], lam[q]));
        DMatrixRMaj values = new DMatrixRMaj(n, 1);
        DMatrixRMaj vectors = new DMatrixRMaj(n, n);
        for (int k = 0; k < n; k++) {
            values.data[k] = lam[order[k]];
            DMatrixRMaj v = e.getEigenVector(order[k]);
            // fix the arbitrary sign: the largest entry positive (stable under small perturbations)
            int big = 0;
            for (int i = 1; i < n; i++) {
                if (Math.abs(v.data[i]) > Math.abs(v.data[big])) big = i;
            }
            double sign = v.data[big] < 0 ? -1 : 1;
            for (int i = 0; i < n; i++) {
                vectors.unsafe_set(i, k, sign * v.data[i]);
            }
        }
        return new Mat[] {Mat.wrap(values), Mat.wrap(vectors)};
    }

    /** Phi(X): the lower triangle of X with its diagonal halved (Murray 2016). Self-adjoint. */
    static Mat lowerHalfDiag(Mat x) {
        DMatrixRMaj m = x.toDDRM();
        for (int i = 0; i < m.numRows; i++) {
            for (int j = i; j < m.numCols; j++) {
                m.unsafe_set(i, j, i == j ? 0.5 * m.unsafe_get(i, j) : 0);
            }
        }
        return Mat.wrap(m);
    }

    /** (X + X') / 2. */
    static Mat symmetrize(Mat x) {
        return x.plus(x.transpose()).scale(0.5);
    }

    /** The square diagonal matrix of a column. */
    static Mat diag(Mat column) {
        int n = column.size();
        DMatrixRMaj m = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            m.unsafe_set(i, i, column.at(i));
        }
        return Mat.wrap(m);
    }

    /** The diagonal of a square matrix, as a column. */
    static Mat diagOf(Mat a) {
        int n = Math.min(a.rows(), a.cols());
        DMatrixRMaj m = new DMatrixRMaj(n, 1);
        for (int i = 0; i < n; i++) {
            m.data[i] = a.get(i, i);
        }
        return Mat.wrap(m);
    }

    /** Rows r0..r1-1, columns c0..c1-1. */
    static Mat slice(Mat a, int r0, int r1, int c0, int c1) {
        if (r0 < 0 || c0 < 0 || r1 > a.rows() || c1 > a.cols() || r0 > r1 || c0 > c1) {
            throw new IndexOutOfBoundsException("slice [" + r0 + ":" + r1 + ", " + c0 + ":" + c1 + "] of " + a.shapeString());
        }
        DMatrixRMaj out = new DMatrixRMaj(r1 - r0, c1 - c0);
        if (out.getNumElements() > 0) {
            CommonOps_DDRM.extract(a.toDDRM(), r0, r1, c0, c1, out, 0, 0);
        }
        return Mat.wrap(out);
    }

    /** A rows x cols zero matrix with b placed at (r0, c0): the adjoint of slicing. */
    static Mat embed(Mat b, int rows, int cols, int r0, int c0) {
        DMatrixRMaj out = new DMatrixRMaj(rows, cols);
        if (b.size() > 0) {
            CommonOps_DDRM.insert(b.toDDRM(), out, r0, c0);
        }
        return Mat.wrap(out);
    }

    /** [a, b]. */
    static Mat hcat(Mat a, Mat b) {
        if (a.rows() != b.rows()) {
            throw new IllegalArgumentException("hcat: required equal row counts, got " + a.shapeString() + " and " + b.shapeString());
        }
        DMatrixRMaj out = new DMatrixRMaj(a.rows(), a.cols() + b.cols());
        if (a.size() > 0) CommonOps_DDRM.insert(a.toDDRM(), out, 0, 0);
        if (b.size() > 0) CommonOps_DDRM.insert(b.toDDRM(), out, 0, a.cols());
        return Mat.wrap(out);
    }

    /** [a; b]. */
    static Mat vcat(Mat a, Mat b) {
        if (a.cols() != b.cols()) {
            throw new IllegalArgumentException("vcat: required equal column counts, got " + a.shapeString() + " and " + b.shapeString());
        }
        DMatrixRMaj out = new DMatrixRMaj(a.rows() + b.rows(), a.cols());
        if (a.size() > 0) CommonOps_DDRM.insert(a.toDDRM(), out, 0, 0);
        if (b.size() > 0) CommonOps_DDRM.insert(b.toDDRM(), out, a.rows(), 0);
        return Mat.wrap(out);
    }

    /** Softmax over all entries, shifted by the maximum so exp never overflows. */
    static Mat softmax(Mat a) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < a.size(); k++) max = Math.max(max, a.at(k));
        final double m = max;
        Mat e = a.map(x -> Math.exp(x - m));
        return e.scale(1 / e.sum());
    }

    static double logsumexp(Mat a) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < a.size(); k++) max = Math.max(max, a.at(k));
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double s = 0;
        for (int k = 0; k < a.size(); k++) s += Math.exp(a.at(k) - max);
        return max + Math.log(s);
    }
}
