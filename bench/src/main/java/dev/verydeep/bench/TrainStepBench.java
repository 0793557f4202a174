package dev.verydeep.bench;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dev.verydeep.core.net.NetDescription;
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

/**
 * A DJL training step (forward + backward + momentum SGD, {@link DjlTrainStep}) on one batch, CPU. The default
 * is the demo's miniature net (A, width 1/16, crop 32, 10 classes); a forward+backward pass costs about 3x the
 * forward multiply-adds.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-Dai.djl.offline=true"})
@State(Scope.Benchmark)
public class TrainStepBench {
    @Param({"A"})
    public String config;

    @Param({"0.0625"})
    public double width;

    /** FC width; 0: 4096 x width (the reference nets use 512 at width 3/8). */
    @Param({"0"})
    public int fcWidth;

    @Param({"32"})
    public int crop;

    @Param({"10"})
    public int classes;

    @Param({"64"})
    public int batch;

    /** PyTorch intra-op threads; 0 = one per core. */
    @Param({"0"})
    public int threads;

    private DjlTrainStep step;

    @Setup(Level.Trial)
    public void setUp() {
        Engine.getInstance(); // loads the PyTorch natives before calling into them
        JniUtils.setNumThreads(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        NetDescription net = BenchNets.net(config, width, fcWidth, crop, classes);
        step = new DjlTrainStep(net, batch, BenchNets.SEED);
    }

    @Benchmark
    public float step() {
        return step.step();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        step.close();
    }
}
