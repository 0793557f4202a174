package dev.verydeep.cli;

import dev.verydeep.core.Provenance;
import dev.verydeep.core.UserException;
import dev.verydeep.core.data.DatasetSpec;
import dev.verydeep.core.data.ImageScan;
import dev.verydeep.core.data.ImageSource;
import dev.verydeep.core.image.AugmentSettings;
import dev.verydeep.core.image.Augmenter;
import dev.verydeep.core.io.Hashes;
import dev.verydeep.core.io.Json;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.trainer.CentreCrop;
import dev.verydeep.trainer.CheckpointState;
import dev.verydeep.trainer.DjlClassifier;
import dev.verydeep.trainer.RunFolder;
import dev.verydeep.trainer.RunInfo;
import dev.verydeep.trainer.SettingException;
import dev.verydeep.trainer.TrainSettings;
import dev.verydeep.trainer.TrainingRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The flags {@code train} and {@code train-loc} share (data, run folder, schedule, SGD, augmentation, seeds,
 * devices), and what both do once a run is set up: train with progress, then the optional {@code --eval-data}
 * check into {@code eval.json}.
 */
final class TrainFlags {
    @Option(names = "--data", description = "Training data: fashion-mnist[:train|:test], fashion-mnist:DIR, folder:DIR, caltech:DIR, "
            + "imagenet:DIR, voc:DIR[:SET] (one class per image, e.g. make-dataset fashion-loc).")
    String data;

    @Option(names = "--out", description = "Run folder to create (refused if it exists, unless --force).")
    Path out;

    @Option(names = "--resume", paramLabel = "RUN", description = "Continue the run in this folder from its last checkpoint (other flags, if given, must match it; --epochs may grow).")
    Path resume;

    @Option(names = "--force", description = "Replace an existing run folder given by --out.")
    boolean force;

    @Option(names = "--scale", paramLabel = "S", description = "Fixed training scale S (smallest image side before cropping).")
    Integer scale;

    @Option(names = "--scale-jitter", paramLabel = "MIN:MAX", description = "Scale jittering: S drawn per image uniformly from [MIN, MAX].")
    String scaleJitter;

    @Option(names = "--epochs", description = "Epoch budget (the schedule may stop earlier). Default: ${DEFAULT-VALUE}.")
    int epochs = TrainSettings.DEFAULT_EPOCHS;

    @Option(names = "--batch", description = "Mini-batch size (paper: 256). Default: ${DEFAULT-VALUE}.")
    int batch = TrainSettings.DEFAULT_BATCH_SIZE;

    @Option(names = "--lr", description = "Initial learning rate (default: " + TrainSettings.DEFAULT_LEARNING_RATE + ", or "
            + TrainSettings.DEFAULT_FINE_TUNE_LEARNING_RATE + " when starting from a trained net of the same config).")
    Double lr;

    @Option(names = "--momentum", description = "SGD momentum. Default: ${DEFAULT-VALUE}.")
    double momentum = TrainSettings.DEFAULT_MOMENTUM;

    @Option(names = "--weight-decay", description = "L2 penalty multiplier. Default: ${DEFAULT-VALUE}.")
    double weightDecay = TrainSettings.DEFAULT_WEIGHT_DECAY;

    @Option(names = "--dropout", description = "Dropout rate after FC1 and FC2. Default: ${DEFAULT-VALUE}.")
    double dropout = TrainSettings.DEFAULT_DROPOUT;

    @Option(names = "--patience", description = "Epochs without validation improvement before the learning rate is divided by 10. Default: ${DEFAULT-VALUE}.")
    int patience = TrainSettings.DEFAULT_PATIENCE;

    @Option(names = "--max-lr-decreases", description = "After this many divisions, the next plateau stops training. Default: ${DEFAULT-VALUE}.")
    int maxLrDecreases = TrainSettings.DEFAULT_MAX_LR_DECREASES;

    @Option(names = "--val-fraction", description = "Share of each class held out for validation (0: none, no schedule). Default: ${DEFAULT-VALUE}.")
    double valFraction = TrainSettings.DEFAULT_VALIDATION_FRACTION;

    @Option(names = "--limit", description = "Use only the first N training images (0: all).")
    int limit;

    @Option(names = "--no-flip", description = "Disable random horizontal flips.")
    boolean noFlip;

    @Option(names = "--colour-shift", description = "Std of AlexNet's PCA colour shift (0: off). Default: ${DEFAULT-VALUE}.")
    double colourShift = TrainSettings.DEFAULT_COLOUR_SHIFT;

    @Option(names = "--seed", description = "Seed of every random draw. Default: ${DEFAULT-VALUE}.")
    long seed = TrainSettings.DEFAULT_SEED;

    @Option(names = "--threads", description = "PyTorch threads (default: all cores). Runs are bit-identical only with equal counts.")
    Integer threads;

    @Option(names = "--devices", split = ",", description = "cpu, or gpu0,gpu1,... for data-parallel training (falls back to CPU, saying why). "
            + "Default: ${DEFAULT-VALUE}.")
    List<String> devices = new ArrayList<>(TrainSettings.DEFAULT_DEVICES);

    @Option(names = "--eval-data", paramLabel = "SPEC", description = "After training, evaluate central crops at the single test scale on this data "
            + "(classifier: top-1 accuracy; box net: protocol 1, the GT class's box, IoU >= 0.5) into eval.json.")
    String evalData;

    @Option(names = "--strict", description = "Stop at the first image the decoder refuses (default: skip it and list it in run.json).")
    boolean strict;

    @Mixin
    ProgressOption progress;

    /** The training data spec, required for a new run. */
    String dataSpec() {
        if (data == null) {
            throw new UserException("--data is required (e.g. fashion-mnist)");
        }
        return DatasetSpec.parse(data).toString();
    }

    /**
     * A builder for a new run of {@code net} on {@code data} with the flags shared by train and train-loc; the training
     * scale only when --scale or --scale-jitter is given ({@link #scaleGiven}).
     */
    TrainSettings.Builder builder(NetDescription net, String data) {
        TrainSettings.Builder b = TrainSettings.builder().setNet(net).setData(data).optValidationFraction(valFraction).optLimit(limit)
                .optFlip(!noFlip).optColourShift(colourShift).optBatchSize(batch).optEpochs(epochs).optMomentum(momentum)
                .optWeightDecay(weightDecay).optDropout(dropout).optPatience(patience).optMaxLrDecreases(maxLrDecreases).optSeed(seed)
                .optDevices(devices);
        if (lr != null) {
            b.optLearningRate(lr);
        }
        if (threads != null) {
            b.optThreads(threads);
        }
        if (scale != null && scaleJitter != null) {
            throw new UserException("give either --scale or --scale-jitter, not both");
        }
        if (scale != null) {
            b.optScale(scale);
        } else if (scaleJitter != null) {
            int[] range = jitterRange();
            b.optScale(range[0], range[1]);
        }
        return b;
    }

    boolean scaleGiven() {
        return scale != null || scaleJitter != null;
    }

    private int[] jitterRange() {
        String[] p = scaleJitter.split(":");
        try {
            if (p.length == 2) {
                return new int[] {Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim())};
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new UserException("--scale-jitter '" + scaleJitter + "': expected MIN:MAX, e.g. 37:73");
    }

    /**
     * The run to train: {@code --resume RUN} (after {@code checkResumed} has looked at its stored settings; --epochs
     * changes its budget only when given) or a new run in {@code --out} with the {@code fresh} settings.
     */
    TrainingRun startOrResume(CommandSpec spec, String command, Supplier<TrainSettings> fresh, Consumer<RunInfo> checkResumed) {
        return flagged(() -> {
            if (resume != null) {
                if (out != null && !out.equals(resume)) {
                    throw new UserException("--resume " + resume + " and --out " + out + " name different folders");
                }
                checkResumed.accept(RunFolder.existing(resume).info());
                boolean epochsGiven = spec.commandLine().getParseResult().hasMatchedOption("--epochs");
                return TrainingRun.resume(resume, epochsGiven ? epochs : null);
            }
            if (out == null) {
                throw new UserException("--out DIR is required (or --resume RUN)");
            }
            TrainSettings settings = fresh.get();
            if (!force && RunFolder.occupied(out)) {
                throw new UserException("--out " + out + " already exists; use --resume " + out + " to continue it, or --force to replace it");
            }
            return TrainingRun.start(out, settings, Provenance.capture(command, Versions.all()), force, strict);
        });
    }

    /**
     * Runs {@code work}, turning the library's {@link SettingException} into a message naming the flag: the library
     * says "batch size must be at least 1", the user typed --batch.
     */
    <T> T flagged(Supplier<T> work) {
        try {
            return work.get();
        } catch (SettingException e) {
            String flag = flag(e.setting());
            throw flag == null ? e : new UserException(e.messageFor(flag), e);
        }
    }

    /** The flag that gives {@code setting} (a {@link SettingException#setting()}), or null. */
    String flag(String setting) {
        return switch (setting) {
            case SettingException.SCALE -> scaleJitter != null ? "--scale-jitter" : "--scale";
            case SettingException.RUN_FOLDER -> resume != null ? "--resume" : "--out";
            case "initFrom" -> initFromFlag;
            default -> FLAGS.get(setting);
        };
    }

    /** Flags of the settings whose flag does not depend on the command line (see {@link #flag}). */
    private static final Map<String, String> FLAGS = Map.ofEntries(Map.entry("validationFraction", "--val-fraction"),
            Map.entry("limit", "--limit"), Map.entry("colourShift", "--colour-shift"), Map.entry("inputScale", "--input-scale"),
            Map.entry("batchSize", "--batch"), Map.entry("epochs", "--epochs"), Map.entry("learningRate", "--lr"),
            Map.entry("momentum", "--momentum"), Map.entry("weightDecay", "--weight-decay"), Map.entry("dropout", "--dropout"),
            Map.entry("init", "--init"), Map.entry("initStd", "--init-std"), Map.entry("patience", "--patience"),
            Map.entry("maxLrDecreases", "--max-lr-decreases"), Map.entry("seed", "--seed"), Map.entry("threads", "--threads"),
            Map.entry("devices", "--devices"), Map.entry("finetune", "--finetune"),
            Map.entry("initLayers", "--init-layers"), Map.entry(SettingException.CLASSES, "--classes"),
            Map.entry(SettingException.FORCE, "--force"));

    /** The flag naming the run a new one starts from: --init-from for train, --from for train-loc. */
    String initFromFlag = "--init-from";

    /** Trains the run with progress on the terminal, then the --eval-data check; returns the exit code. */
    int train(TrainingRun run, CommandSpec spec, String command) {
        PrintWriter outw = spec.commandLine().getOut();
        outw.println("training " + run.info().settings().net().label() + " on " + run.info().dataDescription() + " ("
                + run.info().trainImages() + " train, " + run.info().validationImages() + " validation) -> " + run.folder().dir());
        String skipped = ImageScan.summary(run.info().skippedImages());
        if (skipped != null) {
            outw.println(skipped + " (all in " + run.folder().file(RunFolder.RUN_JSON) + ")");
        }
        if (run.info().deviceFallback() != null) {
            outw.println("note: " + run.info().deviceFallback());
        }
        outw.flush();
        CheckpointState end = flagged(() -> run.run(new TrainingRun.Output(progress.bar(), line -> {
            outw.println(line);
            outw.flush();
        })));
        if (evalData != null && end != null && end.finished()) {
            evaluate(run, outw, command);
        }
        outw.println("run folder: " + run.folder().dir() + " (weights, checkpoint, log.jsonl, curves.png)");
        return 0;
    }

    private void evaluate(TrainingRun run, PrintWriter outw, String command) {
        RunInfo info = run.info();
        ImageSource data = DatasetSpec.parse(evalData).open();
        int q = info.settings().singleTestScale();
        Augmenter centre = new Augmenter(new AugmentSettings(info.settings().net().crop(), q, q, false, 0), info.colourStats(),
                (float) info.settings().inputScale());
        boolean box = info.settings().net().head().isBox();
        Map<String, Object> result = new LinkedHashMap<>();
        String summary;
        try (DjlClassifier c = new DjlClassifier(run.folder().weights())) {
            if (box) {
                CentreCrop.Localisation loc = c.centreCropLocalisation(data, centre, q, info.settings().batchSize());
                result.put("method", "protocol 1: central crop, single scale, box of the ground-truth class (DJL)");
                result.put("head", info.settings().net().head().id());
                result.put("finetune", info.settings().finetune());
                result.put("meanIou", loc.meanIou());
                result.put("localisationAccuracy", loc.accuracy());
                result.put("localisationError", loc.error());
                summary = String.format(Locale.ROOT, "protocol-1 localisation error %.2f%% (mean IoU %.3f)", 100 * loc.error(), loc.meanIou());
            } else {
                double acc = c.centreCropAccuracy(data, centre, q, info.settings().batchSize());
                result.put("method", "centre crop, single scale (DJL)");
                result.put("top1Accuracy", acc);
                result.put("top1Error", 1 - acc);
                summary = String.format(Locale.ROOT, "centre-crop top-1 accuracy %.2f%%", 100 * acc);
            }
        }
        result.put("data", data.describe());
        result.put("images", data.size());
        result.put("testScale", q);
        result.put("weightsSha256", Hashes.sha256(run.folder().weightsFile()));
        result.put("provenance", Provenance.capture(command, Versions.all()));
        Json.write(run.folder().file("eval.json"), result);
        outw.printf(Locale.ROOT, "%s on %s at Q=%d (%d images) -> eval.json%n", summary, evalData, q, data.size());
    }
}
