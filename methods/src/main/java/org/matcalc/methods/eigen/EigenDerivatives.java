package org.matcalc.methods.eigen;

import org.matcalc.numeric.Kernels;
import org.matcalc.numeric.Mat;

/**
 * Derivatives of the eigenvalues and eigenvectors of a symmetric matrix A = Q diag(lambda) Q'
 * (MIT 18.063 §13.2.1; first- and second-order perturbation theory). For a simple eigenvalue
 * lambda_i with unit eigenvector q_i and a direction dA:
 * <pre>
 *   d lambda_i   = q_i' dA q_i                                      (Hellmann-Feynman)
 *   grad lambda_i = q_i q_i'                                         (d lambda_i = tr((q_i q_i')' dA))
 *   d q_i        = sum_{j != i} q_j (q_j' dA q_i) / (lambda_i - lambda_j)
 *   d^2 lambda_i = 2 sum_{j != i} (q_j' dA q_i)(q_i' dA q_j) / (lambda_i - lambda_j)
 * </pre>
 * the last being d^2/dt^2 lambda_i(A + t dA) at t = 0 (for symmetric dA the numerator is
 * (q_j' dA q_i)^2). dq_i is orthogonal to q_i (the eigenvector stays unit length to first
 * order); its sign follows q_i's, which {@link Kernels#eigSym} fixes by making the largest
 * entry positive. The formulas hold for any square dA (eigenvalues stay real to first and
 * second order), but finite differences of the decomposition need a symmetric one.
 *
 * <p>Eigenvalues are indexed 0..n-1 in ascending order. A repeated eigenvalue has no
 * derivative (the sorted eigenvalues have a kink where they cross, and the eigenvectors are
 * not determined), so every method that concerns lambda_i refuses, with a message, when
 * another eigenvalue lies within {@code relativeGap * max|lambda|} of it. Near-repeated
 * eigenvalues are allowed but amplify errors in dq_i by 1/gap.
 *
 * <pre>{@code
 * EigenDerivatives e = EigenDerivatives.of(a);
 * double dl = e.eigenvalueDirectional(2, dA);   // the largest eigenvalue of a 3 x 3 A
 * Mat dq = e.eigenvectorDirectional(2, dA);
 * Mat g = e.eigenvalueGradient(2);              // q_2 q_2'
 * }</pre>
 */
public final class EigenDerivatives {
    /** The default relative gap below which two eigenvalues count as repeated. */
    public static final double DEFAULT_RELATIVE_GAP = 1e-8;

    private final Mat values;
    private final Mat vectors;
    private final int n;
    private final double relativeGap;
    private final double gapBound;

    private EigenDerivatives(Kernels.EigenSym eig, double relativeGap) {
        this.relativeGap = relativeGap;
        this.values = eig.values();
        this.vectors = eig.vectors();
        this.n = values.size();
        double scale = n == 0 ? 0 : Math.max(Math.abs(values.at(0)), Math.abs(values.at(n - 1)));
        this.gapBound = relativeGap * scale;
    }

    /** The decomposition of a symmetric A with {@link #DEFAULT_RELATIVE_GAP}. */
    public static EigenDerivatives of(Mat symmetricA) {
        return of(symmetricA, DEFAULT_RELATIVE_GAP);
    }

    /**
     * The decomposition of a symmetric A; eigenvalues closer than {@code relativeGap * max|lambda|}
     * count as repeated.
     *
     * @throws IllegalArgumentException if A is not symmetric or relativeGap is not in [0, 1)
     */
    public static EigenDerivatives of(Mat symmetricA, double relativeGap) {
        if (!(relativeGap >= 0 && relativeGap < 1)) {
            throw new IllegalArgumentException("EigenDerivatives: required 0 <= relativeGap < 1, got " + relativeGap);
        }
        return new EigenDerivatives(Kernels.eigSym(symmetricA), relativeGap);
    }

    /** The order of the matrix. */
    public int size() {
        return n;
    }

    /** The eigenvalues, ascending, n x 1. */
    public Mat eigenvalues() {
        return values;
    }

    /** The eigenvectors as columns (in the order of {@link #eigenvalues()}), n x n orthogonal. */
    public Mat eigenvectors() {
        return vectors;
    }

    /** The i-th eigenvalue, ascending. */
    public double eigenvalue(int i) {
        checkIndex(i);
        return values.at(i);
    }

    /** q_i, n x 1. */
    public Mat eigenvector(int i) {
        checkIndex(i);
        return column(i);
    }

    /** min_{j != i} |lambda_i - lambda_j| (+Infinity when n = 1). */
    public double gap(int i) {
        checkIndex(i);
        double g = Double.POSITIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            if (j != i) {
                g = Math.min(g, Math.abs(values.at(i) - values.at(j)));
            }
        }
        return g;
    }

    /** d lambda_i = q_i' dA q_i. */
    public double eigenvalueDirectional(int i, Mat dA) {
        requireSimple(i, "eigenvalueDirectional");
        requireDirection(dA, "eigenvalueDirectional");
        Mat q = column(i);
        return q.dot(dA.times(q));
    }

    /** d lambda for every eigenvalue at once: diag(Q' dA Q), n x 1; all eigenvalues must be simple. */
    public Mat eigenvaluesDirectional(Mat dA) {
        requireDirection(dA, "eigenvaluesDirectional");
        for (int i = 0; i < n; i++) {
            requireSimple(i, "eigenvaluesDirectional");
        }
        return Kernels.diag(vectors.transposeTimes(dA).times(vectors));
    }

    /** The gradient of lambda_i by A: q_i q_i' (symmetric, so also the gradient within symmetric matrices). */
    public Mat eigenvalueGradient(int i) {
        requireSimple(i, "eigenvalueGradient");
        Mat q = column(i);
        return q.timesTranspose(q);
    }

    /** d q_i = sum_{j != i} q_j (q_j' dA q_i) / (lambda_i - lambda_j), n x 1. */
    public Mat eigenvectorDirectional(int i, Mat dA) {
        requireSimple(i, "eigenvectorDirectional");
        requireDirection(dA, "eigenvectorDirectional");
        Mat m = vectors.transposeTimes(dA.times(column(i))); // m_j = q_j' dA q_i
        double[] c = new double[n];
        for (int j = 0; j < n; j++) {
            c[j] = j == i ? 0 : m.at(j) / (values.at(i) - values.at(j));
        }
        return vectors.times(Mat.column(c));
    }

    /** d^2/dt^2 lambda_i(A + t dA) at t = 0: 2 sum_{j != i} (q_j' dA q_i)(q_i' dA q_j) / (lambda_i - lambda_j). */
    public double eigenvalueSecondDirectional(int i, Mat dA) {
        requireSimple(i, "eigenvalueSecondDirectional");
        requireDirection(dA, "eigenvalueSecondDirectional");
        Mat m = vectors.transposeTimes(dA).times(vectors); // m_jk = q_j' dA q_k
        double s = 0;
        for (int j = 0; j < n; j++) {
            if (j != i) {
                s += m.get(j, i) * m.get(i, j) / (values.at(i) - values.at(j));
            }
        }
        return 2 * s;
    }

    private Mat column(int i) {
        double[] q = new double[n];
        for (int r = 0; r < n; r++) {
            q[r] = vectors.get(r, i);
        }
        return Mat.column(q);
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= n) {
            throw new IllegalArgumentException("eigenvalue index " + i + " out of range 0.." + (n - 1)
                    + " (ascending order)");
        }
    }

    private void requireSimple(int i, String op) {
        checkIndex(i);
        for (int j = 0; j < n; j++) {
            if (j != i && Math.abs(values.at(i) - values.at(j)) <= gapBound) {
                throw new IllegalArgumentException(String.format(
                        "%s: eigenvalue %d (%.17g) is repeated: eigenvalue %d (%.17g) lies within %.3g "
                                + "(relative gap %.1e of max|lambda|); eigenvalues and eigenvectors are not "
                                + "differentiable where eigenvalues coincide",
                        op, i, values.at(i), j, values.at(j), gapBound, relativeGap));
            }
        }
    }

    private void requireDirection(Mat dA, String op) {
        if (dA.rows() != n || dA.cols() != n) {
            throw new IllegalArgumentException(op + ": required a direction dA of shape " + n + "x" + n + ", got "
                    + dA.shapeString());
        }
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                if (!Double.isFinite(dA.get(r, c))) {
                    throw new IllegalArgumentException(op + ": dA has a non-finite entry at (" + r + ", " + c + ")");
                }
            }
        }
    }
}
