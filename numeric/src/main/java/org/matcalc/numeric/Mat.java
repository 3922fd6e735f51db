package org.matcalc.numeric;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * An immutable dense real matrix: matcalc's one numeric value type. Scalars are 1 x 1,
 * column vectors n x 1, row vectors 1 x n.
 *
 * <p>A thin facade over EJML's {@link DMatrixRMaj} for small sizes (see docs/linear-algebra.md
 * for why EJML) and the native OpenBLAS of {@link Blas} for large ones, chosen by size here, so
 * callers never see which ran. The entries live on the heap; the first native operation on a
 * value copies them to native memory once and keeps that copy, which is safe because the
 * entries never change: a data matrix used by many products crosses over once. Results come
 * back to the heap at once (native memory held until a collection would otherwise pile up).
 * The backing array is never handed out mutable; {@link #toDDRM()} returns a copy.
 */
public final class Mat {
    private final int rows, cols;
    private final DMatrixRMaj m;
    /** The same entries in native memory for the BLAS, made when {@link Blas} asks; then kept. */
    private volatile Blas.Buffer offHeap;
    /** Whether a native operation has read this value (Blas keeps a native copy from the second on). */
    private volatile boolean usedNatively;

    private Mat(DMatrixRMaj m) {
        this.rows = m.numRows;
        this.cols = m.numCols;
        this.m = m;
    }

    /** Whether this value was used by a native operation before (and notes that it is now). */
    boolean usedNatively() {
        boolean before = usedNatively;
        usedNatively = true;
        return before;
    }

    /** Whether a native copy exists already. */
    boolean hasOffHeap() {
        return offHeap != null;
    }

    /** The entries in native memory (copied from the heap once, then reused across calls). */
    Blas.Buffer offHeap() {
        Blas.Buffer b = offHeap;
        if (b == null) {
            b = Blas.Buffer.of(m.data, rows * cols);
            offHeap = b;
        }
        return b;
    }

    /** The heap entries, row-major, for kernels in this package; never modified by them. */
    double[] data() {
        return m.data;
    }

    /** Takes ownership of {@code m}: the caller must not modify it afterwards. */
    public static Mat wrap(DMatrixRMaj m) {
        return new Mat(m);
    }

    public static Mat scalar(double v) {
        DMatrixRMaj d = new DMatrixRMaj(1, 1);
        d.data[0] = v;
        return new Mat(d);
    }

    /** Takes ownership of row-major {@code data} (no copy): the caller must not modify it afterwards. */
    static Mat wrapRowMajor(int rows, int cols, double[] data) {
        return new Mat(new DMatrixRMaj(rows, cols, true, data));
    }

    /** A column vector. */
    public static Mat column(double... v) {
        return new Mat(new DMatrixRMaj(v.length, 1, true, v.clone()));
    }

    /** A row vector (1 x n). */
    public static Mat row(double... v) {
        return new Mat(new DMatrixRMaj(1, v.length, true, v.clone()));
    }

    /** A matrix from its rows; every row must have the same length. */
    public static Mat of(double[][] rows) {
        int r = rows.length;
        int c = r == 0 ? 0 : rows[0].length;
        DMatrixRMaj d = new DMatrixRMaj(r, c);
        for (int i = 0; i < r; i++) {
            if (rows[i].length != c) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " entries, expected " + c);
            }
            System.arraycopy(rows[i], 0, d.data, i * c, c);
        }
        return new Mat(d);
    }

    /** A matrix from row-major data. */
    public static Mat rowMajor(int rows, int cols, double... data) {
        if (data.length != rows * cols) {
            throw new IllegalArgumentException("expected " + rows * cols + " entries, got " + data.length);
        }
        return new Mat(new DMatrixRMaj(rows, cols, true, data.clone()));
    }

    public static Mat zeros(int rows, int cols) {
        return new Mat(new DMatrixRMaj(rows, cols));
    }

    public static Mat fill(int rows, int cols, double v) {
        DMatrixRMaj d = new DMatrixRMaj(rows, cols);
        Arrays.fill(d.data, 0, rows * cols, v);
        return new Mat(d);
    }

    public static Mat eye(int n) {
        return new Mat(CommonOps_DDRM.identity(n));
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int size() {
        return rows * cols;
    }

    public boolean isScalar() {
        return rows == 1 && cols == 1;
    }

    public boolean isSquare() {
        return rows == cols;
    }

    public double get(int i, int j) {
        return m.unsafe_get(i, j);
    }

    /** Entry {@code k} in row-major order. */
    public double at(int k) {
        return m.data[k];
    }

    /** The value of a 1 x 1 matrix. */
    public double scalarValue() {
        if (!isScalar()) {
            throw new IllegalStateException("not a scalar: " + shapeString());
        }
        return m.data[0];
    }

    public String shapeString() {
        return rows + "x" + cols;
    }

    /** A copy of the backing EJML matrix. */
    public DMatrixRMaj toDDRM() {
        return m.copy();
    }

    public double[][] toArray() {
        double[][] out = new double[rows][cols];
        double[] d = data();
        for (int i = 0; i < rows; i++) {
            System.arraycopy(d, i * cols, out[i], 0, cols);
        }
        return out;
    }

    /** Row-major copy of the entries. */
    public double[] toRowMajor() {
        return Arrays.copyOf(m.data, size());
    }

    /** vec(X): entries stacked column by column (column-major), as a column vector. */
    public Mat vec() {
        int r = rows, c = cols;
        double[] out = new double[r * c], d = data();
        for (int j = 0; j < c; j++) {
            for (int i = 0; i < r; i++) {
                out[i + r * j] = d[i * c + j];
            }
        }
        return new Mat(new DMatrixRMaj(r * c, 1, true, out));
    }

    /** The inverse of {@link #vec()}: a column of length rows*cols, read column-major. */
    public static Mat unvec(Mat v, int rows, int cols) {
        if (v.size() != rows * cols) {
            throw new IllegalArgumentException("cannot reshape " + v.shapeString() + " to " + rows + "x" + cols);
        }
        DMatrixRMaj d = new DMatrixRMaj(rows, cols);
        double[] from = v.data();
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < rows; i++) {
                d.data[i * cols + j] = from[i + rows * j];
            }
        }
        return new Mat(d);
    }

    public Mat plus(Mat b) {
        requireSameShape(b, "+");
        DMatrixRMaj out = new DMatrixRMaj(rows, cols);
        CommonOps_DDRM.add(m, b.m, out);
        return new Mat(out);
    }

    public Mat minus(Mat b) {
        requireSameShape(b, "-");
        DMatrixRMaj out = new DMatrixRMaj(rows, cols);
        CommonOps_DDRM.subtract(m, b.m, out);
        return new Mat(out);
    }

    /** this + alpha * b. */
    public Mat plusScaled(double alpha, Mat b) {
        requireSameShape(b, "+");
        DMatrixRMaj out = new DMatrixRMaj(rows, cols);
        CommonOps_DDRM.add(m, alpha, b.m, out);
        return new Mat(out);
    }

    public Mat scale(double alpha) {
        DMatrixRMaj out = new DMatrixRMaj(rows, cols);
        CommonOps_DDRM.scale(alpha, m, out);
        return new Mat(out);
    }

    public Mat negate() {
        return scale(-1);
    }

    /** The matrix product this * b (the native BLAS for large sizes, see {@link Blas}). */
    public Mat times(Mat b) {
        if (cols != b.rows) {
            throw new IllegalArgumentException("cannot multiply " + shapeString() + " by " + b.shapeString());
        }
        Mat fast = Blas.product(this, false, b, false);
        if (fast != null) {
            return fast;
        }
        DMatrixRMaj out = new DMatrixRMaj(rows, b.cols);
        CommonOps_DDRM.mult(m, b.m, out);
        return new Mat(out);
    }

    /** this' * b, without forming the transpose. */
    public Mat transposeTimes(Mat b) {
        if (rows != b.rows) {
            throw new IllegalArgumentException("cannot multiply (" + shapeString() + ")' by " + b.shapeString());
        }
        Mat fast = Blas.product(this, true, b, false);
        if (fast != null) {
            return fast;
        }
        DMatrixRMaj out = new DMatrixRMaj(cols, b.cols);
        CommonOps_DDRM.multTransA(m, b.m, out);
        return new Mat(out);
    }

    /** this * b', without forming the transpose. */
    public Mat timesTranspose(Mat b) {
        if (cols != b.cols) {
            throw new IllegalArgumentException("cannot multiply " + shapeString() + " by (" + b.shapeString() + ")'");
        }
        Mat fast = Blas.product(this, false, b, true);
        if (fast != null) {
            return fast;
        }
        DMatrixRMaj out = new DMatrixRMaj(rows, b.rows);
        CommonOps_DDRM.multTransB(m, b.m, out);
        return new Mat(out);
    }

    public Mat transpose() {
        if (rows == 1 || cols == 1) {
            return new Mat(new DMatrixRMaj(cols, rows, true, Arrays.copyOf(m.data, size())));
        }
        return new Mat(CommonOps_DDRM.transpose(m, null));
    }

    /** Element-wise (Hadamard) product. */
    public Mat hadamard(Mat b) {
        requireSameShape(b, ".*");
        DMatrixRMaj out = new DMatrixRMaj(rows, cols);
        CommonOps_DDRM.elementMult(m, b.m, out);
        return new Mat(out);
    }

    /** Element-wise quotient. */
    public Mat hadamardDiv(Mat b) {
        requireSameShape(b, "./");
        DMatrixRMaj out = new DMatrixRMaj(rows, cols);
        CommonOps_DDRM.elementDiv(m, b.m, out);
        return new Mat(out);
    }

    public Mat map(DoubleUnaryOperator f) {
        DMatrixRMaj out = new DMatrixRMaj(rows, cols);
        double[] d = data();
        int n = size();
        for (int k = 0; k < n; k++) {
            out.data[k] = f.applyAsDouble(d[k]);
        }
        return new Mat(out);
    }

    /** Entry-by-entry combination of two matrices of the same shape. */
    public Mat zip(Mat b, DoubleBinaryOperator f) {
        requireSameShape(b, "element-wise");
        DMatrixRMaj out = new DMatrixRMaj(rows, cols);
        double[] x = data(), y = b.data();
        int n = size();
        for (int k = 0; k < n; k++) {
            out.data[k] = f.applyAsDouble(x[k], y[k]);
        }
        return new Mat(out);
    }

    /** g .* f'(x) entry by entry, with y = f(x) given (see {@link ScalarFunction#derivative(double, double)}). */
    static Mat derivativeTimes(Mat g, Mat x, Mat y, org.matcalc.expr.ScalarFunction f) {
        g.requireSameShape(x, "derivative");
        double[] gs = g.data(), xs = x.data(), ys = y.data(), out = new double[g.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = gs[k] * f.derivative(xs[k], ys[k]);
        }
        return wrapRowMajor(g.rows, g.cols, out);
    }

    public double sum() {
        return CommonOps_DDRM.elementSum(m);
    }

    public double trace() {
        requireSquare("tr");
        return CommonOps_DDRM.trace(m);
    }

    /** Frobenius inner product tr(this' * b) = sum of this .* b. */
    public double dot(Mat b) {
        requireSameShape(b, "dot");
        double s = 0;
        double[] x = data(), y = b.data();
        int n = size();
        for (int k = 0; k < n; k++) {
            s += x[k] * y[k];
        }
        return s;
    }

    /** The row-major index of the first NaN or infinite entry, or -1 when all are finite. */
    public int firstNonFinite() {
        double[] d = data();
        int n = size();
        for (int k = 0; k < n; k++) {
            if (!Double.isFinite(d[k])) {
                return k;
            }
        }
        return -1;
    }

    /** Largest absolute entry (0 for an empty matrix). */
    public double maxAbs() {
        return size() == 0 ? 0 : CommonOps_DDRM.elementMaxAbs(m);
    }

    public boolean sameShape(Mat b) {
        return rows == b.rows && cols == b.cols;
    }

    private void requireSameShape(Mat b, String op) {
        if (!sameShape(b)) {
            throw new IllegalArgumentException(op + " needs equal shapes, got " + shapeString() + " and " + b.shapeString());
        }
    }

    void requireSquare(String op) {
        if (!isSquare()) {
            throw new IllegalArgumentException(op + " needs a square matrix, got " + shapeString());
        }
    }

    /** True when every entry differs by at most {@code tol * max(1, |b|)}. */
    public boolean approxEquals(Mat b, double tol) {
        if (!sameShape(b)) {
            return false;
        }
        double[] xs = data(), ys = b.data();
        int n = size();
        for (int k = 0; k < n; k++) {
            double x = xs[k], y = ys[k];
            if (!(Math.abs(x - y) <= tol * Math.max(1, Math.abs(y)))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mat other && sameShape(other)
                && Arrays.equals(m.data, 0, size(), other.m.data, 0, size());
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + cols) + Arrays.hashCode(Arrays.copyOf(m.data, size()));
    }

    @Override
    public String toString() {
        if (isScalar()) {
            return Double.toString(m.data[0]);
        }
        return Arrays.deepToString(toArray());
    }
}
