package dev.verydeep.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The localisation form of the augmentation: the target box follows the object through rescale, crop and flip. */
class AugmenterBoxTest {
    private static final ColourStats ZERO = ColourStats.of(new double[3], new double[3][3]);

    /** A dark image with a white rectangle covering exactly the pixels of {@code box} (integer corners). */
    static RgbImage withRectangle(int w, int h, Box box) {
        float[] d = new float[3 * w * h];
        for (int c = 0; c < 3; c++) {
            for (int y = (int) box.y0(); y < box.y1(); y++) {
                for (int x = (int) box.x0(); x < box.x1(); x++) {
                    d[(c * h + y) * w + x] = 255;
                }
            }
        }
        return new RgbImage(w, h, d);
    }

    /** Bounds {x0, y0, x1, y1} (continuous, exclusive end) of the pixels brighter than half in channel 0; null if none. */
    static double[] whiteBounds(float[] out, int crop) {
        int x0 = crop;
        int y0 = crop;
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < crop; y++) {
            for (int x = 0; x < crop; x++) {
                if (out[y * crop + x] > 127.5f) {
                    x0 = Math.min(x0, x);
                    y0 = Math.min(y0, y);
                    x1 = Math.max(x1, x);
                    y1 = Math.max(y1, y);
                }
            }
        }
        return x1 < 0 ? null : new double[] {x0, y0, x1 + 1, y1 + 1};
    }

    @Test
    void theTargetEncodesTheWhitePixelsAfterRescaleCropAndFlip() {
        int crop = 32;
        Augmenter aug = new Augmenter(new AugmentSettings(crop, 40, 72, true, 0), ZERO);
        Random shapes = new Random(5);
        int flipped = 0;
        int clipped = 0;
        for (int k = 0; k < 300; k++) {
            int w = 60 + shapes.nextInt(90);
            int h = 60 + shapes.nextInt(90);
            int bw = 8 + shapes.nextInt(w / 2);
            int bh = 8 + shapes.nextInt(h / 2);
            int bx = shapes.nextInt(w - bw + 1);
            int by = shapes.nextInt(h - bh + 1);
            Box box = new Box(bx, by, bx + bw, by + bh);
            float[] out = new float[aug.outputLength()];
            Random rnd = new Random(k);
            Box target = aug.augment(withRectangle(w, h, box), box, rnd, out, 0);
            double[] white = whiteBounds(out, crop);
            assertTrue(white != null, "sample " + k + ": the object's centre is in the crop, so some of it is visible");
            // The target is the whole object: its part inside the crop and the white pixels' bounds agree to within a
            // pixel (resampling blur), and its area is the object's after the rescale (flip and crop keep areas).
            float[] enc = target.clip(crop, crop).encode(0, 0, crop);
            float[] seen = new Box(white[0], white[1], white[2], white[3]).encode(0, 0, crop);
            assertArrayEquals(seen, enc, 1.01f / crop, "sample " + k + ": " + box + " in " + w + "x" + h + " -> " + target);
            // The object's centre lies in the crop (before clipping; a clipped box still contains it).
            assertTrue(target.width() > 0 && target.height() > 0);
            assertTrue(target.centreX() >= 0 && target.centreX() <= crop && target.centreY() >= 0 && target.centreY() <= crop,
                    "sample " + k + ": the object's centre is in the crop: " + target);
            int[] size = Resize.isotropicSize(w, h, 40 + new Random(k).nextInt(72 - 40 + 1)); // the augmenter's first draw: S
            assertEquals(box.area() * size[0] / w * size[1] / h, target.area(), 1e-6 * target.area(), "sample " + k + ": the whole object");
            if (target.x0() < -1 || target.y0() < -1 || target.x1() > crop + 1 || target.y1() > crop + 1) {
                clipped++; // the target leaves the crop by more than the blur: the white pixels reach that edge
                assertTrue(target.x0() >= -1 || white[0] == 0, "sample " + k + ": left edge " + target);
                assertTrue(target.y0() >= -1 || white[1] == 0, "sample " + k + ": top edge " + target);
                assertTrue(target.x1() <= crop + 1 || white[2] == crop, "sample " + k + ": right edge " + target);
                assertTrue(target.y1() <= crop + 1 || white[3] == crop, "sample " + k + ": bottom edge " + target);
            }
            if (flippedSample(aug, w, h, box, k)) {
                flipped++;
            }
        }
        assertTrue(flipped > 100 && flipped < 200, "about half the samples are flipped: " + flipped);
        assertTrue(clipped > 10, "some objects leave the crop: " + clipped);
    }

    /** Whether sample {@code k} was flipped: the same draws on a left-to-right ramp show it. */
    private static boolean flippedSample(Augmenter aug, int w, int h, Box box, int k) {
        float[] d = new float[3 * w * h];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    d[(c * h + y) * w + x] = x;
                }
            }
        }
        float[] out = new float[aug.outputLength()];
        aug.augment(new RgbImage(w, h, d), box, new Random(k), out, 0);
        return out[0] > out[31];
    }

    @Test
    void anObjectRarelyCoveredByRandomCropsGetsTheCropCentredOnIt() {
        int crop = 32;
        Augmenter aug = new Augmenter(new AugmentSettings(crop, 200, 200, false, 0), ZERO);
        // A 6x6 object in the corner of a 400x200 image: random 32-crops of the 400x200 image seldom hold its centre.
        Box box = new Box(380, 190, 386, 196);
        RgbImage img = withRectangle(400, 200, box);
        for (int k = 0; k < 50; k++) {
            float[] out = new float[aug.outputLength()];
            Box target = aug.augment(img, box, new Random(k), out, 0);
            assertTrue(target.centreX() >= 0 && target.centreX() < crop && target.centreY() >= 0 && target.centreY() < crop,
                    "sample " + k + ": " + target);
            double[] white = whiteBounds(out, crop);
            assertTrue(white != null, "sample " + k);
            assertEquals(target.x0(), white[0], 1.0);
            assertEquals(target.y1(), white[3], 1.0);
        }
    }

    @Test
    void withoutABoxTheDrawsAndPixelsAreTheClassificationOnes() {
        Augmenter aug = new Augmenter(new AugmentSettings(32, 37, 55, true, 0.1), ColourStats.of(new double[] {10, 20, 30},
                new double[][] {{400, 0, 0}, {0, 300, 0}, {0, 0, 200}}));
        RgbImage img = withRectangle(70, 50, new Box(10, 10, 30, 30));
        float[] a = new float[aug.outputLength()];
        float[] b = new float[aug.outputLength()];
        Random ra = new Random(3);
        Random rb = new Random(3);
        aug.augment(img, ra, a, 0);
        assertEquals(null, aug.augment(img, null, rb, b, 0));
        assertArrayEquals(a, b, 0f);
        assertEquals(ra.nextLong(), rb.nextLong(), "same number of draws");
    }
}
