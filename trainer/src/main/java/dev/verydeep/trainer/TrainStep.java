package dev.verydeep.trainer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.translate.Batchifier;
import dev.verydeep.core.data.ImageSource;
import dev.verydeep.core.image.Augmenter;
import dev.verydeep.core.io.FaultPoints;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * One SGD step over a batch (augmented in parallel, split across devices) and the per-epoch validation.
 *
 * <p>Memory: the input batch goes through two direct buffers allocated once and reused (PyTorch wraps them without
 * copying); every per-batch NDArray lives in a sub-manager closed after the batch, so native and direct memory stay
 * flat over epochs.
 *
 * <p>Faults: a batch whose loss or gradients are not finite is computed again (at most {@link #FAULT_REPEATS} times)
 * before any weight changes. On the AMD EPYC VMs measured here, convolution backward passes now and then gave NaN for
 * inputs that give finite gradients every other time (docs/reliability.md section 7): one such batch used to spoil a
 * run's weights. A repeat that is finite goes on (with a warning and the count in the epoch's log line; its dropout
 * masks are new draws, so the run is no longer bit-identical to a fault-free one); a loss that stays non-finite is
 * real divergence, and {@link DivergenceGuard} stops the run.
 */
final class TrainStep {
    /** Repeats of a batch with a non-finite loss or gradient: a transient fault passes in one, divergence persists. */
    static final int FAULT_REPEATS = 2;

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
    private final Consumer<String> warn;
    private int repeatedBatches;

    TrainStep(Trainer trainer, Objective objective, Augmenter augmenter, Device[] devices, TrainSettings s, Consumer<String> warn) {
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
        this.warn = warn;
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
            List<NDList[]> splits = split(batchManager, x, y, n);
            float[] result = step(splits, n);
            boolean finite = finite(result[0]);
            for (int repeat = 1; repeat <= FAULT_REPEATS && !finite; repeat++) {
                warn.accept(String.format(Locale.ROOT, "warning: epoch %d, images %d to %d: the %s not finite; computing "
                        + "the batch again (%d of %d)", epoch, start + 1, start + n,
                        Float.isFinite(result[0]) ? "gradients are" : "loss is", repeat, FAULT_REPEATS));
                repeatedBatches++;
                zeroGradients();
                result = step(splits, n);
                finite = finite(result[0]);
            }
            if (!finite) {
                result[0] = Float.NaN;  // the guard stops the run; the weights stay as they were
                return result;
            }
            trainer.step();
            return result;
        }
    }

    /** How many batches were computed again since the last call (each non-finite try counts once). */
    int takeRepeatedBatches() {
        int r = repeatedBatches;
        repeatedBatches = 0;
        return r;
    }

    private boolean finite(float loss) {
        return Float.isFinite(loss) && gradientsFinite();
    }

    /**
     * Whether every gradient is finite: one sum per parameter (a NaN or infinity anywhere makes it non-finite). On
     * several devices DJL sums them into the first's gradients at the update; the first device's are checked here.
     */
    private boolean gradientsFinite() {
        try (NDManager m = trainer.getManager().newSubManager()) {
            for (NDArray g : gradients(m)) {
                if (!Float.isFinite(g.sum().getFloat())) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Sets every gradient to 0 (subtracting a gradient from itself would keep its NaN). */
    private void zeroGradients() {
        try (NDManager m = trainer.getManager().newSubManager()) {
            for (NDArray g : gradients(m)) {
                g.set(new NDIndex(":"), 0f);
            }
        }
    }

    /** The trained parameters' gradients, as arrays of {@code m} (closing it frees these handles, not the gradients). */
    private List<NDArray> gradients(NDManager m) {
        List<NDArray> out = new ArrayList<>();
        for (Parameter p : trainer.getModel().getBlock().getParameters().values()) {
            if (p.requiresGradient() && p.getArray().hasGradient()) {
                NDArray g = p.getArray().getGradient();
                g.attach(m);
                out.add(g);
            }
        }
        return out;
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
                if (FaultPoints.corrupt("train.backward")) {
                    spoilOneGradient();
                }
                loss += sliceLoss.getFloat();
                correct += objective.hits(out, target);
            }
        }
        return new float[] {loss, correct};
    }

    /** A test's transient fault ({@code -Dverydeep.test.corrupt=train.backward@N}): one gradient value becomes NaN. */
    private void spoilOneGradient() {
        try (NDManager m = trainer.getManager().newSubManager()) {
            gradients(m).get(0).set(new NDIndex(0), Float.NaN);
        }
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
