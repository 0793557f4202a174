package dev.verydeep.trainer;

import dev.verydeep.core.UserException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.function.DoubleSupplier;
import java.util.stream.Collectors;

/**
 * Stops training at the first batch whose loss is not finite (after Keras's TerminateOnNaN), before the epoch ends: so
 * that no checkpoint holding NaN weights replaces the last good one, and a run never spends its remaining epochs on a
 * net that can no longer learn. The error names the epoch, the batch, the learning rate and the losses just before.
 */
final class DivergenceGuard implements TrainingListener {
    /** How many finite batch losses the error shows: enough to tell a slow blow-up from a sudden jump. */
    static final int SHOWN = 5;

    private final int batchSize;
    private final DoubleSupplier learningRate;
    private final Deque<Float> recent = new ArrayDeque<>();

    DivergenceGuard(int batchSize, DoubleSupplier learningRate) {
        this.batchSize = batchSize;
        this.learningRate = learningRate;
    }

    @Override
    public void onBatch(BatchEnd batch) {
        if (!Float.isFinite(batch.loss())) {
            throw new Diverged(batch, (batch.images() + batchSize - 1) / batchSize, learningRate.getAsDouble(), recent);
        }
        recent.addLast(batch.loss());
        if (recent.size() > SHOWN) {
            recent.removeFirst();
        }
    }

    /** Training diverged: the run stays at its last checkpoint (the previous epoch's). */
    public static final class Diverged extends UserException {
        private final int epoch;
        private final int batch;

        Diverged(BatchEnd b, int batches, double lr, Deque<Float> before) {
            super(String.format(Locale.ROOT, "training diverged: the loss of epoch %d's batch %d of %d is %s at learning rate %.3g%s. "
                    + "Nothing of epoch %d was kept: the run stays at %s. On repeatable kernels resuming repeats the same steps: "
                    + "start a new run with a lower --lr or another --seed (if the run began with a warning that the kernels "
                    + "are not repeatable, fix those first).", b.epoch(), b.iteration() + 1, batches,
                    b.loss(), lr, before.isEmpty() ? "" : " (the batches before: " + before.stream()
                            .map(l -> String.format(Locale.ROOT, "%.4g", l)).collect(Collectors.joining(", ")) + ")",
                    b.epoch(), b.epoch() == 1 ? "its start (no checkpoint yet)" : "its checkpoint after epoch " + (b.epoch() - 1)));
            this.epoch = b.epoch();
            this.batch = b.iteration() + 1;
        }

        /** The epoch in which the loss stopped being finite. */
        public int epoch() {
            return epoch;
        }

        /** The batch (from 1) whose loss was not finite. */
        public int batch() {
            return batch;
        }
    }
}
