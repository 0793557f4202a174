package dev.verydeep.trainer;

import java.util.Locale;
import java.util.function.Consumer;

/** The paper's learning-rate schedule on the validation score ({@link PlateauSchedule}): divides SGD's rate, or stops training. */
final class ScheduleListener implements TrainingListener {
    private final PlateauSchedule schedule;
    private final CheckpointableSgd sgd;
    private final Consumer<String> lines;

    ScheduleListener(PlateauSchedule schedule, CheckpointableSgd sgd, Consumer<String> lines) {
        this.schedule = schedule;
        this.sgd = sgd;
        this.lines = lines;
    }

    @Override
    public void onEpochEnd(EpochEnd end) {
        Objective.Validation val = end.validation();
        if (val == null) {
            return; // no validation split: no schedule
        }
        switch (schedule.observe(val.score())) {
            case STOP -> {
                end.stop("validation " + (val.meanIou() == null ? "accuracy" : "mean IoU") + " stopped improving after "
                        + schedule.decreases() + " learning-rate decreases");
                lines.accept("stopping: " + end.stopReason());
            }
            case DECREASE -> {
                sgd.setLearningRate(sgd.learningRate() / 10f);
                lines.accept(String.format(Locale.ROOT, "learning rate divided by 10 to %.0e (decrease %d of %d)",
                        sgd.learningRate(), schedule.decreases(), schedule.maxDecreases()));
            }
            case CONTINUE -> { }
        }
    }
}
