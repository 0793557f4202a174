package dev.verydeep.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/**
 * The update rule, measured on one two-element parameter: PyTorch's ({@code v = mu v + g + wd w; w -= lr v}), so a
 * divided learning rate scales the whole next step, the velocity carried over included. DJL's kernel alone applies
 * Caffe's rule ({@code v = mu v + lr (g + wd w); w -= v}), under which the old velocity keeps moving the weights at
 * the old rate for about 1/(1 - mu) steps while the gradient pulls back at the new one (the loss rose after a division).
 */
class CheckpointableSgdTest {
    private static final float LR = 0.1f;
    private static final float MU = 0.9f;
    private static final float WD = 0.01f;
    private static final float[] W0 = {1f, -2f};
    private static final float[] G1 = {0.5f, 0.25f};
    private static final float[] G2 = {-0.3f, 0.4f};

    @Test
    void aDividedRateScalesTheWholeNextStepAsInPyTorch() {
        try (NDManager m = NDManager.newBaseManager()) {
            CheckpointableSgd sgd = new CheckpointableSgd(LR, MU, WD);
            NDArray w = stepThenDivide(sgd, m);
            sgd.update("p", w, m.create(G2));

            double[] pytorch = new double[2];
            double[] buffer = new double[2];
            double[] caffe = new double[2];
            for (int i = 0; i < 2; i++) {
                // PyTorch: v = mu v + g + wd w; w -= lr v. The first step is the same under both rules.
                double v1 = G1[i] + WD * W0[i];
                double w1 = W0[i] - LR * v1;
                double v2 = MU * v1 + G2[i] + WD * w1;
                pytorch[i] = w1 - LR / 10 * v2;
                buffer[i] = LR / 10 * v2; // the buffer holds lr * v, the kernel's form (and the checkpoints')
                // Caffe: v = mu v + lr (g + wd w); w -= v: the old velocity moves the weights at the old rate.
                caffe[i] = w1 - (MU * LR * v1 + LR / 10 * (G2[i] + WD * w1));
            }
            assertArrayEquals(toFloat(pytorch), w.toFloatArray(), 1e-6f);
            assertArrayEquals(toFloat(buffer), sgd.momentumState("p").toFloatArray(), 1e-6f);
            for (int i = 0; i < 2; i++) {
                assertTrue(Math.abs(pytorch[i] - caffe[i]) > 1e-3, "the two rules differ here by " + Math.abs(pytorch[i] - caffe[i]));
            }
        }
    }

    @Test
    void aRestoredVelocityContinuesBitIdentically() {
        try (NDManager m = NDManager.newBaseManager()) {
            CheckpointableSgd whole = new CheckpointableSgd(LR, MU, WD);
            NDArray w = stepThenDivide(whole, m);
            // The training loop divides the rate, then checkpoints: weights, velocity and the divided rate.
            float[] afterFirst = w.toFloatArray();
            float[] saved = whole.momentumState("p").toFloatArray();
            whole.update("p", w, m.create(G2));

            // A resumed run: new optimizer at the divided rate, weights and velocity from the checkpoint.
            CheckpointableSgd resumed = new CheckpointableSgd(LR / 10, MU, WD);
            resumed.restoreMomentumState("p", saved);
            NDArray w2 = m.create(afterFirst);
            resumed.update("p", w2, m.create(G2));
            assertArrayEquals(w.toFloatArray(), w2.toFloatArray(), 0f);
            assertArrayEquals(whole.momentumState("p").toFloatArray(), resumed.momentumState("p").toFloatArray(), 0f);
        }
    }

    /** One step at {@code LR} from {@code W0} with {@code G1}, then the rate divided by 10; returns the weights. */
    private static NDArray stepThenDivide(CheckpointableSgd sgd, NDManager m) {
        NDArray w = m.create(W0.clone());
        sgd.update("p", w, m.create(G1));
        sgd.setLearningRate(LR / 10);
        return w;
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
