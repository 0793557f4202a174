package dev.verydeep.trainer;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.translate.Batchifier;
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
import dev.verydeep.core.io.FaultPoints;
import dev.verydeep.core.io.Hashes;
import dev.verydeep.core.io.Json;
import dev.verydeep.core.io.TensorFile;
import dev.verydeep.core.io.WritableFolder;
import dev.verydeep.core.net.NetWeights;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * One training run of the paper's recipe (section 3.1) in a run folder: starts fresh or resumes from
 * the newest checkpoint, trains epoch by epoch, checkpoints after each, and writes the final weights.
 *
 * <p>Reproducibility: every random draw is derived from the seed and the epoch (shuffle order, each
 * image's augmentation from its position, PyTorch's generator for dropout re-seeded per epoch), so a
 * run resumed at an epoch boundary continues exactly as the uninterrupted run would, and two runs with
 * the same seed and thread count give bit-identical losses.
 *
 * <p>Memory: the input batch goes through two direct buffers allocated once and reused (PyTorch wraps
 * them without copying); every per-batch NDArray lives in a sub-manager closed after the batch, so
 * native and direct memory stay flat over epochs.
 */
public final class TrainingRun {
    /** Callbacks for progress and tests. */
    public interface Listener {
        default void onIteration(int epoch, int iteration, float loss) {
        }

        default void onEpoch(EpochLog log) {
        }
    }

    /** Whether to draw a progress bar on stderr and print a line per epoch on stdout. */
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
            throw new UserException("--classes " + s.net().classes() + " but " + s.data() + " has " + all.classNames().size() + " classes");
        }
        Splits.Split2 split = split(all, s);
        RunFolder src = s.initFrom() == null ? null : RunFolder.existing(Path.of(s.initFrom()));
        String initSha = src == null ? null : Hashes.sha256(src.weightsFile());
        RunInfo source = src == null ? null : src.info();
        boolean newHead = source != null && source.settings().net().head() != s.net().head();
        if (newHead && !source.classNames().equals(all.classNames())) {
            throw new UserException(s.data() + " has classes " + all.classNames() + " but the source run " + s.initFrom() + " was trained on "
                    + source.classNames() + " (a box-regression net needs the same classes, in the same order)");
        }
        List<String> copied = src == null ? List.of() : List.copyOf(WeightTransfer.select(src.weights(), s.net()).keySet());
        RunFolder folder = RunFolder.fresh(dir, force, RunFolder.estimateBytes(s.net()));
        // A localisation net keeps its classifier's input statistics: the copied layers were trained on them.
        ColourStats stats = newHead ? source.colourStats() : ColourStats.compute(split.train(), COLOUR_STATS_IMAGES, s.seed());
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
        WritableFolder.check(dir, "--resume", RunFolder.estimateBytes(info.settings().net()));
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

    /** The tensors {@code --finetune fc} freezes: every conv layer's weight and bias. */
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
    public CheckpointState run(Listener listener, Output output) {
        TrainSettings s = info.settings();
        Devices.Selection devices = Devices.select(s.devices()); // loads the engine, which setNumThreads needs
        JniUtils.setNumThreads(s.threads());
        CheckpointState state = folder.checkpoint();
        if (state != null && state.finished() && !Files.isRegularFile(folder.file(RunFolder.WEIGHTS))) {
            // Killed between the last checkpoint and the final weights: they are the last checkpoint's.
            TensorFile.write(folder.file(RunFolder.WEIGHTS), folder.checkpointTensors(state, "weights.vdw", state.weightsSha256()));
        }
        if (state != null && state.finished() && state.epoch() >= s.epochs()) {
            output.lines().accept("run already finished at epoch " + state.epoch()
                    + (state.stopReason() != null ? " (" + state.stopReason() + ")" : ""));
            return state;
        }
        if (state != null && state.stopReason() != null) {
            output.lines().accept("run was stopped by the schedule at epoch " + state.epoch() + ": " + state.stopReason());
            return state;
        }
        VggNet vgg = VggNet.build(s.net(), (float) s.dropout());
        CheckpointableSgd sgd = new CheckpointableSgd(
                (float) (state == null ? s.learningRate() : state.learningRate()), (float) s.momentum(), (float) s.weightDecay());
        Initializer init = switch (s.init()) {
            case "glorot" -> new XavierInitializer(XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.AVG, 3);
            case "he" -> new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.IN, 2);
            default -> new NormalInitializer((float) s.initStd());
        };
        try (Model model = Model.newInstance("verydeep-" + s.net().config().label(), devices.devices().get(0))) {
            model.setBlock(vgg.block());
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(sgd).optDevices(devices.array()).optInitializer(init, Parameter.Type.WEIGHT);
            try (Trainer trainer = model.newTrainer(config)) {
                Engine.getInstance().setRandomSeed((int) s.seed());
                trainer.initialize(vgg.inputShape(1));
                if (state != null) {
                    vgg.load(folder.checkpointTensors(state, "weights.vdw", state.weightsSha256()));
                    Map<String, NetWeights.Tensor> mom = folder.checkpointTensors(state, "momentum.vdw", state.momentumSha256());
                    for (Map.Entry<String, NetWeights.Tensor> e : mom.entrySet()) {
                        sgd.restoreMomentumState(vgg.parameter(e.getKey()).getId(), e.getValue().data());
                    }
                    output.lines().accept("resuming " + folder.dir() + " after epoch " + state.epoch());
                } else if (s.initFrom() != null) {
                    NetWeights src = RunFolder.existing(Path.of(s.initFrom())).weights();
                    vgg.load(WeightTransfer.select(src, s.net()));
                }
                for (String t : info.frozenTensors()) {
                    vgg.parameter(t).freeze(true); // no gradient, so SGD leaves it untouched
                }
                return loop(trainer, vgg, sgd, devices.array(), state, listener, output);
            }
        }
    }

    private CheckpointState loop(Trainer trainer, VggNet vgg, CheckpointableSgd sgd, Device[] devices, CheckpointState state,
            Listener listener, Output output) {
        TrainSettings s = info.settings();
        Objective objective = Objective.of(s.net());
        Augmenter augmenter = new Augmenter(new AugmentSettings(s.net().crop(), s.scaleMin(), s.scaleMax(), s.flip(), s.colourShift()),
                info.colourStats(), (float) s.inputScale());
        int crop = s.net().crop();
        int imageFloats = 3 * crop * crop;
        int batch = s.batchSize();
        int targetFloats = objective.targetLength();
        ByteBuffer inputBuffer = ByteBuffer.allocateDirect(4 * batch * imageFloats).order(ByteOrder.nativeOrder());
        ByteBuffer targetBuffer = ByteBuffer.allocateDirect(4 * batch * targetFloats).order(ByteOrder.nativeOrder());
        float[] images = new float[batch * imageFloats];
        float[] targets = new float[batch * targetFloats];

        int startEpoch = state == null ? 1 : state.epoch() + 1;
        List<EpochLog> history = new ArrayList<>(state == null ? List.of() : state.history());
        PlateauSchedule schedule = state == null ? PlateauSchedule.fresh(s.patience(), s.maxLrDecreases())
                : new PlateauSchedule(s.patience(), s.maxLrDecreases(), state.bestValidationAccuracy(),
                        state.epochsWithoutImprovement(), state.lrDecreases());
        CheckpointState last = state;
        for (int epoch = startEpoch; epoch <= s.epochs(); epoch++) {
            Engine.getInstance().setRandomSeed((int) Seeds.mix(s.seed(), epoch, -1));
            int[] order = Seeds.permutation(train.size(), Seeds.mix(s.seed(), epoch, -2));
            long t0 = System.nanoTime();
            double lossSum = 0;
            long correct = 0;
            int seen = 0;
            int iteration = 0;
            ProgressBar bar = output.progressBar() ? new ProgressBarBuilder().setTaskName("epoch " + epoch + "/" + s.epochs())
                    .setInitialMax(train.size()).setStyle(ProgressBarStyle.ASCII).setUnit(" img", 1)
                    .setUpdateIntervalMillis(500).continuousUpdate().build() : null;
            try {
                for (int start = 0; start < order.length; start += batch) {
                    int n = Math.min(batch, order.length - start);
                    final int base = start;
                    final int ep = epoch;
                    IntStream.range(0, n).parallel().forEach(j -> {
                        int idx = order[base + j];
                        Random rnd = new Random(Seeds.mix(s.seed(), ep, base + j));
                        objective.sample(train, idx, augmenter, rnd, images, j * imageFloats, targets, j * targetFloats);
                    });
                    float[] stepResult = trainStep(trainer, objective, devices, inputBuffer, targetBuffer, images, targets, n, crop);
                    lossSum += stepResult[0] * n;
                    correct += (long) stepResult[1];
                    seen += n;
                    listener.onIteration(epoch, iteration++, stepResult[0]);
                    FaultPoints.reached("train.iteration");
                    if (bar != null) {
                        double secs = (System.nanoTime() - t0) / 1e9;
                        bar.stepTo(seen);
                        bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f %s %.2f%% %.0f img/s", lossSum / seen,
                                objective.hitName(), 100.0 * correct / seen, seen / secs));
                    }
                }
            } finally {
                if (bar != null) {
                    bar.close();
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            Objective.Validation val = validation == null ? null
                    : objective.validate(validation, augmenter, s.singleTestScale(), batch, forward(trainer, inputBuffer, crop));
            Double valAcc = val == null ? null : val.accuracy();
            EpochLog log = new EpochLog(epoch, sgd.learningRate(), lossSum / seen, (double) correct / seen, valAcc, seen, secs,
                    seen / secs, rssMb(), directMb(), val == null ? null : val.meanIou());
            history.add(log);
            listener.onEpoch(log);
            output.lines().accept(String.format(Locale.ROOT,
                    "epoch %d/%d  lr %.0e  loss %.4f  train %s%.2f%%  val %s%s  %.0f img/s  %.1f s  RSS %d MB",
                    epoch, s.epochs(), log.learningRate(), log.trainLoss(), val != null && val.meanIou() != null ? objective.hitName() + " " : "",
                    100 * log.trainAccuracy(),
                    valAcc == null ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * valAcc),
                    log.validationMeanIou() == null ? "" : String.format(Locale.ROOT, " (mean IoU %.3f)", log.validationMeanIou()),
                    log.imagesPerSecond(), secs, log.rssMb()));

            String stop = null;
            if (val != null) {
                switch (schedule.observe(val.score())) {
                    case STOP -> stop = "validation " + (val.meanIou() == null ? "accuracy" : "mean IoU") + " stopped improving after "
                            + schedule.decreases() + " learning-rate decreases";
                    case DECREASE -> {
                        sgd.setLearningRate(sgd.learningRate() / 10f);
                        output.lines().accept(String.format(Locale.ROOT, "learning rate divided by 10 to %.0e (decrease %d of %d)",
                                sgd.learningRate(), schedule.decreases(), schedule.maxDecreases()));
                    }
                    case CONTINUE -> { }
                }
            }
            boolean finished = stop != null || epoch == s.epochs();
            try {
                last = checkpoint(vgg, sgd, epoch, schedule, finished, stop, history);
            } catch (UserException e) {
                throw new UserException(e.getMessage() + "; " + (last == null ? "no checkpoint was completed yet"
                        : "the checkpoint of epoch " + last.epoch() + " is kept: verydeep train --resume " + folder.dir() + " continues from it"), e);
            }
            FaultPoints.reached("train.checkpoint-written");
            if (stop != null) {
                output.lines().accept("stopping: " + stop);
                break;
            }
        }
        if (last != null && last.finished()) {
            TensorFile.write(folder.file(RunFolder.WEIGHTS), vgg.weights().tensors());
        }
        return last;
    }

    /** One SGD step over a batch, split across devices; returns {mean loss, hit count}. */
    private float[] trainStep(Trainer trainer, Objective objective, Device[] devices, ByteBuffer inputBuffer, ByteBuffer targetBuffer,
            float[] images, float[] targets, int n, int crop) {
        FloatBuffer fb = inputBuffer.clear().asFloatBuffer();
        fb.put(images, 0, n * 3 * crop * crop);
        targetBuffer.clear().asFloatBuffer().put(targets, 0, n * objective.targetLength());
        float loss = 0;
        long correct = 0;
        try (NDManager batchManager = trainer.getManager().newSubManager()) {
            NDArray x = batchManager.create(inputBuffer, new Shape(n, 3, crop, crop), DataType.FLOAT32);
            NDArray y = batchManager.create(targetBuffer, objective.targetShape(n), DataType.FLOAT32);
            List<NDList[]> splits = new ArrayList<>();
            if (devices.length == 1) {
                splits.add(new NDList[] {new NDList(x), new NDList(y)});
            } else {
                // Synchronous data parallelism (section 3.1): each device gets a slice of the batch.
                Batch b = new Batch(batchManager, new NDList(x), new NDList(y), n, Batchifier.STACK, Batchifier.STACK, 0, 0);
                for (Batch part : b.split(devices, false)) {
                    splits.add(new NDList[] {part.getData(), part.getLabels()});
                }
            }
            try (GradientCollector gc = trainer.newGradientCollector()) {
                for (NDList[] part : splits) {
                    NDArray out = trainer.forward(part[0], part[1]).singletonOrThrow();
                    NDArray target = part[1].singletonOrThrow();
                    // Sum over the slice divided by the whole batch: the gradients DJL sums over devices
                    // then equal the single-device mean-loss gradient.
                    NDArray sliceLoss = objective.loss(out, target, n);
                    gc.backward(sliceLoss);
                    loss += sliceLoss.getFloat();
                    correct += objective.hits(out, target);
                }
            }
            trainer.step();
        }
        return new float[] {loss, correct};
    }

    /** The net in evaluation mode (no dropout) on crop-sized inputs, through the reused input buffer. */
    private static CentreCrop.Forward forward(Trainer trainer, ByteBuffer inputBuffer, int crop) {
        return (inputs, n) -> {
            inputBuffer.clear().asFloatBuffer().put(inputs, 0, n * 3 * crop * crop);
            try (NDManager m = trainer.getManager().newSubManager()) {
                NDArray x = m.create(inputBuffer, new Shape(n, 3, crop, crop), DataType.FLOAT32);
                if (!x.getDevice().equals(trainer.getDevices()[0])) {
                    x = x.toDevice(trainer.getDevices()[0], false);
                }
                return trainer.evaluate(new NDList(x)).singletonOrThrow().toFloatArray();
            }
        };
    }

    private CheckpointState checkpoint(VggNet vgg, CheckpointableSgd sgd, int epoch, PlateauSchedule schedule,
            boolean finished, String stop, List<EpochLog> history) {
        String name = String.format(Locale.ROOT, "checkpoint-%04d", epoch);
        Path dir = folder.file(name);
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new UserException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        NetWeights w = vgg.weights();
        TensorFile.write(dir.resolve("weights.vdw"), w.tensors());
        Map<String, NetWeights.Tensor> mom = new LinkedHashMap<>();
        for (String t : vgg.tensorNames()) {
            NDArray m = sgd.momentumState(vgg.parameter(t).getId());
            NetWeights.Tensor wt = w.get(t);
            mom.put(t, new NetWeights.Tensor(wt.shape(), m == null ? new float[wt.data().length] : m.toFloatArray()));
        }
        TensorFile.write(dir.resolve("momentum.vdw"), mom);
        CheckpointState cp = new CheckpointState(epoch, name, Hashes.sha256(dir.resolve("weights.vdw")),
                Hashes.sha256(dir.resolve("momentum.vdw")), sgd.learningRate(), schedule.best(), schedule.epochsWithoutImprovement(),
                schedule.decreases(), finished, stop,
                List.copyOf(history));
        Json.write(folder.file(RunFolder.CHECKPOINT_JSON), cp);
        folder.pruneCheckpoints(name);
        StringBuilder lines = new StringBuilder();
        for (EpochLog e : history) {
            lines.append(Json.toLine(e)).append('\n');
        }
        dev.verydeep.core.io.AtomicFiles.writeString(folder.file(RunFolder.LOG), lines.toString());
        Curves.write(folder.file(RunFolder.CURVES), info.settings().net().label() + ", " + info.settings().data(), history);
        return cp;
    }

    static long rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    static long directMb() {
        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (b.getName().equals("direct")) {
                return b.getMemoryUsed() >> 20;
            }
        }
        return -1;
    }
}
