package dev.verydeep.cli;

import static dev.verydeep.cli.testing.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.cli.testing.CliRun;
import dev.verydeep.core.data.FashionMnist;
import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.onnx.ModelMetadata;
import dev.verydeep.onnx.OnnxExporter;
import dev.verydeep.onnx.Preprocessing;
import dev.verydeep.onnx.RandomWeights;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad settings at the command line (issue 7, docs/reliability.md): each is exit code 2 and one line on stderr
 * naming the flag and what is wrong, with no stack trace, and nothing started.
 */
class BadSettingsTest {
    @TempDir
    Path tmp;

    static void assertUsageError(CliRun r, String... words) {
        assertEquals(2, r.code(), r.err());
        for (String w : words) {
            assertTrue(r.err().contains(w), "says '" + w + "': " + r.err());
        }
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertFalse(r.err().contains("Exception"), "no exception class names: " + r.err());
    }

    @Test
    void unknownConfigLetter() {
        assertUsageError(cli("describe", "--config", "Z"), "--config", "unknown config 'Z'", "A, A-LRN, B");
        assertUsageError(cli("describe", "--config", "A-BN"), "--config", "unknown config 'A-BN'");
        assertUsageError(cli("describe", "--config", "A", "--crop", "30"), "--crop", "multiple of 32", "30");
    }

    @Test
    void cOutOfRangeNamesTheFlag() {
        for (String grid : new String[] {"0", "-1,1", "NaN", "Infinity"}) {
            assertUsageError(cli("transfer", "--features", tmp.toString(), "--protocol", "caltech101", "--c-grid", grid),
                    "--c-grid", "positive");
        }
        assertUsageError(cli("transfer", "--features", tmp.toString(), "--protocol", "caltech101", "--eps", "0"), "--eps", "positive");
    }

    @Test
    void trainingScaleSmallerThanTheCrop() throws IOException {
        Path data = tmp.resolve("data");
        for (String c : new String[] {"a", "b"}) {
            Files.createDirectories(data.resolve(c));
            ImageIO.write(new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB), "png", data.resolve(c).resolve("i.png").toFile());
        }
        CliRun r = cli("train", "--config", "A", "--width", "0.0625", "--crop", "32", "--scale", "16", "--data", "folder:" + data,
                "--out", tmp.resolve("run").toString());
        assertUsageError(r, "--scale", "16", "crop");
        assertFalse(Files.exists(tmp.resolve("run").resolve("checkpoints")), "nothing trained");
        assertUsageError(cli("train", "--config", "A", "--width", "0.0625", "--crop", "32", "--scale-jitter", "16:40", "--data",
                "folder:" + data, "--out", tmp.resolve("run2").toString()), "--scale-jitter", "16", "crop");
        assertUsageError(cli("train", "--config", "A", "--width", "0.0625", "--crop", "32", "--scale-jitter", "60:40", "--data",
                "folder:" + data, "--out", tmp.resolve("run3").toString()), "--scale-jitter 60:40", "larger than the maximum");
    }

    @Test
    void testScaleSmallerThanTheCrop() throws IOException {
        NetDescription net = NetDescription.builder().setConfig(Config.A).optWidth(1.0 / 16).optFcWidth(32).optClasses(10).optCrop(32).build();
        ModelMetadata meta = ModelMetadata.builder().optNet(net).setClassNames(FashionMnist.CLASS_NAMES)
                .setPreprocessing(Preprocessing.torchvision()).build();
        Path model = OnnxExporter.builder().build().export(tmp.resolve("m"), RandomWeights.of(net, 1), meta).dense();
        Path data = tmp.resolve("data");
        for (int c = 0; c < 10; c++) {
            Files.createDirectories(data.resolve("c" + c));
            ImageIO.write(new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB), "png", data.resolve("c" + c).resolve("i.png").toFile());
        }
        assertUsageError(cli("eval", "--model", model.toString(), "--data", "folder:" + data, "--scales", "16,32", "--out",
                tmp.resolve("e").toString()), "--scales", "Q=16", "crop 32");
    }
}
