package dev.verydeep.cli;

import static dev.verydeep.cli.testing.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.cli.testing.CliRun;
import dev.verydeep.core.Provenance;
import dev.verydeep.core.io.FaultPoints;
import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.runtime.eval.PartialResults;
import dev.verydeep.trainer.TrainSettings;
import dev.verydeep.trainer.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every verb that writes (train, eval, extract, export, transfer) refuses an output folder it cannot create before
 * its long work, naming the path and why; a disk that fills mid-run gives one line naming the file, and what was
 * finished is kept for the rerun.
 */
class OutputChecksTest {
    @TempDir
    static Path tmp;
    static Path file;
    static Path model;
    static Path data;

    @BeforeAll
    static void setUp() throws Exception {
        file = Files.writeString(tmp.resolve("a-file"), "x");
        model = EvalCommandTest.exportTo(tmp, "A", Config.A, 1);
        data = tmp.resolve("caltech");
        assertEquals(0, cli("make-dataset", "fashion-caltech", "--out", data.toString(), "--per-class", "6").code());
    }

    static void assertRefused(String what, CliRun r, Path out) {
        assertEquals(2, r.code(), what + ": " + r.out() + r.err());
        assertTrue(r.err().contains(out + ": cannot create the folder: " + file + " is a file, not a folder"), what + ": " + r.err());
        assertTrue(r.err().strip().lines().count() == 1, "one line: " + r.err());
    }

    @Test
    void outputUnderARegularFileIsRefusedByEveryVerb() {
        Path out = file.resolve("out");
        assertRefused("train", cli("train", "--config", "A", "--width", "0.0625", "--crop", "32", "--data", "fashion-mnist",
                "--limit", "64", "--epochs", "1", "--threads", "1", "--no-progress", "--out", out.toString()), out);
        assertRefused("eval", cli("eval", "--model", model.toString(), "--data", "caltech:" + data, "--scales", "32",
                "--no-progress", "--out", out.toString()), out);
        assertRefused("extract", cli("extract", "--model", model.toString(), "--data", "caltech:" + data, "--scales", "32",
                "--out", out.toString()), out);
        Path feats = tmp.resolve("feats");
        assertEquals(0, cli("extract", "--model", model.toString(), "--data", "caltech:" + data, "--scales", "32",
                "--out", feats.toString()).code());
        CliRun t = cli("transfer", "--features", feats.toString(), "--protocol", "caltech101", "--splits", "1",
                "--train-per-class", "3", "--test-per-class", "3", "--out", out.resolve("r.json").toString());
        assertEquals(2, t.code(), t.err());
        assertTrue(t.err().contains("--out " + out + ": cannot create the folder: " + file + " is a file, not a folder"), t.err());
    }

    @Test
    void exportRefusesAnOutputUnderARegularFile() {
        // A started run folder (run.json, no training needed): export checks its output before reading any weights.
        Path run = tmp.resolve("run");
        NetDescription net = NetDescription.builder().setConfig(Config.A).optWidth(0.0625).optFcWidth(32).optClasses(10).optCrop(32).build();
        TrainingRun.start(run, TrainSettings.builder().setNet(net).setData("fashion-mnist:test").optValidationFraction(0).optLimit(64)
                .optScale(37).optBatchSize(8).optEpochs(1).optPatience(1).optSeed(7).optThreads(1).build(),
                Provenance.capture("test", Map.of()), false);
        Path out = file.resolve("onnx");
        assertRefused("export", cli("export", run.toString(), "--out", out.toString()), out);
    }

    @Test
    void aDiskFullDuringEvaluationKeepsTheFinishedChunksForTheRerun() {
        Path out = tmp.resolve("eval-full");
        String[] args = {"eval", "--model", model.toString(), "--data", "fashion-mnist:test", "--limit", "60", "--scales", "32", "--threads", "1",
            "--checkpoint-every", "10", "--no-progress", "--out", out.toString()};
        System.setProperty(FaultPoints.FAIL_WRITE, "chunk-000002.bin");
        CliRun full;
        try {
            full = cli(args);
        } finally {
            System.clearProperty(FaultPoints.FAIL_WRITE);
            FaultPoints.reset();
        }
        assertEquals(2, full.code());
        assertTrue(full.err().contains("cannot write " + out.resolve("partial").resolve("chunk-000002.bin") + ": no space left on the device")
                && full.err().contains("the posteriors of the first 20 images are kept"), full.err());
        assertTrue(PartialResults.present(out));
        CliRun again = cli(args);
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("resumed: 20 of 60 images"), again.out());
    }

    @Test
    void extractSkipsACorruptImageAndSaysSoOrStopsWhenStrict() throws Exception {
        Path copy = tmp.resolve("caltech-corrupt");
        try (var files = Files.walk(data)) {
            for (Path p : files.toList()) {
                Files.copy(p, copy.resolve(data.relativize(p).toString()));
            }
        }
        String cls;
        try (var dirs = Files.list(copy)) {
            cls = dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().findFirst().orElseThrow();
        }
        Files.writeString(copy.resolve(cls).resolve("zz-truncated.png"), "\u0089PNG");
        Path feats = tmp.resolve("feats-corrupt");
        CliRun strict = cli("extract", "--model", model.toString(), "--data", "caltech:" + copy, "--scales", "32",
                "--strict", "--out", feats.toString());
        assertEquals(2, strict.code());
        assertTrue(strict.err().contains("zz-truncated.png") && strict.err().contains("--strict"), strict.err());
        CliRun r = cli("extract", "--model", model.toString(), "--data", "caltech:" + copy, "--scales", "32",
                "--out", feats.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("skipped 1 unreadable image(s), e.g. ") && r.out().contains("zz-truncated.png"), r.out());
        var index = dev.verydeep.core.io.Json.readTree(feats.resolve("index.json"));
        assertEquals(cls + "/zz-truncated.png", index.at("/skipped/0/id").asText());
        assertEquals(30, dev.verydeep.transfer.store.DescriptorStore.read(feats).images().size());
    }
}
