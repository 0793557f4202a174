package dev.verydeep.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.verydeep.core.data.ImageSource;
import dev.verydeep.core.image.Augmenter;
import dev.verydeep.core.net.NetDescription;
import java.util.Random;

/**
 * What a {@link TrainingRun} teaches the net, by the net's {@link dev.verydeep.core.net.Head}: the training
 * sample and its target, the loss, the per-batch training metric and the per-epoch validation. Everything else
 * (data order, seeds, SGD, schedule, checkpoints, logs) is the same for every objective.
 */
interface Objective {
    /** Class scores with softmax cross-entropy, or box regression with the Euclidean loss. */
    static Objective of(NetDescription net) {
        return net.head().isBox() ? new BoxRegression(net.head(), net.outputs(), net.crop()) : new Classification();
    }

    /** Floats of target per sample. */
    int targetLength();

    /** Shape of the target batch of {@code n} samples. */
    Shape targetShape(int n);

    /**
     * Writes the augmented input of image {@code index} of {@code data} at {@code images[imageOffset..]} and its
     * target at {@code targets[targetOffset..]}, drawing only from {@code rnd}.
     */
    void sample(ImageSource data, int index, Augmenter augmenter, Random rnd, float[] images, int imageOffset, float[] targets,
            int targetOffset);

    /** The loss of a slice of a batch: summed over its samples, divided by {@code batchSize} (the whole batch's). */
    NDArray loss(NDArray outputs, NDArray targets, int batchSize);

    /** Samples of a slice the net got right (top-1 class, or a box with IoU >= 0.5), for the training metric. */
    long hits(NDArray outputs, NDArray targets);

    /** Name of the training metric on the progress bar. */
    String hitName();

    /** The epoch's validation on central crops at scale {@code q}. */
    Validation validate(ImageSource data, Augmenter augmenter, int q, int batch, CentreCrop.Forward net);

    /**
     * One validation: {@code accuracy} (top-1, or the share of boxes with IoU >= 0.5), {@code meanIou} (box nets
     * only, else null) and {@code score}, what the learning-rate schedule watches.
     */
    record Validation(double accuracy, Double meanIou, double score) {
    }
}
