package dev.verydeep.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.report.ResultTree.Evaluation;
import dev.verydeep.core.io.AtomicFiles;
import java.awt.BasicStroke;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's charts, drawn with JFreeChart from the result files' own numbers (a precision-recall curve is computed
 * from the decision values a transfer result records). Each method returns false, writing nothing, when its inputs
 * hold nothing to draw.
 */
final class Charts {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;

    private Charts() {
    }

    /**
     * Top-1 error against the test scale Q: one line per evaluation and method, from its single-scale rows (drawn
     * when it has at least two).
     */
    static boolean errorVsScale(List<Evaluation> evals, Path png) {
        XYSeriesCollection data = byScale(evals, row -> row.path("top1_error").isNumber() ? 100 * row.path("top1_error").asDouble() : Double.NaN);
        if (data.getSeriesCount() == 0) {
            return false;
        }
        write(png, "Top-1 error vs test scale (single-scale rows)", new XYPlot(data, scaleAxis(), axis("top-1 error (%)"), renderer(true, true)));
        return true;
    }

    /** Images per second against the test scale Q, drawn as {@link #errorVsScale} is (rows without a positive rate left out). */
    static boolean throughputVsScale(List<Evaluation> evals, Path png) {
        XYSeriesCollection data = byScale(evals, row -> {
            double ips = row.path("images_per_second").asDouble(Double.NaN);
            return ips > 0 ? ips : Double.NaN;
        });
        if (data.getSeriesCount() == 0) {
            return false;
        }
        write(png, "Throughput vs test scale (single-scale rows)", new XYPlot(data, scaleAxis(), rateAxis(), renderer(true, true)));
        return true;
    }

    /**
     * A value of each single-scale row against its Q: one series per evaluation, net and method, kept when it has at
     * least two points; rows whose value is not finite are left out.
     */
    private static XYSeriesCollection byScale(List<Evaluation> evals, java.util.function.ToDoubleFunction<JsonNode> value) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Evaluation e : evals) {
            Map<String, XYSeries> byMethod = new LinkedHashMap<>();
            for (JsonNode row : e.results().path("rows")) {
                String q = row.path("test_scales").asText();
                double v = value.applyAsDouble(row);
                if (!q.matches("\\d+") || !Double.isFinite(v)) {
                    continue;
                }
                String key = row.path("config").asText() + " S=" + row.path("train_scale").asText() + ", " + row.path("method").asText()
                        + " (" + e.dir().getFileName() + ")";
                byMethod.computeIfAbsent(key, k -> new XYSeries(k, true, false)).addOrUpdate(Integer.parseInt(q), v);
            }
            byMethod.values().stream().filter(s -> s.getItemCount() >= 2).forEach(s -> addUnique(data, s));
        }
        return data;
    }

    /** Images per second span orders of magnitude between nets and methods: a log axis. */
    private static LogAxis rateAxis() {
        LogAxis a = new LogAxis("images per second (log scale)");
        a.setSmallestValue(1e-3);
        a.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.#"));
        return a;
    }

    private static NumberAxis scaleAxis() {
        NumberAxis q = new NumberAxis("test scale Q (smallest image side)");
        q.setAutoRangeIncludesZero(false);
        return q;
    }

    /** Throughput against top-1 error: one point per evaluation row that has both, one series per method. */
    static boolean costVsError(List<Evaluation> evals, Path png) {
        Map<String, XYSeries> byMethod = new LinkedHashMap<>();
        for (Evaluation e : evals) {
            for (JsonNode row : e.results().path("rows")) {
                double ips = row.path("images_per_second").asDouble(Double.NaN);
                if (!(ips > 0) || Double.isInfinite(ips) || !row.path("top1_error").isNumber()) {
                    continue;
                }
                String method = row.path("method").asText();
                byMethod.computeIfAbsent(method, k -> new XYSeries(k, false, true)).add(ips, 100 * row.path("top1_error").asDouble());
            }
        }
        if (byMethod.isEmpty()) {
            return false;
        }
        XYSeriesCollection data = new XYSeriesCollection();
        byMethod.values().forEach(s -> addUnique(data, s));
        write(png, "Cost: throughput vs top-1 error (every evaluation row)", new XYPlot(data, rateAxis(), axis("top-1 error (%)"), renderer(false, true)));
        return true;
    }

    /**
     * Precision-recall curve per class of a VOC transfer result, from its {@code testScores} (decision values and truth
     * 1/-1/0 per test image; 0, difficult, is left out as in the AP). False when the file has no scores.
     */
    static boolean precisionRecall(JsonNode transfer, String title, Path png) {
        JsonNode scores = transfer.path("testScores");
        if (!scores.isObject() || scores.isEmpty()) {
            return false;
        }
        XYSeriesCollection data = new XYSeriesCollection();
        scores.fields().forEachRemaining(e -> {
            XYSeries s = curve(e.getKey(), e.getValue().path("score"), e.getValue().path("truth"));
            if (s != null) {
                addUnique(data, s);
            }
        });
        if (data.getSeriesCount() == 0) {
            return false;
        }
        NumberAxis recall = new NumberAxis("recall");
        recall.setRange(0, 1);
        NumberAxis precision = new NumberAxis("precision");
        precision.setRange(0, 1.02);
        write(png, title, new XYPlot(data, recall, precision, renderer(true, false)));
        return true;
    }

    /** Precision and recall after each test image in decreasing score order (ties: file order); null without positives. */
    static XYSeries curve(String name, JsonNode score, JsonNode truth) {
        int n = Math.min(score.size(), truth.size());
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -score.get(i).asDouble()));
        long positives = java.util.stream.IntStream.range(0, n).filter(i -> truth.get(i).asInt() == 1).count();
        if (positives == 0) {
            return null;
        }
        XYSeries s = new XYSeries(name, false, true);
        int tp = 0;
        int fp = 0;
        for (int i : order) {
            int t = truth.get(i).asInt();
            if (t == 0) {
                continue;
            }
            if (t == 1) {
                tp++;
            } else {
                fp++;
            }
            s.add((double) tp / positives, (double) tp / (tp + fp));
        }
        return s;
    }

    private static void addUnique(XYSeriesCollection data, XYSeries s) {
        if (data.getSeriesIndex(s.getKey()) < 0) {
            data.addSeries(s);
        }
    }

    private static NumberAxis axis(String label) {
        NumberAxis a = new NumberAxis(label);
        a.setAutoRangeIncludesZero(false);
        return a;
    }

    private static XYLineAndShapeRenderer renderer(boolean lines, boolean shapes) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(lines, shapes);
        r.setDefaultStroke(new BasicStroke(2f));
        r.setAutoPopulateSeriesStroke(false);
        return r;
    }

    private static void write(Path png, String title, XYPlot plot) {
        System.setProperty("java.awt.headless", "true");
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        AtomicFiles.write(png, out -> ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT));
    }
}
