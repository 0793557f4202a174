package dev.verydeep.cli;

import static dev.verydeep.cli.BadSettingsTest.assertUsageError;
import static dev.verydeep.cli.testing.CliRun.cli;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train-loc's bad flags: one line naming the flag, nothing started. */
class TrainLocCommandTest {
    @TempDir
    Path tmp;

    @Test
    void badFlagsNameTheFlag() {
        String out = tmp.resolve("out").toString();
        assertUsageError(cli("train-loc", "--regression", "pcr", "--data", "voc:" + tmp, "--out", out), "--from RUN is required");
        assertUsageError(cli("train-loc", "--from", tmp.toString(), "--data", "voc:" + tmp, "--out", out), "--regression is required");
        assertUsageError(cli("train-loc", "--from", tmp.toString(), "--regression", "classes", "--data", "voc:" + tmp, "--out", out),
                "--regression must be scr or pcr");
        assertUsageError(cli("train-loc", "--from", tmp.toString(), "--regression", "box", "--data", "voc:" + tmp, "--out", out),
                "unknown head 'box'");
        assertUsageError(cli("train-loc", "--from", tmp.toString(), "--regression", "scr", "--finetune", "conv", "--data", "voc:" + tmp,
                "--out", out), "--finetune must be all or fc");
        assertUsageError(cli("train-loc", "--from", tmp.resolve("nope").toString(), "--regression", "scr", "--data", "voc:" + tmp,
                "--out", out), "nope: no such run folder");
        assertUsageError(cli("train-loc", "--resume", tmp.resolve("nope").toString()), "nope: no such run folder");
    }
}
