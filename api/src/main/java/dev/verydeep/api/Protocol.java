package dev.verydeep.api;

import dev.verydeep.core.Provenance;
import dev.verydeep.core.UserException;
import dev.verydeep.core.data.DatasetSpec;
import dev.verydeep.core.data.ImageSource;
import dev.verydeep.core.data.Subset;
import dev.verydeep.onnx.Preprocessing;
import dev.verydeep.runtime.Device;
import dev.verydeep.runtime.eval.EvalSettings;
import dev.verydeep.runtime.eval.Evaluation;
import dev.verydeep.runtime.eval.Evaluator;
import dev.verydeep.runtime.eval.PartitionEvaluator;
import dev.verydeep.runtime.eval.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The paper's test protocol (section 3.2) on ONNX Runtime, configured once and run with {@link #evaluate()}: dense,
 * multi-crop (5x5 grid and mirrors) or both, over test scales Q, with flips, for one model or the fusion of several,
 * on a data set named as the CLI names it or on an {@link ImageSource} of your own. A thin facade over
 * {@link Evaluator}: the same settings give the same numbers as {@code verydeep eval} ({@link #command()} is that
 * command line).
 *
 * <pre>{@code
 * Result r = Protocol.builder()
 *         .setModels(Model.open(Path.of("runs/D/model-dense.onnx")))
 *         .setData("fashion-mnist:test")
 *         .setMethod(Method.DENSE)
 *         .setScales(37, 55, 73)
 *         .optFlip(true)
 *         .build()
 *         .evaluate();
 * System.out.printf("top-1 %.2f%%, top-5 %.2f%%%n", 100 * r.top1Error(), 100 * r.top5Error());
 * }</pre>
 */
public final class Protocol {
    private final List<Model> models;
    private final String spec;
    private final ImageSource source;
    private final Path synsets;
    private final Path labels;
    private final int limit;
    private final EvalSettings settings;
    private final PartitionEvaluator.Listener listener;

    private Protocol(Builder b) {
        this.models = List.copyOf(b.models);
        this.spec = b.spec;
        this.source = b.source;
        this.synsets = b.synsets;
        this.labels = b.labels;
        this.limit = b.limit;
        this.listener = b.listener;
        this.settings = b.settings.build();
    }

    /**
     * A new protocol: models, data, method and scales are required.
     *
     * <pre>{@code
     * Protocol p = Protocol.builder().setModels(a, b).setData("fashion-mnist:test").setMethod(Method.BOTH).setScales(37).build();
     * }</pre>
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The runtime's settings this protocol runs with. */
    public EvalSettings settings() {
        return settings;
    }

    /**
     * The {@code verydeep eval} command line with the same protocol and data (a data set given as an
     * {@link ImageSource} is written as its description, which the CLI cannot read).
     */
    public String command() {
        List<String> w = new ArrayList<>(List.of("verydeep", "eval", "--model",
                models.stream().map(m -> m.path().toString()).collect(Collectors.joining(",")), "--data",
                spec != null ? spec : "'" + source.describe() + "'"));
        if (synsets != null) {
            w.addAll(List.of("--synsets", synsets.toString()));
        }
        if (labels != null) {
            w.addAll(List.of("--labels", labels.toString()));
        }
        if (limit > 0) {
            w.addAll(List.of("--limit", Integer.toString(limit)));
        }
        w.addAll(List.of("--method", settings.method().toString(), "--scales",
                settings.scales().stream().map(String::valueOf).collect(Collectors.joining(","))));
        if (settings.flip()) {
            w.add("--flip");
        }
        if (settings.preprocessing() != null) {
            w.addAll(List.of("--preprocessing", settings.preprocessing().name()));
        }
        if (!settings.denseCentred()) {
            w.addAll(List.of("--dense-window", "full"));
        }
        w.addAll(List.of("--threads", Integer.toString(settings.intraOpThreads()), "--batch", Integer.toString(settings.batch())));
        return String.join(" ", w);
    }

    /**
     * Opens the data and the models, evaluates every image (or the first {@code limit}) and returns the result; the
     * sessions are closed before it returns.
     *
     * <pre>{@code
     * Result r = protocol.evaluate();
     * r.perClassTop1Error().forEach((cls, err) -> System.out.println(cls + ": " + err));
     * }</pre>
     */
    public Result evaluate() {
        ImageSource all = source != null ? source : DatasetSpec.parse(spec).open(synsets, labels);
        ImageSource data = limit > 0 && limit < all.size() ? new Subset(all, IntStream.range(0, limit).toArray(), "first " + limit) : all;
        Evaluation e;
        try (Evaluator ev = Evaluator.open(models.stream().map(Model::path).toList(), settings)) {
            e = ev.evaluate(data, listener);
        }
        Map<String, Object> dataset = new LinkedHashMap<>();
        dataset.put("spec", spec != null ? DatasetSpec.parse(spec).toString() : null);
        dataset.put("description", data.describe());
        dataset.put("images_in_data_set", all.size());
        dataset.put("limit", limit);
        dataset.put("images", data.size());
        String command = command();
        return new Result(e, settings, dataset, Provenance.capture(command, Provenance.libraryVersions(Protocol.class)), command);
    }

    /** set/opt builder. */
    public static final class Builder {
        private final List<Model> models = new ArrayList<>();
        private String spec;
        private ImageSource source;
        private Path synsets;
        private Path labels;
        private int limit;
        private final EvalSettings.Builder settings = EvalSettings.builder();
        private PartitionEvaluator.Listener listener;

        private Builder() {
        }

        /** The model, or several: their posteriors are fused (averaged), as the paper's Table 6 does. */
        public Builder setModels(Model... models) {
            return setModels(Arrays.asList(models));
        }

        /** As {@link #setModels(Model...)}. */
        public Builder setModels(List<Model> models) {
            this.models.clear();
            this.models.addAll(models);
            return this;
        }

        /** The data set by its spec, as every CLI verb names it ({@link DatasetSpec#FORMS}), e.g. {@code fashion-mnist:test}. */
        public Builder setData(String spec) {
            this.spec = spec;
            this.source = null;
            return this;
        }

        /** Any labelled images of your own, e.g. with a geometry the model was trained with; class order = the model's. */
        public Builder setData(ImageSource source) {
            this.source = source;
            this.spec = null;
            return this;
        }

        /** {@code imagenet:DIR}: the synset list that fixes the class order (the CLI's {@code --synsets}). */
        public Builder optSynsets(Path synsets) {
            this.synsets = synsets;
            return this;
        }

        /** {@code imagenet:DIR} as a flat validation folder: its ground truth (the CLI's {@code --labels}). */
        public Builder optLabels(Path labels) {
            this.labels = labels;
            return this;
        }

        /** Only the first {@code limit} images (0: all). */
        public Builder optLimit(int limit) {
            this.limit = limit;
            return this;
        }

        /** Dense, multi-crop or both. */
        public Builder setMethod(Method method) {
            settings.setMethod(method);
            return this;
        }

        /** The test scales Q (the smaller image side after the isotropic rescale), each at least the crop. */
        public Builder setScales(int... scales) {
            settings.setScales(Arrays.stream(scales).boxed().toList());
            return this;
        }

        /** Dense evaluation also of the mirrored image (multi-crop always includes mirrors). */
        public Builder optFlip(boolean flip) {
            settings.optFlip(flip);
            return this;
        }

        /** Overrides the preprocessing the models' metadata states. */
        public Builder optPreprocessing(Preprocessing preprocessing) {
            settings.optPreprocessing(preprocessing);
            return this;
        }

        /** Most inputs per ONNX Runtime call (default {@value EvalSettings#DEFAULT_BATCH}); speed only. */
        public Builder optBatch(int batch) {
            settings.optBatch(batch);
            return this;
        }

        /** ONNX Runtime intra-op threads (0, the default: one per core). */
        public Builder optThreads(int threads) {
            settings.optIntraOpThreads(threads);
            return this;
        }

        /** Threads decoding and rescaling images during inference (default 1). */
        public Builder optDecodeThreads(int decodeThreads) {
            settings.optDecodeThreads(decodeThreads);
            return this;
        }

        /** CPU (default) or CUDA, which falls back to CPU (saying why in the result) unless strict. */
        public Builder optDevice(Device device) {
            settings.optDevice(device);
            return this;
        }

        /** Stop at the first unreadable image and refuse the CPU fall-back. */
        public Builder optStrict(boolean strict) {
            settings.optStrict(strict);
            return this;
        }

        /** Dense: the central {@code floor(side/32)*32} pixels (true, the default) or the whole image. */
        public Builder optDenseCentred(boolean denseCentred) {
            settings.optDenseCentred(denseCentred);
            return this;
        }

        /** Called after each image, e.g. for a progress bar. */
        public Builder optListener(PartitionEvaluator.Listener listener) {
            this.listener = listener;
            return this;
        }

        /** Checks the settings (not yet the files). */
        public Protocol build() {
            if (models.isEmpty()) {
                throw new UserException("Protocol: no model (setModels)");
            }
            if (spec == null && source == null) {
                throw new UserException("Protocol: no data (setData with a spec such as fashion-mnist:test, or an ImageSource)");
            }
            if (spec != null) {
                DatasetSpec.parse(spec);
            }
            if (limit < 0) {
                throw new UserException("Protocol: limit must be 0 (all) or positive, got " + limit);
            }
            return new Protocol(this);
        }
    }
}
