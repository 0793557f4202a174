package dev.verydeep.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.verydeep.core.data.ImageSource;
import dev.verydeep.core.image.Augmenter;
import dev.verydeep.core.net.NetWeights;

/**
 * A trained net in DJL (PyTorch engine) on the CPU, for inference: class scores of crop-sized inputs
 * and centre-crop accuracy. The reference the ONNX exports are checked against.
 */
public final class DjlClassifier implements AutoCloseable {
    private final NDManager manager;
    private final VggNet vgg;
    private final ParameterStore store;
    private final NetWeights weights;
    private VggNet dense;
    /** Reused input buffer: PyTorch wraps it without a copy, so no direct memory is left to the GC per call. */
    private java.nio.ByteBuffer input;

    public DjlClassifier(NetWeights weights) {
        this.manager = NDManager.newBaseManager();
        this.vgg = VggNet.build(weights.net(), 0f);
        vgg.block().initialize(manager, DataType.FLOAT32, vgg.inputShape(1));
        vgg.load(weights.tensors());
        this.store = new ParameterStore(manager, false);
        this.weights = weights;
    }

    /** Outputs of the fully convolutional form: values and shapes ({@code [N,K,h,w]}, {@code [N,F,h,w]}). */
    public record DenseMaps(float[] scores, long[] scoresShape, float[] penultimate, long[] penultimateShape) {
    }

    /** Runs the dense form ({@link VggNet#buildDense}) on {@code n} inputs of {@code h x w} (NCHW). */
    public DenseMaps dense(float[] input, int n, int h, int w) {
        if (dense == null) {
            dense = VggNet.buildDense(weights.net());
            dense.block().initialize(manager, DataType.FLOAT32, new Shape(1, 3, h, w));
            dense.load(weights.tensors());
        }
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(input, new Shape(n, 3, h, w));
            NDList out = dense.forwardDense(store, x);
            return new DenseMaps(out.get(0).toFloatArray(), out.get(0).getShape().getShape(),
                    out.get(1).toFloatArray(), out.get(1).getShape().getShape());
        }
    }

    public VggNet net() {
        return vgg;
    }

    /** Class scores (logits, before softmax) of the first {@code n} inputs in NCHW order; returns n x K values. Not thread-safe. */
    public float[] scores(float[] input, int n) {
        int crop = vgg.net().crop();
        int floats = n * 3 * crop * crop;
        if (this.input == null || this.input.capacity() < 4 * floats) {
            this.input = java.nio.ByteBuffer.allocateDirect(4 * floats).order(java.nio.ByteOrder.nativeOrder());
        }
        this.input.clear().asFloatBuffer().put(input, 0, floats);
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(this.input, new Shape(n, 3, crop, crop), DataType.FLOAT32);
            return vgg.block().forward(store, new NDList(x), false).singletonOrThrow().toFloatArray();
        }
    }

    /** Top-1 accuracy on central crops after rescaling to smallest side {@code q}. */
    public double centreCropAccuracy(ImageSource data, Augmenter augmenter, int q, int batch) {
        return CentreCrop.top1(data, augmenter, q, batch, this::scores);
    }

    /** Protocol 1 of Appendix A for a box-regression net: the box of the ground-truth class from the central crop at {@code q}. */
    public CentreCrop.Localisation centreCropLocalisation(ImageSource data, Augmenter augmenter, int q, int batch) {
        return CentreCrop.localisation(data, augmenter, q, batch, vgg.net().head(), this::scores);
    }

    @Override
    public void close() {
        manager.close();
    }
}
