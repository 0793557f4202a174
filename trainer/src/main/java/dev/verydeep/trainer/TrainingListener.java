package dev.verydeep.trainer;

/**
 * What a {@link TrainingRun} tells about its progress, after DJL's {@code TrainingListener}: the run's own concerns
 * (memory probe, progress on the console, the divergence guard, the plateau schedule, checkpoints) are listeners,
 * called in that order, and a caller may add one (tests record the losses), called after the memory probe.
 */
public interface TrainingListener {
    /** Listens to nothing. */
    TrainingListener NONE = new TrainingListener() { };

    /** Before the first batch of {@code epoch}, which trains on {@code images} images. */
    default void onEpochStart(int epoch, int images) {
    }

    /** After each SGD step. */
    default void onBatch(BatchEnd batch) {
    }

    /** After each epoch's validation; listeners called earlier may have filled in or ended it. */
    default void onEpochEnd(EpochEnd epoch) {
    }

    /** When training ends, also after an error. */
    default void onTrainingEnd() {
    }

    /**
     * One SGD step: {@code loss} is the batch's mean loss; {@code seen} images of the epoch's {@code images} are done,
     * with {@code meanLoss} and {@code hitRate} (the training metric) over them, in {@code seconds} since the epoch began.
     */
    record BatchEnd(int epoch, int iteration, float loss, int seen, int images, double meanLoss, double hitRate, double seconds) {
        /** True after the epoch's last batch. */
        public boolean lastOfEpoch() {
            return seen == images;
        }
    }

    /** The end of an epoch: its log line, its validation, and whether training ends here. */
    final class EpochEnd {
        private EpochLog log;
        private final Objective.Validation validation;
        private final boolean lastEpoch;
        private String stopReason;

        EpochEnd(EpochLog log, Objective.Validation validation, boolean lastEpoch) {
            this.log = log;
            this.validation = validation;
            this.lastEpoch = lastEpoch;
        }

        /** The epoch's record for log.jsonl and the checkpoint's history. */
        public EpochLog log() {
            return log;
        }

        /** Replaces the epoch's record (a listener adding what it measured). */
        public void log(EpochLog replacement) {
            this.log = replacement;
        }

        /** Null when the run has no validation split. */
        Objective.Validation validation() {
            return validation;
        }

        /** Ends training after this epoch, saying why. */
        public void stop(String reason) {
            this.stopReason = reason;
        }

        /** Why training ends before its epoch budget, or null. */
        public String stopReason() {
            return stopReason;
        }

        /** True when training ends with this epoch: the budget is reached or a listener stopped it. */
        public boolean finished() {
            return lastEpoch || stopReason != null;
        }
    }
}
