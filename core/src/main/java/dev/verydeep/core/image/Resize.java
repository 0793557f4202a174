package dev.verydeep.core.image;

/**
 * Image rescaling as PIL's {@code Image.resize(..., BILINEAR)} does it on float images, so that our
 * preprocessing matches what Python pipelines feed their nets: a triangle filter whose support grows with the
 * shrink factor (antialiasing when shrinking, plain bilinear interpolation when enlarging), pixel centres
 * aligned ({@code src = (dst + 0.5) / scale - 0.5}), and weights renormalised at the borders. Separable: one
 * horizontal and one vertical pass with weights precomputed per output column and row.
 */
public final class Resize {
    private Resize() {
    }

    /**
     * Rescales isotropically so that the smaller side becomes {@code smallestSide} and the other side
     * {@code round(side * scale)} (at least 1). This is the paper's training scale S and test scale Q.
     */
    public static RgbImage isotropic(RgbImage img, int smallestSide) {
        int[] size = isotropicSize(img.width(), img.height(), smallestSide);
        return resize(img, size[0], size[1]);
    }

    /**
     * The {@code {width, height}} that {@link #isotropic} produces, without rescaling anything. For absurd
     * aspect ratios (a 1 x 100,000,000 strip at Q = 224) the long side saturates at {@link Integer#MAX_VALUE}
     * instead of wrapping around to a small, plausible and wrong size; callers check the pixel count.
     */
    public static int[] isotropicSize(int width, int height, int smallestSide) {
        if (smallestSide < 1) {
            throw new IllegalArgumentException("smallest side must be positive, got " + smallestSide);
        }
        if (width <= height) {
            return new int[] {smallestSide, otherSide(height, width, smallestSide)};
        }
        return new int[] {otherSide(width, height, smallestSide), smallestSide};
    }

    private static int otherSide(int side, int smallSide, int target) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, Math.round((double) side * target / smallSide)));
    }

    /** Rescales to exactly {@code width x height} (the aspect ratio may change). */
    public static RgbImage resize(RgbImage img, int width, int height) {
        return resizeCrop(img, width, height, 0, 0, width, height);
    }

    /**
     * The {@code cropW x cropH} window at {@code (x0, y0)} of the image rescaled to {@code width x height},
     * computing only the pixels of the window. Equal to {@code resize(img, width, height).crop(x0, y0, cropW, cropH)},
     * but the cost scales with the window: training takes one 224 crop from an image rescaled to S = 512.
     */
    public static RgbImage resizeCrop(RgbImage img, int width, int height, int x0, int y0, int cropW, int cropH) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("target size must be positive, got " + width + "x" + height);
        }
        if (x0 < 0 || y0 < 0 || cropW < 1 || cropH < 1 || x0 + cropW > width || y0 + cropH > height) {
            throw new IllegalArgumentException("window " + cropW + "x" + cropH + "+" + x0 + "+" + y0 + " outside " + width + "x" + height);
        }
        int inW = img.width();
        int inH = img.height();
        if (inW == width && inH == height) {
            return (x0 == 0 && y0 == 0 && cropW == width && cropH == height) ? img : img.crop(x0, y0, cropW, cropH);
        }
        float[] src = img.data();
        // Horizontal pass: only the source rows the vertical pass reads.
        Weights wx = inW == width ? null : Weights.of(inW, width, x0, cropW);
        Weights wy = inH == height ? null : Weights.of(inH, height, y0, cropH);
        int rowLo = wy == null ? y0 : wy.start[0];
        int rowHi = wy == null ? y0 + cropH : wy.end();
        int rows = rowHi - rowLo;
        float[] tmp = new float[3 * rows * cropW];
        for (int c = 0; c < 3; c++) {
            for (int r = 0; r < rows; r++) {
                int srcBase = (c * inH + rowLo + r) * inW;
                int dstBase = (c * rows + r) * cropW;
                if (wx == null) {
                    System.arraycopy(src, srcBase + x0, tmp, dstBase, cropW);
                    continue;
                }
                for (int x = 0; x < cropW; x++) {
                    int s = srcBase + wx.start[x];
                    int n = wx.count[x];
                    int wb = x * wx.stride;
                    float sum = 0;
                    for (int k = 0; k < n; k++) {
                        sum += wx.weight[wb + k] * src[s + k];
                    }
                    tmp[dstBase + x] = sum;
                }
            }
        }
        if (wy == null) {
            return new RgbImage(cropW, cropH, tmp);
        }
        // Vertical pass: each output row is a weighted sum of whole temporary rows (a vectorisable inner loop).
        float[] out = new float[3 * cropW * cropH];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < cropH; y++) {
                int dstBase = (c * cropH + y) * cropW;
                int n = wy.count[y];
                int wb = y * wy.stride;
                for (int k = 0; k < n; k++) {
                    float w = wy.weight[wb + k];
                    int srcBase = (c * rows + wy.start[y] - rowLo + k) * cropW;
                    for (int x = 0; x < cropW; x++) {
                        out[dstBase + x] += w * tmp[srcBase + x];
                    }
                }
            }
        }
        return new RgbImage(cropW, cropH, out);
    }

    /** Filter taps along one axis for output positions {@code first .. first + n - 1}. */
    static final class Weights {
        final int[] start;
        final int[] count;
        final float[] weight;
        final int stride;

        private Weights(int[] start, int[] count, float[] weight, int stride) {
            this.start = start;
            this.count = count;
            this.weight = weight;
            this.stride = stride;
        }

        /** One past the last source index any tap reads. */
        int end() {
            int e = 0;
            for (int i = 0; i < start.length; i++) {
                e = Math.max(e, start[i] + count[i]);
            }
            return e;
        }

        /** PIL's precompute_coeffs for the triangle (bilinear) filter of support 1. */
        static Weights of(int inSize, int outSize, int first, int n) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(1.0, scale);
            double support = filterScale;
            double ss = 1.0 / filterScale;
            int stride = (int) Math.ceil(support) * 2 + 1;
            int[] start = new int[n];
            int[] count = new int[n];
            float[] weight = new float[n * stride];
            double[] w = new double[stride];
            for (int i = 0; i < n; i++) {
                double centre = (first + i + 0.5) * scale;
                int lo = Math.max((int) (centre - support + 0.5), 0);
                int hi = Math.min((int) (centre + support + 0.5), inSize);
                int taps = hi - lo;
                double total = 0;
                for (int k = 0; k < taps; k++) {
                    double t = Math.abs((lo + k - centre + 0.5) * ss);
                    w[k] = t < 1.0 ? 1.0 - t : 0.0;
                    total += w[k];
                }
                // Trim zero taps at both ends so the inner loops do no useless work.
                int a = 0;
                int b = taps;
                while (b - a > 1 && w[a] == 0) {
                    a++;
                }
                while (b - a > 1 && w[b - 1] == 0) {
                    b--;
                }
                start[i] = lo + a;
                count[i] = b - a;
                for (int k = a; k < b; k++) {
                    weight[i * stride + k - a] = (float) (total == 0 ? 0 : w[k] / total);
                }
            }
            return new Weights(start, count, weight, stride);
        }
    }
}
