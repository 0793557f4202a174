package dev.verydeep.core.image;

/**
 * A decoded RGB image as planar float data, channel-major ({@code C x H x W}, R then G then B), values in
 * 0..255. Grey images carry three equal planes. Immutable by convention: operations return new images.
 */
public final class RgbImage {
    private final int width;
    private final int height;
    private final float[] data;

    public RgbImage(int width, int height, float[] data) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (data.length != 3 * width * height) {
            throw new IllegalArgumentException("expected " + (3 * width * height) + " values for " + width + "x" + height + ", got " + data.length);
        }
        this.width = width;
        this.height = height;
        this.data = data;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The planar CHW data (not copied; do not modify). */
    public float[] data() {
        return data;
    }

    public float get(int c, int y, int x) {
        return data[(c * height + y) * width + x];
    }

    /** The {@code w x h} window whose top-left corner is {@code (x0, y0)}; it must lie inside the image. */
    public RgbImage crop(int x0, int y0, int w, int h) {
        if (x0 < 0 || y0 < 0 || x0 + w > width || y0 + h > height) {
            throw new IllegalArgumentException("crop " + w + "x" + h + "+" + x0 + "+" + y0 + " outside " + width + "x" + height);
        }
        float[] out = new float[3 * w * h];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(data, (c * height + y0 + y) * width + x0, out, (c * h + y) * w, w);
            }
        }
        return new RgbImage(w, h, out);
    }

    /** The mirror image (left and right swapped). */
    public RgbImage flipHorizontal() {
        float[] out = new float[data.length];
        for (int row = 0; row < 3 * height; row++) {
            int base = row * width;
            for (int x = 0; x < width; x++) {
                out[base + x] = data[base + width - 1 - x];
            }
        }
        return new RgbImage(width, height, out);
    }
}
