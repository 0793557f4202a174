package dev.verydeep.trainer;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import dev.verydeep.core.Provenance;
import dev.verydeep.core.UserException;
import dev.verydeep.core.data.DatasetSpec;
import dev.verydeep.core.data.ImageScan;
import dev.verydeep.core.data.ImageSource;
import dev.verydeep.core.data.Splits;
import dev.verydeep.core.data.Subset;
import dev.verydeep.core.image.AugmentSettings;
import dev.verydeep.core.image.Augmenter;
import dev.verydeep.core.image.ColourStats;
import dev.verydeep.core.io.Json;
import dev.verydeep.core.io.TensorFile;
import dev.verydeep.core.net.NetWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * One training run of the paper's recipe (section 3.1) in a run folder: starts fresh or resumes from the newest
 * checkpoint, then an {@link EpochDriver} trains epoch by epoch with the run's listeners: {@link MemoryProbe},
 * {@link ConsoleProgress}, {@link ScheduleListener} (the plateau schedule) and {@link Checkpoints} (a checkpoint after
 * every epoch, the final weights at the end).
 *
 * <p>Reproducibility: two runs with the same seed and thread count give bit-identical losses, and a run resumed at
 * an epoch boundary continues exactly as the uninterrupted run would (see {@link EpochDriver}).
 */
public final class TrainingRun {
    /** Whether to draw a progress bar on stderr, and where the line per epoch goes. */
    public record Output(boolean progressBar, Consumer<String> lines) {
        public static final Output QUIET = new Output(false, s -> { });
    }

    private static final int COLOUR_STATS_IMAGES = 10_000;

    private final RunFolder folder;
    private final RunInfo info;
    private final ImageSource train;
    private final ImageSource validation;

    private TrainingRun(RunFolder folder, RunInfo info, ImageSource train, ImageSource validation) {
        this.folder = folder;
        this.info = info;
        this.train = train;
        this.validation = validation;
    }

    /** Starts a new run in {@code dir} (see {@link RunFolder#fresh} for when an existing folder is replaced). */
    public static TrainingRun start(Path dir, TrainSettings s, Provenance provenance, boolean force) {
        return start(dir, s, provenance, force, false);
    }

    /**
     * Starts a new run; images of the data the decoder refuses are left out and listed in run.json, or, when
     * {@code strict}, stop the run before it starts.
     */
    public static TrainingRun start(Path dir, TrainSettings s, Provenance provenance, boolean force, boolean strict) {
        ImageScan.Result scan = open(s, strict);
        ImageSource all = scan.kept();
        if (all.classNames().size() != s.net().classes()) {
            throw new SettingException(SettingException.CLASSES, s.net().classes() + " but " + s.data() + " has " + all.classNames().size() + " classes");
        }
        Splits.Split2 split = split(all, s);
        InitSource src = s.initFrom() == null ? null : InitSource.open(Path.of(s.initFrom()));
        NetWeights srcWeights = src == null ? null : src.weights(); // first: a source without weights says so, naming them
        String initSha = src == null ? null : src.sha256();
        boolean newHead = src != null && src.net().head() != s.net().head();
        if (newHead && !src.classNames().equals(all.classNames())) {
            throw new UserException(s.data() + " has classes " + all.classNames() + " but the source net " + s.initFrom() + " was trained on "
                    + src.classNames() + " (a box-regression net needs the same classes, in the same order)");
        }
        List<String> copied = src == null ? List.of() : List.copyOf(WeightTransfer.select(srcWeights, s.net(), s.initLayers()).keySet());
        RunFolder folder = RunFolder.fresh(dir, force, RunFolder.estimateBytes(s.net()));
        Supplier<ColourStats> ownStats = () -> ColourStats.compute(split.train(), COLOUR_STATS_IMAGES, s.seed());
        // A localisation net keeps its classifier's input statistics: the copied layers were trained on them.
        ColourStats stats = newHead ? src.colourStats(ownStats) : ownStats.get();
        Devices.Selection devices = Devices.select(s.devices());
        RunInfo info = new RunInfo(RunInfo.FORMAT, s, all.classNames(), stats, all.describe(), split.train().size(),
                split.validation() == null ? 0 : split.validation().size(), devices.names(), devices.fallbackReason(),
                copied, initSha, provenance, scan.skipped(), frozenTensors(s));
        Json.write(folder.file(RunFolder.RUN_JSON), info);
        return new TrainingRun(folder, info, split.train(), split.validation());
    }

    /** Resumes the run in {@code dir} from its newest checkpoint; {@code epochs} (if not null) changes the epoch budget. */
    public static TrainingRun resume(Path dir, Integer epochs) {
        RunFolder folder = RunFolder.existing(dir);
        RunInfo info = folder.info();
        RunFolder.checkWritable(dir, RunFolder.estimateBytes(info.settings().net()));
        if (epochs != null && epochs != info.settings().epochs()) {
            info = new RunInfo(info.format(), info.settings().withEpochs(epochs), info.classNames(), info.colourStats(),
                    info.dataDescription(), info.trainImages(), info.validationImages(), info.devices(), info.deviceFallback(),
                    info.initFromCopied(), info.initFromSha256(), info.provenance(), info.skippedImages(), info.frozenTensors());
            Json.write(folder.file(RunFolder.RUN_JSON), info);
        }
        ImageSource all = open(info.settings(), false).kept();
        Splits.Split2 split = split(all, info.settings());
        if (split.train().size() != info.trainImages()) {
            throw new UserException(dir + ": the training data " + info.settings().data() + " now has " + split.train().size()
                    + " images, the run started with " + info.trainImages());
        }
        return new TrainingRun(folder, info, split.train(), split.validation());
    }

    /** The tensors {@link TrainSettings.Finetune#FC} freezes: every conv layer's weight and bias. */
    static List<String> frozenTensors(TrainSettings s) {
        if (!s.convFrozen()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (dev.verydeep.core.net.Layer l : s.net().convLayers()) {
            out.add(NetWeights.weightName(l));
            out.add(NetWeights.biasName(l));
        }
        return out;
    }

    /** The training data (limited), without the images the decoder refuses (see {@link ImageScan}). */
    private static ImageScan.Result open(TrainSettings s, boolean strict) {
        ImageSource src = DatasetSpec.parse(s.data()).open();
        if (s.limit() > 0 && s.limit() < src.size()) {
            src = new Subset(src, IntStream.range(0, s.limit()).toArray());
        }
        return ImageScan.scan(src, strict);
    }

    private static Splits.Split2 split(ImageSource all, TrainSettings s) {
        if (s.validationFraction() <= 0) {
            return new Splits.Split2(all, null);
        }
        return Splits.trainValidation(all, s.validationFraction(), s.seed());
    }

    public RunInfo info() {
        return info;
    }

    public RunFolder folder() {
        return folder;
    }

    /** Trains until the epoch budget or the schedule ends the run; returns the final checkpoint state. */
    public CheckpointState run(Output output) {
        return run(TrainingListener.NONE, output);
    }

    /** {@link #run(Output)}, telling {@code listener} too (after the memory probe, before the console). */
    public CheckpointState run(TrainingListener listener, Output output) {
        TrainSettings s = info.settings();
        Devices.Selection devices = Devices.select(s.devices()); // loads the engine, which setNumThreads needs
        JniUtils.setNumThreads(s.threads());
        CheckpointState state = folder.checkpoint();
        String ended = ended(state);
        if (ended != null) {
            output.lines().accept(ended);
            return state;
        }
        String kernels = ConvKernelCheck.check(s.net(), s.batchSize(), devices.devices().get(0), s.threads());
        if (kernels != null) {
            output.lines().accept(kernels);
        }
        VggNet vgg = VggNet.build(s.net(), (float) s.dropout());
        CheckpointableSgd sgd = new CheckpointableSgd(
                (float) (state == null ? s.learningRate() : state.learningRate()), (float) s.momentum(), (float) s.weightDecay());
        try (Model model = Model.newInstance("verydeep-" + s.net().config().label(), devices.devices().get(0))) {
            model.setBlock(vgg.block());
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(sgd).optDevices(devices.array()).optInitializer(initializer(s), Parameter.Type.WEIGHT);
            try (Trainer trainer = model.newTrainer(config)) {
                Engine.getInstance().setRandomSeed((int) s.seed());
                trainer.initialize(vgg.inputShape(1));
                restore(vgg, sgd, state, output);
                Objective objective = Objective.of(s.net());
                Augmenter augmenter = new Augmenter(new AugmentSettings(s.net().crop(), s.scaleMin(), s.scaleMax(), s.flip(),
                        s.colourShift()), info.colourStats(), (float) s.inputScale());
                PlateauSchedule schedule = state == null ? PlateauSchedule.fresh(s.patience(), s.maxLrDecreases())
                        : new PlateauSchedule(s.patience(), s.maxLrDecreases(), state.bestValidationAccuracy(),
                                state.epochsWithoutImprovement(), state.lrDecreases());
                Checkpoints checkpoints = new Checkpoints(folder, info, vgg, sgd, schedule, state);
                List<TrainingListener> listeners = List.of(new MemoryProbe(), listener,
                        new ConsoleProgress(output, objective.hitName(), s.epochs()), new DivergenceGuard(s.batchSize(), sgd::learningRate),
                        new ScheduleListener(schedule, sgd, output.lines()), checkpoints);
                new EpochDriver(s, new TrainStep(trainer, objective, augmenter, devices.array(), s, output.lines()), train, validation, sgd, listeners)
                        .run(state == null ? 1 : state.epoch() + 1);
                return checkpoints.last();
            }
        }
    }

    /** Why a run has nothing left to train (finished, or stopped by the schedule), or null; finishes an interrupted end. */
    private String ended(CheckpointState state) {
        if (state == null) {
            return null;
        }
        if (state.finished() && !Files.isRegularFile(folder.file(RunFolder.WEIGHTS))) {
            // Killed between the last checkpoint and the final weights: they are the last checkpoint's.
            TensorFile.write(folder.file(RunFolder.WEIGHTS), folder.checkpointTensors(state, "weights.vdw", state.weightsSha256()));
        }
        if (state.finished() && state.epoch() >= info.settings().epochs()) {
            return "run already finished at epoch " + state.epoch() + (state.stopReason() != null ? " (" + state.stopReason() + ")" : "");
        }
        if (state.stopReason() != null) {
            return "run was stopped by the schedule at epoch " + state.epoch() + ": " + state.stopReason();
        }
        return null;
    }

    private static Initializer initializer(TrainSettings s) {
        return switch (s.init()) {
            case GLOROT -> new XavierInitializer(XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.AVG, 3);
            case HE -> new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.IN, 2);
            case NORMAL -> new NormalInitializer((float) s.initStd());
        };
    }

    /** Loads the checkpoint's weights and momentum, or the weights of the run to initialise from; freezes what stays fixed. */
    private void restore(VggNet vgg, CheckpointableSgd sgd, CheckpointState state, Output output) {
        TrainSettings s = info.settings();
        if (state != null) {
            vgg.load(folder.checkpointTensors(state, "weights.vdw", state.weightsSha256()));
            Map<String, NetWeights.Tensor> mom = folder.checkpointTensors(state, "momentum.vdw", state.momentumSha256());
            for (Map.Entry<String, NetWeights.Tensor> e : mom.entrySet()) {
                sgd.restoreMomentumState(vgg.parameter(e.getKey()).getId(), e.getValue().data());
            }
            output.lines().accept("resuming " + folder.dir() + " after epoch " + state.epoch());
        } else if (s.initFrom() != null) {
            vgg.load(WeightTransfer.select(InitSource.open(Path.of(s.initFrom())).weights(), s.net(), s.initLayers()));
        }
        for (String t : info.frozenTensors()) {
            vgg.parameter(t).freeze(true); // no gradient, so SGD leaves it untouched
        }
    }
}
