package dev.verydeep.runtime.eval;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One line of a results table in the layout of the paper's Tables 3 to 6.
 *
 * @param config     net(s), e.g. {@code D} or {@code D+E} for a fusion
 * @param trainScale training scale S ({@code 37}, {@code [37;73]})
 * @param testScales test scale(s) Q, e.g. {@code 37} or {@code 37,55,73}
 * @param method     e.g. {@code dense+flip}, {@code multi-crop}, {@code dense+flip & multi-crop}
 * @param metrics    errors over the evaluated images
 * @param seconds    inference seconds spent on exactly these nets, methods and scales (decoding overlaps and is
 *                   not included; see {@link Evaluation#wallSeconds()})
 */
public record Row(String config, String trainScale, String testScales, String method, Metrics metrics, double seconds) {
    public int images() {
        return metrics.images();
    }

    public double imagesPerSecond() {
        return seconds > 0 ? images() / seconds : Double.NaN;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("config", config);
        m.put("train_scale", trainScale);
        m.put("test_scales", testScales);
        m.put("method", method);
        m.put("top1_error", metrics.top1());
        m.put("top5_error", metrics.top5());
        m.put("fragile_top1_error", metrics.fragileTop1());
        m.put("fragile_top5_error", metrics.fragileTop5());
        m.put("images", images());
        m.put("seconds", seconds);
        m.put("images_per_second", imagesPerSecond());
        return m;
    }

    static final String HEADER = String.format(Locale.ROOT, "%-16s %-10s %-12s %-26s %7s %7s %7s %9s %9s",
            "config", "train S", "test Q", "method", "top-1", "top-5", "images", "seconds", "images/s");

    String render() {
        return String.format(Locale.ROOT, "%-16s %-10s %-12s %-26s %6.2f%% %6.2f%% %7d %9.2f %9.1f", config, trainScale, testScales, method,
                100 * metrics.top1(), 100 * metrics.top5(), images(), seconds, imagesPerSecond());
    }
}
