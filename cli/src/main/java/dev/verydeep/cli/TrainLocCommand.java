package dev.verydeep.cli;

import dev.verydeep.core.UserException;
import dev.verydeep.core.net.Head;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.trainer.InitSource;
import dev.verydeep.trainer.TrainSettings;
import dev.verydeep.trainer.TrainingRun;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code verydeep train-loc}: a box-regression net (Appendix A) fine-tuned from a trained classifier, resumable. */
@Command(name = "train-loc", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a localisation net (Appendix A): the classifier of --from with its last layer replaced by a box regressor "
                + "(centre x, centre y, width, height over the crop side), Euclidean loss, every other layer copied, the new one random.",
            "Data: voc:DIR[:SET] with one class per image (make-dataset fashion-loc). Same augmentation as classification, the "
                    + "box transformed with the image (a crop must hold the object's centre). Validation per epoch: protocol 1 "
                    + "(central crop, the ground-truth class's box): mean IoU, which drives the learning-rate schedule, and the "
                    + "share with IoU >= 0.5.",
            "Defaults: learning rate 1e-3, the source's training scale, crop, input scaling and mean RGB; a run's initialisation for "
                    + "the new layer (glorot from an ONNX model, which does not record it). From an ONNX model, the colour shift uses "
                    + "the covariance of the training data (the model carries only the mean)."})
final class TrainLocCommand implements Callable<Integer> {
    @Option(names = "--from", paramLabel = "RUN", description = "The classifier to start from: a run folder (its final weights) or the "
            + "model.onnx or model-dense.onnx verydeep export wrote from one (e.g. reference/D-37/model-dense.onnx), read back bit for bit.")
    Path from;

    @Option(names = "--regression", paramLabel = "scr|pcr", description = "scr: one box for all classes (4 outputs); "
            + "pcr: a box per class (4 x classes outputs, the loss on the ground-truth class's 4).")
    String regression;

    @Option(names = "--finetune", paramLabel = "all|fc", description = "all: every layer learns; fc: only FC1, FC2 "
            + "and the new last layer learn, the conv layers are frozen (recorded in run.json). Default: ${DEFAULT-VALUE}.")
    String finetune = TrainSettings.DEFAULT_FINETUNE.toString();

    @Mixin
    TrainFlags train;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        String command = CommandLines.of(spec);
        train.initFromFlag = "--from";
        TrainingRun run = train.startOrResume(spec, command, this::settings, stored -> {
            if (!stored.settings().net().head().isBox()) {
                throw new UserException("--resume " + train.resume + ": a classification run; resume it with train --resume");
            }
        });
        return train.train(run, spec, command);
    }

    private TrainSettings settings() {
        if (from == null) {
            throw new UserException("--from RUN is required: the classification run (or its exported model) the localisation net starts from");
        }
        if (regression == null) {
            throw new UserException("--regression is required: scr (one box) or pcr (a box per class)");
        }
        Head head = Head.parse(regression);
        if (!head.isBox()) {
            throw new UserException("--regression must be scr or pcr, got " + regression);
        }
        TrainSettings.Finetune fine = TrainSettings.Finetune.parse(finetune);
        InitSource source = InitSource.open(from);
        NetDescription net = source.net();
        if (net.head().isBox()) {
            throw new UserException("--from " + from + ": a " + net.head().id() + " localisation net; start from a classifier");
        }
        source.weights(); // fails early, naming the folder or file, when it has no trained weights
        // The source's training scale, input scaling and (a run's) initialisation unless told otherwise; the recipe's learning
        // rate for a net of the source's config (TrainSettings.defaultLearningRate).
        TrainSettings.Builder b = train.builder(net.withHead(head), train.dataSpec()).optInputScale(source.inputScale())
                .optInitFrom(from.toString()).optFinetune(fine);
        source.run().ifPresent(r -> b.optInit(r.settings().init()).optInitStd(r.settings().initStd()));
        if (!train.scaleGiven()) {
            int[] scale = source.trainScale();
            b.optScale(scale[0], scale[1]);
        }
        return b.build();
    }
}
