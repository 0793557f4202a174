package dev.verydeep.core.image;

import dev.verydeep.core.UserException;

/**
 * The paper's training augmentation (section 3.1) as one value: crop size, training scale S (fixed when
 * {@code scaleMin == scaleMax}, else jittered uniformly over the integers {@code [scaleMin, scaleMax]}),
 * random horizontal flips, and AlexNet's PCA colour shift ({@code colourShiftStd} = 0.1 as in AlexNet, 0
 * disables it). Validated on construction, so a bad flag fails before training starts.
 *
 * @param crop side of the square training crop (224 in the paper)
 * @param scaleMin smallest training scale S (smallest image side after isotropic rescaling)
 * @param scaleMax largest training scale S
 * @param flip random horizontal flip with probability 0.5
 * @param colourShiftStd standard deviation of the PCA colour-shift coefficients
 */
public record AugmentSettings(int crop, int scaleMin, int scaleMax, boolean flip, double colourShiftStd) {

    public AugmentSettings {
        if (crop < 1) {
            throw new UserException("crop size must be positive, got " + crop);
        }
        if (scaleMin < crop) {
            throw new UserException("--scale/--scale-jitter: training scale S = " + scaleMin + " is smaller than the crop size "
                    + crop + " (S must be >= crop)");
        }
        if (scaleMax < scaleMin) {
            throw new UserException("--scale-jitter: largest scale " + scaleMax + " is smaller than the smallest " + scaleMin);
        }
        if (!(colourShiftStd >= 0) || Double.isInfinite(colourShiftStd)) {
            throw new UserException("colour shift standard deviation must be a finite number >= 0, got " + colourShiftStd);
        }
    }

    /** Fixed scale S, flips and AlexNet's colour shift (std 0.1): the paper's single-scale training. */
    public static AugmentSettings fixed(int crop, int scale) {
        return new AugmentSettings(crop, scale, scale, true, 0.1);
    }

    /** S jittered over {@code [scaleMin, scaleMax]}, flips and AlexNet's colour shift: the paper's multi-scale training. */
    public static AugmentSettings jittered(int crop, int scaleMin, int scaleMax) {
        return new AugmentSettings(crop, scaleMin, scaleMax, true, 0.1);
    }

    /** True when S is jittered. */
    public boolean multiScale() {
        return scaleMax > scaleMin;
    }

    /** "crop 224, S 256" or "crop 224, S [256,512]", then flip and colour shift: for reports. */
    @Override
    public String toString() {
        return "crop " + crop + ", S " + (multiScale() ? "[" + scaleMin + "," + scaleMax + "]" : Integer.toString(scaleMin))
                + ", flip " + (flip ? "on" : "off") + ", colour shift " + (colourShiftStd > 0 ? "std " + colourShiftStd : "off");
    }
}
