package dev.verydeep.cli;

import static dev.verydeep.cli.testing.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.cli.testing.CliRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verydeep export RUN} on a run trained for a moment: both files it writes pass python3-onnx's
 * {@code check_model(full_check=True)}, and {@code verify} passes on the DJL-made test data sets.
 */
class ExportFullCheckTest {
    @TempDir
    Path tmp;

    @Test
    void exportedFilesPassPythonOnnxFullCheckAndVerify() throws Exception {
        Path run = tmp.resolve("runs/A-tiny");
        CliRun train = cli("train", "--config", "A", "--width", "0.0625", "--crop", "32",
                "--scale", "37", "--epochs", "1", "--limit", "256", "--batch", "32", "--lr", "0.01", "--val-fraction", "0", "--seed", "1",
                "--threads", "2", "--data", "fashion-mnist", "--no-progress", "--force", "--out", run.toString());
        assertEquals(0, train.code(), train.out() + train.err());
        CliRun export = cli("export", run.toString());
        assertEquals(0, export.code(), export.out() + export.err());
        ConvertCommandTest.fullCheck(run.resolve("model.onnx"));
        ConvertCommandTest.fullCheck(run.resolve("model-dense.onnx"));
        CliRun verify = cli("verify", run.toString(), "--threads", "1");
        assertEquals(0, verify.code(), verify.out() + verify.err());
        assertTrue(verify.out().contains("6 PASS, 0 FAIL"), verify.out());
    }
}
