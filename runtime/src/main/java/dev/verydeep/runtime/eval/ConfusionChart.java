package dev.verydeep.runtime.eval;

import dev.verydeep.core.io.AtomicFiles;
import java.awt.Color;
import java.awt.Paint;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * The confusion matrix as a PNG heat map: true class down, predicted class across, each cell the fraction of
 * the true class's images predicted as that class (rows sum to 1), white 0 to dark blue 1. Class names label
 * the axes up to 40 classes, indices beyond.
 */
public final class ConfusionChart {
    private ConfusionChart() {
    }

    public static void write(Path png, Metrics metrics, List<String> classNames, String title) {
        int k = classNames.size();
        int[][] conf = metrics.confusion();
        double[] xs = new double[k * k];
        double[] ys = new double[k * k];
        double[] zs = new double[k * k];
        for (int t = 0; t < k; t++) {
            int row = metrics.classImages()[t];
            for (int p = 0; p < k; p++) {
                int i = t * k + p;
                xs[i] = p;
                ys[i] = t;
                zs[i] = row == 0 ? 0 : (double) conf[t][p] / row;
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("confusion", new double[][] {xs, ys, zs});
        NumberAxis x = axis("predicted class", classNames);
        NumberAxis y = axis("true class", classNames);
        y.setInverted(true);
        XYBlockRenderer r = new XYBlockRenderer();
        PaintScale scale = new BluePaintScale();
        r.setPaintScale(scale);
        XYPlot plot = new XYPlot(data, x, y, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        PaintScaleLegend legend = new PaintScaleLegend(scale, new NumberAxis("fraction of the true class"));
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(4, 4, 40, 4);
        chart.addSubtitle(legend);
        AtomicFiles.write(png, out -> ChartUtils.writeChartAsPNG(out, chart, 900, 800));
    }

    private static NumberAxis axis(String label, List<String> names) {
        NumberAxis a;
        if (names.size() <= 40) {
            a = new SymbolAxis(label, names.toArray(String[]::new));
            a.setVerticalTickLabels(label.startsWith("predicted"));
        } else {
            a = new NumberAxis(label);
            a.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        }
        a.setRange(-0.5, names.size() - 0.5);
        return a;
    }

    private static final class BluePaintScale implements PaintScale {
        @Override
        public double getLowerBound() {
            return 0;
        }

        @Override
        public double getUpperBound() {
            return 1;
        }

        @Override
        public Paint getPaint(double value) {
            double v = Double.isNaN(value) ? 0 : Math.max(0, Math.min(1, value));
            double g = Math.sqrt(v); // small confusions stay visible
            return new Color((int) Math.round(255 - 247 * g), (int) Math.round(255 - 207 * g), (int) Math.round(255 - 148 * g));
        }
    }
}
