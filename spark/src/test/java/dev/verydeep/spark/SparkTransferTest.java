package dev.verydeep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.core.data.FashionMnist;
import dev.verydeep.core.io.Json;
import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.onnx.ModelMetadata;
import dev.verydeep.onnx.OnnxExporter;
import dev.verydeep.onnx.Preprocessing;
import dev.verydeep.onnx.RandomWeights;
import dev.verydeep.onnx.TrainScale;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * spark transfer in local[2] against the in-process transfer on the same descriptors (fashion-caltech and fashion-voc):
 * the results files equal field by field but for the provenance (command, time, machine), with a task killed once.
 */
class SparkTransferTest {
    @TempDir
    static Path tmp;
    static Path caltech;
    static Path voc;

    @BeforeAll
    static void setUp() {
        NetDescription net = NetDescription.builder().setConfig(Config.A).optWidth(1.0 / 16).optFcWidth(64).optClasses(10).optCrop(32).build();
        ModelMetadata meta = ModelMetadata.builder().optNet(net).setClassNames(FashionMnist.CLASS_NAMES)
                .setPreprocessing(Preprocessing.torchvision()).optTrainScale(TrainScale.jittered(37, 73)).build();
        Path model = OnnxExporter.builder().build().export(tmp.resolve("A"), RandomWeights.of(net, 1), meta).dense();
        caltech = extract(model, "fashion-caltech", "caltech", "--per-class", "12");
        voc = extract(model, "fashion-voc", "voc", "--images", "80");
    }

    /** A small data set of {@code kind} and its descriptors, extracted in-process. */
    private static Path extract(Path model, String kind, String spec, String... size) {
        List<String> make = new ArrayList<>(List.of("make-dataset", kind, "--out", tmp.resolve(kind).toString()));
        make.addAll(List.of(size));
        SparkJobsTest.Result m = SparkJobsTest.cli(make.toArray(new String[0]));
        assertEquals(0, m.code(), m.out() + m.err());
        Path feats = tmp.resolve("feats-" + kind);
        SparkJobsTest.Result e = SparkJobsTest.cli("extract", "--model", model.toString(), "--data", spec + ":" + tmp.resolve(kind), "--scales",
                "32,40", "--aggregate", "stack", "--threads", "1", "--out", feats.toString());
        assertEquals(0, e.code(), e.out() + e.err());
        return feats;
    }

    @AfterEach
    void noHook() {
        System.clearProperty(TestHooks.FAIL);
    }

    /** Runs transfer in-process and as a Spark job with the same options and checks the two result files are equal. */
    private static SparkJobsTest.Result bothEqual(Path features, String name, String... options) throws IOException {
        List<String> in = new ArrayList<>(List.of("transfer", "--features", features.toString(), "--out", tmp.resolve(name + "-in.json").toString()));
        in.addAll(List.of(options));
        SparkJobsTest.Result a = SparkJobsTest.cli(in.toArray(new String[0]));
        assertEquals(0, a.code(), a.out() + a.err());
        List<String> sp = new ArrayList<>(List.of("transfer", "--features", features.toString(), "--out", tmp.resolve(name + "-spark.json").toString(),
                "--master", "local[2,3]"));
        sp.addAll(List.of(options));
        SparkJobsTest.Result b = SparkJobsTest.spark(sp.toArray(new String[0]));
        assertEquals(0, b.code(), b.out() + b.err());
        JsonNode x = Json.MAPPER.readTree(tmp.resolve(name + "-in.json").toFile());
        JsonNode y = Json.MAPPER.readTree(tmp.resolve(name + "-spark.json").toFile());
        List<String> fields = new ArrayList<>();
        x.fieldNames().forEachRemaining(fields::add);
        List<String> sparkFields = new ArrayList<>();
        y.fieldNames().forEachRemaining(sparkFields::add);
        assertEquals(fields, sparkFields);
        assertTrue(fields.contains("provenance"));
        for (Iterator<String> f = x.fieldNames(); f.hasNext();) {
            String field = f.next();
            if (!field.equals("provenance")) {
                // JsonNode equality: numbers as parsed from the files' text, which Jackson writes as the shortest exact double
                assertEquals(x.get(field), y.get(field), name + ": field " + field);
            }
        }
        // The lines printed (per class and summary) too, but the results path.
        assertEquals(a.out().lines().filter(l -> !l.startsWith("->")).toList(),
                b.out().lines().filter(l -> !l.startsWith("->") && !l.startsWith("spark (")).toList());
        return b;
    }

    @Test
    void caltechEqualsInProcessWithATaskKilledMidPartition() throws IOException {
        System.setProperty(TestHooks.FAIL, "1@mid");
        int fired = TestHooks.FIRED.get();
        SparkJobsTest.Result sp = bothEqual(caltech, "caltech", "--protocol", "caltech101", "--splits", "2", "--train-per-class", "6",
                "--test-per-class", "5", "--c-grid", "0.1,1,10");
        assertEquals(fired + 2, TestHooks.FIRED.get(), "the task of partition 1 failed once in each round");
        // 2 splits x 3 C x 5 classes, then 2 splits x 5 classes
        assertTrue(sp.out().contains("validation round, 30 SVMs in 6 tasks"), sp.out());
        assertTrue(sp.out().contains("final round, 10 SVMs in 6 tasks"), sp.out());
    }

    @Test
    void vocEqualsInProcess() throws IOException {
        SparkJobsTest.Result sp = bothEqual(voc, "voc", "--protocol", "voc2007");
        assertTrue(sp.out().contains("final round, 10 SVMs in 6 tasks"), sp.out());
    }
}
