package dev.verydeep.runtime.loc;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One line of a localisation table, in the layout of the paper's Tables 8 and 9. Errors are over samples
 * ((image, ground-truth class) pairs); a count of {@code -1} means not measured (top-5 under protocol 1, the
 * classification error without {@code --cls}).
 *
 * @param nets          the localisation net(s), e.g. {@code D w0.125 pcr} or two joined by {@code +} (union of boxes)
 * @param regression    scr, pcr or both
 * @param scales        test scale(s) Q
 * @param protocol      full or center-crop-gt
 * @param images        images with at least one sample
 * @param samples       (image, class) pairs
 * @param top5LocErrors samples whose class is not among the 5 predicted (class, box) pairs with IoU >= 0.5
 * @param gtLocErrors   samples whose box for the ground-truth class (given) has IoU < 0.5
 * @param clsTop5Errors samples whose class is not among the classifier's top 5
 * @param gtMeanIou     mean over samples of the IoU of the ground-truth class's box with its best ground-truth box (0 when
 *                      no box was predicted): a continuous measure that moves before the 0.5 threshold does
 * @param seconds       inference seconds of these nets and scales (and the classifier's at these scales)
 */
public record LocRow(String nets, String regression, String scales, String protocol, int images, int samples, int top5LocErrors, int gtLocErrors,
                     int clsTop5Errors, double gtMeanIou, double seconds) {

    private static double rate(int errors, int samples) {
        return errors < 0 || samples == 0 ? Double.NaN : (double) errors / samples;
    }

    public double top5LocError() {
        return rate(top5LocErrors, samples);
    }

    public double gtLocError() {
        return rate(gtLocErrors, samples);
    }

    public double clsTop5Error() {
        return rate(clsTop5Errors, samples);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("loc_nets", nets);
        m.put("regression", regression);
        m.put("test_scales", scales);
        m.put("protocol", protocol);
        m.put("top5_loc_error", nullIfNaN(top5LocError()));
        m.put("gt_class_loc_error", nullIfNaN(gtLocError()));
        m.put("cls_top5_error", nullIfNaN(clsTop5Error()));
        m.put("gt_class_mean_iou", nullIfNaN(gtMeanIou));
        m.put("images", images);
        m.put("samples", samples);
        m.put("top5_loc_errors", top5LocErrors < 0 ? null : top5LocErrors);
        m.put("gt_class_loc_errors", gtLocErrors);
        m.put("cls_top5_errors", clsTop5Errors < 0 ? null : clsTop5Errors);
        m.put("seconds", seconds);
        return m;
    }

    private static Double nullIfNaN(double d) {
        return Double.isNaN(d) ? null : d;
    }

    static final String HEADER = String.format(Locale.ROOT, "%-28s %-7s %-10s %-15s %9s %9s %9s %7s %8s %9s",
            "loc nets", "regr.", "test Q", "protocol", "top-5 loc", "GT-class", "cls top-5", "images", "samples", "seconds");

    String render() {
        return String.format(Locale.ROOT, "%-28s %-7s %-10s %-15s %9s %9s %9s %7d %8d %9.2f", nets, regression, scales, protocol,
                pct(top5LocError()), pct(gtLocError()), pct(clsTop5Error()), images, samples, seconds);
    }

    private static String pct(double e) {
        return Double.isNaN(e) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * e);
    }
}
