package dev.verydeep.transfer.metrics;

/**
 * Mean class recall, the Caltech protocol's metric: the accuracy on each class's test images, averaged over
 * classes, so that large classes do not dominate. A class without test images has no recall (NaN) and is
 * left out of the mean.
 */
public final class ClassRecall {
    private ClassRecall() {
    }

    /** Per-class recall: share of class c's test images predicted as c; NaN for classes without test images. */
    public static double[] perClass(int[] truth, int[] predicted, int classes) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException(truth.length + " labels but " + predicted.length + " predictions");
        }
        int[] total = new int[classes];
        int[] correct = new int[classes];
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] < 0 || truth[i] >= classes) {
                throw new IllegalArgumentException("label " + truth[i] + " of test image " + i + " outside " + classes + " classes");
            }
            total[truth[i]]++;
            if (predicted[i] == truth[i]) {
                correct[truth[i]]++;
            }
        }
        double[] r = new double[classes];
        for (int c = 0; c < classes; c++) {
            r[c] = total[c] == 0 ? Double.NaN : (double) correct[c] / total[c];
        }
        return r;
    }

    /** Mean over classes that have test images of their recall; NaN when no class has any. */
    public static double mean(int[] truth, int[] predicted, int classes) {
        return AveragePrecision.meanDefined(perClass(truth, predicted, classes));
    }

    /** Mean and standard deviation (sample, n - 1; 0 for a single value) of values. */
    public static double[] meanStd(double[] values) {
        double m = 0;
        for (double v : values) {
            m += v;
        }
        m /= values.length;
        double s = 0;
        for (double v : values) {
            s += (v - m) * (v - m);
        }
        return new double[] {m, values.length > 1 ? Math.sqrt(s / (values.length - 1)) : 0};
    }
}
