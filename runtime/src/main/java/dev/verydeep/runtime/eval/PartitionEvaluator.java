package dev.verydeep.runtime.eval;

import dev.verydeep.core.UserException;
import dev.verydeep.core.data.ImageSource;
import dev.verydeep.core.image.RgbImage;
import dev.verydeep.core.io.FaultPoints;
import dev.verydeep.runtime.DeviceSelection;
import dev.verydeep.runtime.ModelSession;
import dev.verydeep.runtime.Sessions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * The test protocol over a partition of images with open ONNX Runtime sessions: a pure function of the images,
 * the nets and the settings. This is the unit of scale-out: a worker (a thread here, an Apache Spark executor
 * elsewhere) opens one session per net once, with {@link dev.verydeep.runtime.Sessions#open}, and calls
 * {@link #evaluate(ModelSession, ImageSource, EvalSettings)} for each partition it is given; the partitions'
 * posteriors, in partition order, concatenate ({@link PosteriorSet#concat}) to exactly what {@link Evaluator} gives
 * with chunks of the partitions' size ({@code eval --checkpoint-every}), since an image's posterior depends on that
 * image and on the inputs batched with it, and batches never mix partitions (other partition sizes batch images
 * differently, which may move the last bits ONNX Runtime computes).
 *
 * <p>Inside: a {@link DecodePipeline} decodes and rescales images on its own threads, ahead of a
 * {@link BatchRunner} that batches the nets' inputs and runs them, into a {@link ResumableAccumulator} that keeps
 * finished chunks (with {@link PartialResults}, for {@link Evaluator}'s resumable runs). {@link Evaluator} is the
 * same work with sessions it opens and owns itself.
 */
public final class PartitionEvaluator {
    /** Called on the evaluating thread after each image is taken from the decode queue. */
    @FunctionalInterface
    public interface Listener {
        void imagesDone(int done, int total);
    }

    /**
     * Sees every image the evaluator decoded and rescaled (not the skipped ones), so another pass can use them
     * without decoding again (localize's box pass). Called on the evaluating thread, in the order of the indices.
     */
    @FunctionalInterface
    public interface ImageTap {
        /** Image {@code index} of the source, {@code width x height} as decoded, rescaled to each test scale (in the settings' order). */
        void image(int index, int width, int height, RgbImage[] scaled);
    }

    private final List<EvalNet> nets;
    private final EvalSettings settings;
    private final BatchRunner runner;

    PartitionEvaluator(List<EvalNet> nets, EvalSettings settings) {
        this.nets = List.copyOf(nets);
        this.settings = settings;
        this.runner = new BatchRunner(this.nets, settings);
    }

    /**
     * Evaluates every image of {@code images}, in their order, with one net's open session (not closed here:
     * the caller owns it and may reuse it for the next partition). The result's {@link Evaluation#posteriors()}
     * hold the images evaluated, in image order; {@link Evaluation#skipped()} the others with their reasons.
     * Each call warms the session up once per input shape before timing (ORT plans per shape).
     *
     * @throws UserException when the session's model cannot be evaluated with these settings (no verydeep metadata,
     *                       no class score output, a classifier with dense, a scale below the crop), the images have
     *                       another class count, or an image cannot be read and the settings are strict
     */
    public static Evaluation evaluate(ModelSession session, ImageSource images, EvalSettings settings) {
        return evaluate(List.of(session), images, settings);
    }

    /** As {@link #evaluate(ModelSession, ImageSource, EvalSettings)}, fusing several nets (one open session each). */
    public static Evaluation evaluate(List<ModelSession> sessions, ImageSource images, EvalSettings settings) {
        return of(sessions, settings).evaluate(images, IntStream.range(0, images.size()).toArray(), null, null, null);
    }

    /**
     * Opens one session per model (on the settings' device and threads, falling back to CPU unless strict) and checks
     * the nets against the settings and each other: an evaluator to keep for many partitions (a Spark executor keeps
     * one; its sessions are warmed up once). On failure the sessions opened are closed.
     */
    public static PartitionEvaluator open(List<Path> models, EvalSettings settings) {
        if (models.isEmpty()) {
            throw new UserException("--model: at least one model is needed");
        }
        List<ModelSession> sessions = new ArrayList<>();
        try {
            for (Path p : models) {
                sessions.add(Sessions.open(p, settings.device(), settings.intraOpThreads(), settings.strict()));
            }
            return of(sessions, settings);
        } catch (RuntimeException e) {
            sessions.forEach(ModelSession::close);
            throw e;
        }
    }

    /**
     * Evaluates every image of {@code images}, in their order, as {@link #evaluate(List, ImageSource, EvalSettings)}
     * does, with this evaluator's sessions; {@code listener} (may be null) hears of each image taken.
     */
    public Evaluation evaluate(ImageSource images, Listener listener) {
        return evaluate(images, IntStream.range(0, images.size()).toArray(), listener, null, null);
    }

    /** Where each net's session runs. */
    public List<DeviceSelection> devices() {
        return nets.stream().map(n -> n.session().device()).toList();
    }

    /** The nets' class count. */
    public int classes() {
        return nets.get(0).classes();
    }

    /** Checks the sessions' nets against the settings and each other. */
    static PartitionEvaluator of(List<ModelSession> sessions, EvalSettings settings) {
        if (sessions.isEmpty()) {
            throw new UserException("--model: at least one model is needed");
        }
        List<EvalNet> nets = sessions.stream().map(s -> EvalNet.of(s, settings)).toList();
        EvalNet.checkTogether(nets, settings);
        return new PartitionEvaluator(nets, settings);
    }

    List<EvalNet> nets() {
        return nets;
    }

    /**
     * Evaluates the images {@code indices} of {@code source}, in that order. With {@code partial}, chunk by chunk,
     * keeping each finished chunk there and taking chunks already there (resumption after a kill); batches never
     * span two chunks, so a resumed run computes every image in the same batch as an uninterrupted one. Any of
     * {@code listener}, {@code partial}, {@code tap} may be null.
     */
    Evaluation evaluate(ImageSource source, int[] indices, Listener listener, PartialResults partial, ImageTap tap) {
        int classes = classes();
        if (source.classNames().size() != classes) {
            throw new UserException(source.describe() + " has " + source.classNames().size() + " classes but the model"
                    + (nets.size() > 1 ? "s have " : " has ") + classes);
        }
        double warmup = runner.warmUp();
        int n = indices.length;
        PosteriorBlocks.Shape shape = new PosteriorBlocks.Shape(nets.size(), settings.method().parts().size(), settings.scales().size(), n,
                classes);
        Map<Integer, Long> rss = new TreeMap<>();
        long start = System.nanoTime();
        int[] scales = settings.scales().stream().mapToInt(Integer::intValue).toArray();
        int lookahead = Math.max(8, Math.max(4 * settings.decodeThreads(), settings.batch()));
        ResumableAccumulator acc = new ResumableAccumulator(shape, partial);
        try (acc; DecodePipeline decode = new DecodePipeline(source, indices, acc.slotsToCompute(), scales, settings.maxPixels(),
                settings.decodeThreads(), lookahead)) {
            Progress progress = new Progress(listener, n, rss);
            for (int c = 0; c < acc.chunks(); c++) {
                if (acc.isStored(c)) {
                    progress.resumed(acc.end(c));
                } else {
                    computeChunk(acc, c, decode, tap, progress);
                }
            }
            acc.awaitWrites();
        }
        double wall = (System.nanoTime() - start) / 1e9;
        List<String> classNames = nets.get(0).meta().classNames();
        List<ModelInfo> models = nets.stream().map(EvalNet::info).toList();
        return new Evaluation(acc.posteriors(source, indices, models, settings, classNames), acc.skipped(source, indices), devices(), wall,
                warmup, rss, acc.resumedImages());
    }

    private void computeChunk(ResumableAccumulator acc, int c, DecodePipeline decode, ImageTap tap, Progress progress) {
        int first = acc.first(c);
        PosteriorBlocks blocks = acc.newChunk(c);
        String[] reasons = new String[acc.end(c) - first];
        BatchRunner.Pass pass = runner.pass(blocks);
        for (int slot = first; slot < acc.end(c); slot++) {
            DecodePipeline.Decoded d = decode.next();
            if (d.skipReason() != null) {
                if (settings.strict()) {
                    throw new UserException(d.skipReason() + " (stopping: --strict; without it the image is skipped and reported)");
                }
                reasons[slot - first] = d.skipReason();
            } else {
                pass.add(slot - first, d.scaled());
                if (tap != null) {
                    tap.image(d.index(), d.width(), d.height(), d.scaled());
                }
            }
            FaultPoints.reached("eval.image");
            progress.computed(slot + 1);
        }
        pass.finish();
        acc.complete(c, blocks, reasons);
    }

    /** Tells the listener, and samples the resident memory after every tenth of the images computed. */
    private record Progress(Listener listener, int total, Map<Integer, Long> rss) {
        void resumed(int done) {
            if (listener != null) {
                listener.imagesDone(done, total);
            }
        }

        void computed(int done) {
            resumed(done);
            if (done % Math.max(1, total / 10) == 0 || done == total) {
                rss.put(done, Memory.rssMb());
            }
        }
    }
}
