package dev.verydeep.core.net;

import java.util.List;

/**
 * The paper's scale geometry, and its miniature for small crops: every length scales with
 * {@code crop / 224}. For crop 32: S = 256 -> 37, 384 -> 55, 512 -> 73; the +-32 of fixed-S multi-scale
 * testing becomes +-5. This class is the one place that mapping lives.
 */
public final class Geometry {
    /** The paper's training crop. */
    public static final int PAPER_CROP = 224;
    /** Fixed-S multi-scale testing uses Q in {S - 32, S, S + 32} at crop 224. */
    public static final int PAPER_TEST_SCALE_STEP = 32;

    private Geometry() {
    }

    /** A paper length (a scale S or Q, or an offset) at the given crop size, rounded to a pixel. */
    public static int miniature(int paperLength, int crop) {
        return (int) Math.round(paperLength * (double) crop / PAPER_CROP);
    }

    /** Test scales for a net trained at fixed S: {S - d, S, S + d} with d = 32 x crop/224. */
    public static List<Integer> multiTestScalesFixed(int s, int crop) {
        int d = miniature(PAPER_TEST_SCALE_STEP, crop);
        return List.of(s - d, s, s + d);
    }

    /** Test scales for a net trained with jittered S in [smin, smax]: {smin, mid, smax}. */
    public static List<Integer> multiTestScalesJittered(int smin, int smax) {
        return List.of(smin, singleTestScaleJittered(smin, smax), smax);
    }

    /** Single-scale test Q for jittered training: 0.5 (smin + smax), rounded. */
    public static int singleTestScaleJittered(int smin, int smax) {
        return (int) Math.round(0.5 * (smin + smax));
    }
}
