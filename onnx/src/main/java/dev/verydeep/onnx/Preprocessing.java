package dev.verydeep.onnx;

import dev.verydeep.core.UserException;
import java.util.Arrays;
import java.util.Locale;

/**
 * How pixels become the net's input: channel order, value range, and per-channel mean and standard
 * deviation. The input value of a channel is {@code (pixel - mean) / std}, where {@code pixel} is in
 * {@code [0, valueMax]} (255 or 1) and then placed in {@code channelOrder}. Mean and std are always
 * given in R, G, B order, whatever the channel order of the net's input.
 *
 * @param name         profile name ({@code caffe}, {@code torchvision}, {@code training-mean}, ...)
 * @param channelOrder order of the input's three channels
 * @param valueMax     top of the pixel value range: 255 for 0..255, 1 for 0..1
 * @param meanRgb      per-channel mean, R, G, B, in the value range
 * @param stdRgb       per-channel standard deviation, R, G, B (1, 1, 1 for mean subtraction only)
 */
public record Preprocessing(String name, ChannelOrder channelOrder, double valueMax, double[] meanRgb, double[] stdRgb) {

    /** Order of the colour channels in the input tensor. */
    public enum ChannelOrder { RGB, BGR }

    public Preprocessing {
        if (name == null || name.isBlank()) {
            throw new UserException("a preprocessing profile needs a name");
        }
        if (channelOrder == null) {
            throw new UserException("preprocessing '" + name + "' needs a channel order");
        }
        if (!(valueMax > 0) || Double.isInfinite(valueMax)) {
            throw new UserException("preprocessing '" + name + "': value range top must be positive, got " + valueMax);
        }
        meanRgb = three(name, "mean", meanRgb);
        stdRgb = three(name, "std", stdRgb);
        for (double s : stdRgb) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new UserException("preprocessing '" + name + "': std must be positive, got " + Arrays.toString(stdRgb));
            }
        }
    }

    private static double[] three(String name, String what, double[] v) {
        if (v == null || v.length != 3) {
            throw new UserException("preprocessing '" + name + "': " + what + " needs 3 values (R, G, B)");
        }
        for (double d : v) {
            if (!Double.isFinite(d)) {
                throw new UserException("preprocessing '" + name + "': " + what + " must be finite, got " + Arrays.toString(v));
            }
        }
        return v.clone();
    }

    @Override
    public double[] meanRgb() {
        return meanRgb.clone();
    }

    @Override
    public double[] stdRgb() {
        return stdRgb.clone();
    }

    /** Caffe's VGG models: BGR, 0..255, minus the ILSVRC mean (B 103.939, G 116.779, R 123.68). */
    public static Preprocessing caffe() {
        return new Preprocessing("caffe", ChannelOrder.BGR, 255, new double[] {123.68, 116.779, 103.939}, new double[] {1, 1, 1});
    }

    /** torchvision's models: RGB, 0..1, mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225). */
    public static Preprocessing torchvision() {
        return new Preprocessing("torchvision", ChannelOrder.RGB, 1, new double[] {0.485, 0.456, 0.406},
                new double[] {0.229, 0.224, 0.225});
    }

    /** The paper's only preprocessing, as our nets use it: RGB, 0..255, minus the training set's mean RGB. */
    public static Preprocessing trainingMean(double[] meanRgb) {
        return new Preprocessing("training-mean", ChannelOrder.RGB, 255, meanRgb, new double[] {1, 1, 1});
    }

    /** A named standard profile ({@code caffe} or {@code torchvision}). */
    public static Preprocessing named(String profile) {
        return switch (profile.toLowerCase(Locale.ROOT)) {
            case "caffe" -> caffe();
            case "torchvision" -> torchvision();
            default -> throw new UserException("unknown preprocessing profile '" + profile + "': expected caffe or torchvision");
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Preprocessing p && name.equals(p.name) && channelOrder == p.channelOrder
                && Double.compare(valueMax, p.valueMax) == 0 && Arrays.equals(meanRgb, p.meanRgb) && Arrays.equals(stdRgb, p.stdRgb);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + channelOrder.hashCode()) + Arrays.hashCode(meanRgb) + 7 * Arrays.hashCode(stdRgb);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s (%s, 0..%s, mean RGB %s, std RGB %s)", name, channelOrder,
                java.math.BigDecimal.valueOf(valueMax).stripTrailingZeros().toPlainString(), Arrays.toString(meanRgb), Arrays.toString(stdRgb));
    }
}
