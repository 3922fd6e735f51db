package org.matcalc.numeric;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * The XChart set-up every matcalc plot shares: an off-screen chart with light grid lines
 * ({@link #chart}), written as PNG ({@link #savePng}). Callers add their series and axis scales.
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
}
