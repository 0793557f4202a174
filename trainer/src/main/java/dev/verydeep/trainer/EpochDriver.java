package dev.verydeep.trainer;

import ai.djl.engine.Engine;
import dev.verydeep.core.data.ImageSource;
import dev.verydeep.core.io.FaultPoints;
import java.util.List;
import java.util.function.Consumer;

/**
 * The epoch loop: shuffle, train batch by batch, validate, and hand the epoch to the listeners (memory, progress,
 * schedule, checkpoints: see {@link TrainingRun}) until the budget is spent or a listener stops training.
 *
 * <p>Reproducibility: every random draw derives from the seed and the epoch (the shuffle order, PyTorch's generator
 * for dropout re-seeded per epoch, each image's augmentation from its position), so a run resumed at an epoch
 * boundary continues exactly as the uninterrupted run would.
 */
final class EpochDriver {
    private final TrainSettings s;
    private final TrainStep step;
    private final ImageSource train;
    private final ImageSource validation;
    private final CheckpointableSgd sgd;
    private final List<TrainingListener> listeners;

    EpochDriver(TrainSettings s, TrainStep step, ImageSource train, ImageSource validation, CheckpointableSgd sgd,
            List<TrainingListener> listeners) {
        this.s = s;
        this.step = step;
        this.train = train;
        this.validation = validation;
        this.sgd = sgd;
        this.listeners = listeners;
    }

    /** Trains epochs {@code first .. s.epochs()}, fewer when a listener stops training. */
    void run(int first) {
        try {
            for (int epoch = first; epoch <= s.epochs(); epoch++) {
                TrainingListener.EpochEnd end = epoch(epoch);
                tell(l -> l.onEpochEnd(end));
                if (end.stopReason() != null) {
                    break;
                }
            }
        } finally {
            tell(TrainingListener::onTrainingEnd);
        }
    }

    private TrainingListener.EpochEnd epoch(int epoch) {
        Engine.getInstance().setRandomSeed((int) Seeds.mix(s.seed(), epoch, -1));
        int[] order = Seeds.permutation(train.size(), Seeds.mix(s.seed(), epoch, -2));
        tell(l -> l.onEpochStart(epoch, order.length));
        long t0 = System.nanoTime();
        double lossSum = 0;
        long hits = 0;
        int seen = 0;
        for (int start = 0, iteration = 0; start < order.length; start += s.batchSize(), iteration++) {
            int n = Math.min(s.batchSize(), order.length - start);
            float[] result = step.train(train, order, start, n, epoch);
            lossSum += result[0] * n;
            hits += (long) result[1];
            seen += n;
            var batch = new TrainingListener.BatchEnd(epoch, iteration, result[0], seen, order.length, lossSum / seen,
                    (double) hits / seen, (System.nanoTime() - t0) / 1e9);
            tell(l -> l.onBatch(batch));
            FaultPoints.reached("train.iteration");
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        int repeats = step.takeRepeatedBatches();
        Objective.Validation val = validation == null ? null : step.validate(validation, s.singleTestScale());
        EpochLog log = new EpochLog(epoch, sgd.learningRate(), lossSum / seen, (double) hits / seen, val == null ? null : val.accuracy(),
                seen, secs, seen / secs, -1, -1, val == null ? null : val.meanIou(), repeats == 0 ? null : repeats);
        return new TrainingListener.EpochEnd(log, val, epoch == s.epochs());
    }

    private void tell(Consumer<TrainingListener> event) {
        listeners.forEach(event);
    }
}
