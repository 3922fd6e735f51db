package org.matcalc.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.matcalc.examples.Plots;
import org.matcalc.methods.optimize.GradientDescent;
import org.matcalc.methods.optimize.Lbfgs;
import org.matcalc.methods.optimize.Options;
import org.matcalc.methods.optimize.Result;
import org.matcalc.methods.variations.Brachistochrone;
import org.matcalc.methods.variations.Cycloid;
import org.matcalc.methods.variations.DiscreteFunctional;
import org.matcalc.methods.variations.Functionals;
import org.matcalc.methods.variations.SegmentCost;

/**
 * MIT 18.063 ch. 10: discretised functionals minimised by L-BFGS on reverse-mode gradients,
 * against their Euler–Lagrange solutions. The shortest path is the straight line; the
 * brachistochrone from (0, 0) to (2, 1) (y down, g = 9.81) is a cycloid, reached at order 1 on
 * a uniform grid (the cycloid starts vertically, y ~ x^(2/3)) and order 2 on a grid graded
 * towards the start. The midpoint rule, which underrates the time of a segment leaving y = 0
 * by up to sqrt(2), lets the optimiser cheat and does not converge. Gradient descent needs about
 * n^2 iterations where L-BFGS needs about n. Plots: brachistochrone.png (the curves) and
 * brachistochrone-convergence.png (errors against n).
 */
public final class BrachistochroneExample implements Example {
    static final double B = 2;
    static final double YB = 1;
    static final double G = 9.81;
    static final double TOL = 1e-10;
    static final int[] SIZES = {7, 15, 31, 63, 127, 255};

    @Override
    public String name() {
        return "brachistochrone";
    }

    @Override
    public String summary() {
        return "shortest path and brachistochrone by L-BFGS on discretised functionals vs line and cycloid, with a plot";
    }

    static Options options() {
        return Options.defaults().withGradientTolerance(TOL).withMaxIterations(50_000);
    }

    @Override
    public boolean run(PrintStream out, Path outputDir) throws IOException {
        boolean ok = shortestPath(out);
        out.println();

        Brachistochrone p = new Brachistochrone(B, YB, G);
        Cycloid c = p.cycloid();
        out.printf("brachistochrone from (0, 0) to (%.1f, %.1f), y down, g = %.2f: polyline on n interior points, exact time"
                + " per straight segment, L-BFGS to |grad| <= %.0e from the straight line%n", B, YB, G, TOL);
        out.printf("cycloid: R = %.10f, theta_end = %.10f (from (theta - sin theta)/(1 - cos theta) = b/yb),"
                + " time theta_end sqrt(R/g) = %.10f s%n", c.radius(), c.thetaEnd(), c.time());
        out.printf("%-14s %5s %14s %14s %11s %11s %11s %6s%n", "grid", "n", "discrete time", "cycloid time",
                "time error", "max dev.", "dev. ratio", "iters");
        Brachistochrone.Solution[] uniform = new Brachistochrone.Solution[SIZES.length];
        Brachistochrone.Solution[] graded = new Brachistochrone.Solution[SIZES.length];
        for (int i = 0; i < SIZES.length; i++) {
            uniform[i] = p.solve(SIZES[i], options());
            row(out, "uniform", uniform, i);
        }
        for (int i = 0; i < SIZES.length; i++) {
            graded[i] = p.solve(DiscreteFunctional.graded(0, B, SIZES[i], 3), options());
            row(out, "graded s^3", graded, i);
        }
        int last = SIZES.length - 1;
        double uOrder = order(uniform[last - 1].time() - c.time(), uniform[last].time() - c.time());
        double gOrder = order(graded[last - 1].time() - c.time(), graded[last].time() - c.time());
        double gDevOrder = order(graded[last - 1].maxDeviation(), graded[last].maxDeviation());
        out.printf("observed order in h (last two rows): time %.2f uniform, %.2f graded; deviation %.2f graded%n",
                uOrder, gOrder, gDevOrder);
        for (int i = 0; i < SIZES.length; i++) {
            // every polyline time is a real travel time, so none beats the cycloid; all solves converged
            ok &= uniform[i].result().converged() && graded[i].result().converged()
                    && uniform[i].time() > c.time() && graded[i].time() > c.time();
            if (i > 0) {
                ok &= uniform[i].maxDeviation() < uniform[i - 1].maxDeviation()
                        && graded[i].maxDeviation() < graded[i - 1].maxDeviation();
            }
        }
        ok &= uOrder > 0.8 && gOrder > 1.8 && gDevOrder > 1.8 && graded[last].maxDeviation() < 1e-5;

        out.println();
        out.println("gradient descent (Armijo) against L-BFGS on the uniform grid, both to |grad| <= 1e-8:");
        for (int n : new int[] {15, 31}) {
            double[] x = DiscreteFunctional.uniform(0, B, n);
            double[] start = p.discretise(x, p.segmentTime()).line();
            Options o = Options.defaults().withGradientTolerance(1e-8).withMaxIterations(50_000);
            Result gd = GradientDescent.minimize(p.objective(x), start, o), lb = Lbfgs.minimize(p.objective(x), start, o);
            out.printf("  n = %2d: gradient descent %5d iterations (%5d evaluations), L-BFGS %4d (%4d); times %.12f, %.12f%n",
                    n, gd.iterations(), gd.evaluations(), lb.iterations(), lb.evaluations(), gd.value(), lb.value());
            ok &= gd.converged() && lb.converged() && Math.abs(gd.value() - lb.value()) < 1e-10
                    && lb.iterations() < gd.iterations();
        }

        out.println();
        out.println("for contrast, the midpoint rule h F(x_mid, y_mid, y') with F = sqrt((1 + y'^2)/(2 g y)), uniform grid:");
        SegmentCost midpoint = SegmentCost.midpoint(Functionals.descentTime(G));
        Brachistochrone.Solution mid = null;
        double prevDev = 0;
        for (int n : new int[] {15, 31, 63}) {
            mid = p.solve(p.discretise(DiscreteFunctional.uniform(0, B, n), midpoint), options());
            out.printf("  n = %3d: \"time\" %.10f (%.4f below the cycloid's), max deviation %.4f%n", n, mid.time(),
                    c.time() - mid.time(), mid.maxDeviation());
            ok &= mid.time() < c.time() && mid.maxDeviation() > prevDev;   // it undercuts the optimum and drifts away
            prevDev = mid.maxDeviation();
        }

        Path png = plot(outputDir.resolve("brachistochrone.png"), c, uniform[1], graded[1], mid);
        Path conv = plotConvergence(outputDir.resolve("brachistochrone-convergence.png"), uniform, graded);
        out.println("plots: " + png + ", " + conv);
        ok &= Files.size(png) > 0 && Files.size(conv) > 0;
        out.println(ok ? "OK: the line and the cycloid are recovered, at orders 1 (uniform) and 2 (graded)"
                : "MISMATCH");
        return ok;
    }

    /** 18.063 example 46: arc length, fixed ends; the discrete minimiser is the line itself. */
    private static boolean shortestPath(PrintStream out) {
        int n = 63;
        double ya = 0, yb = 0.5;
        DiscreteFunctional j = new DiscreteFunctional(0, ya, 1, yb, n, Functionals.chordLength());
        double[] x = j.grid(), y0 = j.line();
        for (int k = 0; k < n; k++) {
            double s = x[k + 1];
            y0[k] += 0.3 * Math.sin(Math.PI * s) - 0.2 * Math.sin(3 * Math.PI * s);   // a wiggly start
        }
        Result r = j.minimize(y0, options());
        double[] line = j.line();
        double err = 0;
        for (int k = 0; k < n; k++) {
            err = Math.max(err, Math.abs(r.x()[k] - line[k]));
        }
        double exact = Math.hypot(1, yb - ya);
        out.printf("shortest path from (0, %.1f) to (1, %.1f), n = %d, from a wiggly curve of length %.6f:%n", ya, yb, n,
                j.value(y0));
        out.printf("  length %.15f (straight line %.15f), max |y - line| = %.2e, %d L-BFGS iterations%n", r.value(),
                exact, err, r.iterations());
        return r.converged() && err < 1e-8 && Math.abs(r.value() - exact) < 1e-12;
    }

    private static void row(PrintStream out, String grid, Brachistochrone.Solution[] s, int i) {
        String ratio = i == 0 ? "" : String.format("%.2f", s[i - 1].maxDeviation() / s[i].maxDeviation());
        out.printf("%-14s %5d %14.10f %14.10f %11.3e %11.3e %11s %6d%n", grid, s[i].n(), s[i].time(), s[i].cycloidTime(),
                s[i].time() - s[i].cycloidTime(), s[i].maxDeviation(), ratio, s[i].result().iterations());
    }

    /** log2 of the error ratio when the number of segments doubles. */
    private static double order(double coarse, double fine) {
        return Math.log(coarse / fine) / Math.log(2);
    }

    /** The cycloid and three discrete minimisers, height -y against x. */
    static Path plot(Path file, Cycloid c, Brachistochrone.Solution uniform, Brachistochrone.Solution graded,
                     Brachistochrone.Solution midpoint) throws IOException {
        XYChart chart = Plots.chart(800, 500, "Brachistochrone from (0, 0) to (2, 1): discrete minimisers vs the cycloid",
                "x", "height -y");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        int m = 400;
        double[] cx = new double[m + 1], cy = new double[m + 1];
        for (int k = 0; k <= m; k++) {
            double t = c.thetaEnd() * k / m;
            cx[k] = c.x(t);
            cy[k] = -c.y(t);
        }
        XYSeries cyc = chart.addSeries("cycloid (Euler-Lagrange)", cx, cy);
        cyc.setMarker(SeriesMarkers.NONE);
        cyc.setLineColor(Color.BLACK);
        addPolyline(chart, "uniform grid, n = " + uniform.n(), uniform, new Color(31, 119, 180), SeriesMarkers.CIRCLE);
        addPolyline(chart, "graded grid, n = " + graded.n(), graded, new Color(44, 160, 44), SeriesMarkers.DIAMOND);
        addPolyline(chart, "midpoint rule, n = " + midpoint.n() + " (cheats at y = 0)", midpoint,
                new Color(214, 39, 40), SeriesMarkers.NONE);
        return Plots.savePng(chart, file);
    }

    /** Time error and max deviation against the number of segments, log-log. */
    static Path plotConvergence(Path file, Brachistochrone.Solution[] uniform, Brachistochrone.Solution[] graded)
            throws IOException {
        XYChart chart = Plots.chart(800, 500, "Brachistochrone: error against the cycloid as the grid is refined",
                "segments n + 1", "error");
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        Color blue = new Color(31, 119, 180), green = new Color(44, 160, 44);
        series(chart, "uniform: time error", uniform, true, blue, SeriesMarkers.CIRCLE);
        series(chart, "uniform: max deviation", uniform, false, blue, SeriesMarkers.SQUARE);
        series(chart, "graded s^3: time error", graded, true, green, SeriesMarkers.DIAMOND);
        series(chart, "graded s^3: max deviation", graded, false, green, SeriesMarkers.TRIANGLE_UP);
        return Plots.savePng(chart, file);
    }

    private static void series(XYChart chart, String name, Brachistochrone.Solution[] s, boolean time, Color color,
                               org.knowm.xchart.style.markers.Marker marker) {
        double[] n = new double[s.length], e = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            n[i] = s[i].n() + 1;
            e[i] = time ? s[i].time() - s[i].cycloidTime() : s[i].maxDeviation();
        }
        XYSeries series = chart.addSeries(name, n, e);
        series.setMarker(marker);
        series.setLineColor(color);
        series.setMarkerColor(color);
        if (!time) {
            series.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
        }
    }

    private static void addPolyline(XYChart chart, String name, Brachistochrone.Solution s, Color color,
                                    org.knowm.xchart.style.markers.Marker marker) {
        double[] h = s.y();
        for (int k = 0; k < h.length; k++) {
            h[k] = -h[k];
        }
        XYSeries series = chart.addSeries(name, s.x(), h);
        series.setMarker(marker);
        series.setLineColor(color);
        series.setMarkerColor(color);
    }
}
