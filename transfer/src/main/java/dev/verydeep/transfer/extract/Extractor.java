package dev.verydeep.transfer.extract;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.verydeep.core.UserException;
import dev.verydeep.core.data.ImageSource;
import dev.verydeep.core.image.Box;
import dev.verydeep.core.image.RgbImage;
import dev.verydeep.core.io.FaultPoints;
import dev.verydeep.core.net.DenseWindow;
import dev.verydeep.onnx.OnnxExporter;
import dev.verydeep.onnx.Preprocessor;
import dev.verydeep.runtime.ModelSession;
import dev.verydeep.runtime.Sessions;
import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Appendix B's descriptor: for each net and each scale Q, the image rescaled so that its smaller side is Q
 * ({@link Preprocessor#rescale}), run densely together with its mirror image (one batch of two), the
 * {@code penultimate} map (FC2 after ReLU) averaged over space, and the two averaged. Over scales: averaged or
 * stacked; over nets: stacked (late fusion); finally L2-normalised. The dense graph is given the rescaled
 * image's {@link DenseWindow} region (by default its central {@code floor(side/32)*32} pixels, the pixels the
 * graph can use; see {@link DenseWindow}).
 *
 * <p>With boxes (VOC action classification, Appendix B), an entry's descriptor is that of the whole image
 * stacked with that of the crop of its box, each L2-normalised and the stack scaled by {@code 1/sqrt(2)} (so
 * the whole is L2-normalised too).
 *
 * <p>Batch work is a pure function of a range of images: decoding, rescaling and input preparation run on a
 * small pool, at most {@code queue} images ahead, while the calling thread runs the sessions (one per model),
 * so inference overlaps with image work. {@link #sessionNanos()} is the time spent inside the sessions, from
 * which callers report the throughput of the bare session next to the end-to-end one.
 */
public final class Extractor implements AutoCloseable {
    private final List<ModelSession> sessions;
    private final List<Preprocessor> preprocessors;
    private final List<Integer> scales;
    private final Aggregate aggregate;
    private final DenseWindow window;
    private final boolean withBoxes;
    /** Length of the descriptor of one image (the whole descriptor is twice this with boxes). */
    private final int imageDim;
    private final int[] features;
    private final String[] inputNames;
    private final int dim;
    private final ExecutorService pool;
    private final int queue;
    private final AtomicLong sessionNanos = new AtomicLong();

    /**
     * @param sessions dense models with a {@code penultimate} output [N, F, h, w]; not closed by this object
     * @param decodeThreads threads preparing inputs (at least 1)
     * @param queue images prepared ahead of inference (at least 1)
     */
    public Extractor(List<ModelSession> sessions, List<Preprocessor> preprocessors, List<Integer> scales, Aggregate aggregate,
            int decodeThreads, int queue) {
        this(sessions, preprocessors, scales, aggregate, DenseWindow.DEFAULT, false, decodeThreads, queue);
    }

    /**
     * @param window    the region of each rescaled image given to the dense graph
     * @param withBoxes descriptors stack the whole image's and the box crop's (then every entry needs a box)
     */
    public Extractor(List<ModelSession> sessions, List<Preprocessor> preprocessors, List<Integer> scales, Aggregate aggregate,
            DenseWindow window, boolean withBoxes, int decodeThreads, int queue) {
        if (sessions.isEmpty() || sessions.size() != preprocessors.size()) {
            throw new IllegalArgumentException(sessions.size() + " sessions, " + preprocessors.size() + " preprocessors");
        }
        if (scales.isEmpty()) {
            throw new UserException("--scales is empty");
        }
        for (int q : scales) {
            if (q < 1) {
                throw new UserException("--scales: " + q + " is not a positive size");
            }
        }
        this.sessions = List.copyOf(sessions);
        this.preprocessors = List.copyOf(preprocessors);
        this.scales = List.copyOf(scales);
        this.aggregate = aggregate;
        this.window = window;
        this.withBoxes = withBoxes;
        this.features = new int[sessions.size()];
        this.inputNames = new String[sessions.size()];
        int d = 0;
        for (int m = 0; m < sessions.size(); m++) {
            features[m] = penultimateWidth(sessions.get(m));
            inputNames[m] = sessions.get(m).inputNames().get(0);
            d += features[m] * (aggregate == Aggregate.STACK ? scales.size() : 1);
        }
        this.imageDim = d;
        this.dim = withBoxes ? 2 * d : d;
        this.queue = Math.max(1, queue);
        this.pool = Executors.newFixedThreadPool(Math.max(1, decodeThreads), r -> {
            Thread t = new Thread(r, "extract-prepare");
            t.setDaemon(true);
            return t;
        });
    }

    /** Channels F of a model's penultimate output, which must be [N, F, h, w] with F fixed. */
    public static int penultimateWidth(ModelSession s) {
        try {
            NodeInfo info = s.session().getOutputInfo().get(OnnxExporter.PENULTIMATE);
            if (info == null) {
                throw new UserException(s.model().path() + ": no '" + OnnxExporter.PENULTIMATE + "' output (outputs: "
                        + s.outputNames() + "); descriptors need the dense form, e.g. model-dense.onnx");
            }
            long[] shape = ((TensorInfo) info.getInfo()).getShape();
            if (shape.length != 4 || shape[1] < 1) {
                throw new UserException(s.model().path() + ": output '" + OnnxExporter.PENULTIMATE + "' has shape "
                        + java.util.Arrays.toString(shape) + ", expected [N, F, h, w] with a fixed F");
            }
            return Math.toIntExact(shape[1]);
        } catch (OrtException e) {
            throw new UserException(s.model().path() + ": cannot read outputs: " + e.getMessage(), e);
        }
    }

    /** Length of a descriptor. */
    public int dim() {
        return dim;
    }

    /** Nanoseconds spent inside ORT sessions so far. */
    public long sessionNanos() {
        return sessionNanos.get();
    }

    /** Inputs of one image: per scale, per model, the [2, 3, H, W] batch of the image and its mirror. */
    private record Prepared(int[][] sizes, float[][][] inputs) {
    }

    /** The inputs of an entry: its image, and with boxes also the box crop. */
    private List<Prepared> prepareEntry(RgbImage img, Box box) {
        if (!withBoxes) {
            return List.of(prepare(img));
        }
        if (box == null) {
            throw new IllegalArgumentException("descriptors with boxes need a box per entry");
        }
        return List.of(prepare(img), prepare(crop(img, box)));
    }

    /** The pixels a box covers (at least one), clipped to the image. */
    static RgbImage crop(RgbImage img, Box box) {
        int x0 = Math.min(img.width() - 1, Math.max(0, (int) Math.floor(box.x0())));
        int y0 = Math.min(img.height() - 1, Math.max(0, (int) Math.floor(box.y0())));
        int x1 = Math.max(x0 + 1, Math.min(img.width(), (int) Math.ceil(box.x1())));
        int y1 = Math.max(y0 + 1, Math.min(img.height(), (int) Math.ceil(box.y1())));
        return img.crop(x0, y0, x1 - x0, y1 - y0);
    }

    private Prepared prepare(RgbImage img) {
        int[][] sizes = new int[scales.size()][];
        float[][][] inputs = new float[scales.size()][sessions.size()][];
        for (int s = 0; s < scales.size(); s++) {
            RgbImage r = Preprocessor.rescale(img, scales.get(s));
            DenseWindow.Region region = window.region(r.width(), r.height());
            if (region.width() != r.width() || region.height() != r.height()) {
                r = r.crop(region.x(), region.y(), region.width(), region.height());
            }
            sizes[s] = new int[] {r.width(), r.height()};
            int n = 3 * r.width() * r.height();
            for (int m = 0; m < sessions.size(); m++) {
                float[] in = new float[2 * n];
                preprocessors.get(m).write(r, false, in, 0);
                preprocessors.get(m).write(r, true, in, n);
                inputs[s][m] = in;
            }
        }
        return new Prepared(sizes, inputs);
    }

    /** The descriptor of one image (no pipelining; without boxes). */
    public float[] describe(RgbImage img) {
        float[] out = new float[dim];
        infer(prepareEntry(img, null), out, 0, "image");
        return out;
    }

    /** The descriptor of one image and a box in it (no pipelining; with boxes). */
    public float[] describe(RgbImage img, Box box) {
        float[] out = new float[dim];
        infer(prepareEntry(img, box), out, 0, "image");
        return out;
    }

    /**
     * Descriptors of images {@code from .. to - 1} of {@code src} into {@code out} (row-major, {@code dim}
     * each), decoding ahead on the pool.
     */
    public void extract(ImageSource src, int from, int to, float[] out) {
        extract(src, null, from, to, out);
    }

    /** As {@link #extract(ImageSource, int, int, float[])}, entry {@code i} with box {@code boxes.get(i)} (null: no boxes). */
    public void extract(ImageSource src, List<Box> boxes, int from, int to, float[] out) {
        ArrayDeque<Future<List<Prepared>>> ahead = new ArrayDeque<>();
        int next = from;
        try {
            for (int i = from; i < to; i++) {
                while (next < to && ahead.size() < queue) {
                    int k = next++;
                    ahead.add(pool.submit(() -> prepareEntry(src.image(k), boxes == null ? null : boxes.get(k))));
                }
                List<Prepared> p = get(ahead.poll());
                infer(p, out, (i - from) * dim, src.id(i));
                FaultPoints.reached("extract.image");
            }
        } finally {
            ahead.forEach(f -> f.cancel(true));
        }
    }

    /** Writes the descriptor of an entry (one part, or image and box stacked) at {@code out[at ..]}. */
    private void infer(List<Prepared> parts, float[] out, int at, String id) {
        for (int k = 0; k < parts.size(); k++) {
            infer(parts.get(k), out, at + k * imageDim, id);
        }
        if (parts.size() > 1) {
            float scale = (float) (1 / Math.sqrt(parts.size()));
            for (int k = at; k < at + dim; k++) {
                out[k] *= scale;
            }
        }
    }

    private static <T> T get(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void infer(Prepared p, float[] out, int at, String id) {
        java.util.Arrays.fill(out, at, at + imageDim, 0f);
        double[] acc = new double[imageDim];
        int offset = 0;
        for (int m = 0; m < sessions.size(); m++) {
            int f = features[m];
            for (int s = 0; s < scales.size(); s++) {
                int base = offset + (aggregate == Aggregate.STACK ? s * f : 0);
                double[] pooled = pooled(m, p.sizes[s], p.inputs[s][m], id);
                double w = aggregate == Aggregate.STACK ? 1 : 1.0 / scales.size();
                for (int c = 0; c < f; c++) {
                    acc[base + c] += w * pooled[c];
                }
            }
            offset += f * (aggregate == Aggregate.STACK ? scales.size() : 1);
        }
        double norm = 0;
        for (double v : acc) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        for (int k = 0; k < imageDim; k++) {
            out[at + k] = (float) (norm > 0 ? acc[k] / norm : 0);
        }
    }

    /** Global average of the penultimate map, averaged over the image and its mirror. */
    private double[] pooled(int m, int[] size, float[] input, String id) {
        ModelSession s = sessions.get(m);
        int f = features[m];
        long t0 = System.nanoTime();
        try (OnnxTensor t = OnnxTensor.createTensor(Sessions.environment(), FloatBuffer.wrap(input), new long[] {2, 3, size[1], size[0]});
                OrtSession.Result r = s.session().run(Map.of(inputNames[m], t), Set.of(OnnxExporter.PENULTIMATE))) {
            OnnxTensor o = (OnnxTensor) r.get(0);
            long[] shape = o.getInfo().getShape();
            if (shape.length != 4 || shape[0] != 2 || shape[1] != f) {
                throw new UserException(s.model().path() + ": penultimate output of " + id + " has shape " + java.util.Arrays.toString(shape));
            }
            int hw = Math.toIntExact(shape[2] * shape[3]);
            if (hw == 0) {
                throw new UserException(s.model().path() + ": " + id + " at " + size[0] + "x" + size[1] + " gives an empty feature map (scale below the model's crop?)");
            }
            FloatBuffer b = o.getFloatBuffer();
            double[] pooled = new double[f];
            for (int n = 0; n < 2; n++) {
                for (int c = 0; c < f; c++) {
                    int base = (n * f + c) * hw;
                    double sum = 0;
                    for (int k = 0; k < hw; k++) {
                        sum += b.get(base + k);
                    }
                    pooled[c] += sum / hw / 2;
                }
            }
            return pooled;
        } catch (OrtException e) {
            throw new UserException(s.model().path() + ": ONNX Runtime failed on " + id + " at " + size[0] + "x" + size[1] + ": " + e.getMessage(), e);
        } finally {
            sessionNanos.addAndGet(System.nanoTime() - t0);
        }
    }

    /** Stops the preparation pool (the sessions belong to the caller). */
    @Override
    public void close() {
        pool.shutdownNow();
    }
}
