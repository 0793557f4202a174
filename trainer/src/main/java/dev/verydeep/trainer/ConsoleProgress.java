package dev.verydeep.trainer;

import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar on stderr while an epoch trains (when asked for), and a line per epoch. */
final class ConsoleProgress implements TrainingListener {
    private final TrainingRun.Output output;
    private final String hitName;
    private final int epochs;
    private ProgressBar bar;

    ConsoleProgress(TrainingRun.Output output, String hitName, int epochs) {
        this.output = output;
        this.hitName = hitName;
        this.epochs = epochs;
    }

    @Override
    public void onEpochStart(int epoch, int images) {
        if (output.progressBar()) {
            bar = new ProgressBarBuilder().setTaskName("epoch " + epoch + "/" + epochs).setInitialMax(images)
                    .setStyle(ProgressBarStyle.ASCII).setUnit(" img", 1).setUpdateIntervalMillis(500).continuousUpdate().build();
        }
    }

    @Override
    public void onBatch(BatchEnd b) {
        if (bar != null) {
            bar.stepTo(b.seen());
            bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f %s %.2f%% %.0f img/s", b.meanLoss(), hitName, 100 * b.hitRate(),
                    b.seen() / b.seconds()));
            if (b.lastOfEpoch()) {
                onTrainingEnd(); // the bar ends with the training pass, before validation
            }
        }
    }

    @Override
    public void onEpochEnd(EpochEnd end) {
        EpochLog log = end.log();
        Double val = log.validationAccuracy();
        output.lines().accept(String.format(Locale.ROOT,
                "epoch %d/%d  lr %.0e  loss %.4f  train %s%.2f%%  val %s%s  %.0f img/s  %.1f s  RSS %d MB",
                log.epoch(), epochs, log.learningRate(), log.trainLoss(), log.validationMeanIou() != null ? hitName + " " : "",
                100 * log.trainAccuracy(), val == null ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * val),
                log.validationMeanIou() == null ? "" : String.format(Locale.ROOT, " (mean IoU %.3f)", log.validationMeanIou()),
                log.imagesPerSecond(), log.seconds(), log.rssMb()));
    }

    @Override
    public void onTrainingEnd() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
