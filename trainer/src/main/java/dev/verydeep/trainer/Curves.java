package dev.verydeep.trainer;

import dev.verydeep.core.io.AtomicFiles;
import java.awt.BasicStroke;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The training curves PNG: loss (top) and train/validation accuracy (bottom) per epoch, drawn with JFreeChart. */
public final class Curves {
    private Curves() {
    }

    public static void write(java.nio.file.Path png, String title, List<EpochLog> history) {
        System.setProperty("java.awt.headless", "true");
        XYSeries loss = new XYSeries("train loss");
        XYSeries trainAcc = new XYSeries("train accuracy");
        XYSeries valAcc = new XYSeries("validation accuracy");
        for (EpochLog e : history) {
            loss.add(e.epoch(), e.trainLoss());
            trainAcc.add(e.epoch(), e.trainAccuracy());
            if (e.validationAccuracy() != null) {
                valAcc.add(e.epoch(), e.validationAccuracy());
            }
        }
        XYSeriesCollection accs = new XYSeriesCollection(trainAcc);
        if (valAcc.getItemCount() > 0) {
            accs.addSeries(valAcc);
        }
        XYPlot top = new XYPlot(new XYSeriesCollection(loss), null, axis("loss"), renderer());
        XYPlot bottom = new XYPlot(accs, null, axis("accuracy"), renderer());
        NumberAxis epochAxis = new NumberAxis("epoch");
        epochAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epochAxis);
        plot.add(top, 1);
        plot.add(bottom, 1);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        AtomicFiles.write(png, out -> ChartUtils.writeChartAsPNG(out, chart, 800, 600));
    }

    private static NumberAxis axis(String label) {
        NumberAxis a = new NumberAxis(label);
        a.setAutoRangeIncludesZero(false);
        return a;
    }

    private static XYLineAndShapeRenderer renderer() {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        r.setDefaultStroke(new BasicStroke(2f));
        r.setAutoPopulateSeriesStroke(false);
        return r;
    }
}
