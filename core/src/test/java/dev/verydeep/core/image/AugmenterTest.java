package dev.verydeep.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.UserException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AugmenterTest {
    private static final ColourStats ZERO = ColourStats.of(new double[3], new double[3][3]);

    /** Channel c, row y, column x holds {@code 1000 c + 100 y + x}: every value says where it came from. */
    static RgbImage positions(int w, int h) {
        float[] d = new float[3 * w * h];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    d[(c * h + y) * w + x] = 1000 * c + 100 * y + x;
                }
            }
        }
        return new RgbImage(w, h, d);
    }

    static float[] run(Augmenter aug, RgbImage img, Random rnd) {
        float[] out = new float[aug.outputLength()];
        aug.augment(img, rnd, out, 0);
        return out;
    }

    @Test
    void everyCropLiesInsideAndEveryPositionIsReached() {
        // S = 28 = the image's smaller side, so no rescaling: the output is an exact window of the input.
        RgbImage img = positions(36, 28);
        int crop = 24;
        Augmenter aug = new Augmenter(new AugmentSettings(crop, 28, 28, false, 0), ZERO);
        Random rnd = new Random(1);
        boolean[][] seen = new boolean[28 - crop + 1][36 - crop + 1];
        for (int k = 0; k < 4000; k++) {
            float[] out = run(aug, img, rnd);
            int x0 = (int) out[0] % 100;
            int y0 = (int) out[0] / 100;
            assertTrue(x0 + crop <= 36 && y0 + crop <= 28);
            assertArrayEquals(img.crop(x0, y0, crop, crop).data(), out, 0);
            seen[y0][x0] = true;
        }
        for (boolean[] row : seen) {
            for (boolean s : row) {
                assertTrue(s, "a crop position was never drawn");
            }
        }
    }

    @Test
    void flipMirrorsHalfTheTime() {
        RgbImage img = positions(20, 20);
        Augmenter aug = new Augmenter(new AugmentSettings(20, 20, 20, true, 0), ZERO);
        float[] mirror = img.flipHorizontal().data();
        assertEquals(1019f, mirror[20 * 20]); // G plane, row 0, column 0 <- column 19
        Random rnd = new Random(2);
        int flipped = 0;
        int n = 2000;
        for (int k = 0; k < n; k++) {
            float[] out = run(aug, img, rnd);
            if (Arrays.equals(out, mirror)) {
                flipped++;
            } else {
                assertArrayEquals(img.data(), out, 0);
            }
        }
        assertEquals(n / 2.0, flipped, 4 * Math.sqrt(n / 4.0));
        // Flips off: never mirrored.
        Augmenter noFlip = new Augmenter(new AugmentSettings(20, 20, 20, false, 0), ZERO);
        for (int k = 0; k < 100; k++) {
            assertArrayEquals(img.data(), run(noFlip, img, rnd), 0);
        }
    }

    /** Records the bounds and results of nextInt(bound), to observe the draws. */
    static final class RecordingRandom extends Random {
        final List<int[]> draws = new ArrayList<>();

        RecordingRandom(long seed) {
            super(seed);
        }

        @Override
        public int nextInt(int bound) {
            int v = super.nextInt(bound);
            draws.add(new int[] {bound, v});
            return v;
        }
    }

    @Test
    void jitteredScaleIsUniformOverTheIntegersOfTheRange() {
        int min = 30;
        int max = 40;
        int crop = 24;
        Augmenter aug = new Augmenter(new AugmentSettings(crop, min, max, true, 0.1), ZERO);
        RgbImage img = positions(28, 28);
        RecordingRandom rnd = new RecordingRandom(3);
        int n = 11000;
        int[] counts = new int[max - min + 1];
        for (int k = 0; k < n; k++) {
            rnd.draws.clear();
            run(aug, img, rnd);
            // Documented order: S, then x0 and y0 over the image rescaled to S (square: S - crop + 1 positions).
            assertEquals(3, rnd.draws.size());
            assertEquals(max - min + 1, rnd.draws.get(0)[0]);
            int s = min + rnd.draws.get(0)[1];
            assertEquals(s - crop + 1, rnd.draws.get(1)[0]);
            assertEquals(s - crop + 1, rnd.draws.get(2)[0]);
            counts[s - min]++;
        }
        double expected = (double) n / counts.length;
        double chi2 = 0;
        for (int c : counts) {
            assertTrue(c > 0);
            chi2 += (c - expected) * (c - expected) / expected;
        }
        // 10 degrees of freedom: P(chi2 > 35) is about 1e-4.
        assertTrue(chi2 < 35, "chi-square " + chi2 + " for counts " + Arrays.toString(counts));
    }

    @Test
    void colourShiftHasZeroMeanAndTheScaledPixelCovariance() {
        double[][] cov = {{4000, 3000, 2500}, {3000, 3800, 2900}, {2500, 2900, 4200}};
        double[] mean = {120, 110, 100};
        ColourStats stats = ColourStats.of(mean, cov);
        double std = 0.1;
        Augmenter aug = new Augmenter(new AugmentSettings(4, 4, 4, false, std), stats);
        RgbImage flat = new RgbImage(4, 4, filled(3 * 16, 128f));
        Random rnd = new Random(4);
        int n = 40000;
        double[] sum = new double[3];
        double[][] prod = new double[3][3];
        for (int k = 0; k < n; k++) {
            float[] out = run(aug, flat, rnd);
            double[] shift = new double[3];
            for (int c = 0; c < 3; c++) {
                shift[c] = out[c * 16] - 128 + mean[c];
                // Same shift on every pixel of the channel.
                assertEquals(out[c * 16], out[c * 16 + 15], 1e-3);
                sum[c] += shift[c];
            }
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 3; b++) {
                    prod[a][b] += shift[a] * shift[b];
                }
            }
        }
        // shift = sum_i alpha_i sqrt(lambda_i) e_i with alpha_i ~ N(0, std^2): covariance
        // std^2 * E diag(lambda) E^T = std^2 * cov (per-channel standard deviation about 6.3 here).
        for (int a = 0; a < 3; a++) {
            double sd = Math.sqrt(std * std * cov[a][a]);
            assertEquals(0, sum[a] / n, 5 * sd / Math.sqrt(n), "mean shift of channel " + a);
            for (int b = 0; b < 3; b++) {
                assertEquals(std * std * cov[a][b], prod[a][b] / n, 0.05 * std * std * 4200, "covariance " + a + "," + b);
            }
        }
    }

    private static float[] filled(int n, float v) {
        float[] d = new float[n];
        Arrays.fill(d, v);
        return d;
    }

    @Test
    void meanIsSubtracted() {
        ColourStats stats = ColourStats.of(new double[] {10, 20.5, 30}, new double[3][3]);
        RgbImage img = positions(8, 8);
        Augmenter aug = new Augmenter(new AugmentSettings(8, 8, 8, false, 0.1), stats);
        float[] out = new float[aug.outputLength() + 5];
        aug.augment(img, new Random(5), out, 5);
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 64; i++) {
                assertEquals(img.data()[c * 64 + i] - stats.mean()[c], out[5 + c * 64 + i], 1e-4);
            }
        }
        // Zero covariance: the colour shift adds nothing even when enabled.
        assertEquals(0, out[0]);
    }

    @Test
    void sameSeedSameOutput() {
        ColourStats stats = ColourStats.of(new double[] {100, 90, 80}, new double[][] {{900, 400, 100}, {400, 800, 300}, {100, 300, 700}});
        Augmenter aug = new Augmenter(AugmentSettings.jittered(24, 28, 40), stats);
        RgbImage img = positions(30, 25);
        Random a = new Random(42);
        Random b = new Random(42);
        Random c = new Random(43);
        boolean differs = false;
        for (int k = 0; k < 20; k++) {
            float[] x = run(aug, img, a);
            assertArrayEquals(x, run(aug, img, b), 0);
            differs |= !Arrays.equals(x, run(aug, img, c));
        }
        assertTrue(differs);
    }

    @Test
    void rescalesBeforeCropping() {
        // 28 -> S = 56 doubles the image; a crop at (x0, y0) equals the same window of the rescaled image.
        RgbImage img = positions(28, 28);
        Augmenter aug = new Augmenter(new AugmentSettings(32, 56, 56, false, 0), ZERO);
        RecordingRandom rnd = new RecordingRandom(6);
        float[] out = run(aug, img, rnd);
        int x0 = rnd.draws.get(1)[1];
        int y0 = rnd.draws.get(2)[1];
        assertArrayEquals(Resize.isotropic(img, 56).crop(x0, y0, 32, 32).data(), out, 1e-3f);
    }

    @Test
    void centerTakesTheMiddleWindowWithoutRandomness() {
        ColourStats stats = ColourStats.of(new double[] {1, 2, 3}, new double[3][3]);
        Augmenter aug = new Augmenter(AugmentSettings.fixed(16, 20), stats);
        RgbImage img = positions(31, 20);
        float[] out = new float[aug.outputLength()];
        aug.center(img, 20, out, 0);
        RgbImage expected = img.crop((31 - 16) / 2, (20 - 16) / 2, 16, 16);
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 256; i++) {
                assertEquals(expected.data()[c * 256 + i] - (c + 1), out[c * 256 + i], 1e-4);
            }
        }
        // Rescaled first: 31x20 at Q = 40 is 62x40.
        aug.center(img, 40, out, 0);
        assertEquals(Resize.isotropic(img, 40).crop(23, 12, 16, 16).data()[0] - 1, out[0], 1e-3f);
    }

    @Test
    void scalesBelowTheCropAreRefusedNamingTheFlag() {
        UserException e = assertThrows(UserException.class, () -> new AugmentSettings(32, 28, 28, true, 0.1));
        assertTrue(e.getMessage().contains("--scale"), e.getMessage());
        assertTrue(e.getMessage().contains("32"), e.getMessage());
        assertThrows(UserException.class, () -> new AugmentSettings(32, 40, 36, true, 0.1));
        assertThrows(UserException.class, () -> new AugmentSettings(32, 40, 40, true, -0.1));
        assertThrows(UserException.class, () -> new AugmentSettings(32, 40, 40, true, Double.NaN));
        Augmenter aug = new Augmenter(AugmentSettings.fixed(32, 37), ZERO);
        e = assertThrows(UserException.class, () -> aug.center(positions(28, 28), 28, new float[aug.outputLength()], 0));
        assertTrue(e.getMessage().contains("--scale"), e.getMessage());
        assertFalse(AugmentSettings.fixed(32, 37).multiScale());
        assertEquals("crop 224, S [256,512], flip on, colour shift std 0.1", AugmentSettings.jittered(224, 256, 512).toString());
    }
}
