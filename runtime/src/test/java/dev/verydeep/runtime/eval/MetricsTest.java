package dev.verydeep.runtime.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MetricsTest {
    @Test
    void top1AndTop5WithTiesLowerIndexWins() {
        int k = 10;
        float[] p = new float[4 * k];
        // image 0: all tied -> prediction 0; true class 4 has 4 classes above it -> in top 5
        java.util.Arrays.fill(p, 0, k, 0.1f);
        // image 1: all tied, true class 5 has 5 above -> top-5 error
        java.util.Arrays.fill(p, k, 2 * k, 0.1f);
        // image 2: class 3 and 7 tie at the top -> predicts 3 (correct, label 3)
        p[2 * k + 3] = 0.4f;
        p[2 * k + 7] = 0.4f;
        p[2 * k + 1] = 0.2f;
        // image 3: same tie, label 7 -> top-1 error, top-5 correct
        p[3 * k + 3] = 0.4f;
        p[3 * k + 7] = 0.4f;
        p[3 * k + 1] = 0.2f;
        int[] labels = {4, 5, 3, 7};
        Metrics m = Metrics.of(p, labels, k);
        assertEquals(0, Metrics.predict(p, 0, k));
        assertEquals(3, Metrics.predict(p, 2, k));
        assertEquals(3, m.top1Errors()); // images 0, 1, 3
        assertEquals(1, m.top5Errors()); // image 1
        assertEquals(4, m.fragileImages()); // every image has a tie at the top: any rounding decides it
        assertEquals(0.75, m.top1(), 1e-12);
        assertEquals(0.25, m.top5(), 1e-12);
        assertEquals(1.0, m.classError(7), 1e-12);
        assertEquals(0.0, m.classError(3), 1e-12);
        assertEquals(Double.NaN, m.classError(9));
        assertEquals(1, m.confusion()[7][3]);
        assertEquals(1, m.confusion()[4][0]);
    }

    @Test
    void tieInsideTopFiveBoundary() {
        // true class 6 ties with classes 2..5 and 7..9 at 0.1, classes 0, 1 higher: above it are 0,1,2,3,4,5 -> 6 -> top-5 error;
        // true class 2 in the same row: above it 0, 1 -> top-5 correct
        int k = 10;
        float[] p = new float[2 * k];
        for (int r = 0; r < 2; r++) {
            java.util.Arrays.fill(p, r * k, (r + 1) * k, 0.1f);
            p[r * k] = 0.3f;
            p[r * k + 1] = 0.2f;
        }
        Metrics m = Metrics.of(p, new int[] {6, 2}, k);
        assertEquals(1, m.top5Errors());
        assertEquals(2, m.top1Errors());
    }

    @Test
    void nanRanksLast() {
        float[] p = {Float.NaN, 0.2f, 0.1f};
        assertEquals(1, Metrics.predict(p, 0, 3));
        assertArrayEquals(new int[] {0, 1, 0}, Metrics.of(p, new int[] {1}, 3).confusion()[1]);
    }

    @Test
    void fragileImagesAreThoseWhoseTopTwoPosteriorsAreCloserThanTheMargin() {
        float[] p = {0.5f, 0.49995f, 0.00005f, 0.5f, 0.3f, 0.2f, 0.33334f, 0.33333f, 0.33333f};
        Metrics m = Metrics.of(p, new int[] {0, 0, 0}, 3);
        assertEquals(2, m.fragileImages()); // image 1's margin is 0.2; 0 and 2 differ by 5e-5 and 1e-5
        assertEquals(2.0 / 3, m.fragileTop1(), 1e-12);
    }

    @Test
    void top5FragileImagesHaveTheirTrueClassAtTheBoundaryWithinTheRelativeMargin() {
        // 7 classes; ranks: c0 .5, c1 .2, c2 .1, c3 .08, c4 .06, c5 .0600001 (5th, just above c4), c6 .0000001
        float[] p = {0.5f, 0.2f, 0.1f, 0.08f, 0.06f, 0.0600001f, 0.0000001f};
        assertEquals(1, Metrics.of(p, new int[] {4}, 7).fragileTop5Images()); // true class 6th, 1.7e-6 relative from the 5th
        assertEquals(1, Metrics.of(p, new int[] {5}, 7).fragileTop5Images()); // true class 5th, same pair
        assertEquals(0, Metrics.of(p, new int[] {6}, 7).fragileTop5Images()); // 7th: no last bit brings it into the top 5
        assertEquals(0, Metrics.of(p, new int[] {0}, 7).fragileTop5Images());
    }
}
