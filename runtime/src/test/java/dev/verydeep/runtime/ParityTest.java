package dev.verydeep.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.LrnParams;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.core.net.NetWeights;
import dev.verydeep.onnx.ModelMetadata;
import dev.verydeep.onnx.OnnxExporter;
import dev.verydeep.onnx.Preprocessing;
import dev.verydeep.onnx.RandomWeights;
import dev.verydeep.onnx.TensorData;
import dev.verydeep.onnx.TrainScale;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The proof: ONNX Runtime on the exported files against {@link ReferenceNet} (double precision, written
 * from the paper), for configs A, A-LRN, B, C, D, E at width 1/16, 10 classes, crops 32 and 64.
 * Errors are relative to the largest reference magnitude of the output ({@code max|ort - ref| / max|ref|});
 * each must be at most {@value #REL_TOL}.
 */
public class ParityTest {
    public static final double REL_TOL = 1e-5;
    /** Worst relative error per config and check, printed after the run (and kept for the note). */
    static final Map<String, Map<String, Double>> WORST = new TreeMap<>();

    @TempDir
    static Path tmp;

    static Stream<Arguments> configs() {
        List<Arguments> out = new ArrayList<>();
        for (Config c : List.of(Config.A, Config.A_LRN, Config.B, Config.C, Config.D, Config.E)) {
            for (int crop : new int[] {32, 64}) {
                out.add(Arguments.of(c, crop));
            }
        }
        return out.stream();
    }

    public static NetDescription small(Config c, int crop) {
        return NetDescription.builder().setConfig(c).optWidth(1.0 / 16).optClasses(10).optCrop(crop).build();
    }

    public static ModelMetadata metadata(NetDescription net) {
        return ModelMetadata.builder().optNet(net)
                .setClassNames(IntStream.range(0, net.classes()).mapToObj(i -> "c" + i).toList())
                .setPreprocessing(Preprocessing.trainingMean(new double[] {123, 117, 104}))
                .optTrainScale(TrainScale.fixed(net.crop() * 256 / 224)).optProvenance("seed", "11").build();
    }

    /** Random "mean-subtracted pixels" in [-128, 128): large enough that LRN's alpha matters. */
    public static double[][][][] images(int n, int h, int w, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][][][] x = new double[n][3][h][w];
        for (double[][][] img : x) {
            for (double[][] ch : img) {
                for (double[] row : ch) {
                    for (int j = 0; j < w; j++) {
                        row[j] = (float) r.nextDouble(-128, 128);
                    }
                }
            }
        }
        return x;
    }

    public static TensorData tensor(double[][][][] x) {
        int n = x.length;
        int c = x[0].length;
        int h = x[0][0].length;
        int w = x[0][0][0].length;
        float[] f = new float[n * c * h * w];
        int k = 0;
        for (double[][][] img : x) {
            for (double[][] ch : img) {
                for (double[] row : ch) {
                    for (double v : row) {
                        f[k++] = (float) v;
                    }
                }
            }
        }
        return TensorData.ofFloats("input", new long[] {n, c, h, w}, f);
    }

    static double[][][] window(double[][][] img, int top, int left, int size) {
        double[][][] out = new double[img.length][size][size];
        for (int c = 0; c < img.length; c++) {
            for (int i = 0; i < size; i++) {
                System.arraycopy(img[c][top + i], left, out[c][i], 0, size);
            }
        }
        return out;
    }

    /** max|got - ref| / max|ref| over all elements. */
    public static double relErr(double[] got, double[] ref) {
        assertEquals(ref.length, got.length);
        double maxRef = 0;
        double maxDiff = 0;
        for (int i = 0; i < ref.length; i++) {
            maxRef = Math.max(maxRef, Math.abs(ref[i]));
            maxDiff = Math.max(maxDiff, Math.abs(got[i] - ref[i]));
        }
        assertTrue(maxRef > 0, "reference output is all zeros: the test would prove nothing");
        return maxDiff / maxRef;
    }

    static void record(String net, String check, double err) {
        WORST.computeIfAbsent(net, k -> new TreeMap<>()).merge(check, err, Math::max);
        assertTrue(err <= REL_TOL, String.format(Locale.ROOT, "%s %s: relative error %.3g > %.0e", net, check, err, REL_TOL));
    }

    @ParameterizedTest(name = "{0} crop {1}")
    @MethodSource("configs")
    void ortMatchesTheReferenceInBothForms(Config config, int crop) throws IOException {
        NetDescription net = small(config, crop);
        NetWeights w = RandomWeights.of(net, 100 + config.ordinal() * 7L + crop);
        ReferenceNet ref = new ReferenceNet(w);
        Path dir = Files.createDirectories(tmp.resolve(config.label() + "-" + crop));
        OnnxExporter.Exported files = OnnxExporter.builder().optProbabilities(true).build().export(dir, w, metadata(net));
        String label = net.config().label() + " crop" + crop;
        int k = net.classes();
        int f = net.fcWidth();

        // Classifier vs reference on 2 images.
        double[][][][] crops = images(2, crop, crop, 5);
        double[] refScores = new double[2 * k];
        double[] refPen = new double[2 * f];
        for (int n = 0; n < 2; n++) {
            double[][] h = ref.head(ref.features(crops[n]), 0, 0);
            System.arraycopy(h[1], 0, refScores, n * k, k);
            System.arraycopy(h[0], 0, refPen, n * f, f);
        }
        Map<String, TensorData> cls;
        try (ModelSession s = Sessions.open(files.classifier(), Device.CPU, 1)) {
            cls = s.run(Map.of("input", tensor(crops)));
        }
        assertArrayEquals(new long[] {2, k}, cls.get("scores").shape());
        record(label, "classifier scores", relErr(cls.get("scores").toDoubles(), refScores));
        record(label, "classifier probabilities", relErr(cls.get("probabilities").toDoubles(), softmax(refScores, k)));

        try (ModelSession s = Sessions.open(files.dense(), Device.CPU, 1)) {
            // Dense at the crop size: a 1x1 map equal to the classifier's scores.
            Map<String, TensorData> d = s.run(Map.of("input", tensor(crops)));
            assertArrayEquals(new long[] {2, k, 1, 1}, d.get("scores_map").shape());
            record(label, "dense@crop vs classifier", relErr(d.get("scores_map").toDoubles(), cls.get("scores").toDoubles()));
            record(label, "dense@crop vs reference", relErr(d.get("scores_map").toDoubles(), refScores));
            record(label, "penultimate@crop", relErr(d.get("penultimate").toDoubles(), refPen));

            // Dense on a larger non-square image (H = crop + 32, W = crop + 64): every cell at stride 32.
            int hgt = crop + 32;
            int wid = crop + 64;
            double[][][][] big = images(1, hgt, wid, 9);
            Map<String, TensorData> dm = s.run(Map.of("input", tensor(big)));
            int mh = hgt / 32 - net.fcKernel() + 1;
            int mw = wid / 32 - net.fcKernel() + 1;
            assertArrayEquals(new long[] {1, k, mh, mw}, dm.get("scores_map").shape());
            assertArrayEquals(new long[] {1, f, mh, mw}, dm.get("penultimate").shape());
            double[][][] feat = ref.features(big[0]);
            double[] refMap = new double[k * mh * mw];
            double[] refPenMap = new double[f * mh * mw];
            for (int i = 0; i < mh; i++) {
                for (int j = 0; j < mw; j++) {
                    double[][] h = ref.head(feat, i, j);
                    for (int c = 0; c < k; c++) {
                        refMap[(c * mh + i) * mw + j] = h[1][c];
                    }
                    for (int c = 0; c < f; c++) {
                        refPenMap[(c * mh + i) * mw + j] = h[0][c];
                    }
                }
            }
            record(label, "dense map " + hgt + "x" + wid, relErr(dm.get("scores_map").toDoubles(), refMap));
            record(label, "penultimate map " + hgt + "x" + wid, relErr(dm.get("penultimate").toDoubles(), refPenMap));

            // The classifier on a crop-sized pixel window sees zero padding where the dense net sees the
            // neighbouring pixels (paper 3.2), so cell (0, 0) is NOT the classifier on pixels [0, crop)^2.
            double[][][] win = window(big[0], 0, 0, crop);
            double[] onWindow = ref.scores(win);
            double[] cell = new double[k];
            for (int c = 0; c < k; c++) {
                cell[c] = dm.get("scores_map").getDouble((c * mh) * mw);
            }
            double context = relErr(cell, onWindow);
            WORST.computeIfAbsent(label, x -> new TreeMap<>()).put("(info) cell(0,0) vs classifier on pixel window", context);
            assertTrue(context > 1e-3, "border context should change the scores; got " + context);
        }
    }

    @org.junit.jupiter.api.Test
    void theLrnAlphaConventionIsObservable() {
        NetDescription net = small(Config.A_LRN, 32);
        NetWeights w = RandomWeights.of(net, 3);
        // What ONNX would compute had the exporter passed the paper's alpha unchanged (ONNX divides by size).
        LrnParams p = net.lrn();
        NetDescription wrongNet = new NetDescription(net.config(), net.width(), net.fcWidth(), net.classes(), net.crop(),
                new LrnParams(p.size(), p.alpha() / p.size(), p.beta(), p.k()));
        ReferenceNet right = new ReferenceNet(w);
        ReferenceNet wrong = new ReferenceNet(new NetWeights(wrongNet, w.tensors()));
        double[][][][] x = images(1, 32, 32, 21);
        double[] ort;
        try (ModelSession s = Sessions.open(OnnxExporter.builder().build().export(tmp.resolve("lrn"), w, metadata(net)).classifier(),
                Device.CPU, 1)) {
            ort = s.run(Map.of("input", tensor(x))).get("scores").toDoubles();
        }
        assertTrue(relErr(ort, right.scores(x[0])) <= REL_TOL);
        double offBy = relErr(ort, wrong.scores(x[0]));
        assertTrue(offBy > 1e-3, "the test inputs must make LRN matter; wrong convention differs by only " + offBy);
    }

    static double[] softmax(double[] scores, int k) {
        double[] p = new double[scores.length];
        for (int n = 0; n < scores.length / k; n++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                max = Math.max(max, scores[n * k + c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                p[n * k + c] = Math.exp(scores[n * k + c] - max);
                sum += p[n * k + c];
            }
            for (int c = 0; c < k; c++) {
                p[n * k + c] /= sum;
            }
        }
        return p;
    }

    @AfterAll
    static void printWorst() {
        StringBuilder sb = new StringBuilder("Worst relative errors, ORT vs reference (max|d| / max|ref|):\n");
        WORST.forEach((net, checks) -> checks.forEach((check, err) ->
                sb.append(String.format(Locale.ROOT, "  %-14s %-45s %.3g%n", net, check, err))));
        System.out.print(sb);
        try {
            Path out = Path.of("target", "parity-report.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, sb.toString());
        } catch (IOException ignored) {
            // the report is a convenience
        }
    }
}
