package dev.verydeep.runtime.loc;

import dev.verydeep.core.UserException;
import dev.verydeep.core.image.RgbImage;
import dev.verydeep.core.net.DenseWindow;
import dev.verydeep.onnx.Preprocessor;
import dev.verydeep.runtime.eval.CropGrid;
import dev.verydeep.runtime.eval.ShapeBatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * The boxes the localisation nets predict for each image, per net and test scale, in original image coordinates.
 * Per scale Q the image is rescaled as for classification ({@link Preprocessor#rescale}; the caller passes the
 * rescaled images, usually the classification pass's own); then
 * <ul>
 *   <li>full: the dense window ({@link DenseWindow}, top-left or centred) through the dense graph, every cell's
 *       box decoded ({@link DenseBoxes}); with flip also the mirrored window, its boxes flipped back;</li>
 *   <li>center-crop-gt: the central crop x crop window ({@code ((w - crop) / 2, (h - crop) / 2)}, rounded down), one
 *       box per class (PCR) or one box (SCR).</li>
 * </ul>
 * Inputs of equal shape are batched per net across images by the evaluator's {@link ShapeBatcher} (up to
 * {@link LocSettings#batch()} per ONNX Runtime call), so an image's boxes are complete only after {@link #flush}.
 * Each list keeps the order of a one-image run (views in order, cells row by row). Inference seconds (input
 * fill, ONNX Runtime, decoding) are summed per net and scale, a batch's split evenly over its inputs.
 */
final class BoxPredictor {
    /** One net input: a window of an image rescaled to scale {@code scale}, maybe mirrored; its boxes go to {@code sink}. */
    private record Job(int scale, RgbImage img, DenseWindow.Region win, boolean mirror, int width, int height, List<LocBox> sink)
            implements ShapeBatcher.Shaped {
        @Override
        public int w() {
            return win.width();
        }

        @Override
        public int h() {
            return win.height();
        }
    }

    private final List<LocNet> nets;
    private final LocSettings settings;
    private final List<ShapeBatcher<Job>> batchers = new ArrayList<>();
    private final List<List<List<List<LocBox>>>> boxes = new ArrayList<>();
    private final double[][] seconds;

    BoxPredictor(List<LocNet> nets, LocSettings settings) {
        this.nets = nets;
        this.settings = settings;
        this.seconds = new double[nets.size()][settings.scales().size()];
        // Holds at most this many inputs per net: the images they refer to stay bounded, whatever the data set's size.
        int maxPending = 4 * Math.max(settings.batch(), 2 * CropGrid.PAPER_GRID * CropGrid.PAPER_GRID);
        for (int n = 0; n < nets.size(); n++) {
            final int net = n;
            batchers.add(new ShapeBatcher<>(settings.batch(), maxPending, jobs -> run(net, jobs)));
        }
    }

    /** Inference seconds of net {@code n} at scale index {@code s} so far. */
    double seconds(int n, int s) {
        return seconds[n][s];
    }

    /**
     * Queues one image: {@code width x height} as decoded, {@code scaled[s]} its rescale to scale {@code s}
     * ({@link Preprocessor#rescale}). Its boxes are {@code boxes().get(i)} for the i-th image added, after {@link #flush}.
     */
    void add(int width, int height, RgbImage[] scaled) {
        List<List<List<LocBox>>> out = new ArrayList<>();
        for (int n = 0; n < nets.size(); n++) {
            List<List<LocBox>> perScale = new ArrayList<>();
            for (int s = 0; s < scaled.length; s++) {
                perScale.add(new ArrayList<>());
            }
            out.add(perScale);
        }
        boxes.add(out);
        int views = settings.flip() ? 2 : 1;
        for (int s = 0; s < scaled.length; s++) {
            RgbImage r = scaled[s];
            for (int n = 0; n < nets.size(); n++) {
                int crop = nets.get(n).crop;
                DenseWindow.Region win = settings.protocol() == Protocol.FULL ? DenseWindow.of(settings.denseCentred()).region(r.width(), r.height())
                        : new DenseWindow.Region((r.width() - crop) / 2, (r.height() - crop) / 2, crop, crop);
                for (int v = 0; v < views; v++) {
                    batchers.get(n).add(new Job(s, r, win, v == 1, width, height, out.get(n).get(s)));
                }
            }
        }
    }

    /** Runs every input still queued. */
    void flush() {
        batchers.forEach(ShapeBatcher::flushAll);
    }

    /** {@code [image][net][scale]} box lists of the images added, in order (complete after {@link #flush}). */
    List<List<List<List<LocBox>>>> boxes() {
        return boxes;
    }

    /** {@code [net][scale]} box lists of one image, run alone. */
    List<List<List<LocBox>>> predict(RgbImage img) {
        RgbImage[] scaled = settings.scales().stream().map(q -> Preprocessor.rescale(img, q)).toArray(RgbImage[]::new);
        add(img.width(), img.height(), scaled);
        flush();
        return boxes.get(boxes.size() - 1);
    }

    private void run(int n, List<Job> jobs) {
        LocNet net = nets.get(n);
        long t0 = System.nanoTime();
        int h = jobs.get(0).h();
        int w = jobs.get(0).w();
        int per = 3 * w * h;
        float[] in = new float[jobs.size() * per];
        for (int i = 0; i < jobs.size(); i++) {
            Job j = jobs.get(i);
            net.pre.write(j.img(), j.win().x(), j.win().y(), w, h, j.mirror(), in, i * per);
        }
        LocNet.Output o = net.run(in, new long[] {jobs.size(), 3, h, w});
        for (int i = 0; i < jobs.size(); i++) {
            Job j = jobs.get(i);
            DenseBoxes.View view = new DenseBoxes.View(j.win(), j.mirror(), j.img().width(), j.img().height(), j.width(), j.height());
            try {
                DenseBoxes.decode(o.values(), o.at(i), o.rows(), o.cols(), net.head, net.classOf, net.crop, view, j.sink());
            } catch (UserException e) {
                throw new UserException(net.info.path() + ": " + e.getMessage(), e);
            }
        }
        double dt = (System.nanoTime() - t0) / 1e9 / jobs.size();
        for (Job j : jobs) {
            seconds[n][j.scale()] += dt;
        }
    }
}
