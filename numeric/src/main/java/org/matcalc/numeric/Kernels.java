package org.matcalc.numeric;

import java.util.Arrays;

import org.ejml.data.DMatrixRMaj;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.decomposition.lu.LUDecompositionAlt_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.linsol.lu.LinearSolverLu_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Numerically careful dense kernels on {@link Mat}: the numeric side of the primitives in
 * LANGUAGE.md ({@code inv det logdet kron softmax expm sqrtm eigvals ...}).
 *
 * <p>Manners (EJML's): every function returns a fresh result and never modifies its inputs
 * ({@code Mat} is immutable; EJML routines that work in place get copies). Shapes are checked
 * up front and refused with an {@link IllegalArgumentException} that names the function and
 * the shape it got. Heavy lifting is EJML's (LU with partial pivoting, Cholesky, symmetric QR
 * eigensolver); the matrix exponential is ours, since EJML has none.
 *
 * <p>Sources: N. J. Higham, "The scaling and squaring method for the matrix exponential
 * revisited", SIAM J. Matrix Anal. Appl. 26(4), 2005 ("Higham 2005"); N. J. Higham,
 * <i>Functions of Matrices</i>, SIAM 2008 ("FM"); N. J. Higham, <i>Accuracy and Stability of
 * Numerical Algorithms</i>, 2nd ed., SIAM 2002 ("ASNA"); Golub and Van Loan, <i>Matrix
 * Computations</i>, 4th ed. ("GVL"); Magnus and Neudecker, <i>Matrix Differential Calculus</i>
 * ("MN") for Kronecker and commutation matrices. Numerical notes are collected in
 * docs/linear-algebra.md.
 */
public final class Kernels {

    /**
     * Relative tolerance of the symmetry check in the symmetric kernels ({@link #eigSym},
     * {@link #sqrtm}, {@link #sylvesterSym}, {@link #cholesky}): {@code |s_ij - s_ji| <=
     * SYMMETRY_TOL * max|s|}. Loose enough for matrices that are symmetric up to rounding
     * (such as {@code X*X'} computed entry by entry), tight enough to refuse a real mistake.
     */
    public static final double SYMMETRY_TOL = 1e-10;

    private static final double EPS = Math.ulp(1.0);

    private Kernels() {
    }

    /** Symmetric eigendecomposition S = V diag(values) V', eigenvalues ascending. */
    public record EigenSym(Mat values, Mat vectors) {
    }

    // ------------------------------------------------------------------ LU family

    /**
     * An LU factorisation P A = L U with partial pivoting, with the solves over the same
     * factors and the facts read off them: EJML's {@code LUDecompositionAlt_DDRM} (Crout form)
     * for small n, LAPACK's dgetrf/dgetrs through {@link Blas} for large n.
     */
    private static final class Lu {
        private final LUDecompositionAlt_DDRM decomposition;
        private final LinearSolverLu_DDRM solver;
        private final Blas.Lu lapack;
        final int n;
        final double maxAbsA;

        Lu(Mat a, String op) {
            if (!a.isSquare()) {
                throw new IllegalArgumentException(op + " needs a square matrix, got " + a.shapeString());
            }
            n = a.rows();
            maxAbsA = maxAbsOrNaN(a);
            if (Blas.worthIt(n, n, n) && Double.isFinite(maxAbsA)) {
                lapack = new Blas.Lu(a);
                decomposition = null;
                solver = null;
            } else {
                lapack = null;
                decomposition = new LUDecompositionAlt_DDRM();
                solver = new LinearSolverLu_DDRM(decomposition);
                if (!solver.setA(a.toDDRM())) { // factors a private copy
                    throw new IllegalStateException(op + ": LU decomposition failed on a " + a.shapeString() + " matrix");
                }
            }
        }

        double pivot(int i) {
            return lapack != null ? lapack.pivot(i) : decomposition.getLU().unsafe_get(i, i);
        }

        double determinant() {
            if (lapack == null) {
                return decomposition.computeDeterminant().real;
            }
            double d = lapack.sign;
            for (int i = 0; i < n; i++) {
                d *= pivot(i);
            }
            return d;
        }

        /**
         * Numerically singular: some pivot of U is zero, not finite, or no larger than
         * {@code n * eps * max|a_ij|}. LU with partial pivoting is backward stable with a
         * perturbation of about that size (ASNA thm 9.3, growth factor aside), so such a pivot
         * is indistinguishable from zero: a matrix within rounding of A is exactly singular.
         */
        boolean numericallySingular() {
            double threshold = n * EPS * maxAbsA;
            for (int i = 0; i < n; i++) {
                double p = Math.abs(pivot(i));
                if (!(p > threshold) || !Double.isFinite(p)) {
                    return true;
                }
            }
            return false;
        }

        /** This factorisation, after refusing a singular matrix with a message that says so. */
        Lu nonsingular(String op) {
            if (numericallySingular()) {
                double smallest = Double.POSITIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    smallest = Math.min(smallest, Math.abs(pivot(i)));
                }
                throw new IllegalArgumentException(op + ": matrix is singular to working precision (smallest LU pivot "
                        + smallest + " <= n * eps * max|a_ij| = " + n * EPS * maxAbsA + ")");
            }
            return this;
        }

        Mat solve(Mat b) {
            if (lapack != null) {
                return lapack.solve(b);
            }
            DMatrixRMaj out = new DMatrixRMaj(n, b.cols());
            solver.solve(b.toDDRM(), out);
            return Mat.wrap(out);
        }

        Mat inverse() {
            if (lapack != null) {
                return lapack.solve(Mat.eye(n));
            }
            DMatrixRMaj out = new DMatrixRMaj(n, n);
            solver.invert(out);
            return Mat.wrap(out);
        }
    }

    private static Lu solverFor(Mat a, String op) {
        if (!a.isSquare()) {
            throw new IllegalArgumentException(op + " needs a square matrix, got " + a.shapeString()
                    + " (a non-square matrix is singular: it has no two-sided inverse)");
        }
        Lu f = new Lu(a, op);
        if (!Double.isFinite(f.maxAbsA)) {
            throw new IllegalArgumentException(op + " needs finite entries, got max|a_ij| = " + f.maxAbsA);
        }
        return f.nonsingular(op);
    }

    /**
     * The inverse A^{-1} of a square matrix, by LU with partial pivoting (GVL 3.4): P A = L U,
     * then A^{-1} = U^{-1} L^{-1} P column by column.
     *
     * <p>Hazards: the error of the computed inverse grows with cond(A) (ASNA ch. 14); to apply
     * A^{-1} to something prefer {@link #solve}, which is cheaper and more accurate.
     *
     * @param a square matrix. Not modified.
     * @return a new n x n matrix
     * @throws IllegalArgumentException if {@code a} is not square, has a NaN or infinite entry,
     *     or is singular to working precision (some pivot of U is at most n * eps * max|a_ij|);
     *     the message says "singular"
     */
    public static Mat inv(Mat a) {
        return solverFor(a, "inv").inverse();
    }

    /**
     * The determinant det A = sign(P) * prod_i u_ii from P A = L U (GVL 3.4).
     *
     * <p>Hazards: the product overflows to +-Infinity or underflows to 0 for moderate n even
     * when A is well conditioned (det(2 I_1100) = 2^1100); use {@link #logdet} when only the
     * size matters. A singular matrix gives 0 or a tiny rounding-level value, never an error.
     * The determinant of the 0 x 0 matrix is 1 (empty product).
     *
     * @param a square matrix. Not modified.
     * @throws IllegalArgumentException if {@code a} is not square
     */
    public static double det(Mat a) {
        Lu f = new Lu(a, "det");
        if (f.n == 0) {
            return 1;
        }
        return f.determinant();
    }

    /**
     * logdet(X) = log|det X| = sum_i log|u_ii| from the LU factorisation P X = L U.
     *
     * <p>Summing logarithms of the pivots never overflows where the product in {@link #det}
     * would (a 200 x 200 spd matrix with det beyond 1e308 has a modest logdet). When det X > 0
     * this equals log(det X). The absolute value makes it defined for either sign, and its
     * gradient d logdet(X) / dX = inv(X)' holds for either sign (d log|det X| = tr(inv(X) dX),
     * MN ch. 8). For spd X it equals 2 sum_i log l_ii of the Cholesky factor; LU serves all
     * inputs so that one code path handles every sign (for spd X, Cholesky would halve the
     * cost, a change that belongs here if it ever shows up in a profile).
     *
     * <p>Hazards: an exactly singular matrix (a zero pivot) gives -Infinity; a matrix singular
     * only up to rounding gives a large negative finite value. 0 x 0 gives 0.
     *
     * @param a square matrix. Not modified.
     * @throws IllegalArgumentException if {@code a} is not square
     */
    public static double logdet(Mat a) {
        Lu f = new Lu(a, "logdet");
        double s = 0;
        for (int i = 0; i < f.n; i++) {
            s += Math.log(Math.abs(f.pivot(i))); // -Infinity at a zero pivot
        }
        return s;
    }

    /**
     * adj(A), the transposed cofactor matrix: A adj(A) = det(A) I. Defined for every square A:
     * from the SVD A = U diag(s) V' as det(U) det(V) V diag(prod_{j != i} s_j) U', which has no
     * division, so it stays exact for a singular A, where det(A) inv(A) is 0 * Infinity.
     */
    public static Mat adjugate(Mat a) {
        requireFiniteSquare(a, "adjugate");
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
        double sign = Math.signum(det(u)) * Math.signum(det(v)); // each +-1
        return v.times(Kernels.diag(Mat.column(others))).timesTranspose(u).scale(sign);
    }

    private static void requireFiniteSquare(Mat a, String op) {
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

    /**
     * X = A^{-1} B, the solution of A X = B by LU with partial pivoting and triangular solves
     * (GVL 3.4), without forming A^{-1}. Backward stable (ASNA thm 9.4); the forward error is
     * about cond(A) * eps.
     *
     * @param a square n x n matrix. Not modified.
     * @param b n x k right-hand sides (any k). Not modified.
     * @return a new n x k matrix
     * @throws IllegalArgumentException if {@code a} is not square, the rows differ, or
     *     {@code a} is singular to working precision
     */
    public static Mat solve(Mat a, Mat b) {
        if (a.isSquare() && a.rows() != b.rows()) {
            throw new IllegalArgumentException("solve: A is " + a.shapeString() + " but B is " + b.shapeString()
                    + "; B needs " + a.rows() + " rows");
        }
        return solverFor(a, "solve").solve(b);
    }

    /** X'*X, computed once per pair of columns and exactly symmetric (dsyrk or EJML multInner). */
    public static Mat inner(Mat x) {
        if (Blas.worthItSymmetric(x.cols(), x.rows(), x.cols() / 2 + 1)) {
            return Blas.inner(x);
        }
        DMatrixRMaj out = new DMatrixRMaj(x.cols(), x.cols());
        CommonOps_DDRM.multInner(x.toDDRM(), out);
        return Mat.wrap(out);
    }

    /** diag(v)*X without forming diag(v): row i of X times v_i (v a vector with X's row count of entries). */
    public static Mat scaleRows(Mat v, Mat x) {
        return scaled(x, v, true);
    }

    /** X*diag(v) without forming diag(v): column j of X times v_j. */
    public static Mat scaleColumns(Mat x, Mat v) {
        return scaled(x, v, false);
    }

    private static Mat scaled(Mat x, Mat v, boolean rows) {
        int n = rows ? x.rows() : x.cols();
        if (v.size() != n) {
            throw new IllegalArgumentException((rows ? "scaleRows: " : "scaleColumns: ") + v.size() + " scales for " + n
                    + (rows ? " rows" : " columns"));
        }
        double[] d = x.toRowMajor(), s = v.data();
        int cols = x.cols();
        for (int i = 0; i < x.rows(); i++) {
            int o = i * cols;
            if (rows) {
                double si = s[i];
                for (int j = 0; j < cols; j++) {
                    d[o + j] *= si;
                }
            } else {
                for (int j = 0; j < cols; j++) {
                    d[o + j] *= s[j];
                }
            }
        }
        return Mat.wrapRowMajor(x.rows(), cols, d);
    }

    /**
     * X'*diag(d)*X for an m x n X and an m-vector d, forming neither diag(d) nor X' and, for
     * large sizes, not even diag(d)*X at once (dsyrk over blocks of rows, see {@link Blas}).
     * Exactly symmetric.
     */
    public static Mat scaledInner(Mat x, Mat d) {
        if (d.size() != x.rows()) {
            throw new IllegalArgumentException("scaledInner: " + d.size() + " scales for " + x.rows() + " rows");
        }
        if (Blas.worthItSymmetric(x.cols(), x.rows(), x.cols() / 2 + 1)) {
            return Blas.scaledInner(x, d);
        }
        return x.transposeTimes(scaleRows(d, x));
    }

    /**
     * The integer power A^k of a square matrix by repeated squaring (binary powering, FM 4.1):
     * about 2 log2|k| products. k = 0 gives the identity (also for singular A), k < 0 gives
     * inv(A)^|k| (inverting once, then powering).
     *
     * <p>Hazards: entries grow like ||A||^k and overflow for large k; for k < 0 the error grows
     * with cond(A)^|k|.
     *
     * @param a square matrix. Not modified.
     * @throws IllegalArgumentException if {@code a} is not square, or k < 0 and a is singular
     */
    public static Mat power(Mat a, int k) {
        a.requireSquare("power");
        long e = Math.abs((long) k); // |Integer.MIN_VALUE| does not fit an int
        Mat base = k < 0 ? inv(a) : a;
        Mat result = null;
        while (e > 0) {
            if ((e & 1) == 1) {
                result = result == null ? base : result.times(base);
            }
            e >>= 1;
            if (e > 0) {
                base = base.times(base);
            }
        }
        return result == null ? Mat.eye(a.rows()) : result;
    }

    // ------------------------------------------------------------------ structure

    /**
     * The Kronecker product A (x) B = [a_ij B], of shape (ra*rb) x (ca*cb). With column-major
     * vec, vec(A X B) = (B' (x) A) vec(X) (MN ch. 2). Exact: each entry is one product.
     *
     * @param a any shape. Not modified.
     * @param b any shape. Not modified.
     */
    public static Mat kron(Mat a, Mat b) {
        DMatrixRMaj out = new DMatrixRMaj(a.rows() * b.rows(), a.cols() * b.cols());
        CommonOps_DDRM.kron(a.toDDRM(), b.toDDRM(), out);
        return Mat.wrap(out);
    }

    /**
     * The commutation matrix K_{m,n} (MN ch. 3): the mn x mn permutation with
     * K vec(X) = vec(X') for X of shape m x n, vec column-major as in {@link Mat#vec()}.
     * Entry X_ij sits at position i + m j of vec(X) and at j + n i of vec(X'), so
     * K[j + n i, i + m j] = 1. Its transpose (and inverse) is K_{n,m}.
     *
     * <p>Hazards: dense, so (mn)^2 entries; for large m, n apply the transpose instead.
     *
     * @throws IllegalArgumentException if m or n is negative
     */
    public static Mat commutation(int m, int n) {
        if (m < 0 || n < 0) {
            throw new IllegalArgumentException("commutation needs sizes >= 0, got " + m + ", " + n);
        }
        int mn = Math.multiplyExact(m, n);
        DMatrixRMaj k = new DMatrixRMaj(mn, mn);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                k.unsafe_set(j + n * i, i + m * j, 1);
            }
        }
        return Mat.wrap(k);
    }

    /**
     * commutation(m, n)*M without forming the permutation: row j + n i of the result is row
     * i + m j of M (K[j + n i, i + m j] = 1, see {@link #commutation}).
     */
    public static Mat commuteRows(Mat x, int m, int n) {
        if (x.rows() != m * n) {
            throw new IllegalArgumentException("commutation(" + m + ", " + n + ") times a matrix of " + x.rows() + " rows");
        }
        int cols = x.cols();
        double[] from = x.toRowMajor(), to = new double[from.length];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                System.arraycopy(from, (i + m * j) * cols, to, (j + n * i) * cols, cols);
            }
        }
        return Mat.rowMajor(x.rows(), cols, to);
    }

    /**
     * kron(A, B)*M without forming kron(A, B): column k of the result is vec(B*X*A') for
     * vec(X) = column k of M, X of shape cols(B) x cols(A) (Matrix Cookbook eq. 520).
     */
    public static Mat kronTimes(Mat a, Mat b, Mat x) {
        if (x.rows() != a.cols() * b.cols()) {
            throw new IllegalArgumentException("kron(A, B) of " + a.rows() * b.rows() + "x" + a.cols() * b.cols()
                    + " times a matrix of " + x.rows() + " rows");
        }
        int rows = a.rows() * b.rows();
        double[] out = new double[rows * x.cols()];
        for (int k = 0; k < x.cols(); k++) {
            double[] col = new double[x.rows()];
            for (int i = 0; i < col.length; i++) {
                col[i] = x.get(i, k);
            }
            Mat y = b.times(Mat.unvec(Mat.column(col), b.cols(), a.cols())).timesTranspose(a).vec();
            for (int i = 0; i < rows; i++) {
                out[i * x.cols() + k] = y.at(i);
            }
        }
        return Mat.rowMajor(rows, x.cols(), out);
    }

    /**
     * diag, as in LANGUAGE.md: a column or row vector x of length n gives the n x n diagonal
     * matrix with x on its diagonal; a square matrix gives the column vector of its diagonal;
     * a 1 x 1 matrix gives itself (both readings agree).
     *
     * @param a vector or square matrix. Not modified.
     * @throws IllegalArgumentException for a matrix that is neither a vector nor square
     */
    public static Mat diag(Mat a) {
        if (a.rows() == 1 || a.cols() == 1) {
            int n = a.size();
            DMatrixRMaj out = new DMatrixRMaj(n, n);
            for (int i = 0; i < n; i++) {
                out.unsafe_set(i, i, a.at(i));
            }
            return Mat.wrap(out);
        }
        if (a.isSquare()) {
            int n = a.rows();
            double[] d = new double[n];
            for (int i = 0; i < n; i++) {
                d[i] = a.get(i, i);
            }
            return Mat.column(d);
        }
        throw new IllegalArgumentException("diag needs a vector or a square matrix, got " + a.shapeString());
    }

    // ------------------------------------------------------------------ reductions

    /**
     * logsumexp(x) = log sum_k exp(x_k) over all entries, computed stably as
     * M + log1p(sum_{k != k*} exp(x_k - M)) with M = x_{k*} = max_k x_k (Blanchard, Higham and
     * Higham, "Accurately computing the log-sum-exp and softmax functions", IMA J. Numer. Anal.
     * 41(4), 2021). Every exponent is <= 0, so nothing overflows, and
     * the largest term contributes exactly 1, so the sum cannot underflow to 0; log1p keeps the
     * digits when the other terms are small. Satisfies logsumexp(x + c) = logsumexp(x) + c.
     *
     * <p>Hazards: +Infinity if some x_k = +Infinity; -Infinity if all are -Infinity or x is
     * empty; NaN if some entry is NaN.
     *
     * @param x any shape. Not modified.
     */
    public static double logsumexp(Mat x) {
        int n = x.size();
        int kmax = -1;
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            double v = x.at(k);
            if (Double.isNaN(v)) {
                return Double.NaN;
            }
            if (kmax < 0 || v > max) {
                max = v;
                kmax = k;
            }
        }
        if (Double.isInfinite(max)) {
            return max; // all -Infinity (or empty), or some +Infinity
        }
        double s = 0;
        for (int k = 0; k < n; k++) {
            if (k != kmax) {
                s += Math.exp(x.at(k) - max);
            }
        }
        return max + Math.log1p(s);
    }

    /** sum(x, k): the column sums (k = 1, a 1 x m row) or the row sums (k = 2, an n x 1 column). */
    public static Mat sumAxis(Mat x, int k) {
        int n = x.rows(), m = x.cols();
        double[] out = new double[k == 1 ? m : n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                out[k == 1 ? j : i] += x.get(i, j);
            }
        }
        return k == 1 ? Mat.rowMajor(1, m, out) : Mat.rowMajor(n, 1, out);
    }

    /** softmax(x, k): {@link #softmax} of each column (k = 1) or each row (k = 2), with its hazards. */
    public static Mat softmaxAxis(Mat x, int k) {
        Mat rows = k == 1 ? x.transpose() : x;
        int n = rows.rows(), m = rows.cols();
        double[] out = new double[n * m];
        for (int i = 0; i < n; i++) {
            Mat s = softmax(row(rows, i));
            for (int j = 0; j < m; j++) {
                out[i * m + j] = s.at(j);
            }
        }
        Mat r = Mat.rowMajor(n, m, out);
        return k == 1 ? r.transpose() : r;
    }

    /** logsumexp(x, k): {@link #logsumexp} of each column (k = 1, a row) or each row (k = 2, a column). */
    public static Mat logsumexpAxis(Mat x, int k) {
        Mat rows = k == 1 ? x.transpose() : x;
        double[] out = new double[rows.rows()];
        for (int i = 0; i < out.length; i++) {
            out[i] = logsumexp(row(rows, i));
        }
        return k == 1 ? Mat.rowMajor(1, out.length, out) : Mat.rowMajor(out.length, 1, out);
    }

    private static Mat row(Mat x, int i) {
        double[] r = new double[x.cols()];
        for (int j = 0; j < r.length; j++) {
            r[j] = x.get(i, j);
        }
        return Mat.rowMajor(1, r.length, r);
    }

    /**
     * The weights of the derivative of max(x) (or min(x) for {@code max} false): 1/k at each of the
     * k entries equal to the largest (smallest), 0 elsewhere, so that ties share equally.
     */
    public static Mat extremeWeights(Mat x, boolean max) {
        double best = extreme(x, max);
        // entries within rounding of the extreme tie with it: the mirrored entries of a symmetric
        // matrix computed in two orders share the weight whichever came out larger
        double tol = TIE * Math.max(1, x.maxAbs());
        double target = best;
        int count = 0;
        for (int k = 0; k < x.size(); k++) {
            count += Math.abs(x.at(k) - target) <= tol ? 1 : 0;
        }
        double w = 1.0 / Math.max(count, 1);
        return x.map(v -> Math.abs(v - target) <= tol ? w : 0);
    }

    /** max(x) (or min(x) for {@code max} false) over all entries; NaN if any entry is NaN. */
    public static double extreme(Mat x, boolean max) {
        double best = max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        for (int k = 0; k < x.size(); k++) {
            double v = x.at(k);
            if (Double.isNaN(v)) {
                return v;
            }
            best = max ? Math.max(best, v) : Math.min(best, v);
        }
        return best;
    }

    /** Entries of max(X) or min(X) closer than this times max(1, max|X|) to the extreme count as tied. */
    public static final double TIE = 1e-12;

    /**
     * softmax(x)_k = exp(x_k) / sum_j exp(x_j) over all entries, same shape as x, computed as
     * exp(x_k - M) / sum_j exp(x_j - M) with M = max x (shift invariance): no exponent is
     * positive, so nothing overflows, and the denominator is at least 1. Entries are in [0, 1]
     * and sum to 1 up to rounding, also for inputs such as +-1000 where exp overflows.
     *
     * <p>Hazards: entries more than about 745 below the maximum underflow to exactly 0 (their
     * true value is below the smallest double). If some x_k = +Infinity the mass is shared
     * equally among the infinite entries (the limit along x_k = t, t -> Infinity); NaN in,
     * NaN out.
     *
     * @param x any shape. Not modified.
     * @return a new matrix of the shape of x
     */
    public static Mat softmax(Mat x) {
        int n = x.size();
        double max = Double.NEGATIVE_INFINITY;
        boolean nan = false;
        for (int k = 0; k < n; k++) {
            nan |= Double.isNaN(x.at(k));
            max = Math.max(max, x.at(k));
        }
        double[] out = new double[n];
        if (nan) {
            Arrays.fill(out, Double.NaN);
        } else if (max == Double.POSITIVE_INFINITY || max == Double.NEGATIVE_INFINITY) {
            // +Inf: equal shares among the infinite entries. All -Inf: the limit of equal
            // entries t -> -Infinity, i.e. uniform.
            int count = 0;
            for (int k = 0; k < n; k++) {
                count += x.at(k) == max ? 1 : 0;
            }
            for (int k = 0; k < n; k++) {
                out[k] = x.at(k) == max ? 1.0 / count : 0;
            }
        } else {
            double s = 0;
            for (int k = 0; k < n; k++) {
                out[k] = Math.exp(x.at(k) - max);
                s += out[k];
            }
            for (int k = 0; k < n; k++) {
                out[k] /= s;
            }
        }
        return Mat.rowMajor(x.rows(), x.cols(), out);
    }

    /**
     * norm1(x) = sum_k |x_k| over all entries (the vector 1-norm; for a matrix, the entrywise
     * 1-norm, not the induced one). Summation is straightforward; its relative error is at most
     * about n * eps since all terms are non-negative (ASNA 4.2).
     *
     * @param x any shape. Not modified.
     */
    public static double norm1(Mat x) {
        double s = 0;
        int n = x.size();
        for (int k = 0; k < n; k++) {
            s += Math.abs(x.at(k));
        }
        return s;
    }

    /**
     * norm2(x) = sqrt(sum_k x_k^2) over all entries (Euclidean for vectors, Frobenius for
     * matrices), scaled in the spirit of LAPACK's dnrm2: with M = max_k |x_k|,
     * norm2 = M * sqrt(sum_k (x_k / M)^2). The naive sum of squares overflows for entries
     * above about 1.3e154 and underflows below 1.5e-154; the scaled one is exact in range up to
     * rounding for every finite input.
     *
     * <p>Hazards: +Infinity if an entry is infinite, NaN if an entry is NaN; 0 for empty x.
     *
     * @param x any shape. Not modified.
     */
    public static double norm2(Mat x) {
        int n = x.size();
        double max = 0;
        for (int k = 0; k < n; k++) {
            double v = Math.abs(x.at(k));
            if (Double.isNaN(v)) {
                return Double.NaN;
            }
            max = Math.max(max, v);
        }
        if (max == 0 || Double.isInfinite(max)) {
            return max;
        }
        double s = 0;
        for (int k = 0; k < n; k++) {
            double v = x.at(k) / max;
            s += v * v;
        }
        return max * Math.sqrt(s);
    }

    // ------------------------------------------------------------------ matrix exponential

    /** theta_m of Higham 2005, table 2.3: the largest ||A||_1 for which r_m meets unit roundoff. */
    private static final double[] THETA = {
        1.495585217958292e-2, // m = 3
        2.539398330063230e-1, // m = 5
        9.504178996162932e-1, // m = 7
        2.097847961257068e0,  // m = 9
        5.371920351148152e0,  // m = 13
    };

    private static final int[] DEGREES = {3, 5, 7, 9, 13};

    /** Coefficients b_0..b_m of the [m/m] Pade approximant's numerator p_m (Higham 2005, eq. 2.11). */
    private static final double[][] PADE = {
        {120, 60, 12, 1},
        {30240, 15120, 3360, 420, 30, 1},
        {17297280, 8648640, 1995840, 277200, 25200, 1512, 56, 1},
        {17643225600.0, 8821612800.0, 2075673600, 302702400, 30270240, 2162160, 110880, 3960, 90, 1},
        {64764752532480000.0, 32382376266240000.0, 7771770303897600.0, 1187353796428800.0,
            129060195264000.0, 10559470521600.0, 670442572800.0, 33522128640.0, 1323241920,
            40840800, 960960, 16380, 182, 1},
    };

    /**
     * The matrix exponential expm(A) = sum_k A^k / k!, by scaling and squaring with Pade
     * approximants, Algorithm 2.3 of Higham 2005 ("The scaling and squaring method for the
     * matrix exponential revisited"), the algorithm behind MATLAB's expm of that era:
     *
     * <ol>
     *   <li>If ||A||_1 <= theta_m for m in 3, 5, 7, 9 (theta = 0.0150, 0.254, 0.950, 2.10),
     *       return the [m/m] Pade approximant r_m(A) with the smallest such m. These thresholds
     *       make the backward error of r_m at most unit roundoff 2^-53 in exact arithmetic,
     *       at the fewest matrix products (m = 3 costs 2 products and one solve).</li>
     *   <li>Otherwise scale: s = max(0, ceil(log2(||A||_1 / theta_13))), theta_13 = 5.37,
     *       evaluate r_13(A / 2^s) with 6 products (the paper's eq. 2.18 splitting of the even and
     *       odd parts) and square the result s times: expm(A) = expm(A / 2^s)^(2^s).</li>
     * </ol>
     *
     * r_m = q_m^{-1} p_m with p_m(A) = U + V (U odd, V even part) and q_m(A) = V - U; the solve
     * (V - U) R = (V + U) is by LU. The theta bounds also keep q_m well conditioned (Higham
     * 2005, sec. 2).
     *
     * <p>Hazards: the squaring phase can lose accuracy for highly non-normal A (over-scaling;
     * Al-Mohy and Higham 2009 refine s), and entries overflow when ||A|| exceeds about 709 in
     * the direction of growth. The result of a 0 x 0 input is 0 x 0.
     *
     * @param a square matrix with finite entries. Not modified.
     * @return a new n x n matrix
     * @throws IllegalArgumentException if {@code a} is not square or has a non-finite entry
     */
    public static Mat expm(Mat a) {
        a.requireSquare("expm");
        return Mat.wrap(expm(a.toDDRM(), "expm"));
    }

    /** The Pade degree m that Higham 2005 Algorithm 2.3 uses for ||A||_1 = norm (13 means: with scaling). */
    static int padeDegree(double norm) {
        for (int i = 0; i < 4; i++) {
            if (norm <= THETA[i]) {
                return DEGREES[i];
            }
        }
        return 13;
    }

    /** s = max(0, ceil(log2(norm / theta_13))): the squarings after r_13(A / 2^s). */
    static int squarings(double norm) {
        return (int) Math.max(0, Math.ceil(Math.log(norm / THETA[4]) / Math.log(2)));
    }

    /** The stored Pade numerator coefficients b_0..b_m, for tests. */
    static double[] padeCoefficients(int degree) {
        return PADE[Arrays.binarySearch(DEGREES, degree)].clone();
    }

    /** expm on a private copy (modified). */
    private static DMatrixRMaj expm(DMatrixRMaj a, String op) {
        int n = a.numRows;
        double norm = induced1Norm(a);
        if (!Double.isFinite(norm)) {
            throw new IllegalArgumentException(op + " needs finite entries, got a matrix with 1-norm " + norm);
        }
        int degree = padeDegree(norm);
        if (degree < 13) {
            return padeLowDegree(a, PADE[Arrays.binarySearch(DEGREES, degree)]);
        }
        int s = squarings(norm);
        // Dividing by an exact power of two is exact (barring underflow).
        CommonOps_DDRM.scale(Math.scalb(1.0, -s), a);
        DMatrixRMaj r = pade13(a);
        DMatrixRMaj tmp = new DMatrixRMaj(n, n);
        for (int i = 0; i < s; i++) {
            CommonOps_DDRM.mult(r, r, tmp);
            DMatrixRMaj swap = r;
            r = tmp;
            tmp = swap;
        }
        return r;
    }

    /**
     * r_m(A) for m = 3, 5, 7, 9: U = A sum_{j odd} b_j A^{j-1}, V = sum_{j even} b_j A^j,
     * using the even powers A^2, A^4, ... once each (Higham 2005, sec. 2, eq. 2.17 style).
     */
    private static DMatrixRMaj padeLowDegree(DMatrixRMaj a, double[] b) {
        int n = a.numRows;
        int m = b.length - 1;
        DMatrixRMaj a2 = new DMatrixRMaj(n, n);
        CommonOps_DDRM.mult(a, a, a2);
        DMatrixRMaj uInner = CommonOps_DDRM.identity(n);
        CommonOps_DDRM.scale(b[1], uInner);
        DMatrixRMaj v = CommonOps_DDRM.identity(n);
        CommonOps_DDRM.scale(b[0], v);
        DMatrixRMaj power = a2.copy(); // A^(2j)
        DMatrixRMaj next = new DMatrixRMaj(n, n);
        for (int j = 1; 2 * j <= m; j++) {
            CommonOps_DDRM.addEquals(v, b[2 * j], power);
            CommonOps_DDRM.addEquals(uInner, b[2 * j + 1], power);
            if (2 * j + 2 <= m) {
                CommonOps_DDRM.mult(power, a2, next);
                DMatrixRMaj swap = power;
                power = next;
                next = swap;
            }
        }
        DMatrixRMaj u = new DMatrixRMaj(n, n);
        CommonOps_DDRM.mult(a, uInner, u);
        return padeSolve(u, v);
    }

    /** r_13(A), Higham 2005 eq. 2.18: 6 products (A2, A4, A6, two for U, one for V) and a solve. */
    private static DMatrixRMaj pade13(DMatrixRMaj a) {
        double[] b = PADE[4];
        int n = a.numRows;
        DMatrixRMaj a2 = new DMatrixRMaj(n, n), a4 = new DMatrixRMaj(n, n), a6 = new DMatrixRMaj(n, n);
        CommonOps_DDRM.mult(a, a, a2);
        CommonOps_DDRM.mult(a2, a2, a4);
        CommonOps_DDRM.mult(a4, a2, a6);
        DMatrixRMaj ident = CommonOps_DDRM.identity(n);

        // U = A [A6 (b13 A6 + b11 A4 + b9 A2) + b7 A6 + b5 A4 + b3 A2 + b1 I]
        DMatrixRMaj inner = combine(b[13], a6, b[11], a4, b[9], a2);
        DMatrixRMaj uInner = new DMatrixRMaj(n, n);
        CommonOps_DDRM.mult(a6, inner, uInner);
        addCombination(uInner, b[7], a6, b[5], a4, b[3], a2);
        CommonOps_DDRM.addEquals(uInner, b[1], ident);
        DMatrixRMaj u = new DMatrixRMaj(n, n);
        CommonOps_DDRM.mult(a, uInner, u);

        // V = A6 (b12 A6 + b10 A4 + b8 A2) + b6 A6 + b4 A4 + b2 A2 + b0 I
        inner = combine(b[12], a6, b[10], a4, b[8], a2);
        DMatrixRMaj v = new DMatrixRMaj(n, n);
        CommonOps_DDRM.mult(a6, inner, v);
        addCombination(v, b[6], a6, b[4], a4, b[2], a2);
        CommonOps_DDRM.addEquals(v, b[0], ident);
        return padeSolve(u, v);
    }

    private static DMatrixRMaj combine(double c1, DMatrixRMaj m1, double c2, DMatrixRMaj m2, double c3, DMatrixRMaj m3) {
        DMatrixRMaj out = new DMatrixRMaj(m1.numRows, m1.numCols);
        addCombination(out, c1, m1, c2, m2, c3, m3);
        return out;
    }

    private static void addCombination(DMatrixRMaj out, double c1, DMatrixRMaj m1, double c2, DMatrixRMaj m2,
            double c3, DMatrixRMaj m3) {
        CommonOps_DDRM.addEquals(out, c1, m1);
        CommonOps_DDRM.addEquals(out, c2, m2);
        CommonOps_DDRM.addEquals(out, c3, m3);
    }

    /** Solves (V - U) R = V + U; U and V are overwritten. */
    private static DMatrixRMaj padeSolve(DMatrixRMaj u, DMatrixRMaj v) {
        int n = u.numRows;
        DMatrixRMaj p = new DMatrixRMaj(n, n);
        CommonOps_DDRM.add(v, u, p);
        CommonOps_DDRM.subtractEquals(v, u); // q = V - U
        LinearSolverLu_DDRM solver = new LinearSolverLu_DDRM(new LUDecompositionAlt_DDRM());
        if (!solver.setA(v)) {
            throw new IllegalStateException("expm: Pade denominator q_m(A) is singular");
        }
        DMatrixRMaj r = new DMatrixRMaj(n, n);
        solver.solve(p, r);
        return r;
    }

    /** ||A||_1, the largest absolute column sum (NaN if an entry is NaN). */
    private static double induced1Norm(DMatrixRMaj a) {
        double best = 0;
        for (int j = 0; j < a.numCols; j++) {
            double s = 0;
            for (int i = 0; i < a.numRows; i++) {
                s += Math.abs(a.unsafe_get(i, j));
            }
            if (Double.isNaN(s)) {
                return Double.NaN;
            }
            best = Math.max(best, s);
        }
        return best;
    }

    /**
     * The Frechet derivative L(A, E) of expm at A in direction E: the linear term of
     * expm(A + E) - expm(A), i.e. d expm(A)[dA = E] = int_0^1 expm(sA) E expm((1-s)A) ds
     * (FM ch. 10). Computed from the block identity (FM ch. 3, after Mathias 1996)
     *
     * <pre>expm([[A, E], [0, A]]) = [[expm A, L(A, E)], [0, expm A]]</pre>
     *
     * with {@link #expm} on the 2n x 2n block matrix. L is linear in E, so E is first scaled to
     * the 1-norm of A (to 1 when A = 0) and the result scaled back: otherwise a large E would
     * force needless squarings (losing accuracy) and a tiny one would gain nothing.
     *
     * <p>Hazards: costs one expm of size 2n (about 8x an n x n expm); Al-Mohy and Higham 2009
     * evaluate L alongside expm more cheaply. Accuracy is that of expm on the block matrix.
     *
     * @param a square n x n. Not modified.
     * @param e n x n direction. Not modified.
     * @return a new n x n matrix
     * @throws IllegalArgumentException if the shapes differ or are not square, or an entry is
     *     not finite
     */
    public static Mat expmFrechet(Mat a, Mat e) {
        a.requireSquare("expmFrechet");
        if (!a.sameShape(e)) {
            throw new IllegalArgumentException("expmFrechet needs E shaped like A, got A " + a.shapeString()
                    + " and E " + e.shapeString());
        }
        int n = a.rows();
        DMatrixRMaj ad = a.toDDRM(), ed = e.toDDRM();
        double normA = induced1Norm(ad), normE = induced1Norm(ed);
        if (!Double.isFinite(normA) || !Double.isFinite(normE)) {
            throw new IllegalArgumentException("expmFrechet needs finite entries");
        }
        if (normE == 0) {
            return Mat.zeros(n, n);
        }
        double t = (normA > 0 ? normA : 1) / normE;
        DMatrixRMaj block = new DMatrixRMaj(2 * n, 2 * n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double aij = ad.unsafe_get(i, j);
                block.unsafe_set(i, j, aij);
                block.unsafe_set(n + i, n + j, aij);
                block.unsafe_set(i, n + j, t * ed.unsafe_get(i, j));
            }
        }
        DMatrixRMaj x = expm(block, "expmFrechet");
        DMatrixRMaj out = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                out.unsafe_set(i, j, x.unsafe_get(i, n + j) / t);
            }
        }
        return Mat.wrap(out);
    }

    // ------------------------------------------------------------------ symmetric kernels

    /**
     * True when {@code a} is square and |a_ij - a_ji| <= tol * max_kl |a_kl| for all i, j
     * (a relative test, so it does not depend on the units of the matrix). NaN entries make it
     * false; the zero matrix and 0 x 0 are symmetric.
     *
     * @param a any shape. Not modified.
     * @param tol relative tolerance, >= 0
     */
    public static boolean isSymmetric(Mat a, double tol) {
        if (!a.isSquare()) {
            return false;
        }
        double bound = tol * maxAbsOrNaN(a);
        if (Double.isNaN(bound)) {
            return false;
        }
        int n = a.rows();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (!(Math.abs(a.get(i, j) - a.get(j, i)) <= bound)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void requireSymmetric(Mat s, String op) {
        if (!s.isSquare()) {
            throw new IllegalArgumentException(op + " needs a symmetric matrix, got " + s.shapeString());
        }
        if (!isSymmetric(s, SYMMETRY_TOL)) {
            throw new IllegalArgumentException(op + " needs a symmetric matrix: |s_ij - s_ji| exceeds "
                    + SYMMETRY_TOL + " * max|s| (or an entry is NaN)");
        }
    }

    /** (S + S') / 2 as a fresh EJML matrix. */
    private static DMatrixRMaj symmetrised(Mat s) {
        int n = s.rows();
        DMatrixRMaj out = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            out.unsafe_set(i, i, s.get(i, i));
            for (int j = i + 1; j < n; j++) {
                double v = 0.5 * (s.get(i, j) + s.get(j, i));
                out.unsafe_set(i, j, v);
                out.unsafe_set(j, i, v);
            }
        }
        return out;
    }

    /**
     * The symmetric eigendecomposition S = V diag(lambda) V' with lambda ascending and V
     * orthogonal (GVL 8.3: Householder tridiagonalisation and implicit symmetric QR, EJML's
     * {@code SymmetricQRAlgorithmDecomposition_DDRM}). S is checked for symmetry (relative
     * tolerance {@link #SYMMETRY_TOL}) and symmetrised, (S + S') / 2, before the solver.
     *
     * <p>Each eigenvector's sign is fixed so that its entry of largest magnitude is positive,
     * which makes the result deterministic. Backward stable: the computed pairs are exact for
     * S + E with ||E|| = O(eps ||S||), so eigenvalues are accurate to about eps ||S||
     * absolutely (Weyl); eigenvectors of close eigenvalues are individually ill determined
     * (only their span is), which matters for eigenvector derivatives.
     *
     * @param s symmetric n x n. Not modified.
     * @return values (n x 1, ascending) and vectors (n x n, columns orthonormal)
     * @throws IllegalArgumentException if {@code s} is not symmetric
     */
    public static EigenSym eigSym(Mat s) {
        requireSymmetric(s, "eigSym");
        int n = s.rows();
        if (n == 0) {
            return new EigenSym(Mat.zeros(0, 1), Mat.zeros(0, 0));
        }
        double[] values;
        double[] vectors; // row-major, eigenvectors as columns in the order of the values
        if (Blas.worthIt(n, n, n)) {
            vectors = symmetrised(s).data;
            values = Blas.eigSym(vectors, n, true); // ascending already
            if (values == null) {
                throw new IllegalStateException("eigSym: the divide-and-conquer algorithm did not converge");
            }
        } else {
            EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
            if (!eig.decompose(symmetrised(s))) { // works in place: gets a fresh copy
                throw new IllegalStateException("eigSym: the symmetric QR algorithm did not converge");
            }
            Integer[] order = new Integer[n];
            double[] lambda = new double[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
                lambda[i] = eig.getEigenvalue(i).real;
            }
            Arrays.sort(order, (p, q) -> Double.compare(lambda[p], lambda[q]));
            values = new double[n];
            vectors = new double[n * n];
            for (int c = 0; c < n; c++) {
                values[c] = lambda[order[c]];
                double[] v = eig.getEigenVector(order[c]).data;
                for (int i = 0; i < n; i++) {
                    vectors[i * n + c] = v[i];
                }
            }
        }
        for (int c = 0; c < n; c++) { // each column's entry of largest magnitude made positive
            int big = 0;
            for (int i = 1; i < n; i++) {
                if (Math.abs(vectors[i * n + c]) > Math.abs(vectors[big * n + c])) {
                    big = i;
                }
            }
            if (vectors[big * n + c] < 0) {
                for (int i = 0; i < n; i++) {
                    vectors[i * n + c] = -vectors[i * n + c];
                }
            }
        }
        return new EigenSym(Mat.column(values), Mat.wrapRowMajor(n, n, vectors));
    }

    /**
     * The eigenvalues of a symmetric matrix, ascending, as a column vector (see {@link #eigSym}
     * for the method and accuracy).
     *
     * @param s symmetric. Not modified.
     * @throws IllegalArgumentException if {@code s} is not symmetric
     */
    public static Mat eigvals(Mat s) {
        requireSymmetric(s, "eigvals");
        int n = s.rows();
        if (n == 0) {
            return Mat.zeros(0, 1);
        }
        if (Blas.worthIt(n, n, n)) {
            double[] values = Blas.eigSym(symmetrised(s).data, n, false);
            if (values == null) {
                throw new IllegalStateException("eigvals: the divide-and-conquer algorithm did not converge");
            }
            return Mat.column(values);
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false, true);
        if (!eig.decompose(symmetrised(s))) {
            throw new IllegalStateException("eigvals: the symmetric QR algorithm did not converge");
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = eig.getEigenvalue(i).real;
        }
        Arrays.sort(values);
        return Mat.column(values);
    }

    /**
     * The largest eigenvalue of a symmetric matrix (the last of {@link #eigvals}). Its
     * derivative v v' (v the unit eigenvector) exists only where it is simple.
     *
     * @param s symmetric. Not modified.
     * @throws IllegalArgumentException if {@code s} is not symmetric or is 0 x 0
     */
    public static double lambdaMax(Mat s) {
        Mat v = eigvals(s);
        if (v.size() == 0) {
            throw new IllegalArgumentException("lambdaMax of a 0x0 matrix is undefined");
        }
        return v.at(v.size() - 1);
    }

    /**
     * The smallest eigenvalue of a symmetric matrix (the first of {@link #eigvals}).
     *
     * @param s symmetric. Not modified.
     * @throws IllegalArgumentException if {@code s} is not symmetric or is 0 x 0
     */
    public static double lambdaMin(Mat s) {
        Mat v = eigvals(s);
        if (v.size() == 0) {
            throw new IllegalArgumentException("lambdaMin of a 0x0 matrix is undefined");
        }
        return v.at(0);
    }

    /**
     * The principal square root of a symmetric positive semidefinite matrix: with
     * S = V diag(lambda) V', sqrtm(S) = V diag(sqrt(lambda)) V' (FM sec. 6.1), the unique
     * symmetric positive semidefinite X with X^2 = S. Eigenvalues in [-tol, 0), with
     * tol = 100 n eps max|lambda| (rounding noise of a singular psd matrix), are taken as 0.
     *
     * <p>Hazards: at a singular S the square root is not differentiable (sqrt has infinite
     * slope at 0), and the relative accuracy of the small eigenvalues' roots is poor: an
     * eigenvalue known to eps ||S|| has a root known only to about sqrt(eps ||S||).
     *
     * @param s symmetric positive semidefinite. Not modified.
     * @return a new symmetric n x n matrix
     * @throws IllegalArgumentException if {@code s} is not symmetric or has an eigenvalue below
     *     -tol
     */
    public static Mat sqrtm(Mat s) {
        requireSymmetric(s, "sqrtm");
        EigenSym e = eigSym(s);
        int n = s.rows();
        if (n == 0) {
            return Mat.zeros(0, 0);
        }
        double scale = Math.max(Math.abs(e.values.at(0)), Math.abs(e.values.at(n - 1)));
        double tol = 100 * n * EPS * scale;
        double[] root = new double[n];
        for (int i = 0; i < n; i++) {
            double l = e.values.at(i);
            if (l < -tol) {
                throw new IllegalArgumentException("sqrtm needs a positive semidefinite matrix, got eigenvalue " + l
                        + " (tolerance " + tol + ")");
            }
            root[i] = Math.sqrt(Math.max(l, 0));
        }
        return symmetricFromEigen(e.vectors, root);
    }

    /** V diag(d) V', symmetrised exactly. */
    private static Mat symmetricFromEigen(Mat v, double[] d) {
        int n = v.rows();
        DMatrixRMaj vd = v.toDDRM();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                vd.unsafe_set(i, j, vd.unsafe_get(i, j) * d[j]);
            }
        }
        DMatrixRMaj out = new DMatrixRMaj(n, n);
        CommonOps_DDRM.multTransB(vd, v.toDDRM(), out);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double m = 0.5 * (out.unsafe_get(i, j) + out.unsafe_get(j, i));
                out.unsafe_set(i, j, m);
                out.unsafe_set(j, i, m);
            }
        }
        return Mat.wrap(out);
    }

    /**
     * The solution X of the Sylvester equation S X + X S = C for symmetric positive definite S
     * (any n x n C, not necessarily symmetric). With S = V diag(lambda) V', the equation becomes
     * diag(lambda) Y + Y diag(lambda) = V' C V for Y = V' X V, solved entrywise:
     * X = V ((V' C V) ./ (lambda_i + lambda_j)) V' (Bhatia, <i>Matrix Analysis</i>, sec. VII.2).
     * It is the derivative of the square root (FM ch. 6): d sqrtm(S)[dS] =
     * sylvesterSym(sqrtm(S), dS), since R = sqrtm(S) satisfies R dR + dR R = dS.
     *
     * <p>Hazards: lambda_i + lambda_j >= 2 lambda_min, so the solution's size grows like
     * ||C|| / (2 lambda_min): ill conditioned when S is nearly singular.
     *
     * @param s symmetric positive definite n x n. Not modified.
     * @param c n x n. Not modified.
     * @return a new n x n matrix
     * @throws IllegalArgumentException if {@code s} is not symmetric, not positive definite,
     *     or {@code c} is not n x n
     */
    public static Mat sylvesterSym(Mat s, Mat c) {
        requireSymmetric(s, "sylvesterSym");
        if (!s.sameShape(c)) {
            throw new IllegalArgumentException("sylvesterSym needs C shaped like S, got S " + s.shapeString()
                    + " and C " + c.shapeString());
        }
        EigenSym e = eigSym(s);
        int n = s.rows();
        if (n > 0 && !(e.values.at(0) > 0)) {
            throw new IllegalArgumentException("sylvesterSym needs a positive definite S, got eigenvalue "
                    + e.values.at(0));
        }
        Mat v = e.vectors;
        Mat y = v.transposeTimes(c).times(v);
        DMatrixRMaj yd = y.toDDRM();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                yd.unsafe_set(i, j, yd.unsafe_get(i, j) / (e.values.at(i) + e.values.at(j)));
            }
        }
        return v.times(Mat.wrap(yd)).timesTranspose(v);
    }

    /**
     * The Cholesky factor: lower-triangular L with positive diagonal and S = L L' (GVL 4.2).
     * Backward stable without pivoting (ASNA thm 10.3). S is checked for symmetry first, since
     * the algorithm reads only one triangle and would silently factor a non-symmetric matrix.
     *
     * <p>Hazards: a positive semidefinite but singular S, or an spd S with cond(S) beyond
     * about 1/eps, may fail (a non-positive pivot appears) or succeed with a tiny pivot,
     * depending on rounding. logdet(S) = 2 sum_i log l_ii.
     *
     * @param s symmetric positive definite. Not modified.
     * @return a new lower-triangular n x n matrix (zeros above the diagonal)
     * @throws IllegalArgumentException if {@code s} is not symmetric or not positive definite
     */
    public static Mat cholesky(Mat s) {
        requireSymmetric(s, "cholesky");
        int n = s.rows();
        if (n == 0) {
            return Mat.zeros(0, 0);
        }
        DMatrixRMaj l; // LAPACK's dpotrf for large n, EJML's otherwise; null when a pivot is not positive
        if (Blas.worthIt(n, n, n / 3 + 1)) {
            double[] f = Blas.cholesky(symmetrised(s).data, n);
            l = f == null ? null : DMatrixRMaj.wrap(n, n, f);
        } else {
            CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(n, true);
            l = chol.decompose(symmetrised(s)) ? chol.getT(null) : null;
        }
        if (l == null) {
            throw new IllegalArgumentException("cholesky needs a symmetric positive definite matrix: "
                    + "a non-positive pivot appeared");
        }
        for (int i = 0; i < n; i++) {
            if (!(l.unsafe_get(i, i) > 0) || !Double.isFinite(l.unsafe_get(i, i))) {
                throw new IllegalArgumentException("cholesky needs a symmetric positive definite matrix: pivot " + i
                        + " is " + l.unsafe_get(i, i));
            }
            for (int j = i + 1; j < n; j++) {
                l.unsafe_set(i, j, 0);
            }
        }
        return Mat.wrap(l);
    }

    /** max |a_ij|, or NaN if an entry is NaN; 0 for an empty matrix. */
    private static double maxAbsOrNaN(Mat a) {
        double m = 0;
        int n = a.size();
        for (int k = 0; k < n; k++) {
            double v = Math.abs(a.at(k));
            if (Double.isNaN(v)) {
                return Double.NaN;
            }
            m = Math.max(m, v);
        }
        return m;
    }
}
