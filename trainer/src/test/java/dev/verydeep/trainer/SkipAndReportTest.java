package dev.verydeep.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.UserException;
import dev.verydeep.core.data.ImageScan;
import dev.verydeep.core.io.Json;
import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.NetDescription;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A corrupt image in an image-folder data set: left out of training and listed in run.json, or the run stops with strict. */
class SkipAndReportTest {
    @TempDir
    Path tmp;

    @Test
    void aCorruptImageIsSkippedAndReportedOrStopsTheRunWhenStrict() throws Exception {
        Path data = tmp.resolve("data");
        SplittableRandom r = new SplittableRandom(1);
        for (int c = 0; c < 2; c++) {
            Path d = Files.createDirectories(data.resolve("class" + c));
            for (int i = 0; i < 8; i++) {
                BufferedImage bi = new BufferedImage(36, 36, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 36; y++) {
                    for (int x = 0; x < 36; x++) {
                        bi.setRGB(x, y, r.nextInt(1 << 24));
                    }
                }
                ImageIO.write(bi, "png", d.resolve("img" + i + ".png").toFile());
            }
        }
        Files.write(data.resolve("class1/broken.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0, 1, 2});
        NetDescription net = NetDescription.builder().setConfig(Config.A).optWidth(0.0625).optFcWidth(32).optClasses(2).optCrop(32).build();
        TrainSettings s = TrainSettings.builder().setNet(net).setData("folder:" + data).optValidationFraction(0.25).optScale(37)
                .optBatchSize(8).optEpochs(1).optPatience(1).optSeed(7).optThreads(1).build();

        UserException e = assertThrows(UserException.class, () -> TrainingRun.start(tmp.resolve("strict"), s, TrainingRunTest.provenance(), false, true));
        assertTrue(e.getMessage().contains("broken.jpg") && e.getMessage().contains("--strict"), e.getMessage());

        TrainingRun run = TrainingRun.start(tmp.resolve("run"), s, TrainingRunTest.provenance(), false, false);
        assertEquals(16, run.info().trainImages() + run.info().validationImages());
        CheckpointState end = run.run(TrainingRun.Output.QUIET);
        assertEquals(1, end.epoch());
        RunInfo stored = Json.read(tmp.resolve("run").resolve(RunFolder.RUN_JSON), RunInfo.class);
        assertEquals(1, stored.skippedImages().size());
        ImageScan.Skipped skipped = stored.skippedImages().get(0);
        assertEquals("class1/broken.jpg", skipped.id());
        assertTrue(skipped.reason().contains("broken.jpg: cannot decode image"), skipped.reason());
        assertTrue(ImageScan.summary(stored.skippedImages()).startsWith("skipped 1 unreadable image(s), e.g. "));
        // Resuming scans again and finds the same training set.
        assertEquals(run.info().trainImages(), TrainingRun.resume(tmp.resolve("run"), 2).info().trainImages());
    }
}
