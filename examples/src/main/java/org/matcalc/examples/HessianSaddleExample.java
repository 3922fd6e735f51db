package org.matcalc.examples;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.matcalc.numeric.Mat;
import org.matcalc.ad.AD;
import org.matcalc.numeric.Num;
import org.matcalc.ad.ScalarProgram;
import org.matcalc.numeric.fd.DerivativeCheck;
import org.matcalc.numeric.fd.FiniteDifferences;
import org.matcalc.methods.optimize.CriticalPoints;
import org.matcalc.methods.optimize.CriticalPoints.HessianKind;
import org.matcalc.methods.optimize.CriticalPoints.StationaryPoint;
import org.matcalc.methods.optimize.Options;

/**
 * Matrix calculus chapter, the Hessian of a quadratic: f = 2 x0^2 - x1^2 + x0 x2 + 3 x1 x2 has
 * the constant Hessian [[4, 0, 1], [0, -2, 3], [1, 3, 0]], computed here by forward-over-reverse
 * AD at random points (not typed in). Its eigenvalues 4.34211128, 1.86236874, -4.20448002 have
 * both signs: the only stationary point, the origin, is a saddle.
 */
public final class HessianSaddleExample implements Example {
    static final ScalarProgram F = new ScalarProgram() {
        @Override
        public <T extends Num<T>> T apply(T[] x) {
            return x[0].square().times(2).minus(x[1].square()).plus(x[0].times(x[2])).plus(x[1].times(x[2]).times(3));
        }
    };

    @Override
    public String name() {
        return "hessian-saddle";
    }

    @Override
    public String summary() {
        return "Hessian of f = 2*x0^2 - x1^2 + x0*x2 + 3*x1*x2 by AD: eigenvalues 4.342, 1.862, -4.204, a saddle";
    }

    @Override
    public boolean run(PrintStream out, Path outputDir) {
        out.println("f(x) = 2*x0^2 - x1^2 + x0*x2 + 3*x1*x2");
        Random rnd = new Random(2024);
        Mat first = null;
        boolean constant = true, matchesFd = true;
        for (int t = 0; t < 3; t++) {
            double[] x = {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
            Mat h = AD.hessian(F, x);
            // the AD Hessian against central differences of the AD gradient
            Mat fd = FiniteDifferences.jacobian(v -> Mat.column(AD.gradient(F, v.toRowMajor())), Mat.column(x));
            DerivativeCheck.Report rep = DerivativeCheck.compare(h, fd);
            matchesFd &= rep.passed(1e-8);
            out.printf("Hessian by AD at x = %s: %s   (vs finite differences: %s)%n",
                    CriticalPointsExample.vector(x), CriticalPointsExample.matrix(h), rep);
            if (first == null) first = h;
            constant &= h.approxEquals(first, 1e-14);
        }
        List<StationaryPoint> ps = CriticalPoints.findStationary(F,
                CriticalPoints.grid(new double[] {-1, -1, -1}, new double[] {1, 1, 1}, 2), Options.defaults());
        out.printf("Newton on grad f = 0 from the 8 corners of [-1, 1]^3 finds %d stationary point(s):%n", ps.size());
        for (StationaryPoint p : ps) {
            out.printf("  x = %s, eigenvalues of the Hessian %s: %s%n", CriticalPointsExample.vector(CriticalPoints.clean(p.point(), 1e-12)),
                    eigen(p.eigenvalues()), p.kind().label());
        }

        Mat chapter = Mat.of(new double[][] {{4, 0, 1}, {0, -2, 3}, {1, 3, 0}});
        double[] chapterEigen = {-4.20448002, 1.86236874, 4.34211128};
        boolean ok = constant && matchesFd && first.approxEquals(chapter, 1e-14) && ps.size() == 1;
        if (ok) {
            StationaryPoint p = ps.get(0);
            ok = p.kind() == HessianKind.SADDLE && Math.abs(p.point()[0]) + Math.abs(p.point()[1]) + Math.abs(p.point()[2]) < 1e-12;
            for (int i = 0; i < 3; i++) ok &= Math.abs(p.eigenvalues()[i] - chapterEigen[i]) < 5e-9;
        }
        out.println(ok ? "OK: constant Hessian [[4, 0, 1], [0, -2, 3], [1, 3, 0]], eigenvalues 4.34211128, 1.86236874, "
                + "-4.20448002: a saddle at the origin" : "MISMATCH");
        return ok;
    }

    private static String eigen(double[] ev) {
        StringBuilder b = new StringBuilder("{");
        for (int i = ev.length - 1; i >= 0; i--) {
            b.append(i < ev.length - 1 ? ", " : "").append(String.format("%.8f", ev[i]));
        }
        return b.append('}').toString();
    }
}
