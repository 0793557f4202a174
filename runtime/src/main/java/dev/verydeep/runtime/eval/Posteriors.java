package dev.verydeep.runtime.eval;

/** Soft-max and spatial averaging of class scores, in double precision. */
public final class Posteriors {
    private Posteriors() {
    }

    /**
     * Spatial mean of a class score map ({@code K x h x w}, at {@code map[at ..]}) into {@code out[0..K)}: sum-pooling
     * divided by {@code h w}, so a 1 x 1 map (Q = crop) is the classifier's score vector.
     */
    public static void spatialMean(float[] map, int at, int classes, int cells, double[] out) {
        for (int k = 0; k < classes; k++) {
            double s = 0;
            int base = at + k * cells;
            for (int c = 0; c < cells; c++) {
                s += map[base + c];
            }
            out[k] = s / cells;
        }
    }

    /** Soft-max of {@code scores[0..K)} in place (max subtracted first, so large scores do not overflow). */
    public static void softmax(double[] scores, int classes) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < classes; k++) {
            max = Math.max(max, scores[k]);
        }
        double sum = 0;
        for (int k = 0; k < classes; k++) {
            scores[k] = Math.exp(scores[k] - max);
            sum += scores[k];
        }
        for (int k = 0; k < classes; k++) {
            scores[k] /= sum;
        }
    }

    /** Soft-max of a float vector, as a new double array. */
    public static double[] softmax(float[] scores) {
        double[] d = new double[scores.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = scores[i];
        }
        softmax(d, d.length);
        return d;
    }
}
