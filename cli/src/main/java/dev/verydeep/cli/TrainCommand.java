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
import dev.verydeep.core.net.Geometry;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.trainer.CheckpointState;
import dev.verydeep.trainer.DjlClassifier;
import dev.verydeep.trainer.RunFolder;
import dev.verydeep.trainer.RunInfo;
import dev.verydeep.trainer.TrainSettings;
import dev.verydeep.trainer.TrainingRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code verydeep train}: the paper's training recipe in DJL, resumable. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a net with the paper's recipe (section 3.1) on the CPU or GPUs, checkpointing every epoch.",
            "Defaults are the paper's except the batch (64 on CPU; the paper used 256)."})
final class TrainCommand implements Callable<Integer> {
    @Mixin
    NetOptions net;

    @Option(names = "--data", description = "Training data: fashion-mnist[:train|:test], fashion-mnist:DIR, folder:DIR, caltech:DIR, imagenet:DIR.")
    String data;

    @Option(names = "--out", description = "Run folder to create (refused if it exists, unless --force).")
    Path out;

    @Option(names = "--resume", paramLabel = "RUN", description = "Continue the run in this folder from its last checkpoint (other flags, if given, must match it; --epochs may grow).")
    Path resume;

    @Option(names = "--force", description = "Replace an existing run folder given by --out.")
    boolean force;

    @Option(names = "--scale", paramLabel = "S", description = "Fixed training scale S (smallest image side before cropping). Default: 256 x crop/224.")
    Integer scale;

    @Option(names = "--scale-jitter", paramLabel = "MIN:MAX", description = "Scale jittering: S drawn per image uniformly from [MIN, MAX].")
    String scaleJitter;

    @Option(names = "--epochs", description = "Epoch budget (the schedule may stop earlier). Default: ${DEFAULT-VALUE}.", defaultValue = "74")
    int epochs;

    @Option(names = "--batch", defaultValue = "64", description = "Mini-batch size (paper: 256). Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--lr", description = "Initial learning rate. Default: 1e-2, or 1e-3 when --init-from a net of the same config (fine-tuning).")
    Double lr;

    @Option(names = "--momentum", defaultValue = "0.9")
    double momentum;

    @Option(names = "--weight-decay", defaultValue = "5e-4")
    double weightDecay;

    @Option(names = "--dropout", defaultValue = "0.5", description = "Dropout rate after FC1 and FC2.")
    double dropout;

    @Option(names = "--init", defaultValue = "glorot", description = "Random initialisation: glorot (Xavier uniform), normal (zero mean, --init-std; the paper's) or he (Kaiming). Default: ${DEFAULT-VALUE}.")
    String init;

    @Option(names = "--init-std", defaultValue = "0.1", description = "Standard deviation for --init normal (the paper's 'variance 1e-2'). Default: ${DEFAULT-VALUE}.")
    double initStd;

    @Option(names = "--init-from", paramLabel = "RUN", description = "Initialise from a trained run: all layers of the same config, or (from config A) the first four conv and the three FC layers.")
    Path initFrom;

    @Option(names = "--patience", defaultValue = "2", description = "Epochs without validation improvement before the learning rate is divided by 10. Default: ${DEFAULT-VALUE}.")
    int patience;

    @Option(names = "--max-lr-decreases", defaultValue = "3")
    int maxLrDecreases;

    @Option(names = "--val-fraction", defaultValue = "0.1", description = "Share of each class held out for validation (0: none, no schedule). Default: ${DEFAULT-VALUE}.")
    double valFraction;

    @Option(names = "--limit", defaultValue = "0", description = "Use only the first N training images (0: all).")
    int limit;

    @Option(names = "--no-flip", description = "Disable random horizontal flips.")
    boolean noFlip;

    @Option(names = "--colour-shift", defaultValue = "0.1", description = "Std of AlexNet's PCA colour shift (0: off). Default: ${DEFAULT-VALUE}.")
    double colourShift;

    @Option(names = "--input-scale", defaultValue = "1",
            description = "The net sees (pixel - mean RGB) x this, pixels in 0..255. Default: ${DEFAULT-VALUE} (the paper's).")
    double inputScale;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--threads", description = "PyTorch threads (default: all cores). Runs are bit-identical only with equal counts.")
    Integer threads;

    @Option(names = "--devices", split = ",", defaultValue = "cpu", description = "cpu, or gpu0,gpu1,... for data-parallel training (falls back to CPU, saying why).")
    List<String> devices;

    @Option(names = "--eval-data", paramLabel = "SPEC", description = "After training, report centre-crop top-1 accuracy on this data (e.g. fashion-mnist:test) into eval.json.")
    String evalData;

    @Option(names = "--strict", description = "Stop at the first image the decoder refuses (default: skip it and list it in run.json).")
    boolean strict;

    @Option(names = "--no-progress", description = "No progress bar (one line per epoch only); also the case when not on a terminal.")
    boolean noProgress;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter outw = spec.commandLine().getOut();
        TrainingRun run;
        String command = CommandLines.of(spec);
        if (resume != null) {
            if (out != null && !out.equals(resume)) {
                throw new UserException("--resume " + resume + " and --out " + out + " name different folders");
            }
            RunInfo stored = RunFolder.existing(resume).info();
            if (net.config != null) {
                TrainSettings asked = settings(command).withEpochs(stored.settings().epochs());
                String diff = firstDifference(stored.settings(), asked);
                if (diff != null) {
                    throw new UserException("--resume " + resume + ": " + diff + " differs from the run's settings; drop the flag or start a new run");
                }
            }
            boolean epochsGiven = spec.commandLine().getParseResult().hasMatchedOption("--epochs");
            run = TrainingRun.resume(resume, epochsGiven ? epochs : null);
        } else {
            if (out == null) {
                throw new UserException("--out DIR is required (or --resume RUN)");
            }
            run = TrainingRun.start(out, settings(command), Provenance.capture(command, Versions.all()), force, strict);
        }
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
        CheckpointState end = run.run(new TrainingRun.Listener() { }, new TrainingRun.Output(!noProgress && System.console() != null, line -> {
            outw.println(line);
            outw.flush();
        }));
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
        double acc;
        try (DjlClassifier c = new DjlClassifier(run.folder().weights())) {
            acc = c.centreCropAccuracy(data, centre, q, info.settings().batchSize());
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("method", "centre crop, single scale (DJL)");
        result.put("data", data.describe());
        result.put("images", data.size());
        result.put("testScale", q);
        result.put("top1Accuracy", acc);
        result.put("top1Error", 1 - acc);
        result.put("weightsSha256", Hashes.sha256(run.folder().weightsFile()));
        result.put("provenance", Provenance.capture(command, Versions.all()));
        Json.write(run.folder().file("eval.json"), result);
        outw.printf(Locale.ROOT, "centre-crop top-1 accuracy on %s at Q=%d: %.2f%% (%d images) -> eval.json%n", evalData, q, 100 * acc, data.size());
    }

    private TrainSettings settings(String command) {
        if (data == null) {
            throw new UserException("--data is required (e.g. fashion-mnist)");
        }
        int classes = net.classes != null ? net.classes : DatasetSpec.parse(data).open().classNames().size();
        int crop = net.crop != null ? net.crop : 224;
        NetDescription d = net.description(classes, crop);
        int smin;
        int smax;
        if (scale != null && scaleJitter != null) {
            throw new UserException("give either --scale or --scale-jitter, not both");
        } else if (scaleJitter != null) {
            String[] p = scaleJitter.split(":");
            try {
                smin = Integer.parseInt(p[0].trim());
                smax = Integer.parseInt(p[1].trim());
            } catch (RuntimeException e) {
                throw new UserException("--scale-jitter '" + scaleJitter + "': expected MIN:MAX, e.g. 37:73");
            }
            if (p.length != 2) {
                throw new UserException("--scale-jitter '" + scaleJitter + "': expected MIN:MAX, e.g. 37:73");
            }
        } else {
            smin = smax = scale != null ? scale : Geometry.miniature(256, crop);
        }
        boolean sameConfigInit = false;
        if (initFrom != null) {
            sameConfigInit = RunFolder.existing(initFrom).info().settings().net().config() == d.config();
        }
        double learningRate = lr != null ? lr : (sameConfigInit ? 1e-3 : 1e-2);
        return new TrainSettings(d, DatasetSpec.parse(data).toString(), valFraction, limit, smin, smax, !noFlip, colourShift, inputScale, batch,
                epochs, learningRate, momentum, weightDecay, dropout, init, initStd, initFrom == null ? null : initFrom.toString(),
                patience, maxLrDecreases, seed, threads != null ? threads : Runtime.getRuntime().availableProcessors(), devices);
    }

    private static String firstDifference(TrainSettings a, TrainSettings b) {
        var components = TrainSettings.class.getRecordComponents();
        for (var c : components) {
            try {
                Object x = c.getAccessor().invoke(a);
                Object y = c.getAccessor().invoke(b);
                if (!java.util.Objects.equals(x, y)) {
                    return c.getName() + " (" + y + " vs " + x + ")";
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return null;
    }
}
