package dev.verydeep.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.onnx.OnnxExporter;
import dev.verydeep.runtime.Device;
import dev.verydeep.runtime.ModelSession;
import dev.verydeep.runtime.Sessions;
import java.nio.file.Path;
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
 * ONNX Runtime session throughput of the classifier ({@code [N,3,crop,crop]}) and the fully convolutional
 * graph ({@code [N,3,Q,Q]}) of net D with random weights: the bare {@code session.run}, input tensor made once.
 * One op is one batch; divide by {@code batch} for time per image. Full-size VGG-16 at 224 is
 * {@code -p width=1} (exports 2 x 553 MB once).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-Dai.djl.offline=true"})
@State(Scope.Benchmark)
public class OrtSessionBench {
    @Param({"D"})
    public String config;

    @Param({"0.25"})
    public double width;

    @Param({"224"})
    public int crop;

    /** {@code classifier}: crop-sized input; {@code dense}: Q x Q input through the fully convolutional graph. */
    @Param({"classifier", "dense"})
    public String form;

    /** Test scale Q of the dense form (ignored by the classifier). */
    @Param({"256"})
    public int q;

    @Param({"1", "4"})
    public int batch;

    /** ORT intra-op threads; 0 = ORT's default (one per core). */
    @Param({"0"})
    public int threads;

    private ModelSession session;
    private OnnxTensor input;
    private Map<String, OnnxTensor> feed;
    private Set<String> outputs;

    @Setup(Level.Trial)
    public void setUp() throws OrtException {
        NetDescription net = BenchNets.net(config, width, crop, 1000);
        OnnxExporter.Exported files = BenchNets.export(net);
        boolean dense = form.equals("dense");
        Path model = dense ? files.dense() : files.classifier();
        session = Sessions.open(model, Device.CPU, threads);
        int side = dense ? q : crop;
        input = OnnxTensor.createTensor(Sessions.environment(), BenchNets.direct(BenchNets.input(batch, side, side, 7)),
                new long[] {batch, 3, side, side});
        feed = Map.of(OnnxExporter.INPUT, input);
        outputs = Set.of(dense ? OnnxExporter.SCORES_MAP : OnnxExporter.SCORES);
    }

    @Benchmark
    public void run(Blackhole bh) throws OrtException {
        try (OrtSession.Result r = session.session().run(feed, outputs)) {
            bh.consume(((OnnxTensor) r.get(0)).getFloatBuffer().get(0));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        input.close();
        session.close();
    }
}
