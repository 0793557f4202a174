package dev.verydeep.trainer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.optimizer.Optimizer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SGD with momentum and weight decay through PyTorch's own update kernel (as DJL's {@code Sgd}), but
 * with the momentum buffers and the learning rate held here, so a checkpoint can save and restore them
 * (DJL's {@code Sgd} keeps its state private). PyTorch convention:
 * {@code v = momentum * v + (g + wd * w); w -= lr * v}.
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

    public void setLearningRate(float lr) {
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
