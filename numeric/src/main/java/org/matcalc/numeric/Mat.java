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
 * <p>A thin facade over EJML's {@link DMatrixRMaj} (see docs/linear-algebra.md for why EJML):
 * the rest of matcalc never touches the backend directly, so large products or decompositions
 * can move to another backend by size without changing callers. The backing array is never
 * handed out mutable; {@link #toDDRM()} returns a copy.
 */
public final class Mat {
    private final DMatrixRMaj m;

    private Mat(DMatrixRMaj m) {
        this.m = m;
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
        return m.numRows;
    }

    public int cols() {
        return m.numCols;
    }

    public int size() {
        return m.numRows * m.numCols;
    }

    public boolean isScalar() {
        return m.numRows == 1 && m.numCols == 1;
    }

    public boolean isSquare() {
        return m.numRows == m.numCols;
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
        return m.numRows + "x" + m.numCols;
    }

    /** A copy of the backing EJML matrix. */
    public DMatrixRMaj toDDRM() {
        return m.copy();
    }

    public double[][] toArray() {
        double[][] out = new double[m.numRows][m.numCols];
        for (int i = 0; i < m.numRows; i++) {
            System.arraycopy(m.data, i * m.numCols, out[i], 0, m.numCols);
        }
        return out;
    }

    /** Row-major copy of the entries. */
    public double[] toRowMajor() {
        return Arrays.copyOf(m.data, size());
    }

    /** vec(X): entries stacked column by column (column-major), as a column vector. */
    public Mat vec() {
        int r = m.numRows, c = m.numCols;
        double[] out = new double[r * c];
        for (int j = 0; j < c; j++) {
            for (int i = 0; i < r; i++) {
                out[i + r * j] = m.data[i * c + j];
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
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < rows; i++) {
                d.data[i * cols + j] = v.m.data[i + rows * j];
            }
        }
        return new Mat(d);
    }

    public Mat plus(Mat b) {
        requireSameShape(b, "+");
        DMatrixRMaj out = new DMatrixRMaj(m.numRows, m.numCols);
        CommonOps_DDRM.add(m, b.m, out);
        return new Mat(out);
    }

    public Mat minus(Mat b) {
        requireSameShape(b, "-");
        DMatrixRMaj out = new DMatrixRMaj(m.numRows, m.numCols);
        CommonOps_DDRM.subtract(m, b.m, out);
        return new Mat(out);
    }

    /** this + alpha * b. */
    public Mat plusScaled(double alpha, Mat b) {
        requireSameShape(b, "+");
        DMatrixRMaj out = new DMatrixRMaj(m.numRows, m.numCols);
        CommonOps_DDRM.add(m, alpha, b.m, out);
        return new Mat(out);
    }

    public Mat scale(double alpha) {
        DMatrixRMaj out = new DMatrixRMaj(m.numRows, m.numCols);
        CommonOps_DDRM.scale(alpha, m, out);
        return new Mat(out);
    }

    public Mat negate() {
        return scale(-1);
    }

    /** The matrix product this * b. */
    public Mat times(Mat b) {
        if (m.numCols != b.m.numRows) {
            throw new IllegalArgumentException("cannot multiply " + shapeString() + " by " + b.shapeString());
        }
        DMatrixRMaj out = new DMatrixRMaj(m.numRows, b.m.numCols);
        CommonOps_DDRM.mult(m, b.m, out);
        return new Mat(out);
    }

    /** this' * b, without forming the transpose. */
    public Mat transposeTimes(Mat b) {
        if (m.numRows != b.m.numRows) {
            throw new IllegalArgumentException("cannot multiply (" + shapeString() + ")' by " + b.shapeString());
        }
        DMatrixRMaj out = new DMatrixRMaj(m.numCols, b.m.numCols);
        CommonOps_DDRM.multTransA(m, b.m, out);
        return new Mat(out);
    }

    /** this * b', without forming the transpose. */
    public Mat timesTranspose(Mat b) {
        if (m.numCols != b.m.numCols) {
            throw new IllegalArgumentException("cannot multiply " + shapeString() + " by (" + b.shapeString() + ")'");
        }
        DMatrixRMaj out = new DMatrixRMaj(m.numRows, b.m.numRows);
        CommonOps_DDRM.multTransB(m, b.m, out);
        return new Mat(out);
    }

    public Mat transpose() {
        if (m.numRows == 1 || m.numCols == 1) {
            return new Mat(new DMatrixRMaj(m.numCols, m.numRows, true, Arrays.copyOf(m.data, size())));
        }
        return new Mat(CommonOps_DDRM.transpose(m, null));
    }

    /** Element-wise (Hadamard) product. */
    public Mat hadamard(Mat b) {
        requireSameShape(b, ".*");
        DMatrixRMaj out = new DMatrixRMaj(m.numRows, m.numCols);
        CommonOps_DDRM.elementMult(m, b.m, out);
        return new Mat(out);
    }

    /** Element-wise quotient. */
    public Mat hadamardDiv(Mat b) {
        requireSameShape(b, "./");
        DMatrixRMaj out = new DMatrixRMaj(m.numRows, m.numCols);
        CommonOps_DDRM.elementDiv(m, b.m, out);
        return new Mat(out);
    }

    public Mat map(DoubleUnaryOperator f) {
        DMatrixRMaj out = new DMatrixRMaj(m.numRows, m.numCols);
        int n = size();
        for (int k = 0; k < n; k++) {
            out.data[k] = f.applyAsDouble(m.data[k]);
        }
        return new Mat(out);
    }

    /** Entry-by-entry combination of two matrices of the same shape. */
    public Mat zip(Mat b, DoubleBinaryOperator f) {
        requireSameShape(b, "element-wise");
        DMatrixRMaj out = new DMatrixRMaj(m.numRows, m.numCols);
        int n = size();
        for (int k = 0; k < n; k++) {
            out.data[k] = f.applyAsDouble(m.data[k], b.m.data[k]);
        }
        return new Mat(out);
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
        int n = size();
        for (int k = 0; k < n; k++) {
            s += m.data[k] * b.m.data[k];
        }
        return s;
    }

    /** Largest absolute entry (0 for an empty matrix). */
    public double maxAbs() {
        return size() == 0 ? 0 : CommonOps_DDRM.elementMaxAbs(m);
    }

    public boolean sameShape(Mat b) {
        return m.numRows == b.m.numRows && m.numCols == b.m.numCols;
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
        int n = size();
        for (int k = 0; k < n; k++) {
            double x = m.data[k], y = b.m.data[k];
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
        return 31 * (31 * m.numRows + m.numCols) + Arrays.hashCode(Arrays.copyOf(m.data, size()));
    }

    @Override
    public String toString() {
        if (isScalar()) {
            return Double.toString(m.data[0]);
        }
        return Arrays.deepToString(toArray());
    }
}
