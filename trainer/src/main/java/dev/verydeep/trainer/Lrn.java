package dev.verydeep.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.pooling.Pool;
import dev.verydeep.core.net.LrnParams;

/**
 * Local response normalisation across channels, which DJL 0.36 lacks. Paper (AlexNet) semantics:
 * {@code b_c = a_c / (k + alpha * sum_{c' in window(c)} a_c'^2)^beta}, the window of {@code size}
 * channels centred on c and clipped at the ends. The window sum is computed as a zero-padded average
 * pool over the channel axis times {@code size}.
 */
public final class Lrn {
    private Lrn() {
    }

    public static NDArray apply(NDArray x, LrnParams p) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long hw = s.get(2) * s.get(3);
        try (NDArray sq = x.square().reshape(n, 1, c, hw);
                NDArray avg = Pool.avgPool2d(sq, new Shape(p.size(), 1), new Shape(1, 1), new Shape(p.size() / 2, 0), false, true);
                NDArray denom = avg.reshape(s).mul((float) (p.alpha() * p.size())).add((float) p.k()).pow((float) p.beta())) {
            return x.div(denom);
        }
    }

    /** A parameter-free block applying {@link #apply}. */
    public static Block block(LrnParams p) {
        return new LambdaBlock(list -> new NDList(apply(list.singletonOrThrow(), p)), "lrn");
    }
}
