package dev.verydeep.bench;

import dev.verydeep.core.UserException;
import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.Layer;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.onnx.ModelMetadata;
import dev.verydeep.onnx.OnnxExporter;
import dev.verydeep.onnx.Preprocessing;
import dev.verydeep.onnx.RandomWeights;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The nets the benchmarks run: seeded random-weight exports (weights do not change the cost of a dense
 * float32 net), cached on disk under {@code java.io.tmpdir/verydeep-bench} by net label and seed so that
 * forks and repeated runs do not re-export, and the work (multiply-adds) of one pass.
 */
public final class BenchNets {
    /** Seed of every benchmark's random weights. */
    public static final long SEED = 1;

    private BenchNets() {
    }

    /** A benchmark net: the given config, width and crop, FC width 4096 x width, {@code classes} classes. */
    public static NetDescription net(String config, double width, int crop, int classes) {
        return net(config, width, 0, crop, classes);
    }

    /** As {@link #net(String, double, int, int)} with FC width {@code fcWidth} (0: 4096 x width, the paper's ratio). */
    public static NetDescription net(String config, double width, int fcWidth, int crop, int classes) {
        NetDescription.Builder b = NetDescription.builder().setConfig(Config.parse(config)).optWidth(width).optCrop(crop)
                .optClasses(classes);
        if (fcWidth > 0) {
            b.optFcWidth(fcWidth);
        }
        return b.build();
    }

    /** Both ONNX forms of {@code net} with {@link RandomWeights} of {@link #SEED}, exported once per machine. */
    public static synchronized OnnxExporter.Exported export(NetDescription net) {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "verydeep-bench",
                net.label().replace(' ', '_') + "_seed" + SEED);
        Path c = dir.resolve(OnnxExporter.CLASSIFIER_FILE);
        Path d = dir.resolve(OnnxExporter.DENSE_FILE);
        if (Files.isRegularFile(c) && Files.isRegularFile(d)) {
            return new OnnxExporter.Exported(c, d);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        ModelMetadata md = ModelMetadata.builder().optNet(net)
                .setClassNames(IntStream.range(0, net.classes()).mapToObj(i -> "class" + i).toList())
                .setPreprocessing(Preprocessing.trainingMean(new double[] {120, 115, 100})).build();
        return OnnxExporter.builder().build().export(dir, RandomWeights.of(net, SEED), md);
    }

    /** Seeded uniform values in [-1, 1), the size of {@code n} images of {@code h x w} (NCHW). */
    public static float[] input(int n, int h, int w, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 3 * h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        return x;
    }

    /** The values in a direct native-order buffer (what ORT and PyTorch wrap without a copy). */
    public static FloatBuffer direct(float[] x) {
        FloatBuffer b = ByteBuffer.allocateDirect(4 * x.length).order(ByteOrder.nativeOrder()).asFloatBuffer();
        b.put(x).rewind();
        return b;
    }

    /**
     * Multiply-adds of the fully convolutional net on one {@code h x w} image: conv layers scale with the area
     * relative to the crop, FC layers (as convs) run once per position of the output map
     * ({@code h/32 - k + 1} by {@code w/32 - k + 1}, k = crop/32). Equals {@link NetDescription#multiplyAdds()}
     * at h = w = crop.
     */
    public static long denseMultiplyAdds(NetDescription net, int h, int w) {
        double area = (double) h * w / ((double) net.crop() * net.crop());
        int oh = h / NetDescription.TOTAL_STRIDE - net.fcKernel() + 1;
        int ow = w / NetDescription.TOTAL_STRIDE - net.fcKernel() + 1;
        if (oh < 1 || ow < 1) {
            throw new UserException(h + "x" + w + " is smaller than the crop " + net.crop());
        }
        long total = 0;
        for (Layer l : net.layers()) {
            if (l.kind() == Layer.Kind.CONV) {
                total += Math.round(l.multiplyAdds() * area);
            } else if (l.kind() == Layer.Kind.FC) {
                total += l.multiplyAdds() * oh * ow;
            }
        }
        return total;
    }
}
