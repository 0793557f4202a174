package dev.verydeep.core.image;

import dev.verydeep.core.UserException;
import java.util.Objects;
import java.util.Random;

/**
 * Turns a decoded image into one training input the paper's way (section 3.1): isotropic rescale to a
 * (possibly jittered) scale S, one random crop, a random horizontal flip, AlexNet's PCA colour shift, then
 * subtraction of the training-set mean RGB. {@link #center} is the deterministic validation counterpart.
 * Stateless apart from its settings, so one instance serves all worker threads (each with its own
 * {@link Random}).
 *
 * <p><b>Draws from {@code rnd}, in this fixed order, every call, whatever the settings</b> (so a seed gives the
 * same stream of inputs and every image consumes the same draws):
 * <ol>
 *   <li>{@code S = scaleMin + rnd.nextInt(scaleMax - scaleMin + 1)};</li>
 *   <li>{@code x0 = rnd.nextInt(width - crop + 1)}, then {@code y0 = rnd.nextInt(height - crop + 1)}, the
 *       top-left corner of the crop in the image rescaled to S (the box form may draw more pairs here, see
 *       {@link #augment(RgbImage, Box, Random, float[], int)});</li>
 *   <li>{@code flip = rnd.nextBoolean()} (applied only if flips are on);</li>
 *   <li>{@code a_1, a_2, a_3 = rnd.nextGaussian()} three times (used only if the colour shift is on).</li>
 * </ol>
 *
 * <p><b>Colour shift.</b> AlexNet adds {@code sum_i alpha_i lambda_i e_i} to every pixel, with
 * {@code alpha_i ~ N(0, 0.1)} and {@code (lambda_i, e_i)} the eigen-pairs of the RGB covariance. Taken literally
 * with the covariance of 0..255 values (eigenvalues in the thousands) that shift has a standard deviation of
 * hundreds of grey levels, which wipes out the image. The widely used implementations use ImageNet
 * "eigenvalues" of 55.46, 4.79, 1.15 for 0..255 data (MXNet's {@code LightingAug}; 0.2175, 0.0188, 0.0045 for
 * 0..1 data in fb.resnet.torch), a standard-deviation scale. We do the same with our own statistics: the
 * shift is {@code sum_i alpha_i sqrt(lambda_i) e_i}, {@code alpha_i ~ N(0, colourShiftStd)}, so its covariance
 * is {@code colourShiftStd^2} times the pixel covariance (std 0.1: a shift of 10% of the colour spread; about 9
 * grey levels on Fashion-MNIST). Values are not clipped to 0..255.
 */
public final class Augmenter {
    private final AugmentSettings settings;
    private final ColourStats stats;
    /** Channel c of the shift for unit coefficients: {@code sqrt(lambda_i) e_i[c]}, as [c][i]. */
    private final double[][] basis = new double[3][3];
    /** Multiplies every output value after mean subtraction (1 keeps 0..255 units; 1/255 gives unit range). */
    private final float inputScale;

    public Augmenter(AugmentSettings settings, ColourStats stats) {
        this(settings, stats, 1f);
    }

    /**
     * @param inputScale factor applied after mean subtraction: the net sees {@code (x + shift - mean) * inputScale}
     *     (1, the paper's, keeps 0..255 units)
     */
    public Augmenter(AugmentSettings settings, ColourStats stats, float inputScale) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.stats = Objects.requireNonNull(stats, "stats");
        if (!(inputScale > 0)) {
            throw new IllegalArgumentException("input scale must be positive, got " + inputScale);
        }
        this.inputScale = inputScale;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 3; i++) {
                basis[c][i] = Math.sqrt(Math.max(0, stats.eigenvalues()[i])) * stats.eigenvectors()[c][i];
            }
        }
    }

    public AugmentSettings settings() {
        return settings;
    }

    public ColourStats stats() {
        return stats;
    }

    /** Floats written per image: {@code 3 * crop * crop}. */
    public int outputLength() {
        return 3 * settings.crop() * settings.crop();
    }

    /**
     * Writes one augmented {@code 3 x crop x crop} input (CHW, mean subtracted) to {@code out[offset ..]}, drawing
     * from {@code rnd} in the documented order.
     */
    public void augment(RgbImage img, Random rnd, float[] out, int offset) {
        augment(img, null, rnd, out, offset);
    }

    /**
     * Like {@link #augment(RgbImage, Random, float[], int)} for a localisation net: also returns where the object
     * {@code box} (in {@code img}'s pixel coordinates) ends up in the written crop's coordinates, after the same
     * rescale, crop and flip. The box is not clipped to the crop: a window that sees part of an object learns the
     * whole object's extent (as OverFeat's regressor does), so the windows of a dense application agree on the
     * object's box and merging them gives it (clipped targets taught each window only its visible part: measured,
     * docs/localisation-fashion.md). A crop is accepted only when the object's centre lies inside it: after the
     * drawn corner, up to {@value #CROP_TRIES} - 1 more corners are drawn (two draws each, before the flip draw),
     * then the crop centred on the object is taken. With {@code box == null} it draws and writes exactly what the
     * classification form does, and returns {@code null}.
     */
    public Box augment(RgbImage img, Box box, Random rnd, float[] out, int offset) {
        int crop = settings.crop();
        int s = settings.scaleMin() + rnd.nextInt(settings.scaleMax() - settings.scaleMin() + 1);
        int[] size = Resize.isotropicSize(img.width(), img.height(), s);
        Box scaled = box == null ? null : box.scale((double) size[0] / img.width(), (double) size[1] / img.height());
        int x0 = rnd.nextInt(size[0] - crop + 1);
        int y0 = rnd.nextInt(size[1] - crop + 1);
        for (int tries = 1; scaled != null && !centreInside(scaled, x0, y0, crop); tries++) {
            if (tries == CROP_TRIES) {
                x0 = centredCorner(scaled.centreX(), size[0], crop);
                y0 = centredCorner(scaled.centreY(), size[1], crop);
                break;
            }
            x0 = rnd.nextInt(size[0] - crop + 1);
            y0 = rnd.nextInt(size[1] - crop + 1);
        }
        boolean flip = rnd.nextBoolean() && settings.flip();
        double a0 = rnd.nextGaussian();
        double a1 = rnd.nextGaussian();
        double a2 = rnd.nextGaussian();
        float[] add = new float[3];
        double std = settings.colourShiftStd();
        for (int c = 0; c < 3; c++) {
            double shift = std > 0 ? std * (a0 * basis[c][0] + a1 * basis[c][1] + a2 * basis[c][2]) : 0;
            add[c] = (float) (shift - stats.mean()[c]);
        }
        RgbImage window = Resize.resizeCrop(img, size[0], size[1], x0, y0, crop, crop);
        write(window, flip, add, out, offset);
        if (scaled == null) {
            return null;
        }
        Box inCrop = scaled.translate(-x0, -y0);
        return flip ? inCrop.flip(crop) : inCrop;
    }

    /** Crop corners drawn per localisation sample before the crop centred on the object is taken. */
    public static final int CROP_TRIES = 10;

    private static boolean centreInside(Box b, int x0, int y0, int crop) {
        return b.centreX() >= x0 && b.centreX() < x0 + crop && b.centreY() >= y0 && b.centreY() < y0 + crop;
    }

    private static int centredCorner(double centre, int side, int crop) {
        return (int) Math.max(0, Math.min(side - crop, Math.round(centre - crop / 2.0)));
    }

    /**
     * The central crop of {@link #center}: {@code {rescaled width, rescaled height, x0, y0}} of an image of
     * {@code width x height} rescaled isotropically to {@code scale}, the window's top-left corner at
     * {@code floor((side - crop) / 2)}.
     */
    public static int[] centreWindow(int width, int height, int scale, int crop) {
        int[] size = Resize.isotropicSize(width, height, scale);
        return new int[] {size[0], size[1], (size[0] - crop) / 2, (size[1] - crop) / 2};
    }

    /**
     * Writes the validation input: the image rescaled isotropically to {@code scale}, its central crop
     * (top-left corner at {@code floor((side - crop) / 2)}), minus the mean RGB. No randomness.
     */
    public void center(RgbImage img, int scale, float[] out, int offset) {
        int crop = settings.crop();
        if (scale < crop) {
            throw new UserException("--scale: validation scale " + scale + " is smaller than the crop size " + crop + " (must be >= crop)");
        }
        int[] w = centreWindow(img.width(), img.height(), scale, crop);
        RgbImage window = Resize.resizeCrop(img, w[0], w[1], w[2], w[3], crop, crop);
        float[] add = new float[3];
        for (int c = 0; c < 3; c++) {
            add[c] = (float) -stats.mean()[c];
        }
        write(window, false, add, out, offset);
    }

    private void write(RgbImage window, boolean flip, float[] add, float[] out, int offset) {
        int crop = settings.crop();
        if (offset < 0 || offset + outputLength() > out.length) {
            throw new IndexOutOfBoundsException("output needs " + outputLength() + " floats at offset " + offset + ", array has " + out.length);
        }
        float[] src = window.data();
        float k = inputScale;
        for (int c = 0; c < 3; c++) {
            float a = add[c];
            for (int y = 0; y < crop; y++) {
                int base = (c * crop + y) * crop;
                int o = offset + base;
                if (flip) {
                    for (int x = 0; x < crop; x++) {
                        out[o + x] = (src[base + crop - 1 - x] + a) * k;
                    }
                } else {
                    for (int x = 0; x < crop; x++) {
                        out[o + x] = (src[base + x] + a) * k;
                    }
                }
            }
        }
    }
}
