package dev.verydeep.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.verydeep.core.image.RgbImage;
import org.junit.jupiter.api.Test;

class PreprocessorTest {
    /** 2x1 image: left pixel (10, 20, 30), right pixel (200, 100, 0). */
    private static final RgbImage IMG = new RgbImage(2, 1, new float[] {10, 200, 20, 100, 30, 0});

    @Test
    void caffeIsBgrMinusMeanIn0To255() {
        float[] t = new Preprocessor(Preprocessing.caffe()).tensor(IMG, false);
        assertArrayEquals(new float[] {30 - 103.939f, 0 - 103.939f, 20 - 116.779f, 100 - 116.779f, 10 - 123.68f, 200 - 123.68f}, t, 1e-4f);
    }

    @Test
    void torchvisionIsRgbUnitRangeStandardised() {
        float[] t = new Preprocessor(Preprocessing.torchvision()).tensor(IMG, true);
        float[] e = {
            (200 / 255f - 0.485f) / 0.229f, (10 / 255f - 0.485f) / 0.229f,
            (100 / 255f - 0.456f) / 0.224f, (20 / 255f - 0.456f) / 0.224f,
            (0 / 255f - 0.406f) / 0.225f, (30 / 255f - 0.406f) / 0.225f};
        assertArrayEquals(e, t, 1e-5f);
    }

    @Test
    void mirroredWindowIsTheWindowOfTheMirroredImage() {
        float[] d = new float[3 * 7 * 5];
        for (int i = 0; i < d.length; i++) {
            d[i] = (i * 37) % 255;
        }
        RgbImage img = new RgbImage(7, 5, d);
        Preprocessor p = new Preprocessor(Preprocessing.caffe());
        float[] a = new float[3 * 3 * 2];
        float[] b = new float[3 * 3 * 2];
        p.write(img, 1, 2, 3, 2, true, a, 0);
        p.write(img.flipHorizontal(), 7 - 1 - 3, 2, 3, 2, false, b, 0);
        assertArrayEquals(b, a);
        float[] c = new float[3 * 3 * 2];
        p.write(img, 1, 2, 3, 2, false, c, 0);
        assertArrayEquals(p.tensor(img.crop(1, 2, 3, 2), false), c);
    }
}
