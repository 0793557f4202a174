package dev.verydeep.runtime.eval;

import dev.verydeep.core.data.ImageSource;
import dev.verydeep.onnx.Preprocessor;
import dev.verydeep.runtime.DeviceSelection;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The test protocol of section 3.2 on ONNX Runtime, for one or more nets (fusion) over a partition of a data
 * set. {@link #evaluate} is a pure function of the images, the nets and the settings, so partitions can be
 * evaluated anywhere and their posteriors concatenated: with sessions opened elsewhere (one per worker), call
 * {@link PartitionEvaluator#evaluate(dev.verydeep.runtime.ModelSession, ImageSource, EvalSettings)} instead.
 *
 * <p>Per image and test scale Q: decode, rescale isotropically so the smaller side is Q
 * ({@link Preprocessor#rescale}: PIL-compatible bilinear with antialiasing when shrinking), then for each net
 * its preprocessing ({@link Preprocessor}, from the net's metadata unless overridden), and
 * <ul>
 *   <li>dense: the whole image through the fully convolutional graph ({@code scores_map}), the class score map
 *       averaged spatially (sum-pooling divided by the number of cells), soft-max; with flip also the mirrored
 *       image, the two posteriors averaged;</li>
 *   <li>multi-crop: the {@link CropGrid} 5x5 windows of crop x crop pixels and their mirrors, 50 crops, through
 *       the classifier ({@code scores}) or the dense graph at crop size; the 50 posteriors averaged.</li>
 * </ul>
 * Parts and scales are kept apart in the {@link PosteriorSet}; every combination is formed from it.
 *
 * <p>Every Q must be at least the nets' crop (both methods): the crop windows must fit, and a dense graph
 * whose FC1 is a (crop/32)x(crop/32) convolution needs that much input. Images whose rescaled size exceeds the
 * pixel budget, and images the reader cannot decode, are skipped with the reason (or stop the run when
 * strict).
 *
 * <p>Execution: one session per net, opened here and reused; the work is {@link PartitionEvaluator}'s (a
 * {@link DecodePipeline} decoding and rescaling ahead of a {@link BatchRunner} that batches inputs of equal shape,
 * into a {@link ResumableAccumulator}); an {@link PartitionEvaluator.ImageTap} sees each rescaled image, for a
 * second pass over the same images. Each scale (and the crop size) is run once before the first evaluation
 * (warm-up) so that ORT's per-shape planning is not timed.
 */
public final class Evaluator implements AutoCloseable {
    private final EvalSettings settings;
    private final PartitionEvaluator work;

    private Evaluator(EvalSettings settings, PartitionEvaluator work) {
        this.settings = settings;
        this.work = work;
    }

    /**
     * Opens one session per model (on the settings' device, falling back to CPU unless strict) and checks
     * that the nets can be evaluated together with these settings.
     */
    public static Evaluator open(List<Path> models, EvalSettings settings) {
        return new Evaluator(settings, PartitionEvaluator.open(models, settings));
    }

    public EvalSettings settings() {
        return settings;
    }

    public List<ModelInfo> models() {
        return work.nets().stream().map(EvalNet::info).toList();
    }

    /** Where each net's session runs. */
    public List<DeviceSelection> devices() {
        return work.devices();
    }

    public int crop() {
        return work.nets().get(0).crop();
    }

    public int classes() {
        return work.classes();
    }

    /** The class names of the first net's metadata. */
    public List<String> classNames() {
        return work.nets().get(0).meta().classNames();
    }

    /** Evaluates every image of {@code source}. */
    public Evaluation evaluate(ImageSource source, PartitionEvaluator.Listener listener) {
        return evaluate(source, all(source), listener);
    }

    /** Evaluates the images {@code indices} of {@code source} (a partition), in that order. */
    public Evaluation evaluate(ImageSource source, int[] indices, PartitionEvaluator.Listener listener) {
        return work.evaluate(source, indices, listener, null, null);
    }

    /** Evaluates every image of {@code source}, showing each decoded and rescaled image to {@code tap}. */
    public Evaluation evaluate(ImageSource source, PartitionEvaluator.Listener listener, PartitionEvaluator.ImageTap tap) {
        return work.evaluate(source, all(source), listener, null, tap);
    }

    /**
     * Evaluates the images {@code indices} of {@code source} chunk by chunk, keeping each finished chunk in
     * {@code partial} and taking chunks already there instead of recomputing them (resumption after a kill). Batches
     * never span two chunks, so a resumed run computes every image in the same batch as an uninterrupted one.
     * {@code partial} may be null: then the images form one chunk and nothing is kept.
     */
    public Evaluation evaluate(ImageSource source, int[] indices, PartitionEvaluator.Listener listener, PartialResults partial) {
        return work.evaluate(source, indices, listener, partial, null);
    }

    private static int[] all(ImageSource source) {
        return IntStream.range(0, source.size()).toArray();
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (EvalNet n : work.nets()) {
            try {
                n.session().close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
