package org.matcalc.methods.optimize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.matcalc.numeric.Kernels;
import org.matcalc.numeric.Mat;
import org.matcalc.ad.AD;
import org.matcalc.ad.ScalarProgram;

/**
 * Critical points and what they are, by the eigenvalues of a derivative (linearisation).
 *
 * <p>For an autonomous system du/dt = f(u) with f(u*) = 0, the Jacobian J = f'(u*) decides
 * the local behaviour when no eigenvalue has zero real part (Hartman-Grobman): all real parts
 * negative is stable, all positive unstable, both signs a saddle; complex eigenvalues make a
 * node a spiral (focus). Purely imaginary eigenvalues give a centre of the linearisation (the
 * nonlinear system may still spiral slowly); any other zero real part is degenerate.
 *
 * <p>For a scalar function with grad f(x*) = 0, the symmetric Hessian decides: all eigenvalues
 * positive a minimum, all negative a maximum, both signs a saddle; otherwise (a zero
 * eigenvalue and no sign change) the second-order test is inconclusive: degenerate.
 *
 * <p>"Zero" means |lambda| (or |Re lambda|, |Im lambda|) at most {@link #ZERO_TOL} times
 * max(1, max |lambda|), since eigenvalues of a matrix known to rounding are known only to
 * about eps times its norm.
 *
 * <pre>{@code
 * List<CriticalPoints.SystemPoint> ps = CriticalPoints.find(f, CriticalPoints.grid(lo, hi, 5), Options.defaults());
 * CriticalPoints.HessianKind k = CriticalPoints.classifyHessian(Kernels.eigvals(h).toRowMajor());
 * }</pre>
 */
public final class CriticalPoints {
    /** Relative threshold under which an eigenvalue (or its real or imaginary part) counts as zero. */
    public static final double ZERO_TOL = 1e-9;

    private CriticalPoints() {
    }

    /** A complex eigenvalue re + im i. */
    public record Eigenvalue(double re, double im) {
        /** The modulus. */
        public double abs() {
            return Math.hypot(re, im);
        }

        @Override
        public String toString() {
            if (im == 0) return Trace.num(re);
            return Trace.num(re) + (im < 0 ? "-" : "+") + Trace.num(Math.abs(im)) + "i";
        }
    }

    /** The kinds of critical point of du/dt = f(u). */
    public enum SystemKind {
        /** real eigenvalues, all negative */
        STABLE_NODE("stable node"),
        /** real eigenvalues, all positive */
        UNSTABLE_NODE("unstable node"),
        /** real eigenvalues of both signs */
        SADDLE("saddle"),
        /** complex eigenvalues with negative real parts */
        STABLE_SPIRAL("stable spiral"),
        /** complex eigenvalues with positive real parts */
        UNSTABLE_SPIRAL("unstable spiral"),
        /** purely imaginary eigenvalues */
        CENTER("centre"),
        /** an eigenvalue with zero real part */
        DEGENERATE("degenerate (an eigenvalue with zero real part)");

        private final String label;

        SystemKind(String label) {
            this.label = label;
        }

        /** The kind in words, e.g. "stable spiral". */
        public String label() {
            return label;
        }
    }

    /** The kinds of stationary point of a scalar function. */
    public enum HessianKind {
        /** a positive definite Hessian */
        MINIMUM("minimum"),
        /** a negative definite Hessian */
        MAXIMUM("maximum"),
        /** eigenvalues of both signs */
        SADDLE("saddle"),
        /** a zero eigenvalue */
        DEGENERATE("degenerate (a zero eigenvalue: the second-order test is inconclusive)");

        private final String label;

        HessianKind(String label) {
            this.label = label;
        }

        /** The kind in words, e.g. "saddle". */
        public String label() {
            return label;
        }
    }

    /** A critical point of a system with its Jacobian, eigenvalues and kind. */
    public record SystemPoint(double[] point, Mat jacobian, List<Eigenvalue> eigenvalues, SystemKind kind) {
        /** The point and eigenvalues are copied. */
        public SystemPoint {
            point = point.clone();
            eigenvalues = List.copyOf(eigenvalues);
        }

        /** A copy of the point. */
        @Override
        public double[] point() {
            return point.clone();
        }
    }

    /** A stationary point of a scalar function with its Hessian, eigenvalues (ascending) and kind. */
    public record StationaryPoint(double[] point, Mat hessian, double[] eigenvalues, HessianKind kind) {
        /** The point and eigenvalues are copied. */
        public StationaryPoint {
            point = point.clone();
            eigenvalues = eigenvalues.clone();
        }

        /** A copy of the point. */
        @Override
        public double[] point() {
            return point.clone();
        }

        /** A copy of the eigenvalues, ascending. */
        @Override
        public double[] eigenvalues() {
            return eigenvalues.clone();
        }
    }

    /**
     * The eigenvalues of a general real square matrix (EJML's general eigen decomposition:
     * Hessenberg reduction and the double-shift QR algorithm), sorted by real part descending,
     * then imaginary part descending; a conjugate pair appears as re+im i, re-im i.
     *
     * @param a square. Not modified.
     * @throws IllegalArgumentException if {@code a} is not square or has a non-finite entry
     */
    public static List<Eigenvalue> eigenvalues(Mat a) {
        if (!a.isSquare()) {
            throw new IllegalArgumentException("eigenvalues need a square matrix, got " + a.shapeString());
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Double.isFinite(a.at(i))) {
                throw new IllegalArgumentException("eigenvalues: the matrix has a non-finite entry");
            }
        }
        int n = a.rows();
        List<Eigenvalue> out = new ArrayList<>();
        if (n == 0) return out;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false);
        if (!eig.decompose(a.toDDRM())) {
            throw new IllegalStateException("eigenvalues: the QR algorithm did not converge");
        }
        for (int i = 0; i < n; i++) {
            Complex_F64 c = eig.getEigenvalue(i);
            out.add(new Eigenvalue(c.real, c.imaginary));
        }
        out.sort(Comparator.comparingDouble(Eigenvalue::re).reversed().thenComparing(Comparator.comparingDouble(Eigenvalue::im).reversed()));
        return List.copyOf(out);
    }

    /** The kind of critical point whose Jacobian has these eigenvalues (see the class comment). */
    public static SystemKind classify(List<Eigenvalue> ev) {
        double scale = 1;
        for (Eigenvalue e : ev) scale = Math.max(scale, e.abs());
        double tol = ZERO_TOL * scale;
        int neg = 0, pos = 0, zeroRe = 0;
        boolean complex = false, allPureImaginary = !ev.isEmpty();
        for (Eigenvalue e : ev) {
            boolean im = Math.abs(e.im()) > tol;
            complex |= im;
            if (e.re() < -tol) neg++;
            else if (e.re() > tol) pos++;
            else zeroRe++;
            allPureImaginary &= Math.abs(e.re()) <= tol && im;
        }
        if (allPureImaginary) return SystemKind.CENTER;
        if (zeroRe > 0) return SystemKind.DEGENERATE;
        if (neg > 0 && pos > 0) return SystemKind.SADDLE;
        if (neg > 0) return complex ? SystemKind.STABLE_SPIRAL : SystemKind.STABLE_NODE;
        return complex ? SystemKind.UNSTABLE_SPIRAL : SystemKind.UNSTABLE_NODE;
    }

    /** The kind of critical point with this Jacobian. */
    public static SystemKind classify(Mat jacobian) {
        return classify(eigenvalues(jacobian));
    }

    /** The kind of stationary point whose (symmetric) Hessian has these eigenvalues. */
    public static HessianKind classifyHessian(double[] eigenvalues) {
        double scale = 1;
        for (double l : eigenvalues) scale = Math.max(scale, Math.abs(l));
        double tol = ZERO_TOL * scale;
        int neg = 0, pos = 0, zero = 0;
        for (double l : eigenvalues) {
            if (l < -tol) neg++;
            else if (l > tol) pos++;
            else zero++;
        }
        if (neg > 0 && pos > 0) return HessianKind.SADDLE; // both signs: not an extremum, whatever the zeros
        if (zero > 0 || eigenvalues.length == 0) return HessianKind.DEGENERATE;
        return pos > 0 ? HessianKind.MINIMUM : HessianKind.MAXIMUM;
    }

    /** Classifies the critical point u of du/dt = f(u), its Jacobian by forward-mode AD. */
    public static SystemPoint classify(SystemProgram f, double[] u) {
        Mat j = Newton.jacobianForward(f, u);
        List<Eigenvalue> ev = eigenvalues(j);
        return new SystemPoint(u.clone(), j, ev, classify(ev));
    }

    /** Classifies the stationary point x of f, its Hessian by forward-over-reverse AD. */
    public static StationaryPoint classify(ScalarProgram f, double[] x) {
        Mat h = AD.hessian(f, x);
        h = h.plus(h.transpose()).scale(0.5); // symmetric up to rounding; make it exactly so
        double[] ev = Kernels.eigvals(h).toRowMajor();
        return new StationaryPoint(x.clone(), h, ev, classifyHessian(ev));
    }

    /**
     * The critical points of du/dt = f(u) that Newton's method reaches from the given starts,
     * deduplicated (points within 1e-6 max(1, |u|) of each other are one), sorted
     * lexicographically, each classified. Starts from which Newton finds no root (see
     * {@link RootResult#foundRoot()}) are skipped; an empty list means none did.
     */
    public static List<SystemPoint> find(SystemProgram f, double[][] starts, Options o) {
        List<double[]> roots = new ArrayList<>();
        for (double[] s : starts) {
            RootResult r = Newton.solve(f, s, o);
            if (r.foundRoot()) roots.add(r.x());
        }
        List<SystemPoint> out = new ArrayList<>();
        for (double[] u : distinct(roots)) out.add(classify(f, u));
        return out;
    }

    /**
     * The stationary points of f (roots of grad f, by Newton with the Hessian as Jacobian, both
     * by AD) reached from the given starts, deduplicated and sorted as in {@link #find}.
     */
    public static List<StationaryPoint> findStationary(ScalarProgram f, double[][] starts, Options o) {
        Objective obj = Objective.of(f);
        Newton.VectorFunction grad = x -> {
            double[] g = new double[x.length];
            obj.evaluate(x, g);
            return g;
        };
        List<double[]> roots = new ArrayList<>();
        for (double[] s : starts) {
            RootResult r = Newton.solve(grad, x -> AD.hessian(f, x), s, o);
            if (r.foundRoot()) roots.add(r.x());
        }
        List<StationaryPoint> out = new ArrayList<>();
        for (double[] x : distinct(roots)) out.add(classify(f, x));
        return out;
    }

    /** The points of a regular grid with perAxis points per coordinate between lo and hi (inclusive). */
    public static double[][] grid(double[] lo, double[] hi, int perAxis) {
        if (lo.length != hi.length || lo.length == 0) {
            throw new IllegalArgumentException("grid: lo and hi need the same, non-zero length, got " + lo.length + " and " + hi.length);
        }
        if (perAxis < 1) {
            throw new IllegalArgumentException("grid: perAxis must be >= 1, got " + perAxis);
        }
        int n = lo.length;
        long total = 1;
        for (int i = 0; i < n; i++) {
            total *= perAxis;
            if (total > 1_000_000) {
                throw new IllegalArgumentException("grid: " + perAxis + "^" + n + " points is more than 1e6");
            }
        }
        double[][] pts = new double[(int) total][n];
        for (int p = 0; p < total; p++) {
            int rest = p;
            for (int i = n - 1; i >= 0; i--) {
                int j = rest % perAxis;
                rest /= perAxis;
                pts[p][i] = perAxis == 1 ? 0.5 * (lo[i] + hi[i]) : lo[i] + (hi[i] - lo[i]) * j / (perAxis - 1);
            }
        }
        return pts;
    }

    /** Points with near-duplicates merged (the first kept), sorted lexicographically; -0.0 becomes 0. */
    static List<double[]> distinct(List<double[]> points) {
        List<double[]> kept = new ArrayList<>();
        for (double[] p : points) {
            boolean seen = false;
            for (double[] q : kept) {
                if (Vec.distance(p, q) <= 1e-6 * Math.max(1, Vec.norm(q))) {
                    seen = true;
                    break;
                }
            }
            if (!seen) {
                double[] c = p.clone();
                for (int i = 0; i < c.length; i++) c[i] += 0.0; // -0.0 + 0.0 == +0.0
                kept.add(c);
            }
        }
        kept.sort(CriticalPoints::lexicographic);
        return kept;
    }

    private static int lexicographic(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            int c = Double.compare(a[i], b[i]);
            if (c != 0) return c;
        }
        return 0;
    }

    /** Rounds tiny entries (|v| <= tol) to 0, for display of points found to rounding. */
    public static double[] clean(double[] x, double tol) {
        double[] c = Arrays.copyOf(x, x.length);
        for (int i = 0; i < c.length; i++) if (Math.abs(c[i]) <= tol) c[i] = 0;
        return c;
    }
}
