package dev.verydeep.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.cli.Main;
import dev.verydeep.core.data.FashionMnist;
import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.onnx.ModelMetadata;
import dev.verydeep.onnx.OnnxExporter;
import dev.verydeep.onnx.Preprocessing;
import dev.verydeep.onnx.RandomWeights;
import dev.verydeep.onnx.TrainScale;
import dev.verydeep.runtime.eval.Part;
import dev.verydeep.runtime.eval.PosteriorSet;
import dev.verydeep.transfer.store.DescriptorStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * spark eval and spark extract in local mode against the in-process verbs on the same images and thread settings:
 * equal posteriors and descriptors, a task killed once mid-partition (or after its commit) leaving complete output
 * without duplicates, reruns skipping finished partitions, transfer and report on the Spark outputs, the CUDA fallback.
 */
class SparkJobsTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path caltech;

    record Result(int code, String out, String err) {
    }

    static Result cli(String... args) {
        return run(false, args);
    }

    static Result spark(String... args) {
        return run(true, args);
    }

    private static Result run(boolean spark, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter o = new PrintWriter(out, true);
        PrintWriter e = new PrintWriter(err, true);
        int code = spark ? SparkMain.run(args, o, e) : Main.run(args, o, e);
        return new Result(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void setUp() throws Exception {
        NetDescription net = NetDescription.builder().setConfig(Config.A).optWidth(1.0 / 16).optFcWidth(64).optClasses(10).optCrop(32).build();
        ModelMetadata meta = ModelMetadata.builder().optNet(net).setClassNames(FashionMnist.CLASS_NAMES)
                .setPreprocessing(Preprocessing.torchvision()).optTrainScale(TrainScale.jittered(37, 73)).build();
        model = OnnxExporter.builder().build().export(tmp.resolve("A"), RandomWeights.of(net, 1), meta).dense();
        caltech = tmp.resolve("caltech");
        assertEquals(0, cli("make-dataset", "fashion-caltech", "--out", caltech.toString(), "--per-class", "8").code());
        // One image the decoder refuses: both paths skip it and list it.
        try (Stream<Path> classes = Files.list(caltech)) {
            Path firstClass = classes.filter(Files::isDirectory).sorted().findFirst().orElseThrow();
            Files.writeString(firstClass.resolve("zz-corrupt.png"), "not a png");
        }
    }

    @AfterEach
    void noHook() {
        System.clearProperty(TestHooks.FAIL);
    }

    private static String[] eval(String out, String... extra) {
        List<String> a = new ArrayList<>(List.of("eval", "--model", model.toString(), "--data", "fashion-mnist:test", "--limit", "300",
                "--scales", "37,48", "--flip", "--threads", "1", "--checkpoint-every", "64", "--no-progress", "--out", tmp.resolve(out).toString()));
        a.addAll(List.of(extra));
        return a.toArray(new String[0]);
    }

    private static String[] extract(String out, String... extra) {
        List<String> a = new ArrayList<>(List.of("extract", "--model", model.toString(), "--data", "caltech:" + caltech, "--scales", "32,40",
                "--aggregate", "stack", "--threads", "1", "--chunk-size", "16", "--out", tmp.resolve(out).toString()));
        a.addAll(List.of(extra));
        return a.toArray(new String[0]);
    }

    private static void assertSamePosteriors(Path a, Path b) {
        PosteriorSet x = PosteriorSet.read(a.resolve(PosteriorSet.FILE));
        PosteriorSet y = PosteriorSet.read(b.resolve(PosteriorSet.FILE));
        assertEquals(x.images(), y.images());
        assertArrayEquals(x.labels(), y.labels());
        for (int i = 0; i < x.images(); i++) {
            assertEquals(x.id(i), y.id(i));
        }
        for (int m = 0; m < x.models().size(); m++) {
            for (Part p : x.parts()) {
                for (int q : x.scales()) {
                    // bit for bit: assertArrayEquals on floats compares with Float.equals
                    assertArrayEquals(x.raw(m, p, q), y.raw(m, p, q), p + " Q=" + q);
                }
            }
        }
    }

    /** Rows of a Parquet output: each image exactly once. */
    private static void assertOneRowPerImage(Path parquet, int images) {
        SparkSession s = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false").getOrCreate();
        try {
            Dataset<Row> d = s.read().parquet(parquet.toString());
            assertEquals(images, d.count());
            assertEquals(images, d.select("image").distinct().count());
        } finally {
            s.stop();
        }
    }

    @Test
    void evalEqualsInProcessWithATaskKilledMidPartitionAndWritesParquet() {
        Result in = cli(eval("eval-in"));
        assertEquals(0, in.code(), in.out() + in.err());
        System.setProperty(TestHooks.FAIL, "2@mid");
        int fired = TestHooks.FIRED.get();
        Result sp = spark(eval("eval-spark", "--master", "local[2,3]"));
        assertEquals(0, sp.code(), sp.out() + sp.err());
        assertEquals(fired + 1, TestHooks.FIRED.get(), "the task of partition 2 failed once");
        assertTrue(sp.out().contains("5 of 5 partitions computed (300 images) on [cpu]"), sp.out());
        assertSamePosteriors(tmp.resolve("eval-in"), tmp.resolve("eval-spark"));
        assertEquals(in.out().lines().filter(l -> l.startsWith("|")).toList(), sp.out().lines().filter(l -> l.startsWith("|")).toList());
        assertOneRowPerImage(tmp.resolve("eval-spark/posteriors.parquet"), 300);
        assertFalse(Files.exists(tmp.resolve("eval-spark/partial")), "partial results are deleted once the result files are written");
        Result report = cli("report", tmp.resolve("eval-spark").toString(), "-o", tmp.resolve("report-eval").toString());
        assertEquals(0, report.code(), report.out() + report.err());
    }

    @Test
    void aRerunSkipsThePartitionsAFailedJobCommitted() {
        // Without retries (local[2]) a task killed after its commit fails the job; its partition stays committed.
        System.setProperty(TestHooks.FAIL, "1@committed");
        Result failed = spark(eval("eval-rerun", "--master", "local[2]"));
        assertEquals(1, failed.code(), failed.out() + failed.err());
        System.clearProperty(TestHooks.FAIL);
        Result rerun = spark(eval("eval-rerun", "--master", "local[2]"));
        assertEquals(0, rerun.code(), rerun.out() + rerun.err());
        assertTrue(rerun.out().matches("(?s).*spark \\(local\\[2]\\): [0-4] of 5 partitions computed.*"), rerun.out());
        Result in = cli(eval("eval-rerun-in"));
        assertEquals(0, in.code(), in.err());
        assertSamePosteriors(tmp.resolve("eval-rerun-in"), tmp.resolve("eval-rerun"));
    }

    @Test
    void extractEqualsInProcessWithATaskKilledAfterItsCommitAndTransferReadsIt() {
        Result in = cli(extract("feats-in"));
        assertEquals(0, in.code(), in.out() + in.err());
        System.setProperty(TestHooks.FAIL, "1@committed");
        int fired = TestHooks.FIRED.get();
        Result sp = spark(extract("feats-spark", "--master", "local[2,3]"));
        assertEquals(0, sp.code(), sp.out() + sp.err());
        assertEquals(fired + 1, TestHooks.FIRED.get(), "the task of partition 1 failed once");
        assertTrue(sp.out().contains("skipped 1 unreadable image(s)"), sp.out());
        DescriptorStore.Descriptors a = DescriptorStore.read(tmp.resolve("feats-in"));
        DescriptorStore.Descriptors b = DescriptorStore.read(tmp.resolve("feats-spark"));
        assertEquals(a.images(), b.images());
        assertArrayEquals(a.matrix().data(), b.matrix().data());
        assertEquals(DescriptorStore.readIndex(tmp.resolve("feats-in")).skipped(), DescriptorStore.readIndex(tmp.resolve("feats-spark")).skipped());
        assertOneRowPerImage(tmp.resolve("feats-spark/descriptors.parquet"), a.images().size());
        assertFalse(Files.exists(tmp.resolve("feats-spark/" + ExtractPartition.PARTS)));
        // A rerun of the finished job computes nothing.
        Result again = spark(extract("feats-spark", "--master", "local[2]"));
        assertEquals(0, again.code(), again.out() + again.err());
        assertTrue(again.out().contains("(" + b.settings().images() / 16 + " already done)") || again.out().contains("already done"), again.out());
        assertFalse(again.out().contains("extracted"), again.out());
        Path results = tmp.resolve("transfer-results");
        Result t = cli("transfer", "--features", tmp.resolve("feats-spark").toString(), "--protocol", "caltech101", "--splits", "1",
                "--train-per-class", "3", "--test-per-class", "3", "--out", results.resolve("caltech.json").toString());
        assertEquals(0, t.code(), t.out() + t.err());
        Result report = cli("report", results.toString(), "-o", tmp.resolve("report-transfer").toString());
        assertEquals(0, report.code(), report.out() + report.err());
    }

    @Test
    void evalReadsAFileUriThroughHadoopWithTheSamePosteriorsAndSaysWhatItsTimesMeasure() {
        String[] local = eval("eval-uri-in");
        local[6] = "128"; // --limit
        Result in = cli(local);
        assertEquals(0, in.code(), in.out() + in.err());
        String uri = FashionMnist.defaultDir().toUri().toString();
        assertTrue(uri.startsWith("file:/"), uri);
        String[] args = eval("eval-uri-spark", "--master", "local[2]");
        args[4] = "fashion-mnist:" + uri + ":test"; // --data
        args[6] = "128";
        Result sp = spark(args);
        assertEquals(0, sp.code(), sp.out() + sp.err());
        assertTrue(sp.out().contains("inputs read through Hadoop: file:// (org.apache.hadoop.fs.LocalFileSystem)"), sp.out());
        assertSamePosteriors(tmp.resolve("eval-uri-in"), tmp.resolve("eval-uri-spark"));
        // The times are named for what they measure; the old "wall ... images/s" line (the driver's reading of the chunks) is gone.
        assertFalse(sp.out().contains("wall "), sp.out());
        assertTrue(sp.out().matches("(?s).*\\ncommand [0-9.]+ s \\(JVM start not counted\\): Spark start-up [0-9.]+ s, evaluation stage [0-9.]+ s "
                + "\\(128 images computed by the tasks: [0-9.]+ images/s\\), driver [0-9.]+ s assembling.*"), sp.out());
    }

    @Test
    void extractReadsThroughHadoopsRawLocalFileSystemWithTheSameDescriptors() {
        Result in = cli(extract("feats-raw-in"));
        assertEquals(0, in.code(), in.out() + in.err());
        System.setProperty("spark.hadoop.fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem");
        System.setProperty("spark.hadoop.fs.file.impl.disable.cache", "true");
        try {
            String[] args = extract("feats-raw-spark", "--master", "local[2]");
            args[4] = "caltech:" + caltech.toUri(); // --data
            Result sp = spark(args);
            assertEquals(0, sp.code(), sp.out() + sp.err());
            assertTrue(sp.out().contains("inputs read through Hadoop: file:// (org.apache.hadoop.fs.RawLocalFileSystem)"), sp.out());
            assertTrue(sp.out().contains("skipped 1 unreadable image(s)"), sp.out());
        } finally {
            System.clearProperty("spark.hadoop.fs.file.impl");
            System.clearProperty("spark.hadoop.fs.file.impl.disable.cache");
        }
        DescriptorStore.Descriptors a = DescriptorStore.read(tmp.resolve("feats-raw-in"));
        DescriptorStore.Descriptors b = DescriptorStore.read(tmp.resolve("feats-raw-spark"));
        assertEquals(a.images(), b.images());
        assertArrayEquals(a.matrix().data(), b.matrix().data());
    }

    @Test
    void cudaFallsBackToTheCpuSayingWhyUnlessStrict() {
        Result sp = spark("eval", "--model", model.toString(), "--data", "fashion-mnist:test", "--limit", "40", "--scales", "37",
                "--device", "cuda", "--threads", "1", "--no-progress", "--master", "local[2]", "--out", tmp.resolve("eval-cuda").toString());
        assertEquals(0, sp.code(), sp.out() + sp.err());
        assertTrue(sp.out().contains("note: cuda:0 requested but unavailable, running on cpu"), sp.out());
        assertTrue(sp.out().contains("on [cpu (cuda:0 requested but unavailable)]"), sp.out());
        Result strict = spark("eval", "--model", model.toString(), "--data", "fashion-mnist:test", "--limit", "40", "--scales", "37",
                "--device", "cuda", "--strict", "--no-progress", "--master", "local[2]", "--out", tmp.resolve("eval-cuda-strict").toString());
        assertEquals(2, strict.code(), strict.out() + strict.err());
        assertTrue(strict.err().startsWith("verydeep spark eval: "), strict.err());
    }
}
