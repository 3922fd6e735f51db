package org.matcalc.examples;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import org.matcalc.numeric.Mat;
import org.matcalc.numeric.Num;
import org.matcalc.methods.optimize.CriticalPoints;
import org.matcalc.methods.optimize.CriticalPoints.Eigenvalue;
import org.matcalc.methods.optimize.CriticalPoints.SystemKind;
import org.matcalc.methods.optimize.CriticalPoints.SystemPoint;
import org.matcalc.methods.optimize.Options;
import org.matcalc.methods.optimize.SystemProgram;

/**
 * Matrix calculus chapter, critical points: x' = 4x - 2xy, y' = 2y + xy - 2y^2. The critical
 * points are found by Newton's method from a grid of starts (Jacobian by forward-mode AD),
 * not typed in, and classified by the eigenvalues of the Jacobian there. By hand: 4x - 2xy = 0
 * gives x = 0 or y = 2; x = 0 leaves 2y - 2y^2 = 0, so y = 0 or 1; y = 2 leaves 2x - 4 = 0, so
 * x = 2. Hence exactly (0,0), (0,1), (2,2).
 */
public final class CriticalPointsExample implements Example {
    static final SystemProgram SYSTEM = new SystemProgram() {
        @Override
        public <T extends Num<T>> List<T> apply(T[] u) {
            T x = u[0], y = u[1];
            return List.of(x.times(4).minus(x.times(y).times(2)), y.times(2).plus(x.times(y)).minus(y.square().times(2)));
        }
    };

    @Override
    public String name() {
        return "critical-points";
    }

    @Override
    public String summary() {
        return "critical points of x' = 4x - 2xy, y' = 2y + xy - 2y^2 by Newton, classified by Jacobian eigenvalues";
    }

    @Override
    public boolean run(PrintStream out, Path outputDir) {
        double[][] starts = CriticalPoints.grid(new double[] {-1, -1}, new double[] {3, 3}, 5);
        List<SystemPoint> ps = CriticalPoints.find(SYSTEM, starts, Options.defaults().withGradientTolerance(1e-13));
        out.println("System: x' = 4x - 2xy, y' = 2y + xy - 2y^2");
        out.printf("Newton from %d starts on a 5 x 5 grid over [-1, 3]^2 (Jacobian by forward-mode AD) found %d distinct critical points:%n",
                starts.length, ps.size());
        out.printf("  %-10s  %-18s  %-14s  %s%n", "point", "Jacobian (AD)", "eigenvalues", "kind");
        for (SystemPoint p : ps) {
            out.printf("  %-10s  %-18s  %-14s  %s%n", vector(CriticalPoints.clean(p.point(), 1e-12)), matrix(p.jacobian()),
                    p.eigenvalues(), p.kind().label());
        }

        double[][] where = {{0, 0}, {0, 1}, {2, 2}};
        Mat[] jacobians = {mat(4, 0, 0, 2), mat(2, 0, 1, -2), mat(0, -4, 2, -4)};
        Eigenvalue[][] eigen = {{new Eigenvalue(4, 0), new Eigenvalue(2, 0)}, {new Eigenvalue(2, 0), new Eigenvalue(-2, 0)},
            {new Eigenvalue(-2, 2), new Eigenvalue(-2, -2)}};
        SystemKind[] kinds = {SystemKind.UNSTABLE_NODE, SystemKind.SADDLE, SystemKind.STABLE_SPIRAL};
        boolean ok = ps.size() == 3;
        for (int i = 0; ok && i < 3; i++) {
            SystemPoint p = ps.get(i);
            ok &= close(p.point()[0], where[i][0]) && close(p.point()[1], where[i][1]);
            ok &= p.jacobian().approxEquals(jacobians[i], 1e-12);
            for (int j = 0; j < 2; j++) {
                ok &= close(p.eigenvalues().get(j).re(), eigen[i][j].re()) && close(p.eigenvalues().get(j).im(), eigen[i][j].im());
            }
            ok &= p.kind() == kinds[i];
        }
        out.println("(entries below 1e-12, rounding left by Newton's last step, are shown as 0)");
        out.println(ok ? "OK: (0,0) unstable node {4, 2}, (0,1) saddle {2, -2}, (2,2) stable spiral {-2+2i, -2-2i}; no others"
                : "MISMATCH");
        return ok;
    }

    private static boolean close(double a, double b) {
        return Math.abs(a - b) <= 1e-10;
    }

    private static Mat mat(double a, double b, double c, double d) {
        return Mat.of(new double[][] {{a, b}, {c, d}});
    }

    static String vector(double[] v) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) b.append(i > 0 ? ", " : "").append(num(v[i]));
        return b.append(')').toString();
    }

    /** Entries at rounding level (|v| <= 1e-12) are shown as 0. */
    static String matrix(Mat m) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < m.rows(); i++) {
            b.append(i > 0 ? ", [" : "[");
            for (int j = 0; j < m.cols(); j++) {
                double v = m.get(i, j);
                b.append(j > 0 ? ", " : "").append(num(Math.abs(v) <= 1e-12 ? 0 : v));
            }
            b.append(']');
        }
        return b.append(']').toString();
    }

    /** Nine significant digits, trailing zeros dropped, -0 shown as 0. */
    static String num(double v) {
        if (v == 0) return "0";
        return new java.math.BigDecimal(v, new java.math.MathContext(9)).stripTrailingZeros().toPlainString();
    }
}
