package dev.verydeep.onnx;

import dev.verydeep.core.image.Resize;
import dev.verydeep.core.image.RgbImage;

/**
 * Turns decoded images into a net's input values, as its {@link Preprocessing} profile says: pixel values
 * (0..255) to the profile's range, minus mean, divided by std, channels in the profile's order, CHW.
 * The one place evaluation and descriptor extraction prepare inputs.
 */
public final class Preprocessor {
    private final Preprocessing profile;
    private final float[] scale = new float[3];
    private final float[] offset = new float[3];
    /** Input channel c takes RGB channel source[c]. */
    private final int[] source;

    public Preprocessor(Preprocessing profile) {
        this.profile = profile;
        double toRange = profile.valueMax() / 255.0;
        for (int c = 0; c < 3; c++) {
            scale[c] = (float) (toRange / profile.stdRgb()[c]);
            offset[c] = (float) (-profile.meanRgb()[c] / profile.stdRgb()[c]);
        }
        source = profile.channelOrder() == Preprocessing.ChannelOrder.BGR ? new int[] {2, 1, 0} : new int[] {0, 1, 2};
    }

    public Preprocessing profile() {
        return profile;
    }

    /** The image rescaled isotropically so that its smaller side is {@code q} (section 3.2's test scale). */
    public static RgbImage rescale(RgbImage img, int q) {
        return Resize.isotropic(img, q);
    }

    /** Writes the whole image's input values (CHW, optionally mirrored) at {@code out[offset ..]}. */
    public void write(RgbImage img, boolean mirror, float[] out, int at) {
        write(img, 0, 0, img.width(), img.height(), mirror, out, at);
    }

    /**
     * Writes the input values (CHW, {@code 3 x h x w}) of the {@code w x h} window at {@code (x0, y0)},
     * optionally mirrored (the window's own left-right flip, i.e. the same crop taken from the mirrored
     * image at {@code x = width - x0 - w}), at {@code out[at ..]}. The window must lie inside the image.
     */
    public void write(RgbImage img, int x0, int y0, int w, int h, boolean mirror, float[] out, int at) {
        int iw = img.width();
        int ih = img.height();
        if (x0 < 0 || y0 < 0 || w < 1 || h < 1 || x0 + w > iw || y0 + h > ih) {
            throw new IllegalArgumentException("window " + w + "x" + h + "+" + x0 + "+" + y0 + " outside " + iw + "x" + ih);
        }
        float[] src = img.data();
        for (int c = 0; c < 3; c++) {
            int plane = source[c];
            float k = scale[plane];
            float b = offset[plane];
            for (int y = 0; y < h; y++) {
                int in = (plane * ih + y0 + y) * iw + x0;
                int o = at + (c * h + y) * w;
                if (mirror) {
                    for (int x = 0; x < w; x++) {
                        out[o + x] = src[in + w - 1 - x] * k + b;
                    }
                } else {
                    for (int x = 0; x < w; x++) {
                        out[o + x] = src[in + x] * k + b;
                    }
                }
            }
        }
    }

    /** The input values of the whole image as a new array of {@code 3 * w * h} floats. */
    public float[] tensor(RgbImage img, boolean mirror) {
        float[] out = new float[3 * img.width() * img.height()];
        write(img, mirror, out, 0);
        return out;
    }
}
