package dev.verydeep.runtime.loc;

import dev.verydeep.core.UserException;
import dev.verydeep.core.image.RgbImage;
import dev.verydeep.core.net.DenseWindow;
import dev.verydeep.onnx.Preprocessor;
import java.util.ArrayList;
import java.util.List;

/**
 * The boxes the localisation nets predict for one image, per net and test scale, in original image coordinates.
 * Per scale Q the image is rescaled as for classification ({@link Preprocessor#rescale}); then
 * <ul>
 *   <li>full: the dense window ({@link DenseWindow}, top-left or centred) through the dense graph, every cell's
 *       box decoded ({@link DenseBoxes}); with flip also the mirrored window, its boxes flipped back;</li>
 *   <li>center-crop-gt: the central crop x crop window ({@code ((w - crop) / 2, (h - crop) / 2)}, rounded down), one
 *       box per class (PCR) or one box (SCR).</li>
 * </ul>
 * Inference seconds (input fill, ONNX Runtime, decoding) are summed per net and scale.
 */
final class BoxPredictor {
    private final List<LocNet> nets;
    private final LocSettings settings;
    private final int[] scales;
    private final double[][] seconds;

    BoxPredictor(List<LocNet> nets, LocSettings settings) {
        this.nets = nets;
        this.settings = settings;
        this.scales = settings.scales().stream().mapToInt(Integer::intValue).toArray();
        this.seconds = new double[nets.size()][scales.length];
    }

    /** Inference seconds of net {@code n} at scale index {@code s} so far. */
    double seconds(int n, int s) {
        return seconds[n][s];
    }

    /** {@code [net][scale]} box lists of one image. */
    List<List<List<LocBox>>> predict(RgbImage img) {
        List<List<List<LocBox>>> out = new ArrayList<>();
        for (int n = 0; n < nets.size(); n++) {
            List<List<LocBox>> perScale = new ArrayList<>();
            for (int s = 0; s < scales.length; s++) {
                perScale.add(new ArrayList<>());
            }
            out.add(perScale);
        }
        for (int s = 0; s < scales.length; s++) {
            RgbImage r = Preprocessor.rescale(img, scales[s]);
            for (int n = 0; n < nets.size(); n++) {
                LocNet net = nets.get(n);
                long t0 = System.nanoTime();
                DenseWindow.Region win = settings.protocol() == Protocol.FULL ? DenseWindow.of(settings.denseCentred()).region(r.width(), r.height())
                        : new DenseWindow.Region((r.width() - net.crop) / 2, (r.height() - net.crop) / 2, net.crop, net.crop);
                int views = settings.flip() ? 2 : 1;
                int per = 3 * win.width() * win.height();
                float[] in = new float[views * per];
                for (int v = 0; v < views; v++) {
                    net.pre.write(r, win.x(), win.y(), win.width(), win.height(), v == 1, in, v * per);
                }
                LocNet.Output o = net.run(in, new long[] {views, 3, win.height(), win.width()});
                for (int v = 0; v < views; v++) {
                    DenseBoxes.View view = new DenseBoxes.View(win, v == 1, r.width(), r.height(), img.width(), img.height());
                    try {
                        DenseBoxes.decode(o.values(), o.at(v), o.rows(), o.cols(), net.head, net.classOf, net.crop, view, out.get(n).get(s));
                    } catch (UserException e) {
                        throw new UserException(net.info.path() + ": " + e.getMessage(), e);
                    }
                }
                seconds[n][s] += (System.nanoTime() - t0) / 1e9;
            }
        }
        return out;
    }
}
