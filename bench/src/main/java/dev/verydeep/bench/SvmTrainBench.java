package dev.verydeep.bench;

import dev.verydeep.transfer.svm.DenseMatrix;
import dev.verydeep.transfer.svm.Feed;
import dev.verydeep.transfer.svm.LinearSvm;
import dev.verydeep.transfer.svm.SvmSettings;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * LIBLINEAR training of one binary SVM (L2-regularised L2-loss dual, C = 1, bias 1, the transfer module's
 * defaults) on n L2-normalised dense descriptors of d floats, fed as {@code FeatureNode}s or through the
 * shared cursor ({@link Feed}); building the problem rows is part of the op, as in {@link LinearSvm}. The
 * descriptors imitate pooled ReLU outputs (non-negative, 10% positives shifted on 64 dimensions).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
@State(Scope.Benchmark)
public class SvmTrainBench {
    @Param({"2000"})
    public int n;

    @Param({"1024"})
    public int d;

    @Param({"shared-cursor", "feature-nodes"})
    public String feed;

    private DenseMatrix x;
    private boolean[] positive;
    private int[] rows;
    private SvmSettings settings;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom r = new SplittableRandom(42);
        float[] v = new float[n * d];
        positive = new boolean[n];
        for (int i = 0; i < n; i++) {
            positive[i] = r.nextInt(10) == 0;
            double norm = 0;
            for (int j = 0; j < d; j++) {
                double e = Math.abs(r.nextGaussian()) + (positive[i] && j < 64 ? 0.5 : 0) + 1e-3;
                v[i * d + j] = (float) e;
                norm += e * e;
            }
            for (int j = 0; j < d; j++) {
                v[i * d + j] = (float) (v[i * d + j] / Math.sqrt(norm));
            }
        }
        x = new DenseMatrix(n, d, v);
        rows = IntStream.range(0, n).toArray();
        settings = SvmSettings.defaults().withFeed(Feed.parse(feed));
    }

    @Benchmark
    public double train() {
        return new LinearSvm(x, rows, settings).train(positive, 1.0).w()[0];
    }
}
