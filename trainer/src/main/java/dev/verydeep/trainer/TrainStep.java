package dev.verydeep.trainer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.translate.Batchifier;
import dev.verydeep.core.data.ImageSource;
import dev.verydeep.core.image.Augmenter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * One SGD step over a batch (augmented in parallel, split across devices) and the per-epoch validation.
 *
 * <p>Memory: the input batch goes through two direct buffers allocated once and reused (PyTorch wraps them without
 * copying); every per-batch NDArray lives in a sub-manager closed after the batch, so native and direct memory stay
 * flat over epochs.
 */
final class TrainStep {
    private final Trainer trainer;
    private final Objective objective;
    private final Augmenter augmenter;
    private final Device[] devices;
    private final long seed;
    private final int crop;
    private final int imageFloats;
    private final int targetFloats;
    private final int batch;
    private final ByteBuffer inputBuffer;
    private final ByteBuffer targetBuffer;
    private final float[] images;
    private final float[] targets;

    TrainStep(Trainer trainer, Objective objective, Augmenter augmenter, Device[] devices, TrainSettings s) {
        this.trainer = trainer;
        this.objective = objective;
        this.augmenter = augmenter;
        this.devices = devices;
        this.seed = s.seed();
        this.crop = s.net().crop();
        this.imageFloats = 3 * crop * crop;
        this.targetFloats = objective.targetLength();
        this.batch = s.batchSize();
        this.inputBuffer = ByteBuffer.allocateDirect(4 * batch * imageFloats).order(ByteOrder.nativeOrder());
        this.targetBuffer = ByteBuffer.allocateDirect(4 * batch * targetFloats).order(ByteOrder.nativeOrder());
        this.images = new float[batch * imageFloats];
        this.targets = new float[batch * targetFloats];
    }

    /**
     * Trains on images {@code order[start .. start + n)} of {@code data}, each augmented with its own generator (seeded by
     * the epoch and its position, so the batch does not depend on threads); returns {mean loss, hit count}.
     */
    float[] train(ImageSource data, int[] order, int start, int n, int epoch) {
        IntStream.range(0, n).parallel().forEach(j -> {
            Random rnd = new Random(Seeds.mix(seed, epoch, start + j));
            objective.sample(data, order[start + j], augmenter, rnd, images, j * imageFloats, targets, j * targetFloats);
        });
        inputBuffer.clear().asFloatBuffer().put(images, 0, n * imageFloats);
        targetBuffer.clear().asFloatBuffer().put(targets, 0, n * targetFloats);
        try (NDManager batchManager = trainer.getManager().newSubManager()) {
            NDArray x = batchManager.create(inputBuffer, new Shape(n, 3, crop, crop), DataType.FLOAT32);
            NDArray y = batchManager.create(targetBuffer, objective.targetShape(n), DataType.FLOAT32);
            float[] result = step(split(batchManager, x, y, n), n);
            trainer.step();
            return result;
        }
    }

    /** The slices of a batch, one per device (synchronous data parallelism, section 3.1). */
    private List<NDList[]> split(NDManager batchManager, NDArray x, NDArray y, int n) {
        List<NDList[]> splits = new ArrayList<>();
        if (devices.length == 1) {
            splits.add(new NDList[] {new NDList(x), new NDList(y)});
            return splits;
        }
        Batch b = new Batch(batchManager, new NDList(x), new NDList(y), n, Batchifier.STACK, Batchifier.STACK, 0, 0);
        for (Batch part : b.split(devices, false)) {
            splits.add(new NDList[] {part.getData(), part.getLabels()});
        }
        return splits;
    }

    /** Forward and backward over every slice; returns {mean loss, hit count}. */
    private float[] step(List<NDList[]> splits, int n) {
        float loss = 0;
        long correct = 0;
        try (GradientCollector gc = trainer.newGradientCollector()) {
            for (NDList[] part : splits) {
                NDArray out = trainer.forward(part[0], part[1]).singletonOrThrow();
                NDArray target = part[1].singletonOrThrow();
                // Sum over the slice divided by the whole batch: the gradients DJL sums over devices
                // then equal the single-device mean-loss gradient.
                NDArray sliceLoss = objective.loss(out, target, n);
                gc.backward(sliceLoss);
                loss += sliceLoss.getFloat();
                correct += objective.hits(out, target);
            }
        }
        return new float[] {loss, correct};
    }

    /** The epoch's validation on central crops at the single test scale, the net in evaluation mode (no dropout). */
    Objective.Validation validate(ImageSource data, int q) {
        return objective.validate(data, augmenter, q, batch, this::forward);
    }

    /** The net's outputs for {@code n} crop-sized inputs, through the reused input buffer. */
    private float[] forward(float[] inputs, int n) {
        inputBuffer.clear().asFloatBuffer().put(inputs, 0, n * imageFloats);
        try (NDManager m = trainer.getManager().newSubManager()) {
            NDArray x = m.create(inputBuffer, new Shape(n, 3, crop, crop), DataType.FLOAT32);
            if (!x.getDevice().equals(trainer.getDevices()[0])) {
                x = x.toDevice(trainer.getDevices()[0], false);
            }
            return trainer.evaluate(new NDList(x)).singletonOrThrow().toFloatArray();
        }
    }
}
