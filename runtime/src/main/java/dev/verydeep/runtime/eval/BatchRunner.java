package dev.verydeep.runtime.eval;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.verydeep.core.UserException;
import dev.verydeep.core.image.RgbImage;
import dev.verydeep.core.net.DenseWindow;
import dev.verydeep.runtime.Sessions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the nets on rescaled images: turns each image into its network inputs (dense: the dense window, and its
 * mirror with flip; multi-crop: the {@link CropGrid} windows and their mirrors), batches inputs of equal shape
 * ({@link ShapeBatcher}, up to {@link EvalSettings#batch()} per ORT call), and adds each input's soft-max of the
 * spatially averaged class scores, with its weight, to its image's posteriors in a {@link PosteriorBlocks}, timing
 * each net, part and scale. One direct input buffer is reused across calls; every tensor and result is closed.
 * Not thread-safe: one runner per evaluating thread.
 */
final class BatchRunner {
    /** One network input: a window of a rescaled image, maybe mirrored, with where its posterior goes. */
    private record Job(int slot, int scale, int part, RgbImage img, int x, int y, int w, int h, boolean mirror, float weight)
            implements ShapeBatcher.Shaped {
    }

    private final List<EvalNet> nets;
    private final EvalSettings settings;
    private final List<Part> parts;
    private final int[] scales;
    private final int crop;
    private final int classes;
    private float[] scratch = new float[0];
    private FloatBuffer direct = FloatBuffer.allocate(0);
    private double warmupSeconds = -1;

    BatchRunner(List<EvalNet> nets, EvalSettings settings) {
        this.nets = nets;
        this.settings = settings;
        this.parts = settings.method().parts();
        this.scales = settings.scales().stream().mapToInt(Integer::intValue).toArray();
        this.crop = nets.get(0).crop();
        this.classes = nets.get(0).classes();
    }

    /** Inputs of one pass (a chunk of images), batched and run into {@code target}; batches never span two passes. */
    final class Pass {
        private final PosteriorBlocks target;
        private final ShapeBatcher<Job> batcher;

        private Pass(PosteriorBlocks target) {
            this.target = target;
            this.batcher = new ShapeBatcher<>(settings.batch(), 4 * Math.max(settings.batch(), 2 * CropGrid.PAPER_GRID * CropGrid.PAPER_GRID),
                    this::run);
        }

        /** Queues the inputs of image {@code slot} of the target (its rescaled versions, in the settings' scale order). */
        void add(int slot, RgbImage[] scaled) {
            int denseViews = settings.flip() ? 2 : 1;
            for (int pi = 0; pi < parts.size(); pi++) {
                for (int s = 0; s < scales.length; s++) {
                    RgbImage img = scaled[s];
                    if (parts.get(pi) == Part.DENSE) {
                        // Q >= crop, a multiple of 32, so a centred window is at least crop-sized
                        DenseWindow.Region win = DenseWindow.of(settings.denseCentred()).region(img.width(), img.height());
                        for (int v = 0; v < denseViews; v++) {
                            batcher.add(new Job(slot, s, pi, img, win.x(), win.y(), win.width(), win.height(), v == 1, 1f / denseViews));
                        }
                    } else {
                        List<CropGrid.Window> windows = CropGrid.windows(img.width(), img.height(), crop, CropGrid.PAPER_GRID);
                        float w = 1f / (2 * windows.size());
                        for (CropGrid.Window win : windows) {
                            batcher.add(new Job(slot, s, pi, img, win.x(), win.y(), crop, crop, false, w));
                            batcher.add(new Job(slot, s, pi, img, win.x(), win.y(), crop, crop, true, w));
                        }
                    }
                }
            }
        }

        /** Runs every input still waiting. */
        void finish() {
            batcher.flushAll();
        }

        private void run(List<Job> jobs) {
            runBatch(jobs, target);
        }
    }

    Pass pass(PosteriorBlocks target) {
        return new Pass(target);
    }

    private void runBatch(List<Job> jobs, PosteriorBlocks target) {
        int n = jobs.size();
        int h = jobs.get(0).h();
        int w = jobs.get(0).w();
        int per = 3 * h * w;
        int len = n * per;
        ensure(len);
        double[] scores = new double[classes];
        for (int m = 0; m < nets.size(); m++) {
            EvalNet net = nets.get(m);
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
                target.accumulate(m, j.part(), j.scale(), j.slot(), scores, j.weight());
            }
            double dt = (System.nanoTime() - t0) / 1e9 / n;
            for (Job j : jobs) {
                target.addSeconds(m, j.part(), j.scale(), dt);
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
    private float[] infer(EvalNet net, int len, long[] shape) {
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
                throw new UserException(net.info().path() + ": output '" + net.output() + "' has shape " + Arrays.toString(os)
                        + ", expected [" + shape[0] + ", " + classes + (net.dense() ? ", h, w]" : "]"));
            }
            FloatBuffer fb = o.getFloatBuffer();
            float[] out = new float[fb.remaining()];
            fb.get(out);
            return out;
        } catch (OrtException e) {
            throw new UserException(net.info().path() + ": ONNX Runtime failed on an input of shape " + Arrays.toString(shape) + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * One run per net and scale (dense, square Q x Q) and per crop size (multi-crop), so that ORT's per-shape
     * planning is not timed; only the first call runs them. Returns the seconds the warm-up took.
     */
    double warmUp() {
        if (warmupSeconds >= 0) {
            return warmupSeconds;
        }
        long t0 = System.nanoTime();
        for (EvalNet net : nets) {
            if (parts.contains(Part.DENSE)) {
                for (int q : scales) {
                    zeros(net, new long[] {1, 3, q, q});
                }
            }
            if (parts.contains(Part.MULTICROP)) {
                zeros(net, new long[] {Math.min(settings.batch(), 2 * CropGrid.PAPER_GRID * CropGrid.PAPER_GRID), 3, crop, crop});
            }
        }
        warmupSeconds = (System.nanoTime() - t0) / 1e9;
        return warmupSeconds;
    }

    private void zeros(EvalNet net, long[] shape) {
        int len = (int) (shape[0] * shape[1] * shape[2] * shape[3]);
        ensure(len);
        Arrays.fill(scratch, 0, len, 0f);
        infer(net, len, shape);
    }
}
