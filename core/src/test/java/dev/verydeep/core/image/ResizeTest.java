package dev.verydeep.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ResizeTest {
    private static final float EPS = 1e-3f;

    /** Grey image from row-major values (three equal planes). */
    static RgbImage grey(int w, int h, double... v) {
        float[] d = new float[3 * w * h];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < w * h; i++) {
                d[c * w * h + i] = (float) v[i];
            }
        }
        return new RgbImage(w, h, d);
    }

    static float[] plane(RgbImage img, int c) {
        int n = img.width() * img.height();
        float[] p = new float[n];
        System.arraycopy(img.data(), c * n, p, 0, n);
        return p;
    }

    static float[] floats(double... v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    @Test
    void upscale2x2To4x4ByHand() {
        // Output centres in source coordinates are 0.25, 0.75, 1.25, 1.75; source pixel centres 0.5 and 1.5.
        // Triangle weights: [1, 0] (border renormalised), [3/4, 1/4], [1/4, 3/4], [0, 1].
        double a = 10, b = 50, c = 90, d = 170;
        RgbImage out = Resize.resize(grey(2, 2, a, b, c, d), 4, 4);
        double[] wts = {1, 0.75, 0.25, 0};
        double[] expected = new double[16];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                double top = wts[x] * a + (1 - wts[x]) * b;
                double bottom = wts[x] * c + (1 - wts[x]) * d;
                expected[y * 4 + x] = wts[y] * top + (1 - wts[y]) * bottom;
            }
        }
        for (int ch = 0; ch < 3; ch++) {
            assertArrayEquals(floats(expected), plane(out, ch), EPS);
        }
        assertEquals(42.5f, out.get(0, 1, 1), EPS); // .75*(.75a+.25b) + .25*(.75c+.25d) = .75*20 + .25*110
    }

    @Test
    void halvingUsesTheTriangleOfSupportTwo() {
        // Shrink 8 -> 4: filter scale 2, support 2. Output o has centre 2o+1; source pixel j is weighted by
        // tri(((j + 0.5) - (2o + 1)) / 2): interior taps 1/4, 3/4, 3/4, 1/4 (normalised: 1/8, 3/8, 3/8, 1/8);
        // at the left border the tap j = -1 falls outside, leaving 3/4, 3/4, 1/4 -> 3/7, 3/7, 1/7; at the right
        // border j = 8 falls outside, leaving 1/4, 3/4, 3/4 -> 1/7, 3/7, 3/7.
        double[] src = {3, 17, 40, 8, 99, 120, 64, 5};
        RgbImage out = Resize.resize(grey(8, 1, src), 4, 1);
        double[] expected = {
            (3 * src[0] + 3 * src[1] + src[2]) / 7,
            (src[1] + 3 * src[2] + 3 * src[3] + src[4]) / 8,
            (src[3] + 3 * src[4] + 3 * src[5] + src[6]) / 8,
            (src[5] + 3 * src[6] + 3 * src[7]) / 7,
        };
        assertArrayEquals(floats(expected), plane(out, 0), EPS);
        // And it is not the 2x2 box mean.
        assertEquals(10.0, (src[0] + src[1]) / 2, 0);
        assertEquals(100f / 7, plane(out, 0)[0], EPS); // (3*3 + 3*17 + 40) / 7
    }

    @Test
    void constantImagesStayConstant() {
        float[] d = new float[3 * 91];
        java.util.Arrays.fill(d, 0, 91, 200f);
        java.util.Arrays.fill(d, 91, 182, 3f);
        java.util.Arrays.fill(d, 182, 273, 77.5f);
        RgbImage img = new RgbImage(13, 7, d);
        for (int[] size : new int[][] {{37, 19}, {4, 3}, {1, 1}, {13, 30}, {6, 7}}) {
            RgbImage out = Resize.resize(img, size[0], size[1]);
            for (int i = 0; i < size[0] * size[1]; i++) {
                assertEquals(200f, plane(out, 0)[i], EPS);
                assertEquals(3f, plane(out, 1)[i], EPS);
                assertEquals(77.5f, plane(out, 2)[i], EPS);
            }
        }
    }

    @Test
    void linearRampStaysLinearInTheInteriorOnUpscaling() {
        int w = 10;
        double[] ramp = new double[w];
        for (int x = 0; x < w; x++) {
            ramp[x] = 5 + 20 * x;
        }
        int outW = 37;
        RgbImage out = Resize.resize(grey(w, 1, ramp), outW, 1);
        double scale = (double) w / outW;
        for (int x = 0; x < outW; x++) {
            double src = (x + 0.5) * scale - 0.5;
            if (src >= 0 && src <= w - 1) {
                assertEquals(5 + 20 * src, out.get(0, 0, x), EPS, "x=" + x);
            }
        }
    }

    @Test
    void matchesPilBilinearOnFloatImages() {
        // Reference values from PIL 9.4: Image.new('F', (w, h)).putdata(src).resize((W, H), Image.BILINEAR),
        // src[y*w + x] = (37x + 91y + (xy mod 7) * 11) mod 256.
        check(5, 3, 8, 7, new double[] {0.0, 16.1875, 39.3125, 62.4375, 85.5625, 108.6875, 131.8125, 148.0, 13.0, 29.875, 53.9821,
            78.0893, 102.1964, 126.3036, 129.8393, 130.7143, 52.0, 70.9375, 97.9911, 125.0446, 152.0982, 179.1518, 123.9196, 78.8571,
            91.0, 112.0, 142.0, 172.0, 202.0, 232.0, 118.0, 27.0, 130.0, 153.0625, 179.1518, 143.5268, 142.1875, 175.1339, 107.2321,
            51.8571, 169.0, 194.125, 216.3036, 115.0536, 82.375, 118.2679, 96.4643, 76.7143, 182.0, 207.8125, 228.6875, 105.5625,
            62.4375, 99.3125, 92.875, 85.0});
        check(7, 5, 3, 2, new double[] {108.039, 129.9786, 135.4058, 129.1006, 121.639, 126.6429});
        check(9, 6, 4, 4, new double[] {68.2, 128.0671, 138.2896, 81.95, 151.7492, 125.8184, 126.8076, 161.4286, 114.8698,
            128.4905, 127.5745, 96.4857, 121.7143, 81.1463, 139.5, 138.9107});
        check(4, 4, 4, 9, new double[] {0.0, 37.0, 74.0, 111.0, 15.1667, 54.0, 92.8333, 131.6667, 55.6111, 99.3333, 143.0556,
            186.7778, 96.0556, 144.6667, 179.0556, 227.6667, 136.5, 190.0, 115.5, 169.0, 176.9444, 235.3333, 51.9444, 110.3333,
            117.8333, 181.1111, 87.9444, 121.2778, 44.5, 112.6667, 138.1667, 142.1667, 17.0, 87.0, 157.0, 150.0});
    }

    private static void check(int w, int h, int outW, int outH, double[] expected) {
        double[] src = new double[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                src[y * w + x] = (37 * x + 91 * y + (x * y) % 7 * 11) % 256;
            }
        }
        RgbImage out = Resize.resize(grey(w, h, src), outW, outH);
        assertArrayEquals(floats(expected), plane(out, 0), EPS, w + "x" + h + " -> " + outW + "x" + outH);
    }

    @Test
    void isotropicKeepsTheAspectRatio() {
        RgbImage img = grey(40, 30, new double[1200]);
        RgbImage out = Resize.isotropic(img, 15);
        assertEquals(20, out.width());
        assertEquals(15, out.height());
        assertArrayEquals(new int[] {256, 341}, Resize.isotropicSize(375, 500, 256)); // 500 * 256 / 375 = 341.33
        assertArrayEquals(new int[] {683, 512}, Resize.isotropicSize(500, 375, 512)); // 682.67
        assertArrayEquals(new int[] {37, 37}, Resize.isotropicSize(28, 28, 37));
        assertArrayEquals(new int[] {2000, 2}, Resize.isotropicSize(1000, 1, 2));
        assertArrayEquals(new int[] {1, 1000}, Resize.isotropicSize(1, 1000, 1));
        assertArrayEquals(new int[] {3, 1}, Resize.isotropicSize(3000, 1000, 1));
        assertArrayEquals(new int[] {2, 1}, Resize.isotropicSize(1000, 600, 1)); // round(1.667) = 2
    }

    @Test
    void sameSizeReturnsTheImage() {
        RgbImage img = grey(3, 2, 1, 2, 3, 4, 5, 6);
        assertSame(img, Resize.resize(img, 3, 2));
    }

    @Test
    void resizeCropEqualsResizeThenCrop() {
        Random rnd = new Random(5);
        for (int trial = 0; trial < 40; trial++) {
            int w = 1 + rnd.nextInt(30);
            int h = 1 + rnd.nextInt(30);
            float[] d = new float[3 * w * h];
            for (int i = 0; i < d.length; i++) {
                d[i] = rnd.nextInt(256);
            }
            RgbImage img = new RgbImage(w, h, d);
            int outW = 1 + rnd.nextInt(40);
            int outH = 1 + rnd.nextInt(40);
            int cw = 1 + rnd.nextInt(outW);
            int ch = 1 + rnd.nextInt(outH);
            int x0 = rnd.nextInt(outW - cw + 1);
            int y0 = rnd.nextInt(outH - ch + 1);
            RgbImage full = Resize.resize(img, outW, outH).crop(x0, y0, cw, ch);
            RgbImage window = Resize.resizeCrop(img, outW, outH, x0, y0, cw, ch);
            assertArrayEquals(full.data(), window.data(), 1e-4f, w + "x" + h + " -> " + outW + "x" + outH);
        }
    }
}
