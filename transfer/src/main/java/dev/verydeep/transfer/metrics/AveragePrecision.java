package dev.verydeep.transfer.metrics;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Average precision of one class from classifier scores, as the PASCAL VOC devkit computes it, in two
 * selectable forms: VOC2007's 11-point interpolated AP and VOC2010+'s area under the monotone precision
 * envelope.
 *
 * <p>Ground truth per image: {@code 1} positive, {@code -1} negative, {@code 0} difficult (ignored: it counts
 * neither as a hit nor as a false alarm, the devkit's rule). Tied scores are one threshold: precision and
 * recall are taken only after the whole group of equal scores, so the result does not depend on the order
 * of the images (the devkit's sort would order ties by image position). With no positive image the AP is
 * undefined and {@link Double#NaN} is returned; callers leave such classes out of the mean and say so.
 */
public final class AveragePrecision {
    /** The two AP definitions of the VOC devkit. */
    public enum Method {
        /** VOC2007: mean over recall levels t = 0, 0.1, ..., 1 of the highest precision at recall >= t (0 if none). */
        VOC2007_11POINT("voc2007-11point"),
        /** VOC2010 and later: area under the precision envelope (precision made monotone decreasing in recall). */
        VOC2010_AREA("voc2010-area");

        private final String text;

        Method(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    private AveragePrecision() {
    }

    /** The AP of {@code scores} against {@code truth} (1, -1, 0 = difficult); NaN without positives. */
    public static double of(double[] scores, int[] truth, Method method) {
        double[][] pr = curve(scores, truth);
        if (pr == null) {
            return Double.NaN;
        }
        double[] rec = pr[0];
        double[] prec = pr[1];
        return switch (method) {
            case VOC2007_11POINT -> elevenPoint(rec, prec);
            case VOC2010_AREA -> area(rec, prec);
        };
    }

    /**
     * Recall and precision after each group of tied scores, highest score first: {@code {recall[], precision[]}};
     * null when there is no positive.
     */
    static double[][] curve(double[] scores, int[] truth) {
        if (scores.length != truth.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + truth.length + " labels");
        }
        int positives = 0;
        int n = 0;
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] != 1 && truth[i] != -1 && truth[i] != 0) {
                throw new IllegalArgumentException("label " + truth[i] + " of image " + i + " is not 1, -1 or 0");
            }
            if (truth[i] != 0) {
                if (Double.isNaN(scores[i])) {
                    throw new IllegalArgumentException("score of image " + i + " is NaN");
                }
                n++;
                if (truth[i] == 1) {
                    positives++;
                }
            }
        }
        if (positives == 0) {
            return null;
        }
        Integer[] order = new Integer[n];
        int k = 0;
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] != 0) {
                order[k++] = i;
            }
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        double[] rec = new double[n];
        double[] prec = new double[n];
        int points = 0;
        int tp = 0;
        int fp = 0;
        for (int a = 0; a < n; ) {
            int b = a;
            while (b < n && scores[order[b]] == scores[order[a]]) {
                if (truth[order[b]] == 1) {
                    tp++;
                } else {
                    fp++;
                }
                b++;
            }
            rec[points] = (double) tp / positives;
            prec[points] = (double) tp / (tp + fp);
            points++;
            a = b;
        }
        return new double[][] {Arrays.copyOf(rec, points), Arrays.copyOf(prec, points)};
    }

    static double elevenPoint(double[] rec, double[] prec) {
        double ap = 0;
        for (int i = 0; i <= 10; i++) {
            double t = i / 10.0;
            double p = 0;
            for (int k = 0; k < rec.length; k++) {
                if (rec[k] >= t) {
                    p = Math.max(p, prec[k]);
                }
            }
            ap += p / 11;
        }
        return ap;
    }

    static double area(double[] rec, double[] prec) {
        int n = rec.length;
        double[] mrec = new double[n + 2];
        double[] mpre = new double[n + 2];
        mrec[n + 1] = 1;
        System.arraycopy(rec, 0, mrec, 1, n);
        System.arraycopy(prec, 0, mpre, 1, n);
        for (int i = n; i >= 0; i--) {
            mpre[i] = Math.max(mpre[i], mpre[i + 1]);
        }
        double ap = 0;
        for (int i = 0; i <= n; i++) {
            if (mrec[i + 1] != mrec[i]) {
                ap += (mrec[i + 1] - mrec[i]) * mpre[i + 1];
            }
        }
        return ap;
    }

    /** Mean of the defined (non-NaN) values; NaN when none is defined. */
    public static double meanDefined(double[] values) {
        double sum = 0;
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
