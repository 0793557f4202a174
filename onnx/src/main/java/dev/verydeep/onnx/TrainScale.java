package dev.verydeep.onnx;

import dev.verydeep.core.UserException;

/**
 * The training scale S (smallest side of the rescaled training image, paper 3.1): fixed when
 * {@code min == max}, jittered uniformly in {@code [min, max]} otherwise.
 */
public record TrainScale(int min, int max) {
    public TrainScale {
        if (min < 1 || max < min) {
            throw new UserException("training scale must satisfy 1 <= min <= max, got [" + min + ", " + max + "]");
        }
    }

    public static TrainScale fixed(int s) {
        return new TrainScale(s, s);
    }

    public static TrainScale jittered(int smin, int smax) {
        return new TrainScale(smin, smax);
    }

    public boolean isJittered() {
        return min != max;
    }

    @Override
    public String toString() {
        return isJittered() ? "[" + min + ";" + max + "]" : String.valueOf(min);
    }
}
