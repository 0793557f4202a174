package dev.verydeep.cli;

import static dev.verydeep.cli.BadSettingsTest.assertUsageError;
import static dev.verydeep.cli.testing.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.cli.testing.CliRun;
import dev.verydeep.trainer.TrainSettings;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** train's flags: the library's setting errors come back naming the flag; defaults are the library's recipe. */
class TrainCommandTest {
    @TempDir
    Path tmp;
    Path data;

    @BeforeEach
    void twoClasses() throws IOException {
        data = tmp.resolve("data");
        for (String c : new String[] {"a", "b"}) {
            Files.createDirectories(data.resolve(c));
            ImageIO.write(new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB), "png", data.resolve(c).resolve("i.png").toFile());
        }
    }

    private CliRun train(String out, String... flags) {
        List<String> args = new ArrayList<>(List.of("train", "--config", "A", "--width", "0.0625", "--crop", "32", "--data",
                "folder:" + data, "--out", tmp.resolve(out).toString()));
        args.addAll(List.of(flags));
        return cli(args.toArray(String[]::new));
    }

    @Test
    void settingErrorsNameTheFlag() {
        assertUsageError(train("r", "--batch", "0"), "--batch must be at least 1, got 0");
        assertUsageError(train("r", "--lr", "0"), "--lr must be positive, got 0.0");
        assertUsageError(train("r", "--val-fraction", "1"), "--val-fraction must be in [0, 1), got 1.0");
        assertUsageError(train("r", "--init", "xavier"), "--init must be glorot, normal or he, got xavier");
        assertUsageError(train("r", "--scale-jitter", "60:40"), "--scale-jitter 60:40: the minimum is larger than the maximum");
        assertUsageError(train("r", "--classes", "3"), "--classes 3 but folder:" + data + " has 2 classes");
        assertUsageError(train("r", "--devices", "cpu,gpu0"), "--devices: cpu cannot be combined with other devices");
        assertFalse(Files.exists(tmp.resolve("r").resolve("run.json")), "nothing started");
    }

    @Test
    void anExistingFolderNamesResumeAndForce() throws IOException {
        Path taken = Files.createDirectories(tmp.resolve("taken"));
        Files.writeString(taken.resolve("notes.txt"), "mine");
        assertUsageError(train("taken"), "--out " + taken + " already exists; use --resume " + taken + " to continue it, or --force to replace it");
        assertUsageError(train("taken", "--force"), "--force: " + taken + " is not a verydeep run folder (no run.json); refusing to delete it");
        assertTrue(Files.exists(taken.resolve("notes.txt")), "nothing deleted");
    }

    @Test
    void defaultsComeFromTheLibrary() {
        String help = cli("train", "--help").out();
        assertTrue(help.contains("SGD momentum. Default: " + TrainSettings.DEFAULT_MOMENTUM + "."), help);
        assertTrue(help.contains("Default: " + TrainSettings.DEFAULT_EPOCHS + "."), help);
        assertTrue(help.contains("Default: " + TrainSettings.DEFAULT_INIT + "."), help);
        TrainCommand parsed = new TrainCommand();
        new CommandLine(parsed).parseArgs("--devices", "gpu0,gpu1");
        assertEquals(List.of("gpu0", "gpu1"), parsed.train.devices, "the default cpu is replaced, not added to");
        TrainCommand plain = new TrainCommand();
        new CommandLine(plain).parseArgs();
        assertEquals(TrainSettings.DEFAULT_DEVICES, plain.train.devices);
        assertEquals(TrainSettings.DEFAULT_WEIGHT_DECAY, plain.train.weightDecay);
        assertEquals(TrainSettings.DEFAULT_BATCH_SIZE, plain.train.batch);
    }
}
