package dev.verydeep.trainer;

/**
 * One line of {@code log.jsonl}: what an epoch did. Accuracies are fractions; the validation
 * accuracy is {@code null} when the run has no validation split. RSS and direct-buffer memory are
 * measured at the end of the epoch (they show whether memory stays flat).
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
        long directBufferMb) {
}
