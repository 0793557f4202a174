package dev.verydeep.core.net;

/**
 * Local response normalisation with the paper's (AlexNet's) convention: {@code alpha} multiplies the
 * SUM of squares over the {@code size} neighbouring channels:
 * {@code b = a / (k + alpha * sum(a^2))^beta}. ONNX's LRN and PyTorch's divide alpha by size (they
 * use the window average), so exporters pass {@link #alphaForAverageConvention()}.
 */
public record LrnParams(int size, double alpha, double beta, double k) {
    /** AlexNet's parameters, used by A-LRN: size 5, alpha 1e-4, beta 0.75, k 2. */
    public static final LrnParams ALEXNET = new LrnParams(5, 1e-4, 0.75, 2.0);

    public LrnParams {
        if (size < 1 || size % 2 == 0) {
            throw new IllegalArgumentException("LRN size must be odd and positive, got " + size);
        }
    }

    /** The alpha to give an implementation that multiplies the window MEAN (ONNX, PyTorch): size x alpha. */
    public double alphaForAverageConvention() {
        return alpha * size;
    }
}
