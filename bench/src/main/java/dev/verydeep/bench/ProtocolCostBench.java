package dev.verydeep.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.verydeep.core.net.Geometry;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.onnx.OnnxExporter;
import dev.verydeep.runtime.Device;
import dev.verydeep.runtime.ModelSession;
import dev.verydeep.runtime.Sessions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost per image of the two evaluation protocols of section 3.2 with jittered S, on the bare sessions (no
 * decoding, rescaling or cropping; a square test image, so Q is both sides):
 * <ul>
 *   <li>{@code dense}: the fully convolutional net on the image at Q in {Smin, (Smin+Smax)/2, Smax} (the paper's
 *       {256, 384, 512} scaled by crop/224), each also flipped: 6 passes;</li>
 *   <li>{@code multicrop}: 5x5 crops x 2 flips x 3 scales = 150 crop-sized passes through the classifier, in
 *       batches of {@code cropBatch}.</li>
 * </ul>
 * One op is one image.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-Dai.djl.offline=true"})
@State(Scope.Benchmark)
public class ProtocolCostBench {
    /** Crops per scale and flip (5x5 grid), scales, flips: 150. */
    public static final int CROPS = 25 * 3 * 2;

    @Param({"D"})
    public String config;

    @Param({"0.25"})
    public double width;

    /** Crop size; the test scales are the paper's 256, 384, 512 times crop/224. */
    @Param({"64"})
    public int crop;

    @Param({"dense", "multicrop"})
    public String method;

    @Param({"50"})
    public int cropBatch;

    private ModelSession session;
    private final List<OnnxTensor> inputs = new ArrayList<>();
    private final List<Integer> passes = new ArrayList<>();
    private Set<String> outputs;

    /** Test scales Q of the jittered-S protocol at this crop. */
    public static List<Integer> scales(int crop) {
        return Geometry.multiTestScalesJittered(Geometry.miniature(256, crop), Geometry.miniature(512, crop));
    }

    @Setup(Level.Trial)
    public void setUp() throws OrtException {
        NetDescription net = BenchNets.net(config, width, crop, 1000);
        OnnxExporter.Exported files = BenchNets.export(net);
        boolean dense = method.equals("dense");
        session = Sessions.open(dense ? files.dense() : files.classifier(), Device.CPU, 0);
        outputs = Set.of(dense ? OnnxExporter.SCORES_MAP : OnnxExporter.SCORES);
        if (dense) {
            long seed = 1;
            for (int q : scales(crop)) {
                for (int flip = 0; flip < 2; flip++) {
                    inputs.add(tensor(1, q, seed++));
                    passes.add(1);
                }
            }
        } else {
            for (int left = CROPS; left > 0; left -= cropBatch) {
                int n = Math.min(cropBatch, left);
                inputs.add(tensor(n, crop, left));
                passes.add(n);
            }
        }
    }

    private static OnnxTensor tensor(int n, int side, long seed) throws OrtException {
        return OnnxTensor.createTensor(Sessions.environment(), BenchNets.direct(BenchNets.input(n, side, side, seed)),
                new long[] {n, 3, side, side});
    }

    @Benchmark
    public void image(Blackhole bh) throws OrtException {
        for (OnnxTensor x : inputs) {
            try (OrtSession.Result r = session.session().run(Map.of(OnnxExporter.INPUT, x), outputs)) {
                bh.consume(((OnnxTensor) r.get(0)).getFloatBuffer().get(0));
            }
        }
    }

    /** Multiply-adds of one image under {@code method}. */
    public static long multiplyAdds(NetDescription net, String method) {
        if (method.equals("dense")) {
            return scales(net.crop()).stream().mapToLong(q -> 2 * BenchNets.denseMultiplyAdds(net, q, q)).sum();
        }
        return CROPS * net.multiplyAdds();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        inputs.forEach(OnnxTensor::close);
        inputs.clear();
        session.close();
    }
}
