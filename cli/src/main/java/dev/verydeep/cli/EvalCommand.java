package dev.verydeep.cli;

import dev.verydeep.core.Provenance;
import dev.verydeep.core.UserException;
import dev.verydeep.core.data.DatasetSpec;
import dev.verydeep.core.data.ImageSource;
import dev.verydeep.core.data.Subset;
import dev.verydeep.core.net.Geometry;
import dev.verydeep.onnx.ModelMetadata;
import dev.verydeep.onnx.OnnxModels;
import dev.verydeep.onnx.Preprocessing;
import dev.verydeep.onnx.TrainScale;
import dev.verydeep.runtime.DeviceSelection;
import dev.verydeep.runtime.eval.EvalReport;
import dev.verydeep.runtime.eval.EvalSettings;
import dev.verydeep.runtime.eval.Evaluation;
import dev.verydeep.runtime.eval.Evaluator;
import dev.verydeep.runtime.eval.Memory;
import dev.verydeep.runtime.eval.Method;
import dev.verydeep.runtime.eval.PartialResults;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code verydeep eval}: the paper's test protocol (section 3.2) on ONNX Runtime, top-1/top-5 error. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate ONNX nets on a labelled image set with the paper's test protocol: isotropic rescale to each test "
                + "scale Q, dense (fully convolutional, score map averaged) and/or multi-crop (5x5 grid + mirrors), averaged over "
                + "scales and, with several --model, over nets (fusion).",
            "Prints a table like the paper's Tables 3-6 and writes results.json, posteriors.bin (for verydeep fuse), "
                + "confusion.png and table.txt into --out.",
            "Unreadable images are skipped and listed in results.json (--strict stops instead)."})
public class EvalCommand implements Callable<Integer> {
    /**
     * Where the posteriors are computed before the evaluator assembles them from {@code partial}: the in-process
     * engine computes nothing there (the evaluator computes what is missing); the spark module fills every chunk on a
     * cluster. Called with the folder prepared and the partial results opened (null with --checkpoint-every 0).
     */
    @FunctionalInterface
    public interface Engine {
        Engine IN_PROCESS = (plan, ev, dir, partial, w) -> 0;

        /** Returns how many images it computed (they are then not reported as resumed). */
        int precompute(Plan plan, Evaluator ev, Path dir, PartialResults partial, PrintWriter w);

        /**
         * The closing line on time, or null when the engine reports it itself: in-process, the evaluation's wall time
         * and rate (where the evaluator computed the images).
         */
        default String timing(Evaluation e) {
            return String.format(Locale.ROOT, "wall %.1f s (%.1f images/s with decoding; warm-up %.1f s), peak RSS %d MB", e.wallSeconds(),
                    e.computedImages() / e.wallSeconds(), e.warmupSeconds(), Memory.peakRssMb());
        }
    }

    /**
     * The command resolved without opening a session: models, settings, the data set and the images to evaluate
     * ({@code indices} into {@code source}), and the chunk size of the partial results (0: none).
     */
    public record Plan(List<Path> models, EvalSettings settings, DatasetSpec spec, ImageSource all, ImageSource source, int[] indices,
            int limit, int checkpointEvery, boolean force) {
    }

    /** For picocli (and the spark module's commands, which extend this one). */
    public EvalCommand() {
    }

    @Option(names = "--model", required = true, split = ",", paramLabel = "M",
            description = "ONNX model(s) with verydeep metadata: model-dense.onnx (any method) or model.onnx (multicrop only). Several: fusion.")
    List<Path> models;

    @Option(names = "--data", required = true, paramLabel = "SPEC", description = "Labelled images: " + DatasetSpec.FORMS + ".")
    String data;

    @Option(names = "--synsets", paramLabel = "FILE", description = "imagenet: the synset list (one wnid per line, optionally a "
            + "description): the class order, which must be the models' score order. Default: the per-synset folders sorted by name.")
    Path synsets;

    @Option(names = "--labels", paramLabel = "FILE", description = "imagenet, flat folder of images: the ground truth, 'FILE LABEL' lines "
            + "(0-based index into --synsets, or a wnid) or the devkit's one 1-based label per line (i-th image in name order).")
    Path labels;

    @Option(names = "--method", defaultValue = "dense", description = "dense, multicrop or both (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--scales", paramLabel = "Q,Q,..", description = "Test scales Q (each >= the crop). Default: the paper's multi-scale "
            + "set from the model's training scale: {S-32,S,S+32} x crop/224 for fixed S, {Smin,(Smin+Smax)/2,Smax} for jittered S.")
    String scales;

    @Option(names = "--flip", description = "Dense: also evaluate the mirrored image and average the two posteriors.")
    boolean flip;

    @Option(names = "--preprocessing", paramLabel = "PROFILE", description = "Override the models' preprocessing: caffe or torchvision.")
    String preprocessing;

    @Option(names = "--limit", defaultValue = "0", description = "Evaluate only the first N images of the data set (0: all).")
    int limit;

    @Mixin
    OutputFolder output;

    @Option(names = "--checkpoint-every", defaultValue = "" + PartialResults.DEFAULT_CHUNK_IMAGES, paramLabel = "N",
            description = "Keep the posteriors of every N images in --out/partial, so that the same command run again after a kill "
                    + "continues where it stopped (0: keep nothing; --force discards partial results made differently). Default: ${DEFAULT-VALUE}.")
    int checkpointEvery;

    @Mixin
    RuntimeOptions runtime;

    @Mixin
    StrictOption strict;

    @Option(names = "--decode-threads", defaultValue = "1", description = "Threads decoding and rescaling images during inference (default: ${DEFAULT-VALUE}).")
    int decodeThreads;

    @Option(names = "--batch", defaultValue = "64", description = "Most inputs (images or crops) per ONNX Runtime call (default: ${DEFAULT-VALUE}).")
    int batch;

    @Mixin
    ProgressOption progress;

    @Mixin
    DenseWindowOption denseWindow;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return run(Engine.IN_PROCESS);
    }

    /** Checks the flags and resolves the settings and images ({@code w} takes notes such as dropped scales). */
    public Plan plan(PrintWriter w) {
        if (limit < 0) {
            throw new UserException("--limit must be 0 (all) or positive, got " + limit);
        }
        Method m = Method.parse(method);
        List<Integer> qs = scales != null ? EvalSettings.parseScales(scales) : defaultScales(w);
        Preprocessing pre = preprocessing == null ? null : Preprocessing.named(preprocessing);
        EvalSettings settings = EvalSettings.builder().setMethod(m).setScales(qs).optFlip(flip).optPreprocessing(pre).optBatch(batch)
                .optDecodeThreads(decodeThreads).optIntraOpThreads(runtime.threads).optDevice(runtime.device).optStrict(strict.strict)
                .optDenseCentred(denseWindow.centred()).build();
        DatasetSpec spec0 = DatasetSpec.parse(data);
        ImageSource all = spec0.open(synsets, labels);
        ImageSource source = all;
        if (limit > 0 && limit < all.size()) {
            source = new Subset(all, IntStream.range(0, limit).toArray(), "first " + limit);
        }
        if (checkpointEvery < 0) {
            throw new UserException("--checkpoint-every must be 0 (off) or positive, got " + checkpointEvery);
        }
        int[] indices = IntStream.range(0, source.size()).toArray();
        return new Plan(List.copyOf(models), settings, spec0, all, source, indices, limit, checkpointEvery, output.force);
    }

    /** Runs the evaluation, its posteriors computed by {@code engine}, and writes the result files. */
    public int run(Engine engine) {
        PrintWriter w = spec.commandLine().getOut();
        String command = CommandLines.of(spec);
        Plan plan = plan(w);
        EvalSettings settings = plan.settings();
        Method m = settings.method();
        List<Integer> qs = settings.scales();
        DatasetSpec spec0 = plan.spec();
        ImageSource all = plan.all();
        ImageSource source = plan.source();
        int[] indices = plan.indices();
        // Result files of an interrupted run are ours to replace: its partial results decide whether it resumes.
        boolean interrupted = output.out != null && PartialResults.present(output.out);
        Evaluation e;
        Path dir;
        PartialResults partial = null;
        int precomputed;
        try (Evaluator ev = Evaluator.open(models, settings)) {
            long posteriorBytes = 4L * models.size() * m.parts().size() * qs.size() * source.size() * ev.classes();
            dir = output.prepare(m.toString(), EvalReport.FILES, 2 * posteriorBytes + 64L * source.size() + (1L << 20), interrupted);
            if (checkpointEvery > 0) {
                partial = PartialResults.open(dir, PartialResults.fingerprint(ev.models(), spec0.toString(), source, indices, settings,
                        checkpointEvery), output.force);
            }
            for (DeviceSelection d : ev.devices()) {
                if (d.fellBack()) {
                    w.println("note: " + d.requested() + " requested but unavailable, running on " + d.used() + ": " + d.fallbackReason());
                    break;
                }
            }
            w.printf(Locale.ROOT, "evaluating %s on %s (%d images): %s, Q=%s%s -> %s%n",
                    ev.models().stream().map(x -> x.label()).collect(Collectors.joining("+")), spec0, source.size(), m,
                    qs.stream().map(String::valueOf).collect(Collectors.joining(",")), flip ? ", flip" : "", dir);
            w.flush();
            precomputed = engine.precompute(plan, ev, dir, partial, w);
            try (ProgressBar pb = progress.bar() ? new ProgressBarBuilder().setTaskName("eval").setInitialMax(source.size())
                    .setStyle(ProgressBarStyle.ASCII).setUnit(" img", 1).build() : null) {
                e = ev.evaluate(source, indices, (done, total) -> {
                    if (pb != null) {
                        pb.stepTo(done);
                    }
                }, partial);
            }
        }
        if (e.resumedImages() > precomputed) {
            w.printf(Locale.ROOT, "resumed: %d of %d images taken from %s (an interrupted run of this command)%n", e.resumedImages() - precomputed,
                    source.size(), partial.dir());
        }
        Map<String, Object> dataset = new LinkedHashMap<>();
        dataset.put("spec", spec0.toString());
        dataset.put("description", source.describe());
        dataset.put("images_in_data_set", all.size());
        dataset.put("limit", limit);
        dataset.put("images", source.size());
        String table = EvalReport.write(dir, e, settings, dataset, Provenance.capture(command, Versions.all()));
        if (partial != null) {
            partial.finish();
        }
        w.print(table);
        if (!e.skipped().isEmpty()) {
            w.printf(Locale.ROOT, "skipped %d image(s), e.g. %s (all in results.json)%n", e.skipped().size(), e.skipped().get(0).reason());
        }
        String timing = engine.timing(e);
        if (timing != null) {
            w.println(timing);
        }
        w.println("results: " + dir + " (results.json, posteriors.bin, confusion.png, table.txt)");
        w.flush();
        return 0;
    }

    /** The paper's multi-scale test set for the first model's training scale, scales below the crop dropped. */
    private List<Integer> defaultScales(PrintWriter w) {
        Path first = models.get(0);
        ModelMetadata meta = OnnxModels.load(first).metadata().orElseThrow(() -> new UserException(first
                + ": no verydeep metadata; give --scales"));
        TrainScale s = meta.trainScale();
        if (s == null) {
            throw new UserException(first + ": the training scale is unknown; give --scales (e.g. " + Geometry.miniature(256, meta.crop()) + ")");
        }
        List<Integer> qs = s.isJittered() ? Geometry.multiTestScalesJittered(s.min(), s.max()) : Geometry.multiTestScalesFixed(s.min(), meta.crop());
        List<Integer> kept = qs.stream().filter(q -> q >= meta.crop()).distinct().toList();
        if (kept.size() != qs.size()) {
            w.println("note: test scales " + qs + " for S=" + s + ": dropped those below the crop " + meta.crop());
        }
        return kept;
    }
}
