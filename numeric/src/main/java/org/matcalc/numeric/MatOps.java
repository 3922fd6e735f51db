package org.matcalc.numeric;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.matcalc.numeric.Mat;

/**
 * Matrix helpers for forward and reverse rules: the structural maps of the adjoint rules (Murray's Phi,
 * symmetrisation, diagonal, slicing, embedding, concatenation). Forward values of the
 * numerical primitives (inv, solve, det, logdet, Cholesky, eigen, expm, softmax, ...) come
 * from the shared {@link org.matcalc.numeric.Kernels}. Each method leaves its arguments
 * unmodified and returns a fresh matrix.
 */
public final class MatOps {
    private MatOps() {
    }

    public static void requireSquare(String op, Mat a) {
        if (!a.isSquare()) {
            throw new IllegalArgumentException(op + ": required a square matrix, got " + a.shapeString());
        }
    }

    /** Phi(X): the lower triangle of X with its diagonal halved (Murray 2016). Self-adjoint. */
    public static Mat lowerHalfDiag(Mat x) {
        DMatrixRMaj m = x.toDDRM();
        for (int i = 0; i < m.numRows; i++) {
            for (int j = i; j < m.numCols; j++) {
                m.unsafe_set(i, j, i == j ? 0.5 * m.unsafe_get(i, j) : 0);
            }
        }
        return Mat.wrap(m);
    }

    /** (X + X') / 2. */
    public static Mat symmetrize(Mat x) {
        return x.plus(x.transpose()).scale(0.5);
    }

    /** The square diagonal matrix of a column. */
    public static Mat diag(Mat column) {
        int n = column.size();
        DMatrixRMaj m = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            m.unsafe_set(i, i, column.at(i));
        }
        return Mat.wrap(m);
    }

    /** The diagonal of a square matrix, as a column. */
    public static Mat diagOf(Mat a) {
        int n = Math.min(a.rows(), a.cols());
        DMatrixRMaj m = new DMatrixRMaj(n, 1);
        for (int i = 0; i < n; i++) {
            m.data[i] = a.get(i, i);
        }
        return Mat.wrap(m);
    }

    /** Rows r0..r1-1, columns c0..c1-1. */
    public static Mat slice(Mat a, int r0, int r1, int c0, int c1) {
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
    public static Mat embed(Mat b, int rows, int cols, int r0, int c0) {
        DMatrixRMaj out = new DMatrixRMaj(rows, cols);
        if (b.size() > 0) {
            CommonOps_DDRM.insert(b.toDDRM(), out, r0, c0);
        }
        return Mat.wrap(out);
    }

    /** [a, b]. */
    public static Mat hcat(Mat a, Mat b) {
        if (a.rows() != b.rows()) {
            throw new IllegalArgumentException("hcat: required equal row counts, got " + a.shapeString() + " and " + b.shapeString());
        }
        DMatrixRMaj out = new DMatrixRMaj(a.rows(), a.cols() + b.cols());
        if (a.size() > 0) CommonOps_DDRM.insert(a.toDDRM(), out, 0, 0);
        if (b.size() > 0) CommonOps_DDRM.insert(b.toDDRM(), out, 0, a.cols());
        return Mat.wrap(out);
    }

    /** [a; b]. */
    public static Mat vcat(Mat a, Mat b) {
        if (a.cols() != b.cols()) {
            throw new IllegalArgumentException("vcat: required equal column counts, got " + a.shapeString() + " and " + b.shapeString());
        }
        DMatrixRMaj out = new DMatrixRMaj(a.rows() + b.rows(), a.cols());
        if (a.size() > 0) CommonOps_DDRM.insert(a.toDDRM(), out, 0, 0);
        if (b.size() > 0) CommonOps_DDRM.insert(b.toDDRM(), out, a.rows(), 0);
        return Mat.wrap(out);
    }

    /** The block matrix [[a, b], [c, d]]. */
    public static Mat blocks(Mat a, Mat b, Mat c, Mat d) {
        return vcat(hcat(a, b), hcat(c, d));
    }

    /**
     * The adjoint of A -> kron(A, B) at G, for A of shape ra x ca: entry (i, j) is
     * &lt;G_ij, B&gt;, G_ij the (i, j) block of G. Bilinear in (G, B).
     */
    public static Mat kronAdjointLeft(Mat g, Mat b, int ra, int ca) {
        int rb = b.rows(), cb = b.cols();
        double[] out = new double[ra * ca];
        for (int i = 0; i < ra; i++) {
            for (int j = 0; j < ca; j++) {
                double s = 0;
                for (int p = 0; p < rb; p++) {
                    for (int q = 0; q < cb; q++) {
                        s += g.get(i * rb + p, j * cb + q) * b.get(p, q);
                    }
                }
                out[i * ca + j] = s;
            }
        }
        return Mat.rowMajor(ra, ca, out);
    }

    /**
     * The adjoint of B -> kron(A, B) at G, for B of shape rb x cb: sum_ij a_ij G_ij.
     * Bilinear in (G, A).
     */
    public static Mat kronAdjointRight(Mat g, Mat a, int rb, int cb) {
        double[] out = new double[rb * cb];
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                double aij = a.get(i, j);
                for (int p = 0; p < rb; p++) {
                    for (int q = 0; q < cb; q++) {
                        out[p * cb + q] += aij * g.get(i * rb + p, j * cb + q);
                    }
                }
            }
        }
        return Mat.rowMajor(rb, cb, out);
    }
}
