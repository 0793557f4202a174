package dev.verydeep.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.UserException;
import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.core.net.NetWeights;
import dev.verydeep.onnx.OnnxExporter;
import dev.verydeep.onnx.RandomWeights;
import dev.verydeep.onnx.TensorData;
import dev.verydeep.onnx.TensorProtos;
import dev.verydeep.onnx.TestDataSets;
import dev.verydeep.runtime.Comparison.Tolerance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify on an export run folder whose test data sets come from {@link ReferenceNet} (never from ORT). */
class VerifierTest {
    @TempDir
    Path tmp;
    Path run;
    OnnxExporter.Exported files;
    NetDescription net;

    @BeforeEach
    void exportWithReferenceTestData() {
        net = ParityTest.small(Config.D, 32);
        NetWeights w = RandomWeights.of(net, 77);
        run = tmp.resolve("D-run");
        files = OnnxExporter.builder().build().export(run, w, ParityTest.metadata(net));
        ReferenceNet ref = new ReferenceNet(w);
        for (int set = 0; set < 3; set++) {
            double[][][][] x = ParityTest.images(1 + set % 2, 32, 32, 1000 + set);
            int n = x.length;
            float[] scores = new float[n * net.classes()];
            float[] pen = new float[n * net.fcWidth()];
            for (int i = 0; i < n; i++) {
                double[][] h = ref.head(ref.features(x[i]), 0, 0);
                for (int c = 0; c < net.classes(); c++) {
                    scores[i * net.classes() + c] = (float) h[1][c];
                }
                for (int c = 0; c < net.fcWidth(); c++) {
                    pen[i * net.fcWidth() + c] = (float) h[0][c];
                }
            }
            TensorData in = ParityTest.tensor(x);
            TestDataSets.write(TestDataSets.dirFor(files.classifier(), set), List.of(in),
                    List.of(TensorData.ofFloats("scores", new long[] {n, net.classes()}, scores)));
            TestDataSets.write(TestDataSets.dirFor(files.dense(), set), List.of(in), List.of(
                    TensorData.ofFloats("scores_map", new long[] {n, net.classes(), 1, 1}, scores),
                    TensorData.ofFloats("penultimate", new long[] {n, net.fcWidth(), 1, 1}, pen)));
        }
    }

    @Test
    void setsAreNamedPerModelFile() {
        assertEquals(run.resolve("test_data_set_0"), TestDataSets.dirFor(files.classifier(), 0));
        assertEquals(run.resolve("test_data_set_dense_2"), TestDataSets.dirFor(files.dense(), 2));
        assertEquals(List.of("test_data_set_0", "test_data_set_1", "test_data_set_2"),
                TestDataSets.find(files.classifier()).stream().map(p -> p.getFileName().toString()).toList());
        assertEquals(List.of("test_data_set_dense_0", "test_data_set_dense_1", "test_data_set_dense_2"),
                TestDataSets.find(files.dense()).stream().map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void bothModelFilesPassOnTheirOwnSets() {
        VerifyReport dense = Verifier.builder().build().verify(files.dense());
        assertTrue(dense.passed(), dense.render());
        assertEquals(3, dense.setCount());
        assertEquals(List.of("scores_map", "penultimate"),
                dense.models().get(0).sets().get(0).outputs().stream().map(Comparison::name).toList());
        String text = dense.render();
        assertTrue(text.contains("test_data_set_dense_1: PASS"), text);
        assertTrue(text.contains("worst at [") && text.contains("max abs"), text);
        assertTrue(text.endsWith("PASS: 3 test data sets, 3 PASS, 0 FAIL\n"), text);

        VerifyReport folder = Verifier.builder().build().verify(run);
        assertTrue(folder.passed(), folder.render());
        assertEquals(2, folder.models().size());
        assertEquals(6, folder.setCount());
        assertEquals(files.classifier(), folder.models().get(0).model());
    }

    @Test
    void aWrongExpectedValueFailsWithTheWorstElement() throws IOException {
        Path out = run.resolve("test_data_set_dense_1/output_0.pb");
        TensorData good = TensorProtos.read(out);
        float[] v = good.toFloats();
        int bad = 13; // [1, 3, 0, 0] in [2, 10, 1, 1]
        v[bad] += 1.0f + Math.abs(v[bad]);
        TensorProtos.write(out, TensorData.ofFloats(good.name(), good.shape(), v));
        VerifyReport r = Verifier.builder().build().verify(files.dense());
        assertFalse(r.passed());
        assertEquals(1, r.failedSets());
        VerifyReport.SetResult set = r.models().get(0).sets().get(1);
        assertFalse(set.passed());
        Comparison c = set.outputs().get(0);
        assertEquals(1, c.failures());
        assertArrayEquals(new long[] {1, 3, 0, 0}, c.worstIndex());
        assertEquals(v[bad], c.worstExpected(), 0);
        assertEquals(good.getDouble(bad), c.worstGot(), 1e-4 * Math.abs(good.getDouble(bad)) + 1e-4);
        assertTrue(set.outputs().get(1).passed(), "penultimate is still right");
        String text = r.render();
        assertTrue(text.contains("test_data_set_dense_1: FAIL"), text);
        assertTrue(text.contains("FAIL scores_map [2,10,1,1]: max abs"), text);
        assertTrue(text.contains("1 of 20 elements out of tolerance; worst at [1,3,0,0]"), text);
        assertTrue(text.endsWith("FAIL: 3 test data sets, 2 PASS, 1 FAIL\n"), text);
    }

    @Test
    void stricterTolerancesCanFailWhatTheDefaultPasses() {
        VerifyReport exact = Verifier.builder().optTolerance(new Tolerance(0, 0)).build().verify(files.classifier());
        assertFalse(exact.passed(), "float32 ORT vs double reference are not bit-identical");
        VerifyReport usual = Verifier.builder().build().verify(files.classifier());
        assertTrue(usual.passed(), usual.render());
        assertEquals(Tolerance.DEFAULT, Verifier.builder().build().tolerance());
        assertEquals(new Tolerance(1e-3, 1e-5), Tolerance.DEFAULT);
        assertThrows(UserException.class, () -> new Tolerance(-1, 0));
    }

    @Test
    void shapeTypeAndCountMismatchesFail() throws IOException {
        Path set = run.resolve("test_data_set_2");
        TensorProtos.write(set.resolve("output_0.pb"), TensorData.ofFloats("scores", new long[] {1, 5}, new float[5]));
        Path set1 = run.resolve("test_data_set_1");
        TensorProtos.write(set1.resolve("output_0.pb"), TensorData.ofLongs("scores", new long[] {2, 10}, new long[20]));
        Path set0 = run.resolve("test_data_set_0");
        TensorProtos.write(set0.resolve("output_1.pb"), TensorData.ofFloats("extra", new long[] {1}, new float[1]));
        VerifyReport r = Verifier.builder().build().verify(files.classifier());
        List<String> lines = new ArrayList<>(r.render().lines().toList());
        assertEquals(3, r.failedSets(), r.render());
        assertTrue(r.render().contains("2 output files for 1 model outputs [scores]"), r.render());
        assertTrue(r.render().contains("type int64, expected float32") || r.render().contains("type float32, expected int64"), r.render());
        assertTrue(r.render().contains("shape [1, 10], expected [1, 5]"), r.render());
        assertFalse(lines.isEmpty());
    }

    @Test
    void nothingToVerifyIsAUserError() throws IOException {
        Path lonely = tmp.resolve("lonely");
        Files.createDirectories(lonely);
        Files.copy(files.classifier(), lonely.resolve("model.onnx"));
        UserException e = assertThrows(UserException.class, () -> Verifier.builder().build().verify(lonely.resolve("model.onnx")));
        assertTrue(e.getMessage().contains("test_data_set_N"), e.getMessage());
        UserException e2 = assertThrows(UserException.class, () -> Verifier.builder().build().verify(lonely));
        assertTrue(e2.getMessage().contains(lonely.toString()), e2.getMessage());
        UserException e3 = assertThrows(UserException.class, () -> Verifier.builder().build().verify(tmp.resolve("nope.onnx")));
        assertTrue(e3.getMessage().contains("no such file"), e3.getMessage());
    }

    @Test
    void aModelZooArchiveWithAnyModelNameUsesPlainSets() throws IOException {
        Path zoo = Files.createDirectories(tmp.resolve("vgg-tiny"));
        Files.copy(files.classifier(), zoo.resolve("vgg-tiny.onnx"));
        copyDir(run.resolve("test_data_set_0"), zoo.resolve("test_data_set_0"));
        VerifyReport r = Verifier.builder().build().verify(zoo);
        assertTrue(r.passed(), r.render());
        assertEquals(1, r.setCount());
        assertNull(r.models().get(0).device().fallbackReason());
    }

    private static void copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var s = Files.list(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
    }
}
