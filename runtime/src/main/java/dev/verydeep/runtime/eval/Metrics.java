package dev.verydeep.runtime.eval;

/**
 * Top-1 and top-5 error, per-class top-1 error and the confusion matrix of posteriors ({@code N x K}, row
 * per image) against labels.
 *
 * <p>Ranking, with ties broken deterministically: class {@code a} ranks above class {@code b} when
 * {@code p_a > p_b}, or {@code p_a == p_b} and {@code a < b} (the lower class index wins). NaN ranks below
 * every number. The prediction is the top-ranked class; the true class is in the top 5 when fewer than 5
 * classes rank above it (top {@code min(5, K)} when there are fewer than 5 classes).
 *
 * @param images        number of images
 * @param top1Errors    images whose top-ranked class is wrong
 * @param top5Errors    images whose true class is not among the 5 top-ranked
 * @param classImages   images per true class
 * @param classErrors   top-1 errors per true class
 * @param confusion     {@code confusion[true][predicted]} counts
 * @param fragileImages images whose two top-ranked posteriors differ by less than {@value #FRAGILE_MARGIN}: the only
 *                      ones whose top-1 decision another machine's kernels could change
 * @param fragileTop5Images images whose true class ranks 5th or 6th, within {@value #FRAGILE_MARGIN} (relative) of
 *                      the class at the other of those ranks: the only ones whose top-5 decision could change
 */
public record Metrics(int images, int top1Errors, int top5Errors, int[] classImages, int[] classErrors, int[][] confusion,
        int fragileImages, int fragileTop5Images) {
    public static final int TOP_K = 5;
    /**
     * ONNX Runtime and DJL, two implementations with their own kernels, agree on our nets' outputs to 2e-6 (the parity
     * tests); another CPU's kernels move them by about 1e-6. A posterior margin 50x that is safe from them.
     */
    public static final double FRAGILE_MARGIN = 1e-4;

    /** Share of images whose top-1 decision is within reach of last-bit differences: the resolution of {@link #top1()}. */
    public double fragileTop1() {
        return images == 0 ? Double.NaN : (double) fragileImages / images;
    }

    /** Share of images whose top-5 decision is within reach of last-bit differences: the resolution of {@link #top5()}. */
    public double fragileTop5() {
        return images == 0 ? Double.NaN : (double) fragileTop5Images / images;
    }

    /**
     * Whether class {@code c} of row {@code i}, with {@code r} classes above it, sits at the top-5 boundary (ranked
     * 5th or 6th) within {@value #FRAGILE_MARGIN} of the class on the other side, relative to the larger posterior
     * (posteriors there are small, and their last bits are small with them). One pass over the classes.
     */
    static boolean top5Fragile(float[] post, int i, int classes, int c, int r) {
        if (classes <= TOP_K || (r != TOP_K - 1 && r != TOP_K)) {
            return false;
        }
        // The class on the other side of the boundary: 5th, the best of those below c; 6th, the last of those above it.
        int other = -1;
        for (int k = 0; k < classes; k++) {
            if (k == c || ranksAbove(post[i * classes + k], k, post[i * classes + c], c) != (r == TOP_K)) {
                continue;
            }
            if (other < 0 || ranksAbove(post[i * classes + k], k, post[i * classes + other], other) == (r == TOP_K - 1)) {
                other = k;
            }
        }
        double a = post[i * classes + c];
        double b = post[i * classes + other];
        return Math.abs(a - b) < FRAGILE_MARGIN * Math.max(Math.abs(a), Math.abs(b));
    }

    /** Difference between the two highest posteriors of row {@code i}. */
    static double topMargin(float[] post, int i, int classes) {
        float first = Float.NEGATIVE_INFINITY;
        float second = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < classes; k++) {
            float p = post[i * classes + k];
            if (p > first) {
                second = first;
                first = p;
            } else if (p > second) {
                second = p;
            }
        }
        return (double) first - second;
    }

    public double top1() {
        return images == 0 ? Double.NaN : (double) top1Errors / images;
    }

    public double top5() {
        return images == 0 ? Double.NaN : (double) top5Errors / images;
    }

    /** Top-1 error of class {@code c} (NaN when it has no images). */
    public double classError(int c) {
        return classImages[c] == 0 ? Double.NaN : (double) classErrors[c] / classImages[c];
    }

    /** Whether class {@code a} with posterior {@code pa} ranks above class {@code b} with {@code pb}. */
    public static boolean ranksAbove(float pa, int a, float pb, int b) {
        if (Float.isNaN(pa)) {
            return false;
        }
        if (Float.isNaN(pb)) {
            return true;
        }
        return pa > pb || (pa == pb && a < b);
    }

    /** The top-ranked class of row {@code i}. */
    public static int predict(float[] post, int i, int classes) {
        int base = i * classes;
        int best = 0;
        for (int k = 1; k < classes; k++) {
            if (ranksAbove(post[base + k], k, post[base + best], best)) {
                best = k;
            }
        }
        return best;
    }

    /** Number of classes ranking above class {@code c} in row {@code i}. */
    public static int rank(float[] post, int i, int classes, int c) {
        int base = i * classes;
        int above = 0;
        for (int k = 0; k < classes; k++) {
            if (k != c && ranksAbove(post[base + k], k, post[base + c], c)) {
                above++;
            }
        }
        return above;
    }

    public static Metrics of(float[] post, int[] labels, int classes) {
        int n = labels.length;
        if (post.length != n * classes) {
            throw new IllegalArgumentException(post.length + " posteriors for " + n + " images x " + classes + " classes");
        }
        int top1 = 0;
        int top5 = 0;
        int[] per = new int[classes];
        int[] err = new int[classes];
        int[][] conf = new int[classes][classes];
        int fragile = 0;
        int fragile5 = 0;
        for (int i = 0; i < n; i++) {
            if (classes > 1 && topMargin(post, i, classes) < FRAGILE_MARGIN) {
                fragile++;
            }
            int t = labels[i];
            int rankOfTruth = rank(post, i, classes, t);
            if (top5Fragile(post, i, classes, t, rankOfTruth)) {
                fragile5++;
            }
            int p = predict(post, i, classes);
            per[t]++;
            conf[t][p]++;
            if (p != t) {
                top1++;
                err[t]++;
            }
            if (rankOfTruth >= TOP_K) {
                top5++;
            }
        }
        return new Metrics(n, top1, top5, per, err, conf, fragile, fragile5);
    }
}
