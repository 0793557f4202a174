package dev.verydeep.trainer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.optimizer.Optimizer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SGD with momentum and weight decay through DJL's PyTorch update kernel (as DJL's {@code Sgd}), but
 * with the momentum buffers and the learning rate held here, so a checkpoint can save and restore them
 * (DJL's {@code Sgd} keeps its state private). PyTorch's rule: {@code v = momentum * v + (g + wd * w);
 * w -= lr * v}.
 *
 * <p>The kernel applies Caffe's rule, {@code b = momentum * b + lr * (g + wd * w); w -= b}: its buffer holds
 * {@code b = lr * v}. The two agree while the rate is constant; when it changes, {@link #setLearningRate}
 * rescales the buffers so the next step is PyTorch's. Under Caffe's rule the old velocity kept moving the
 * weights at the old rate for about {@code 1 / (1 - momentum)} steps while the gradient pulled back at
 * a tenth of it, and the training loss rose after a division (docs/training.md). Checkpoints store
 * {@code b}, the divided rate and the rescaled buffers together.
 */
public final class CheckpointableSgd extends Optimizer {
    private final float momentum;
    private volatile float learningRate;
    private final Map<String, Map<Device, NDArray>> momentumStates = new ConcurrentHashMap<>();
    /** Buffers restored from a checkpoint, applied when each parameter is first updated. */
    private final Map<String, float[]> restored = new ConcurrentHashMap<>();

    public CheckpointableSgd(float learningRate, float momentum, float weightDecay) {
        super(new Builder().optWeightDecays(weightDecay).setRescaleGrad(1.0f));
        this.learningRate = learningRate;
        this.momentum = momentum;
    }

    public float learningRate() {
        return learningRate;
    }

    /** Sets the rate of the following steps, rescaling the momentum buffers (which hold lr * v) to it. */
    public void setLearningRate(float lr) {
        if (!(lr > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + lr);
        }
        float ratio = lr / learningRate;
        for (Map<Device, NDArray> perDevice : momentumStates.values()) {
            for (NDArray buffer : perDevice.values()) {
                buffer.muli(ratio);
            }
        }
        for (float[] values : restored.values()) {
            for (int i = 0; i < values.length; i++) {
                values[i] *= ratio;
            }
        }
        this.learningRate = lr;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        NDArray state = withDefaultState(momentumStates, parameterId, weight.getDevice(), k -> initialState(k, weight));
        NDList inputs = new NDList(weight, grad, state);
        weight.getNDArrayInternal().sgdUpdate(inputs, new NDList(weight), learningRate, getWeightDecay(), rescaleGrad,
                clipGrad, momentum, true);
    }

    /** The momentum buffer of a parameter on its first device, or {@code null} before its first update. */
    public NDArray momentumState(String parameterId) {
        Map<Device, NDArray> m = momentumStates.get(parameterId);
        return m == null || m.isEmpty() ? null : m.values().iterator().next();
    }

    /**
     * Restores a momentum buffer saved by a checkpoint. It takes effect at the parameter's first update
     * (DJL copies the first device's state to the other devices).
     */
    public void restoreMomentumState(String parameterId, float[] values) {
        restored.put(parameterId, values);
    }

    private NDArray initialState(String parameterId, NDArray weight) {
        float[] values = restored.remove(parameterId);
        NDArray state = weight.zerosLike();
        if (values != null) {
            state.set(java.nio.FloatBuffer.wrap(values));
        }
        return state;
    }

    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}
