package dev.verydeep.core.net;

/**
 * One layer of a described net, with the shape of its output for the description's crop size and
 * its own parameter and multiply-add counts. For FC layers {@code kernel} is the kernel the layer has
 * in the fully convolutional form (crop/32 for the first, 1 for the others).
 */
public record Layer(
        String name,
        Kind kind,
        int kernel,
        int inChannels,
        int outChannels,
        int outHeight,
        int outWidth,
        long parameters,
        long multiplyAdds) {

    /** What a layer does. Every CONV and every FC but the last is followed by ReLU. */
    public enum Kind { CONV, LRN, MAXPOOL, FC }

    /** Padding of a conv layer that keeps the spatial size (1 for 3x3, 0 for 1x1, 2 for 5x5). */
    public int padding() {
        return kind == Kind.CONV ? kernel / 2 : 0;
    }

    /** {@code C x H x W} of the output, e.g. {@code 64x224x224}. */
    public String outShape() {
        return outChannels + "x" + outHeight + "x" + outWidth;
    }
}
