package org.matcalc.numeric;

import java.util.function.Supplier;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.openblas.global.openblas;

/**
 * The native BLAS and LAPACK for large operations: OpenBLAS as shipped in the Maven artifact
 * {@code org.bytedeco:openblas} (with JavaCPP's loader), so nothing is installed on the system.
 * {@link Mat} and {@link Kernels} ask {@link #worthIt} and come here above a size where the
 * native kernels win (measured: docs/performance.md); below it EJML stays, being faster for
 * small matrices, where a call into native code costs more than the arithmetic.
 *
 * <p>Arrays are never passed to native code as Java arrays: JavaCPP copies those on every call
 * (a 10,000 x 1,000 matrix-vector product took 220 ms that way and 1.2 ms from native memory).
 * Each {@link Mat} instead keeps a native copy of its entries, made once ({@link Buffer}).
 *
 * <p>Threads: OpenBLAS uses {@code matcalc.threads} threads (a system property, or the
 * environment variable {@code MATCALC_THREADS}; default all cores). A server with several
 * workers sets it so that workers times threads does not exceed the cores ({@link #setThreads}).
 * Where the native library cannot load (another OS or CPU), or with {@code -Dmatcalc.blas=java},
 * everything runs in pure Java and {@link #status()} says why, once, on standard error.
 */
public final class Blas {
    /** Which kernels run: by size (the default), or all in one of the two, for tests. */
    public enum Mode { AUTO, JAVA, NATIVE }

    /**
     * Native below this many multiply-adds (m n k for a product) is slower than EJML: the call,
     * the copies of inputs not yet in native memory and the result's copy back cost about as
     * much as EJML's arithmetic at about 40^3 (measured by {@code BlasCrossoverBench}).
     */
    static final long MIN_WORK = 40L * 40 * 40;

    private static final String UNAVAILABLE = load();
    private static final ThreadLocal<Mode> MODE = ThreadLocal.withInitial(() -> Mode.AUTO);

    private Blas() {
    }

    private static String load() {
        if ("java".equalsIgnoreCase(System.getProperty("matcalc.blas", ""))) {
            return "disabled by -Dmatcalc.blas=java";
        }
        try {
            openblas.blas_set_num_threads(configuredThreads());
            try (DoublePointer probe = new DoublePointer(1)) {
                probe.put(0, 1.0);
            }
            return null;
        } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError, ...: any reason to fall back
            String why = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            System.err.println("matcalc: native BLAS unavailable (" + why.lines().findFirst().orElse("") + "); using pure Java (EJML)");
            return why;
        }
    }

    private static int configuredThreads() {
        String v = System.getProperty("matcalc.threads", System.getenv("MATCALC_THREADS"));
        int cores = Runtime.getRuntime().availableProcessors();
        if (v == null || v.isBlank()) {
            return cores;
        }
        try {
            return Math.max(1, Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            System.err.println("matcalc: ignoring matcalc.threads=" + v + " (not a number); using " + cores);
            return cores;
        }
    }

    /** True when the native library loaded. */
    public static boolean available() {
        return UNAVAILABLE == null;
    }

    /** One line: which BLAS runs large operations, with how many threads. */
    public static String status() {
        return available()
                ? "OpenBLAS " + openblas.OPENBLAS_VERSION.trim() + " (org.bytedeco:openblas), " + threads() + " threads, above "
                        + MIN_WORK + " multiply-adds; EJML below"
                : "EJML only (native BLAS unavailable: " + UNAVAILABLE + ")";
    }

    /** The threads OpenBLAS uses for one operation. */
    public static int threads() {
        return available() ? openblas.blas_get_num_threads() : 1;
    }

    /** Sets the threads of each native operation (at least 1); without the native library, nothing. */
    public static void setThreads(int n) {
        if (available()) {
            openblas.blas_set_num_threads(Math.max(1, n));
        }
    }

    /** Runs {@code body} on this thread with every kernel in one path (tests compare the two). */
    public static <T> T with(Mode mode, Supplier<T> body) {
        Mode before = MODE.get();
        MODE.set(mode);
        try {
            return body.get();
        } finally {
            MODE.set(before);
        }
    }

    /** Whether an operation of m n k multiply-adds (all sizes at least 1) should run natively. */
    static boolean worthIt(long m, long n, long k) {
        if (!available() || m == 0 || n == 0 || k == 0) {
            return false;
        }
        return switch (MODE.get()) {
            case JAVA -> false;
            case NATIVE -> true;
            case AUTO -> m * n * k >= MIN_WORK;
        };
    }

    /** Entries in native memory, row-major; freed by JavaCPP when the owning {@link Mat} is collected. */
    static final class Buffer {
        final DoublePointer p;

        private Buffer(DoublePointer p) {
            this.p = p;
        }

        static Buffer allocate(long n) {
            return new Buffer(new DoublePointer(Math.max(1, n)));
        }

        static Buffer of(double[] data, int n) {
            Buffer b = allocate(n);
            b.p.put(data, 0, n);
            return b;
        }

        void read(double[] into, int n) {
            p.get(into, 0, n);
        }
    }

    // ------------------------------------------------------------------ BLAS 3 and 2

    /** op(a) * op(b), op the transpose where asked: dgemm, or dgemv when the result is a vector. */
    static Mat gemm(Mat a, boolean ta, Mat b, boolean tb) {
        int m = ta ? a.cols() : a.rows(), k = ta ? a.rows() : a.cols(), n = tb ? b.rows() : b.cols();
        Buffer out = Buffer.allocate((long) m * n);
        DoublePointer pa = a.offHeap().p, pb = b.offHeap().p;
        if (n == 1) { // op(a) times a vector: b's entries are contiguous either way
            openblas.cblas_dgemv(openblas.CblasRowMajor, ta ? openblas.CblasTrans : openblas.CblasNoTrans, a.rows(), a.cols(),
                    1, pa, a.cols(), pb, 1, 0, out.p, 1);
        } else if (m == 1) { // a row vector times op(b): op(b)' times a's entries
            openblas.cblas_dgemv(openblas.CblasRowMajor, tb ? openblas.CblasNoTrans : openblas.CblasTrans, b.rows(), b.cols(),
                    1, pb, b.cols(), pa, 1, 0, out.p, 1);
        } else {
            openblas.cblas_dgemm(openblas.CblasRowMajor, ta ? openblas.CblasTrans : openblas.CblasNoTrans,
                    tb ? openblas.CblasTrans : openblas.CblasNoTrans, m, n, k, 1, pa, a.cols(), pb, b.cols(), 0, out.p, n);
        }
        return Mat.ofNative(m, n, out);
    }

    /** X'*X by dsyrk (half the multiply-adds of a product), mirrored to be exactly symmetric. */
    static Mat inner(Mat x) {
        int n = x.cols();
        double[] c = new double[n * n];
        try (DoublePointer out = new DoublePointer((long) n * n)) {
            openblas.cblas_dsyrk(openblas.CblasRowMajor, openblas.CblasUpper, openblas.CblasTrans, n, x.rows(), 1,
                    x.offHeap().p, n, 0, out, n);
            out.get(c);
        }
        return Mat.wrapRowMajor(n, n, mirrorUpper(c, n));
    }

    /**
     * X'*diag(d)*X over blocks of rows, so no m x n scaled copy of X exists at once: with every
     * d_i >= 0 the rows are scaled by sqrt(d_i) and accumulated by dsyrk; otherwise each block
     * of d .* X is multiplied by X's block with dgemm.
     */
    static Mat scaledInner(Mat x, Mat d) {
        int m = x.rows(), n = x.cols();
        double[] dv = d.data(), xs = x.data();
        boolean nonnegative = true;
        for (int i = 0; i < m; i++) {
            nonnegative &= dv[i] >= 0;
        }
        int block = Math.max(1, Math.min(m, (1 << 20) / n)); // about 8 MB of rows at a time
        double[] scaled = new double[block * n];
        double[] c = new double[n * n];
        try (DoublePointer out = new DoublePointer((long) n * n); DoublePointer rows = new DoublePointer((long) block * n)) {
            DoublePointer px = x.offHeap().p;
            for (int r0 = 0; r0 < m; r0 += block) {
                int r = Math.min(block, m - r0);
                for (int i = 0; i < r; i++) {
                    double s = nonnegative ? Math.sqrt(dv[r0 + i]) : dv[r0 + i];
                    int o = (r0 + i) * n;
                    for (int j = 0; j < n; j++) {
                        scaled[i * n + j] = s * xs[o + j];
                    }
                }
                rows.position(0).put(scaled, 0, r * n);
                double beta = r0 == 0 ? 0 : 1;
                if (nonnegative) {
                    openblas.cblas_dsyrk(openblas.CblasRowMajor, openblas.CblasUpper, openblas.CblasTrans, n, r, 1,
                            rows, n, beta, out, n);
                } else {
                    DoublePointer xBlock = new DoublePointer(px).position((long) r0 * n);
                    openblas.cblas_dgemm(openblas.CblasRowMajor, openblas.CblasTrans, openblas.CblasNoTrans, n, n, r, 1,
                            xBlock, n, rows, n, beta, out, n);
                }
            }
            out.position(0).get(c);
        }
        if (nonnegative) {
            mirrorUpper(c, n);
        } else {
            symmetrise(c, n);
        }
        return Mat.wrapRowMajor(n, n, c);
    }

    private static double[] mirrorUpper(double[] c, int n) {
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                c[j * n + i] = c[i * n + j];
            }
        }
        return c;
    }

    private static void symmetrise(double[] c, int n) {
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double v = 0.5 * (c[i * n + j] + c[j * n + i]);
                c[i * n + j] = v;
                c[j * n + i] = v;
            }
        }
    }

    // ------------------------------------------------------------------ LAPACK

    /** An LU factorisation P A = L U (dgetrf) of a private copy of A, row-major. */
    static final class Lu {
        private final DoublePointer lu;
        private final IntPointer pivots;
        private final double[] diagonal;
        final int n;
        final int sign;

        Lu(Mat a) {
            n = a.rows();
            lu = new DoublePointer((long) n * n);
            lu.put(a.data(), 0, n * n);
            pivots = new IntPointer(n);
            openblas.LAPACKE_dgetrf(openblas.LAPACK_ROW_MAJOR, n, n, lu, n, pivots); // info > 0: a zero pivot, seen below
            diagonal = new double[n];
            int s = 1;
            for (int i = 0; i < n; i++) {
                diagonal[i] = lu.get((long) i * n + i);
                if (pivots.get(i) != i + 1) {
                    s = -s;
                }
            }
            sign = s;
        }

        double pivot(int i) {
            return diagonal[i];
        }

        /** A^{-1} B by the triangular solves (dgetrs), for a nonsingular A. */
        Mat solve(Mat b) {
            int k = b.cols();
            Buffer x = Buffer.allocate((long) n * k);
            x.p.put(b.data(), 0, n * k);
            openblas.LAPACKE_dgetrs(openblas.LAPACK_ROW_MAJOR, (byte) 'N', n, k, lu, n, pivots, x.p, k);
            return Mat.ofNative(n, k, x);
        }
    }

    /** The lower Cholesky factor (dpotrf) of a symmetric matrix's copy, or null when a pivot is not positive. */
    static double[] cholesky(double[] symmetric, int n) {
        try (DoublePointer a = new DoublePointer((long) n * n)) {
            a.put(symmetric, 0, n * n);
            int info = openblas.LAPACKE_dpotrf(openblas.LAPACK_ROW_MAJOR, (byte) 'L', n, a, n);
            if (info != 0) {
                return null;
            }
            double[] l = new double[n * n];
            a.get(l);
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    l[i * n + j] = 0;
                }
            }
            return l;
        }
    }

    /**
     * Eigenvalues ascending (dsyevd, divide and conquer) of a symmetric matrix given by its
     * entries; with {@code vectors}, the orthonormal eigenvectors overwrite {@code symmetric} as
     * columns, row-major. Null if the algorithm did not converge.
     */
    static double[] eigSym(double[] symmetric, int n, boolean vectors) {
        try (DoublePointer a = new DoublePointer((long) n * n); DoublePointer w = new DoublePointer(n)) {
            a.put(symmetric, 0, n * n);
            int info = openblas.LAPACKE_dsyevd(openblas.LAPACK_ROW_MAJOR, (byte) (vectors ? 'V' : 'N'), (byte) 'U', n, a, n, w);
            if (info != 0) {
                return null;
            }
            double[] values = new double[n];
            w.get(values);
            if (vectors) {
                a.get(symmetric, 0, n * n);
            }
            return values;
        }
    }
}
