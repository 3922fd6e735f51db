package org.matcalc.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.matcalc.methods.optimize.ConvergenceReport;
import org.matcalc.methods.optimize.Iteration;
import org.matcalc.methods.optimize.RootResult;
import org.matcalc.numeric.fd.StepStudy;

/**
 * matcalc's plots, in the one module that depends on a plotting library (XChart): convergence
 * of solvers ({@link #convergence}, {@link #roots}, {@link #series}), finite-difference step
 * studies ({@link #steps}), and the set-up they share, an off-screen chart with light grid
 * lines ({@link #chart}) written as PNG ({@link #savePng}).
 */
public final class Plots {
    private Plots() {
    }

    /**
     * An empty XY chart of the given size, titles and light grey grid. Sets java.awt.headless
     * first (unless already set), so charts are drawn also where no display exists.
     */
    public static XYChart chart(int width, int height, String title, String xAxis, String yAxis) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(xAxis).yAxisTitle(yAxis).build();
        chart.getStyler().setPlotGridLinesStroke(new BasicStroke(0.5f));
        chart.getStyler().setPlotGridLinesColor(new Color(220, 220, 220));
        return chart;
    }

    /**
     * Writes the chart as PNG, creating missing parent directories; ".png" is appended to the
     * name if missing. Returns the file written.
     */
    public static Path savePng(XYChart chart, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        String name = file.toString();
        String base = name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
        BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
        return Path.of(base + ".png");
    }

    /** A log-scale plot of the gradient norm against the iteration; see {@link #series}. */
    public static Path convergence(List<Iteration> history, Path file, String title) throws IOException {
        return series(file, title, "|grad|", Map.of("|grad|", ConvergenceReport.gradientNorms(history)));
    }

    /** A log-scale plot of |F(x_k)| and, when the root is given, of the error |x_k - root|, against k. */
    public static Path roots(RootResult r, Path file, String title, double[] root) throws IOException {
        Map<String, double[]> series = new LinkedHashMap<>();
        if (root != null) series.put("error |x_k - x*|", r.errors(root));
        series.put("residual |F(x_k)|", r.residuals());
        return series(file, title, "error / residual (log scale)", series);
    }

    /**
     * Writes a PNG with one line per series, the value at index k plotted against iteration k
     * on a logarithmic y axis; zeros (exact hits) cannot be shown on it and are left out.
     * Works headless. Returns the file written (".png" is appended if missing).
     *
     * @param series name to values, drawn in the map's iteration order
     */
    public static Path series(Path file, String title, String yAxis, Map<String, double[]> series) throws IOException {
        XYChart chart = chart(800, 560, title, "iteration k", yAxis);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setXAxisDecimalPattern("0");
        boolean any = false;
        for (Map.Entry<String, double[]> s : series.entrySet()) {
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
            double[] v = s.getValue();
            for (int k = 0; k < v.length; k++) {
                if (v[k] > 0 && Double.isFinite(v[k])) {
                    xs.add((double) k);
                    ys.add(v[k]);
                }
            }
            if (!xs.isEmpty()) {
                chart.addSeries(s.getKey(), xs, ys).setMarker(SeriesMarkers.CIRCLE);
                any = true;
            }
        }
        if (!any) {
            throw new IllegalArgumentException("plot: no positive finite value to draw on a log axis");
        }
        return savePng(chart, file);
    }

    /** A log-log plot of a step study's forward and central difference errors against h. */
    public static Path steps(StepStudy study, Path file, String title) throws IOException {
        double[] steps = study.steps(), forward = study.forwardErrors(), central = study.centralErrors();
        XYChart chart = chart(800, 560, title, "step h", "relative error");
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        double top = 0;
        for (int k = 0; k < steps.length; k++) top = Math.max(top, Math.max(forward[k], central[k]));
        chart.getStyler().setYAxisMax(Math.pow(10, Math.ceil(Math.log10(top) + 0.01)));
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        chart.addSeries("forward difference", steps, forward).setMarker(SeriesMarkers.CIRCLE);
        chart.addSeries("central difference", steps, central).setMarker(SeriesMarkers.DIAMOND);
        return savePng(chart, file);
    }
}
