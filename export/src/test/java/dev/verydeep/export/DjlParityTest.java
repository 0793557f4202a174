package dev.verydeep.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.core.net.NetWeights;
import dev.verydeep.onnx.OnnxExporter;
import dev.verydeep.onnx.RandomWeights;
import dev.verydeep.onnx.TensorData;
import dev.verydeep.runtime.Device;
import dev.verydeep.runtime.ModelSession;
import dev.verydeep.runtime.ParityTest;
import dev.verydeep.runtime.Sessions;
import dev.verydeep.trainer.DjlClassifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The proof across engines: the ONNX files {@link OnnxExporter} writes, run in ONNX Runtime, against
 * the same weights in DJL (PyTorch engine, {@link DjlClassifier}), for A, A-LRN, B, B-5x5, C, D, E at width
 * 1/16, 10 classes, crops 32 and 64. Errors are {@code max|ort - djl| / max|djl|} over the whole output and
 * must be at most {@value ParityTest#REL_TOL}.
 *
 * <p>Checks: classifier scores; the dense form at the crop size (a 1x1 map equal to DJL's classifier scores);
 * the dense form on a larger non-square image (crop + 32 by crop + 64) against DJL's own dense form
 * ({@link DjlClassifier#dense}), both the score map and the penultimate map. The dense map on a larger image
 * is not the classifier on pixel windows (the dense net sees real neighbours where the classifier sees zero
 * padding; paper section 3.2), so the comparison is with DJL's dense form; {@link ParityTest} shows the
 * window relation on the features. The worst errors are printed after the run and written to
 * {@code target/djl-parity-report.txt}.
 */
class DjlParityTest {
    static final Map<String, Map<String, Double>> WORST = new TreeMap<>();

    @TempDir
    static Path tmp;

    static Stream<Arguments> configs() {
        List<Arguments> out = new ArrayList<>();
        for (Config c : List.of(Config.A, Config.A_LRN, Config.B, Config.B_5X5, Config.C, Config.D, Config.E)) {
            for (int crop : new int[] {32, 64}) {
                out.add(Arguments.of(c, crop));
            }
        }
        return out.stream();
    }

    static void record(String net, String check, double err) {
        WORST.computeIfAbsent(net, k -> new TreeMap<>()).merge(check, err, Math::max);
        assertTrue(err <= ParityTest.REL_TOL,
                String.format(Locale.ROOT, "%s %s: ORT vs DJL relative error %.3g > %.0e", net, check, err, ParityTest.REL_TOL));
    }

    static double[] doubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    @ParameterizedTest(name = "{0} crop {1}")
    @MethodSource("configs")
    void ortMatchesDjl(Config config, int crop) throws IOException {
        NetDescription net = ParityTest.small(config, crop);
        NetWeights w = RandomWeights.of(net, 500 + config.ordinal() * 13L + crop);
        Path dir = Files.createDirectories(tmp.resolve(config.label() + "-" + crop));
        OnnxExporter.Exported files = OnnxExporter.builder().build().export(dir, w, ParityTest.metadata(net));
        String label = String.format(Locale.ROOT, "%-5s crop %d", net.config().label(), crop);
        int k = net.classes();
        int f = net.fcWidth();

        TensorData crops = ParityTest.tensor(ParityTest.images(2, crop, crop, 41));
        TensorData big = ParityTest.tensor(ParityTest.images(1, crop + 32, crop + 64, 43));
        try (DjlClassifier djl = new DjlClassifier(w)) {
            double[] djlScores = doubles(djl.scores(crops.toFloats(), 2));
            try (ModelSession s = Sessions.open(files.classifier(), Device.CPU, 1)) {
                TensorData ort = s.run(Map.of("input", crops)).get("scores");
                assertArrayEquals(new long[] {2, k}, ort.shape());
                record(label, "classifier scores", ParityTest.relErr(ort.toDoubles(), djlScores));
            }
            DjlClassifier.DenseMaps djlBig = djl.dense(big.toFloats(), 1, crop + 32, crop + 64);
            try (ModelSession s = Sessions.open(files.dense(), Device.CPU, 1)) {
                Map<String, TensorData> d = s.run(Map.of("input", crops));
                assertArrayEquals(new long[] {2, k, 1, 1}, d.get("scores_map").shape());
                record(label, "dense@crop 1x1 vs classifier", ParityTest.relErr(d.get("scores_map").toDoubles(), djlScores));

                Map<String, TensorData> m = s.run(Map.of("input", big));
                int mh = (crop + 32) / 32 - net.fcKernel() + 1;
                int mw = (crop + 64) / 32 - net.fcKernel() + 1;
                assertArrayEquals(new long[] {1, k, mh, mw}, m.get("scores_map").shape());
                assertArrayEquals(djlBig.scoresShape(), m.get("scores_map").shape());
                assertArrayEquals(new long[] {1, f, mh, mw}, m.get("penultimate").shape());
                assertArrayEquals(djlBig.penultimateShape(), m.get("penultimate").shape());
                String size = (crop + 32) + "x" + (crop + 64);
                record(label, "dense map " + size, ParityTest.relErr(m.get("scores_map").toDoubles(), doubles(djlBig.scores())));
                record(label, "penultimate map " + size,
                        ParityTest.relErr(m.get("penultimate").toDoubles(), doubles(djlBig.penultimate())));
            }
        }
    }

    @AfterAll
    static void printWorst() {
        StringBuilder sb = new StringBuilder("Worst relative errors, ORT vs DJL (max|ort - djl| / max|djl|), width 1/16, 10 classes:\n");
        WORST.forEach((net, checks) -> checks.forEach((check, err) ->
                sb.append(String.format(Locale.ROOT, "  %-12s %-32s %.3g%n", net, check, err))));
        System.out.print(sb);
        try {
            Path out = Path.of("target", "djl-parity-report.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, sb.toString());
        } catch (IOException ignored) {
            // the report is a convenience
        }
    }
}
