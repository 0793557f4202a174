package dev.verydeep.runtime.eval;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.verydeep.core.UserException;
import dev.verydeep.core.data.ImageSource;
import dev.verydeep.core.image.Resize;
import dev.verydeep.core.image.RgbImage;
import dev.verydeep.core.io.FaultPoints;
import dev.verydeep.core.io.Hashes;
import dev.verydeep.core.net.DenseWindow;
import dev.verydeep.onnx.ModelMetadata;
import dev.verydeep.onnx.OnnxExporter;
import dev.verydeep.onnx.Preprocessor;
import dev.verydeep.runtime.DeviceSelection;
import dev.verydeep.runtime.ModelSession;
import dev.verydeep.runtime.Sessions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * The test protocol of section 3.2 on ONNX Runtime, for one or more nets (fusion) over a partition of a data
 * set. {@link #evaluate} is a pure function of the images, the nets and the settings, so partitions can be
 * evaluated anywhere (one evaluator per worker) and their posteriors concatenated.
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
 * <p>Execution: one session per net, reused; images are decoded and rescaled on a small pool, a bounded
 * number ahead of inference (an {@link ImageTap} sees each, for a second pass over the same rescaled images);
 * inputs of equal shape are batched ({@link ShapeBatcher}, up to {@link EvalSettings#batch()} per ORT call),
 * so a data set whose images share a size runs in full batches; direct input buffers are reused, every
 * tensor and result is closed. Each scale (and the crop size) is run once before the loop (warm-up) so that
 * ORT's per-shape planning is not timed.
 */
public final class Evaluator implements AutoCloseable {
    /** Called on the evaluating thread after each image is taken from the decode queue. */
    @FunctionalInterface
    public interface Listener {
        void imagesDone(int done, int total);
    }

    private record Net(ModelSession session, ModelInfo info, ModelMetadata meta, Preprocessor pre, String input, String output,
                       boolean dense) {
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

    private final EvalSettings settings;
    private final List<Net> nets;
    private final int crop;
    private final int classes;
    private final List<Part> parts;
    private final int[] scales;
    private boolean warmedUp;
    private double warmupSeconds;
    private float[] scratch = new float[0];
    private FloatBuffer direct = FloatBuffer.allocate(0);

    private Evaluator(EvalSettings settings, List<Net> nets) {
        this.settings = settings;
        this.nets = nets;
        this.crop = nets.get(0).meta().crop();
        this.classes = nets.get(0).meta().classNames().size();
        this.parts = settings.method().parts();
        this.scales = settings.scales().stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Opens one session per model (on the settings' device, falling back to CPU unless strict) and checks
     * that the nets can be evaluated together with these settings.
     */
    public static Evaluator open(List<Path> models, EvalSettings settings) {
        if (models.isEmpty()) {
            throw new UserException("--model: at least one model is needed");
        }
        List<Net> nets = new ArrayList<>();
        try {
            for (Path p : models) {
                nets.add(net(p, settings));
            }
            check(nets, settings);
            return new Evaluator(settings, nets);
        } catch (RuntimeException e) {
            nets.forEach(n -> n.session().close());
            throw e;
        }
    }

    private static Net net(Path path, EvalSettings s) {
        ModelSession session = Sessions.open(path, s.device(), s.intraOpThreads(), s.strict());
        try {
            ModelMetadata meta = session.model().metadata().orElseThrow(() -> new UserException(path
                    + ": no verydeep metadata (classes, preprocessing, crop); export the net with verydeep export or convert it with verydeep convert"));
            List<String> inputs = session.inputNames();
            if (inputs.size() != 1) {
                throw new UserException(path + ": expected one image input, the model has " + inputs);
            }
            List<String> outputs = session.outputNames();
            boolean dense;
            String output;
            if (outputs.contains(OnnxExporter.SCORES_MAP)) {
                dense = true;
                output = OnnxExporter.SCORES_MAP;
            } else if (outputs.contains(OnnxExporter.SCORES)) {
                dense = false;
                output = OnnxExporter.SCORES;
            } else {
                throw new UserException(path + ": no class score output (expected '" + OnnxExporter.SCORES_MAP + "' of a dense graph or '"
                        + OnnxExporter.SCORES + "' of a classifier; the model has " + outputs + ")");
            }
            if (!dense && s.method().parts().contains(Part.DENSE)) {
                throw new UserException(path + " is a classifier with a fixed " + meta.crop() + "x" + meta.crop()
                        + " input; dense evaluation needs the fully convolutional graph (" + OnnxExporter.DENSE_FILE
                        + ", or verydeep convert), or use --method multicrop");
            }
            String label = meta.net() == null ? stem(path)
                    : meta.net().config().label() + (meta.net().width() == 1.0 ? "" : " w" + java.math.BigDecimal.valueOf(meta.net().width())
                    .stripTrailingZeros().toPlainString());
            ModelInfo info = new ModelInfo(label, meta.trainScale() == null ? "-" : meta.trainScale().toString(),
                    path.toString(), Hashes.sha256(session.model().bytes()));
            Preprocessor pre = new Preprocessor(s.preprocessing() != null ? s.preprocessing() : meta.preprocessing());
            return new Net(session, info, meta, pre, inputs.get(0), output, dense);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    private static String stem(Path p) {
        String f = p.getFileName().toString();
        return f.endsWith(".onnx") ? f.substring(0, f.length() - 5) : f;
    }

    private static void check(List<Net> nets, EvalSettings s) {
        Net first = nets.get(0);
        for (Net n : nets) {
            if (n.meta().classNames().size() != first.meta().classNames().size()) {
                throw new UserException("--model: cannot fuse " + first.info().path() + " (" + first.meta().classNames().size() + " classes) with "
                        + n.info().path() + " (" + n.meta().classNames().size() + " classes)");
            }
            if (n.meta().crop() != first.meta().crop()) {
                throw new UserException("--model: " + first.info().path() + " has crop " + first.meta().crop() + " but " + n.info().path()
                        + " has crop " + n.meta().crop() + "; fused nets must share the crop (the multi-crop windows and scales are shared)");
            }
        }
        int c = first.meta().crop();
        for (int q : s.scales()) {
            if (q < c) {
                throw new UserException("--scales " + s.scales().stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElse("")
                        + ": Q=" + q + " is smaller than the crop " + c + " of " + first.info().path()
                        + "; the image's smaller side becomes Q, and both dense and multi-crop evaluation need Q >= " + c);
            }
        }
    }

    public EvalSettings settings() {
        return settings;
    }

    public List<ModelInfo> models() {
        return nets.stream().map(Net::info).toList();
    }

    /** Where each net's session runs. */
    public List<DeviceSelection> devices() {
        return nets.stream().map(n -> n.session().device()).toList();
    }

    public int crop() {
        return crop;
    }

    public int classes() {
        return classes;
    }

    /** The class names of the first net's metadata. */
    public List<String> classNames() {
        return nets.get(0).meta().classNames();
    }

    // ---------------------------------------------------------------- evaluation

    private record Prepared(int slot, int width, int height, RgbImage[] scaled, String skipReason) {
    }

    /** One network input: a window of a rescaled image, maybe mirrored, with where its posterior goes. */
    private record Job(int slot, int scale, int part, RgbImage img, int x, int y, int w, int h, boolean mirror, float weight)
            implements ShapeBatcher.Shaped {
    }

    /** Evaluates every image of {@code source}. */
    public Evaluation evaluate(ImageSource source, Listener listener) {
        int[] all = new int[source.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return evaluate(source, all, listener);
    }

    /** Evaluates the images {@code indices} of {@code source} (a partition), in that order. */
    public Evaluation evaluate(ImageSource source, int[] indices, Listener listener) {
        return evaluate(source, indices, listener, null, null);
    }

    /** Evaluates every image of {@code source}, showing each decoded and rescaled image to {@code tap}. */
    public Evaluation evaluate(ImageSource source, Listener listener, ImageTap tap) {
        return evaluate(source, IntStream.range(0, source.size()).toArray(), listener, null, tap);
    }

    /**
     * Evaluates the images {@code indices} of {@code source} chunk by chunk, keeping each finished chunk in
     * {@code partial} and taking chunks already there instead of recomputing them (resumption after a kill). Batches
     * never span two chunks, so a resumed run computes every image in the same batch as an uninterrupted one.
     * {@code partial} may be null: then the images form one chunk and nothing is kept.
     */
    public Evaluation evaluate(ImageSource source, int[] indices, Listener listener, PartialResults partial) {
        return evaluate(source, indices, listener, partial, null);
    }

    private Evaluation evaluate(ImageSource source, int[] indices, Listener listener, PartialResults partial, ImageTap tap) {
        if (source.classNames().size() != classes) {
            throw new UserException(source.describe() + " has " + source.classNames().size() + " classes but the model"
                    + (nets.size() > 1 ? "s have " : " has ") + classes);
        }
        warmUp();
        int n = indices.length;
        int m = nets.size();
        float[][][][] acc = new float[m][parts.size()][scales.length][n * classes];
        double[][][] seconds = new double[m][parts.size()][scales.length];
        boolean[] skippedSlot = new boolean[n];
        List<Skipped> skipped = new ArrayList<>();
        Map<Integer, Long> rss = new TreeMap<>();
        int chunkImages = partial == null ? Math.max(1, n) : partial.chunkImages();
        int decode = settings.decodeThreads();
        AtomicInteger threadNo = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(decode, r -> {
            Thread t = new Thread(r, "verydeep-decode-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        long start = System.nanoTime();
        int resumed = 0;
        try {
            int lookahead = Math.max(8, 4 * decode);
            int sampleEvery = Math.max(1, n / 10);
            for (int first = 0; first < n; first += chunkImages) {
                int end = Math.min(n, first + chunkImages);
                int chunk = first / chunkImages;
                PartialResults.Chunk stored = partial == null ? null
                        : partial.load(chunk, first, end - first, m, parts.size(), scales.length, classes);
                if (stored != null) {
                    take(stored, first, acc, seconds);
                    for (int i = first; i < end; i++) {
                        String reason = stored.skipReasons()[i - first];
                        if (reason != null) {
                            skippedSlot[i] = true;
                            skipped.add(new Skipped(indices[i], safeId(source, indices[i]), reason));
                        }
                    }
                    resumed += end - first;
                    if (listener != null) {
                        listener.imagesDone(end, n);
                    }
                    continue;
                }
                double[][][] chunkSeconds = new double[m][parts.size()][scales.length];
                ShapeBatcher<Job> batcher = new ShapeBatcher<>(settings.batch(),
                        4 * Math.max(settings.batch(), 2 * CropGrid.PAPER_GRID * CropGrid.PAPER_GRID), jobs -> run(jobs, acc, chunkSeconds));
                String[] reasons = new String[end - first];
                ArrayDeque<Future<Prepared>> ahead = new ArrayDeque<>();
                int next = first;
                for (int done = first; done < end; done++) {
                    while (next < end && ahead.size() < lookahead) {
                        int slot = next++;
                        ahead.add(pool.submit(() -> prepare(source, indices[slot], slot)));
                    }
                    Prepared p = take(ahead.poll());
                    if (p.skipReason() != null) {
                        String id = safeId(source, indices[p.slot()]);
                        if (settings.strict()) {
                            throw new UserException(p.skipReason() + " (stopping: --strict; without it the image is skipped and reported)");
                        }
                        skippedSlot[p.slot()] = true;
                        reasons[p.slot() - first] = p.skipReason();
                        skipped.add(new Skipped(indices[p.slot()], id, p.skipReason()));
                    } else {
                        enqueue(p, batcher);
                        if (tap != null) {
                            tap.image(indices[p.slot()], p.width(), p.height(), p.scaled());
                        }
                    }
                    FaultPoints.reached("eval.image");
                    if (listener != null) {
                        listener.imagesDone(done + 1, n);
                    }
                    if ((done + 1) % sampleEvery == 0 || done + 1 == n) {
                        rss.put(done + 1, Memory.rssMb());
                    }
                }
                batcher.flushAll();
                add(chunkSeconds, seconds);
                if (partial != null) {
                    try {
                        partial.save(chunk, first, new PartialResults.Chunk(slice(acc, first, end), chunkSeconds, reasons));
                    } catch (UserException e) {
                        throw new UserException(e.getMessage() + "; the posteriors of the first " + first + " images are kept in "
                                + partial.dir() + ": run the same command again to continue", e);
                    }
                    FaultPoints.reached("eval.chunk-written");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        double wall = (System.nanoTime() - start) / 1e9;
        PosteriorSet set = compact(source, indices, acc, seconds, skippedSlot);
        return new Evaluation(set, skipped, devices(), wall, warmupSeconds, rss, resumed);
    }

    /** Posteriors of images {@code first .. end-1}, copied out of the accumulators. */
    private float[][][][] slice(float[][][][] acc, int first, int end) {
        float[][][][] out = new float[acc.length][parts.size()][scales.length][];
        for (int m = 0; m < acc.length; m++) {
            for (int p = 0; p < parts.size(); p++) {
                for (int s = 0; s < scales.length; s++) {
                    out[m][p][s] = java.util.Arrays.copyOfRange(acc[m][p][s], first * classes, end * classes);
                }
            }
        }
        return out;
    }

    /** Puts a stored chunk's posteriors and seconds where a computed chunk's would be. */
    private void take(PartialResults.Chunk c, int first, float[][][][] acc, double[][][] seconds) {
        for (int m = 0; m < acc.length; m++) {
            for (int p = 0; p < parts.size(); p++) {
                for (int s = 0; s < scales.length; s++) {
                    float[] v = c.posteriors()[m][p][s];
                    System.arraycopy(v, 0, acc[m][p][s], first * classes, v.length);
                }
            }
        }
        add(c.seconds(), seconds);
    }

    private static void add(double[][][] from, double[][][] to) {
        for (int m = 0; m < to.length; m++) {
            for (int p = 0; p < to[m].length; p++) {
                for (int s = 0; s < to[m][p].length; s++) {
                    to[m][p][s] += from[m][p][s];
                }
            }
        }
    }

    private static String safeId(ImageSource source, int index) {
        try {
            return source.id(index);
        } catch (RuntimeException e) {
            return "#" + index;
        }
    }

    private Prepared prepare(ImageSource source, int index, int slot) {
        RgbImage img;
        try {
            img = source.image(index);
        } catch (UserException e) {
            String msg = e.getMessage();
            String id = safeId(source, index);
            return new Prepared(slot, 0, 0, null, msg != null && msg.contains(id) ? msg : id + ": " + msg);
        }
        RgbImage[] out = new RgbImage[scales.length];
        for (int s = 0; s < scales.length; s++) {
            int[] size = Resize.isotropicSize(img.width(), img.height(), scales[s]);
            if ((long) size[0] * size[1] > settings.maxPixels()) {
                return new Prepared(slot, 0, 0, null, safeId(source, index) + ": " + img.width() + "x" + img.height() + " rescaled to Q=" + scales[s]
                        + " is " + size[0] + "x" + size[1] + ", more than the budget of " + settings.maxPixels() + " pixels");
            }
            out[s] = Preprocessor.rescale(img, scales[s]);
        }
        return new Prepared(slot, img.width(), img.height(), out, null);
    }

    private static Prepared take(Future<Prepared> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("evaluation interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        }
    }

    private void enqueue(Prepared p, ShapeBatcher<Job> b) {
        int denseViews = settings.flip() ? 2 : 1;
        for (int pi = 0; pi < parts.size(); pi++) {
            for (int s = 0; s < scales.length; s++) {
                RgbImage img = p.scaled()[s];
                if (parts.get(pi) == Part.DENSE) {
                    // Q >= crop, a multiple of 32, so a centred window is at least crop-sized
                    DenseWindow.Region win = DenseWindow.of(settings.denseCentred()).region(img.width(), img.height());
                    for (int v = 0; v < denseViews; v++) {
                        b.add(new Job(p.slot(), s, pi, img, win.x(), win.y(), win.width(), win.height(), v == 1, 1f / denseViews));
                    }
                } else {
                    List<CropGrid.Window> windows = CropGrid.windows(img.width(), img.height(), crop, CropGrid.PAPER_GRID);
                    float w = 1f / (2 * windows.size());
                    for (CropGrid.Window win : windows) {
                        b.add(new Job(p.slot(), s, pi, img, win.x(), win.y(), crop, crop, false, w));
                        b.add(new Job(p.slot(), s, pi, img, win.x(), win.y(), crop, crop, true, w));
                    }
                }
            }
        }
    }

    private PosteriorSet compact(ImageSource source, int[] indices, float[][][][] acc, double[][][] seconds, boolean[] skipped) {
        int kept = 0;
        for (boolean s : skipped) {
            kept += s ? 0 : 1;
        }
        int[] rows = new int[kept];
        String[] ids = new String[kept];
        int[] labels = new int[kept];
        int r = 0;
        for (int i = 0; i < indices.length; i++) {
            if (!skipped[i]) {
                rows[r] = i;
                ids[r] = source.id(indices[i]);
                labels[r] = source.label(indices[i]);
                r++;
            }
        }
        float[][][][] data = new float[acc.length][parts.size()][scales.length][];
        for (int m = 0; m < acc.length; m++) {
            for (int p = 0; p < parts.size(); p++) {
                for (int s = 0; s < scales.length; s++) {
                    if (kept == indices.length) {
                        data[m][p][s] = acc[m][p][s];
                        continue;
                    }
                    float[] d = new float[kept * classes];
                    for (int k = 0; k < kept; k++) {
                        System.arraycopy(acc[m][p][s], rows[k] * classes, d, k * classes, classes);
                    }
                    data[m][p][s] = d;
                }
            }
        }
        return new PosteriorSet(models(), parts, settings.scales(), settings.flip(), nets.get(0).meta().classNames(), ids, labels, data, seconds);
    }

    private void run(List<Job> jobs, float[][][][] acc, double[][][] seconds) {
        int n = jobs.size();
        int h = jobs.get(0).h();
        int w = jobs.get(0).w();
        int per = 3 * h * w;
        int len = n * per;
        ensure(len);
        double[] scores = new double[classes];
        for (int m = 0; m < nets.size(); m++) {
            Net net = nets.get(m);
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Job j = jobs.get(i);
                net.pre().write(j.img(), j.x(), j.y(), j.w(), j.h(), j.mirror(), scratch, i * per);
            }
            float[] out = infer(net, len, new long[] {n, 3, h, w});
            int cells = out.length / (n * classes);
            if (cells * n * classes != out.length || cells < 1) {
                throw new UserException(net.info().path() + ": output '" + net.output() + "' has " + out.length + " values for a batch of " + n
                        + " and " + classes + " classes");
            }
            for (int i = 0; i < n; i++) {
                Job j = jobs.get(i);
                Posteriors.spatialMean(out, i * classes * cells, classes, cells, scores);
                Posteriors.softmax(scores, classes);
                float[] a = acc[m][j.part()][j.scale()];
                int base = j.slot() * classes;
                for (int k = 0; k < classes; k++) {
                    a[base + k] += (float) (scores[k] * j.weight());
                }
            }
            double dt = (System.nanoTime() - t0) / 1e9 / n;
            for (Job j : jobs) {
                seconds[m][j.part()][j.scale()] += dt;
            }
        }
    }

    private void ensure(int len) {
        if (scratch.length < len) {
            scratch = new float[len];
            direct = ByteBuffer.allocateDirect(len * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
    }

    /** Runs a net on {@code scratch[0..len)} shaped {@code shape}; returns its score output, flattened. */
    private float[] infer(Net net, int len, long[] shape) {
        direct.clear();
        direct.put(scratch, 0, len);
        direct.flip();
        try (OnnxTensor t = OnnxTensor.createTensor(Sessions.environment(), direct, shape);
                OrtSession.Result r = net.session().session().run(Map.of(net.input(), t), Set.of(net.output()))) {
            OnnxValue v = r.get(0);
            if (!(v instanceof OnnxTensor o)) {
                throw new UserException(net.info().path() + ": output '" + net.output() + "' is not a tensor");
            }
            long[] os = o.getInfo().getShape();
            boolean ok = os.length >= 2 && os[0] == shape[0] && os[1] == classes && (os.length == 2 || os.length == 4);
            if (!ok) {
                throw new UserException(net.info().path() + ": output '" + net.output() + "' has shape " + java.util.Arrays.toString(os)
                        + ", expected [" + shape[0] + ", " + classes + (net.dense() ? ", h, w]" : "]"));
            }
            FloatBuffer fb = o.getFloatBuffer();
            float[] out = new float[fb.remaining()];
            fb.get(out);
            return out;
        } catch (OrtException e) {
            throw new UserException(net.info().path() + ": ONNX Runtime failed on an input of shape " + java.util.Arrays.toString(shape) + ": "
                    + e.getMessage(), e);
        }
    }

    /** One run per net and scale (dense, square Q x Q) and per crop size (multi-crop), untimed by the loop. */
    private void warmUp() {
        if (warmedUp) {
            return;
        }
        long t0 = System.nanoTime();
        for (Net net : nets) {
            if (parts.contains(Part.DENSE)) {
                for (int q : scales) {
                    int len = 3 * q * q;
                    ensure(len);
                    java.util.Arrays.fill(scratch, 0, len, 0f);
                    infer(net, len, new long[] {1, 3, q, q});
                }
            }
            if (parts.contains(Part.MULTICROP)) {
                int b = Math.min(settings.batch(), 2 * CropGrid.PAPER_GRID * CropGrid.PAPER_GRID);
                int len = b * 3 * crop * crop;
                ensure(len);
                java.util.Arrays.fill(scratch, 0, len, 0f);
                infer(net, len, new long[] {b, 3, crop, crop});
            }
        }
        warmupSeconds = (System.nanoTime() - t0) / 1e9;
        warmedUp = true;
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (Net n : nets) {
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
