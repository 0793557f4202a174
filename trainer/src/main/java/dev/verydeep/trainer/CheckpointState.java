package dev.verydeep.trainer;

import java.util.List;

/**
 * {@code checkpoint.json}: the newest complete checkpoint. It is written (atomically) only after the
 * tensor files it names are on disk, and carries their SHA-256 so a damaged file is never trusted.
 * Epochs are 1-based; epoch 0 means nothing trained yet.
 *
 * @param folder sub-folder holding {@code weights.vdw} and {@code momentum.vdw}
 * @param finished training ended (epochs reached, or stopped by the schedule: {@code stopReason})
 * @param bestValidationAccuracy the best score the schedule has seen: top-1 accuracy, or for a box-regression net the
 *     mean protocol-1 IoU
 * @param history every completed epoch, the source of {@code log.jsonl} and the curves
 */
public record CheckpointState(
        int epoch,
        String folder,
        String weightsSha256,
        String momentumSha256,
        double learningRate,
        double bestValidationAccuracy,
        int epochsWithoutImprovement,
        int lrDecreases,
        boolean finished,
        String stopReason,
        List<EpochLog> history) {
}
