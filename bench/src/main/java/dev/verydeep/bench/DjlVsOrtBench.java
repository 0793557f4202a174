package dev.verydeep.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.onnx.OnnxExporter;
import dev.verydeep.onnx.RandomWeights;
import dev.verydeep.runtime.Device;
import dev.verydeep.runtime.ModelSession;
import dev.verydeep.runtime.Sessions;
import dev.verydeep.trainer.DjlClassifier;
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
 * The same classifier (same random weights) in DJL on the PyTorch engine ({@link DjlClassifier#scores}) and in
 * ONNX Runtime (bare session). One op is one batch. Both engines use all cores by default.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-Dai.djl.offline=true"})
@State(Scope.Benchmark)
public class DjlVsOrtBench {
    @Param({"D"})
    public String config;

    @Param({"0.25"})
    public double width;

    @Param({"224"})
    public int crop;

    @Param({"ort", "djl"})
    public String engine;

    @Param({"1", "4"})
    public int batch;

    private float[] x;
    private DjlClassifier djl;
    private ModelSession ort;
    private OnnxTensor input;

    @Setup(Level.Trial)
    public void setUp() throws OrtException {
        NetDescription net = BenchNets.net(config, width, crop, 1000);
        x = BenchNets.input(batch, crop, crop, 7);
        if (engine.equals("djl")) {
            djl = new DjlClassifier(RandomWeights.of(net, BenchNets.SEED));
        } else {
            ort = Sessions.open(BenchNets.export(net).classifier(), Device.CPU, 0);
            input = OnnxTensor.createTensor(Sessions.environment(), BenchNets.direct(x), new long[] {batch, 3, crop, crop});
        }
    }

    @Benchmark
    public void scores(Blackhole bh) throws OrtException {
        if (djl != null) {
            bh.consume(djl.scores(x, batch)[0]);
        } else {
            try (OrtSession.Result r = ort.session().run(Map.of(OnnxExporter.INPUT, input), Set.of(OnnxExporter.SCORES))) {
                bh.consume(((OnnxTensor) r.get(0)).getFloatBuffer().get(0));
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (djl != null) {
            djl.close();
        }
        if (ort != null) {
            input.close();
            ort.close();
        }
    }
}
