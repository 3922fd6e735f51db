package org.matcalc.numeric;

import java.util.function.Supplier;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.openblas.global.openblas;

/**
 * The native BLAS and LAPACK for large operations: OpenBLAS as shipped in the Maven artifact
 * {@code org.bytedeco:openblas} (with JavaCPP's loader), so nothing is installed on the system.
 * {@link Mat} and {@link Kernels} ask {@link #product} and {@link #worthIt} and come here above a
 * size where the native kernels win (BlasCrossoverBench; docs/performance.md); below it EJML
 * stays, being faster for small matrices, where a call into native code costs more than the
 * arithmetic.
 *
 * <p>Arrays are never passed to native code as Java arrays: JavaCPP copies those on every call
 * (a 10,000 x 1,000 matrix-vector product took 220 ms that way and 1.2 ms from native memory).
 * A large {@link Mat} used natively a second time keeps a native copy of its entries
 * ({@link Buffer}); everything else, results included, crosses through per-thread scratch
 * memory that is kept between calls ({@link Scratch}): allocating native memory per call cost
 * about 9 us, and fresh pages for every result made a 1000 x 1000 product 2.7 times slower.
 *
 * <p>Threads: OpenBLAS uses {@code matcalc.threads} threads (a system property, or the
 * environment variable {@code MATCALC_THREADS}; default all cores); a server with several
 * workers gives each cores / workers ({@link #shareCores}). Where the native library cannot load
 * (another OS or CPU) everything runs in pure Java and one line on standard error says why;
 * {@code -Dmatcalc.blas=java} does the same silently. {@link #status()} tells which.
 */
public final class Blas {
    /** Which kernels run: by size (the default), or all in one of the two, for tests. */
    public enum Mode { AUTO, JAVA, NATIVE }

    /**
     * Native below this many multiply-adds (m n k for a product) is slower than EJML: the call
     * and the copies in and out cost about as much as EJML's arithmetic at 8 x 8 times 8 x 8
     * (measured by {@code BlasCrossoverBench}: native takes 0.3 of EJML's time at 16 x 16).
     */
    static final long MIN_WORK = 10L * 10 * 10;

    private static final ThreadLocal<Mode> MODE = ThreadLocal.withInitial(() -> Mode.AUTO);

    /** Loads the library on first use only: about 0.2 s that a run with small matrices never pays. */
    private static final class Library {
        static final String UNAVAILABLE = load();
    }

    /** Set once the library has loaded (read without loading it). */
    private static volatile boolean loaded;

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
            loaded = true;
            return null;
        } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError, ...: any reason to fall back
            String why = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().lines().findFirst().orElse("");
            int path = why.indexOf(" in java.library.path");
            why = (path > 0 ? why.substring(0, path) : why) + "; matcalc bundles the linux-x86_64 binaries only";
            System.err.println("matcalc: native BLAS unavailable (" + why + "); using pure Java (EJML)");
            return why;
        }
    }

    /** Threads asked for by {@link #shareCores}, applied when the library loads (0: none asked). */
    private static volatile int shared;

    private static String explicitThreads() {
        String v = System.getProperty("matcalc.threads", System.getenv("MATCALC_THREADS"));
        return v == null || v.isBlank() ? null : v;
    }

    private static int configuredThreads() {
        String v = explicitThreads();
        int cores = Runtime.getRuntime().availableProcessors();
        if (v == null) {
            return shared > 0 ? shared : cores;
        }
        try {
            return Math.max(1, Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            System.err.println("matcalc: ignoring matcalc.threads=" + v + " (not a number); using " + cores);
            return cores;
        }
    }

    /** True when the native library loaded (loading it now if no operation has yet). */
    public static boolean available() {
        return Library.UNAVAILABLE == null;
    }

    /** One line: which BLAS runs large operations, with how many threads. */
    public static String status() {
        return available()
                ? openblas.OPENBLAS_VERSION.trim() + " (org.bytedeco:openblas), " + threads() + " threads, above "
                        + MIN_WORK + " multiply-adds; EJML below"
                : "EJML only (native BLAS unavailable: " + Library.UNAVAILABLE + ")";
    }

    /** The threads OpenBLAS uses for one operation. */
    public static int threads() {
        return available() ? openblas.blas_get_num_threads() : 1;
    }

    /**
     * For {@code workers} computations at once (a server's workers): each native operation gets
     * cores / workers threads (at least 1), so that they do not oversubscribe the cores. An
     * explicit {@code matcalc.threads} wins. Does not load the library.
     */
    public static void shareCores(int workers) {
        if (explicitThreads() != null) {
            return;
        }
        shared = Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, workers));
        if (loaded) {
            setThreads(shared);
        }
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

    /**
     * Factorisations (LU, Cholesky, symmetric eigen) go native from this many m n k
     * multiply-adds: each allocates native work memory and hands the call to the LAPACK thread
     * (below), so they win much later than products do (BlasCrossoverBench: solve(A, b)).
     */
    static final long MIN_FACTOR_WORK = 192L * 192 * 192;

    /** Whether X'*X or X'*diag(d)*X of m n k multiply-adds should run natively (dsyrk: the threshold of products). */
    static boolean worthItSymmetric(long m, long n, long k) {
        return threshold(m, n, k, MIN_WORK);
    }

    /** Whether a factorisation of m n k multiply-adds (all sizes at least 1) should run natively. */
    static boolean worthIt(long m, long n, long k) {
        return threshold(m, n, k, MIN_FACTOR_WORK);
    }

    private static boolean threshold(long m, long n, long k, long min) {
        return m > 0 && n > 0 && k > 0 && chosen(m * n * k >= min);
    }

    /** Native or not, as the thread's mode says ({@code bySize} in the automatic mode); never without the library. */
    private static boolean chosen(boolean bySize) {
        boolean wanted = switch (MODE.get()) {
            case JAVA -> false;
            case NATIVE -> true;
            case AUTO -> bySize;
        };
        return wanted && available(); // sizes first: small work never loads the library
    }

    /**
     * Entries in native memory, row-major; freed by JavaCPP when the owning {@link Mat} is
     * collected. A class of its own so that {@link Mat} loads where JavaCPP cannot.
     */
    static final class Buffer {
        final DoublePointer p;

        private Buffer(DoublePointer p) {
            this.p = p;
        }

        static Buffer of(double[] data, int n) {
            Buffer b = new Buffer(new DoublePointer(Math.max(1, n)));
            b.p.put(data, 0, n);
            return b;
        }
    }

    /**
     * Matrices of at least this many entries keep a native copy from their second native use
     * on ({@link Mat#offHeap}): a data matrix used in every run crosses over once. Others, and a
     * value's first use, are copied into per-thread scratch memory for the call: allocating
     * native memory costs about 9 us a call, and a fresh large block its page faults.
     */
    static final int MIRROR_MIN = 1 << 16;

    /** Per-thread native memory reused across calls: three operands, grown as needed, kept up to 8 MB each. */
    private static final class Scratch {
        private static final long KEEP = 1 << 20;
        private final DoublePointer[] slots = new DoublePointer[3];
        private final long[] capacity = new long[3];
        private final java.util.List<DoublePointer> transients = new java.util.ArrayList<>();

        DoublePointer take(int slot, long n) {
            n = Math.max(1, n);
            if (n > KEEP) { // too big to keep per thread: freed after the call
                DoublePointer p = new DoublePointer(n);
                transients.add(p);
                return p;
            }
            if (capacity[slot] < n) {
                if (slots[slot] != null) {
                    slots[slot].close();
                }
                long grown = Math.min(KEEP, Math.max(n, 2 * capacity[slot]));
                slots[slot] = new DoublePointer(grown);
                capacity[slot] = grown;
            }
            return slots[slot];
        }

        void release() {
            for (DoublePointer p : transients) {
                p.close();
            }
            transients.clear();
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** {@code x}'s entries in native memory: its kept copy when it has or earns one, else a scratch copy in {@code slot}. */
    private static DoublePointer entries(Mat x, Scratch s, int slot) {
        if (x.hasOffHeap() || (x.size() >= MIRROR_MIN && x.usedNatively())) {
            return x.offHeap().p;
        }
        DoublePointer p = s.take(slot, x.size());
        p.put(x.data(), 0, x.size());
        return p;
    }

    // ------------------------------------------------------------------ BLAS 3 and 2

    /**
     * op(a) * op(b) natively when that is faster, else null (the caller uses EJML). A product of
     * matrices goes native from {@link #MIN_WORK} multiply-adds; a matrix times a vector only
     * when the matrix is large or already in native memory: otherwise copying it costs as much
     * as EJML's whole product (BlasCrossoverBench).
     */
    static Mat product(Mat a, boolean ta, Mat b, boolean tb) {
        int m = ta ? a.cols() : a.rows(), k = ta ? a.rows() : a.cols(), n = tb ? b.rows() : b.cols();
        if (m == 0 || n == 0 || k == 0) {
            return null;
        }
        Mat matrix = n == 1 ? a : m == 1 ? b : null; // the matrix of a matrix-vector product
        boolean bySize = matrix != null ? matrix.hasOffHeap() || matrix.size() >= MIRROR_MIN : (long) m * n * k >= MIN_WORK;
        return chosen(bySize) ? gemm(a, ta, b, tb, m, k, n) : null;
    }

    /** op(a) * op(b): dgemm, or dgemv when the result is a vector. */
    private static Mat gemm(Mat a, boolean ta, Mat b, boolean tb, int m, int k, int n) {
        double[] c = new double[m * n];
        Scratch s = SCRATCH.get();
        try {
            DoublePointer pa = entries(a, s, 0), pb = entries(b, s, 1), out = s.take(2, (long) m * n);
            if (n == 1) { // op(a) times a vector: b's entries are contiguous either way
                openblas.cblas_dgemv(openblas.CblasRowMajor, ta ? openblas.CblasTrans : openblas.CblasNoTrans, a.rows(),
                        a.cols(), 1, pa, a.cols(), pb, 1, 0, out, 1);
            } else if (m == 1) { // a row vector times op(b): op(b)' times a's entries
                openblas.cblas_dgemv(openblas.CblasRowMajor, tb ? openblas.CblasNoTrans : openblas.CblasTrans, b.rows(),
                        b.cols(), 1, pb, b.cols(), pa, 1, 0, out, 1);
            } else {
                openblas.cblas_dgemm(openblas.CblasRowMajor, ta ? openblas.CblasTrans : openblas.CblasNoTrans,
                        tb ? openblas.CblasTrans : openblas.CblasNoTrans, m, n, k, 1, pa, a.cols(), pb, b.cols(), 0, out, n);
            }
            out.get(c, 0, m * n);
        } finally {
            s.release();
        }
        return Mat.wrapRowMajor(m, n, c);
    }

    /** X'*X by dsyrk (half the multiply-adds of a product), mirrored to be exactly symmetric. */
    static Mat inner(Mat x) {
        int n = x.cols();
        double[] c = new double[n * n];
        Scratch s = SCRATCH.get();
        try {
            DoublePointer px = entries(x, s, 0), out = s.take(2, (long) n * n);
            openblas.cblas_dsyrk(openblas.CblasRowMajor, openblas.CblasUpper, openblas.CblasTrans, n, x.rows(), 1, px, n, 0, out, n);
            out.get(c, 0, n * n);
        } finally {
            s.release();
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
        Scratch scratch = SCRATCH.get();
        try {
            // per-thread memory, kept between calls: a fresh 8 MB block costs its page faults every time
            DoublePointer out = scratch.take(2, (long) n * n), rows = scratch.take(1, (long) block * n);
            DoublePointer px = nonnegative ? null : x.offHeap().p;
            for (int r0 = 0; r0 < m; r0 += block) {
                int r = Math.min(block, m - r0);
                scaleBlock(xs, dv, nonnegative, scaled, r0, r, n);
                rows.put(scaled, 0, r * n);
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
            out.get(c, 0, n * n);
        } finally {
            scratch.release();
        }
        if (nonnegative) {
            mirrorUpper(c, n);
        } else {
            symmetrise(c, n);
        }
        return Mat.wrapRowMajor(n, n, c);
    }

    /** Rows r0 .. r0 + r - 1 of x times d_i (or sqrt(d_i)), into {@code out}: its own method, so that the JIT compiles it. */
    private static void scaleBlock(double[] x, double[] d, boolean root, double[] out, int r0, int r, int n) {
        for (int i = 0; i < r; i++) {
            double s = root ? Math.sqrt(d[r0 + i]) : d[r0 + i];
            int from = (r0 + i) * n, to = i * n;
            for (int j = 0; j < n; j++) {
                out[to + j] = s * x[from + j];
            }
        }
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

    /**
     * OpenBLAS's LAPACK routines put work arrays of megabytes on the calling thread's stack
     * (dgetrf at n = 256 overflows a 2 MB stack and kills the JVM; Java threads get 1 MB by
     * default), so every LAPACK call runs on this one thread with a 64 MB stack.
     */
    private static final java.util.concurrent.ExecutorService LAPACK = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(null, r, "matcalc-lapack", 64L << 20);
        t.setDaemon(true);
        return t;
    });

    /** Runs a LAPACK call on the big-stack thread; its info code. */
    private static int lapack(java.util.function.IntSupplier call) {
        java.util.concurrent.Future<Integer> f = LAPACK.submit(call::getAsInt);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get(); // not abandoned on interrupt: the native call owns the arrays until it returns
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("LAPACK call failed", e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

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
            lapack(() -> openblas.LAPACKE_dgetrf(openblas.LAPACK_ROW_MAJOR, n, n, lu, n, pivots)); // info > 0: a zero pivot, seen below
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
            double[] x = b.toRowMajor();
            try (DoublePointer px = new DoublePointer(Math.max(1L, (long) n * k))) {
                px.put(x, 0, n * k);
                lapack(() -> openblas.LAPACKE_dgetrs(openblas.LAPACK_ROW_MAJOR, (byte) 'N', n, k, lu, n, pivots, px, k));
                px.get(x);
            }
            return Mat.wrapRowMajor(n, k, x);
        }
    }

    /** The lower triangle holds the Cholesky factor (dpotrf) of a symmetric matrix's copy; null when a pivot is not positive. */
    static double[] cholesky(double[] symmetric, int n) {
        try (DoublePointer a = new DoublePointer((long) n * n)) {
            a.put(symmetric, 0, n * n);
            int info = lapack(() -> openblas.LAPACKE_dpotrf(openblas.LAPACK_ROW_MAJOR, (byte) 'L', n, a, n));
            if (info != 0) {
                return null;
            }
            double[] l = new double[n * n];
            a.get(l); // the upper triangle still holds S's entries: Kernels.cholesky clears it
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
            int info = lapack(() -> openblas.LAPACKE_dsyevd(openblas.LAPACK_ROW_MAJOR, (byte) (vectors ? 'V' : 'N'), (byte) 'U',
                    n, a, n, w));
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
