package dev.verydeep.transfer.metrics;

import static dev.verydeep.transfer.metrics.AveragePrecision.Method.VOC2007_11POINT;
import static dev.verydeep.transfer.metrics.AveragePrecision.Method.VOC2010_AREA;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MetricsTest {
    private static final double EPS = 1e-12;

    @Test
    void apOfAHandRankedList() {
        // Ranked: +, -, +, -  -> (recall, precision) = (.5, 1), (.5, .5), (1, 2/3), (1, .5)
        double[] s = {0.9, 0.8, 0.7, 0.6};
        int[] t = {1, -1, 1, -1};
        // Envelope: precision 1 up to recall .5, then 2/3: .5 * 1 + .5 * 2/3
        assertEquals(0.5 + 1.0 / 3, AveragePrecision.of(s, t, VOC2010_AREA), EPS);
        // 11 points: t = 0 .. .5 -> 1 (six points), t = .6 .. 1 -> 2/3 (five points)
        assertEquals((6 + 5 * 2.0 / 3) / 11, AveragePrecision.of(s, t, VOC2007_11POINT), EPS);
    }

    @Test
    void perfectRankingIsOneAndOrderOfInputDoesNotMatter() {
        assertEquals(1.0, AveragePrecision.of(new double[] {0.1, 3, 2}, new int[] {-1, 1, 1}, VOC2010_AREA), EPS);
        assertEquals(1.0, AveragePrecision.of(new double[] {0.1, 3, 2}, new int[] {-1, 1, 1}, VOC2007_11POINT), EPS);
    }

    @Test
    void tiesAreOneThreshold() {
        // {0.9: +} then {0.5: +, -}: points (.5, 1), (1, 2/3), whatever the order inside the tie.
        double a = AveragePrecision.of(new double[] {0.9, 0.5, 0.5}, new int[] {1, 1, -1}, VOC2010_AREA);
        double b = AveragePrecision.of(new double[] {0.9, 0.5, 0.5}, new int[] {1, -1, 1}, VOC2010_AREA);
        assertEquals(0.5 + 1.0 / 3, a, EPS);
        assertEquals(a, b, 0);
        // All tied: one point (1, P / N).
        assertEquals(0.25, AveragePrecision.of(new double[] {1, 1, 1, 1}, new int[] {1, -1, -1, -1}, VOC2010_AREA), EPS);
        assertEquals(0.25, AveragePrecision.of(new double[] {1, 1, 1, 1}, new int[] {1, -1, -1, -1}, VOC2007_11POINT), EPS);
    }

    @Test
    void difficultImagesAreIgnored() {
        // The difficult image ranks first; ignoring it leaves a perfect ranking.
        assertEquals(1.0, AveragePrecision.of(new double[] {5, 4, 3}, new int[] {0, 1, -1}, VOC2010_AREA), EPS);
        // Without the rule it would be a false positive at the top: check the value differs from that.
        assertEquals(0.5, AveragePrecision.of(new double[] {5, 4, 3}, new int[] {-1, 1, -1}, VOC2010_AREA), EPS);
    }

    @Test
    void noPositivesOrAllDifficultIsUndefined() {
        assertTrue(Double.isNaN(AveragePrecision.of(new double[] {1, 2}, new int[] {-1, -1}, VOC2010_AREA)));
        assertTrue(Double.isNaN(AveragePrecision.of(new double[] {1, 2}, new int[] {0, 0}, VOC2007_11POINT)));
        assertEquals(0.5, AveragePrecision.meanDefined(new double[] {Double.NaN, 0.25, 0.75}), EPS);
    }

    @Test
    void elevenPointDiffersFromArea() {
        // -, + : one positive found at rank 2 -> precision .5 at recall 1.
        double[] s = {2, 1};
        int[] t = {-1, 1};
        assertEquals(0.5, AveragePrecision.of(s, t, VOC2010_AREA), EPS);
        assertEquals(0.5, AveragePrecision.of(s, t, VOC2007_11POINT), EPS);
        // +, -, -, + : (.5,1) (.5,.5) (.5,1/3) (1,.5); area .5 + .25 = .75; 11pt (6 + 5 * .5) / 11
        double[] s2 = {4, 3, 2, 1};
        int[] t2 = {1, -1, -1, 1};
        assertEquals(0.75, AveragePrecision.of(s2, t2, VOC2010_AREA), EPS);
        assertEquals(8.5 / 11, AveragePrecision.of(s2, t2, VOC2007_11POINT), EPS);
    }

    @Test
    void meanClassRecallWeighsClassesEqually() {
        int[] truth = {0, 0, 0, 0, 1, 2, 2};
        int[] pred = {0, 0, 0, 1, 1, 0, 2};
        // class 0: 3/4, class 1: 1/1, class 2: 1/2; class 3 has no test image (left out).
        assertArrayEquals(new double[] {0.75, 1, 0.5, Double.NaN}, ClassRecall.perClass(truth, pred, 4), EPS);
        assertEquals((0.75 + 1 + 0.5) / 3, ClassRecall.mean(truth, pred, 4), EPS);
        // Overall accuracy would be 5/7: different.
        double[] ms = ClassRecall.meanStd(new double[] {0.8, 0.9, 1.0});
        assertEquals(0.9, ms[0], EPS);
        assertEquals(0.1, ms[1], EPS);
    }
}
