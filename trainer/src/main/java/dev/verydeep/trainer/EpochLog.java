package dev.verydeep.trainer;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line of {@code log.jsonl}: what an epoch did. Accuracies are fractions; the validation
 * accuracy is {@code null} when the run has no validation split. RSS and direct-buffer memory are
 * measured at the end of the epoch (they show whether memory stays flat).
 *
 * <p>For a box-regression net ({@code train-loc}) the accuracies are the share of boxes with IoU >= 0.5 (on the
 * training crops against their targets; on the validation images' central crops against the ground truth, the
 * paper's protocol 1), and {@code validationMeanIou} is the mean IoU of the latter (absent for classifiers).
 *
 * <p>{@code repeatedBatches} (absent when 0): how many batches were computed again because their loss or gradients
 * were not finite and a repeat was (a transient fault of the machine's kernels; see TrainStep).
 */
public record EpochLog(
        int epoch,
        double learningRate,
        double trainLoss,
        double trainAccuracy,
        Double validationAccuracy,
        int images,
        double seconds,
        double imagesPerSecond,
        long rssMb,
        long directBufferMb,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double validationMeanIou,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer repeatedBatches) {
    /** The same epoch with its memory measured. */
    public EpochLog withMemory(long rss, long directBuffers) {
        return new EpochLog(epoch, learningRate, trainLoss, trainAccuracy, validationAccuracy, images, seconds, imagesPerSecond, rss,
                directBuffers, validationMeanIou, repeatedBatches);
    }
}
