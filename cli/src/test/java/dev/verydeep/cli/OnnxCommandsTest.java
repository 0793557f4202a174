package dev.verydeep.cli;

import static dev.verydeep.cli.testing.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import dev.verydeep.cli.testing.CliRun;
import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.onnx.ModelMetadata;
import dev.verydeep.onnx.OnnxExporter;
import dev.verydeep.onnx.Preprocessing;
import dev.verydeep.onnx.RandomWeights;
import dev.verydeep.onnx.TensorData;
import dev.verydeep.onnx.TestDataSets;
import dev.verydeep.runtime.Device;
import dev.verydeep.runtime.ModelSession;
import dev.verydeep.runtime.Sessions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verydeep inspect} and {@code verydeep verify} through {@link Main#run}: output and exit codes. */
class OnnxCommandsTest {
    @TempDir
    Path tmp;
    Path run;
    OnnxExporter.Exported files;

    @BeforeEach
    void export() {
        NetDescription net = NetDescription.builder().setConfig(Config.D).optWidth(1.0 / 16).optClasses(10).optCrop(32).build();
        ModelMetadata meta = ModelMetadata.builder().optNet(net)
                .setClassNames(IntStream.range(0, 10).mapToObj(i -> "class" + i).toList())
                .setPreprocessing(Preprocessing.trainingMean(new double[] {120, 115, 100})).build();
        run = tmp.resolve("runs/D-tiny");
        files = OnnxExporter.builder().build().export(run, RandomWeights.of(net, 5), meta);
        // Expected outputs from a CPU session, nudged by 1e-6 relative so that only exact tolerances fail.
        SplittableRandom r = new SplittableRandom(1);
        float[] x = new float[2 * 3 * 32 * 32];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble(-100, 100);
        }
        TensorData in = TensorData.ofFloats("input", new long[] {2, 3, 32, 32}, x);
        for (Path model : List.of(files.classifier(), files.dense())) {
            try (ModelSession s = Sessions.open(model, Device.CPU, 1)) {
                Map<String, TensorData> out = s.run(Map.of("input", in));
                List<TensorData> expected = out.values().stream().map(OnnxCommandsTest::nudge).toList();
                TestDataSets.write(TestDataSets.dirFor(model, 0), List.of(in), expected);
            }
        }
    }

    static TensorData nudge(TensorData t) {
        float[] v = t.toFloats();
        for (int i = 0; i < v.length; i++) {
            v[i] = v[i] * (1 + 1e-6f) + 1e-7f;
        }
        return TensorData.ofFloats(t.name(), t.shape(), v);
    }

    @Test
    void inspectPrintsTheModel() {
        CliRun r = cli("inspect", files.classifier().toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("input float32 [N, 3, 32, 32]"), r.out());
        assertTrue(r.out().contains("scores float32 [N, 10]"), r.out());
        assertTrue(r.out().contains("ONNX IR 8, opset ai.onnx 13"), r.out());
        assertTrue(r.out().contains("Conv 13") && r.out().contains("Gemm 3") && r.out().contains("MaxPool 5"), r.out());
        assertTrue(r.out().contains("verydeep.classes = [\"class0\""), r.out());
        CliRun d = cli("inspect", files.dense().toString());
        assertTrue(d.out().contains("input float32 [N, 3, H, W]") && d.out().contains("penultimate float32 [N, 256, h, w]"), d.out());
    }

    @Test
    void inspectRefusesBadFilesWithOneLineAndExitTwo() throws IOException {
        Path empty = Files.write(tmp.resolve("empty.onnx"), new byte[0]);
        CliRun r = cli("inspect", empty.toString());
        assertEquals(2, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("verydeep inspect: " + empty), r.err());
        Path junk = Files.write(tmp.resolve("junk.onnx"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        CliRun j = cli("inspect", junk.toString());
        assertEquals(2, j.code());
        assertTrue(j.err().contains("not an ONNX model"), j.err());
    }

    @Test
    void verifyPassesAndExitsZero() {
        CliRun dense = cli("verify", files.dense().toString());
        assertEquals(0, dense.code(), dense.out() + dense.err());
        assertTrue(dense.out().contains("test_data_set_dense_0: PASS"), dense.out());
        assertTrue(dense.out().contains("scores_map [2,10,1,1]: max abs") && dense.out().contains("penultimate [2,256,1,1]"), dense.out());
        CliRun folder = cli("verify", run.toString(), "--threads", "1");
        assertEquals(0, folder.code(), folder.out() + folder.err());
        assertTrue(folder.out().contains("PASS: 2 test data sets, 2 PASS, 0 FAIL"), folder.out());
    }

    @Test
    void stricterFlagsFailAndExitOne() {
        CliRun r = cli("verify", files.classifier().toString(), "--rtol", "0", "--atol", "0");
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("test_data_set_0: FAIL") && r.out().contains("rtol 0, atol 0"), r.out());
        assertTrue(r.out().contains("worst at ["), r.out());
    }

    @Test
    void deviceFlags() {
        CliRun bad = cli("verify", files.classifier().toString(), "--device", "tpu");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("expected cpu, cuda or cuda:N"), bad.err());
        if (OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            return;
        }
        CliRun fallback = cli("verify", files.classifier().toString(), "--device", "cuda:0");
        assertEquals(0, fallback.code(), fallback.err());
        assertTrue(fallback.out().contains("on cpu (cuda:0 requested but unavailable)"), fallback.out());
        CliRun strict = cli("verify", files.classifier().toString(), "--device", "cuda", "--strict-device");
        assertEquals(2, strict.code());
        assertTrue(strict.err().startsWith("verydeep verify: CUDA requested but unavailable: "), strict.err());
    }

    @Test
    void verifyWithoutSetsIsAUserError() {
        CliRun r = cli("verify", tmp.resolve("nothing").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no such file or folder"), r.err());
    }
}
