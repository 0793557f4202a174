package dev.verydeep.cli;

import static dev.verydeep.cli.testing.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verydeep.cli.testing.CliRun;
import dev.verydeep.core.io.Json;
import dev.verydeep.core.net.Config;
import dev.verydeep.core.testing.KillAtFaultPoint;
import dev.verydeep.runtime.eval.Part;
import dev.verydeep.runtime.eval.PartialResults;
import dev.verydeep.runtime.eval.PosteriorSet;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verydeep eval} killed with SIGKILL at three points (inside a chunk, right after a chunk is kept, while the
 * final files are written), then run again with the same command: it continues from {@code --out/partial} and ends
 * with the posteriors and results of an uninterrupted run, bit for bit.
 */
class EvalKillAndResumeTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path data;
    static Path whole;

    @BeforeAll
    static void setUp() throws IOException {
        model = EvalCommandTest.exportTo(tmp, "A", Config.A, 1);
        data = tmp.resolve("data");
        SplittableRandom r = new SplittableRandom(5);
        for (int c = 0; c < 10; c++) {
            Path d = Files.createDirectories(data.resolve(String.format("%02d", c)));
            for (int i = 0; i < 4; i++) {
                // Three sizes: batches group equal shapes, so chunk boundaries cut real batches.
                BufferedImage bi = new BufferedImage(32 + 8 * r.nextInt(3), 36, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < bi.getHeight(); y++) {
                    for (int x = 0; x < bi.getWidth(); x++) {
                        bi.setRGB(x, y, r.nextInt(1 << 24));
                    }
                }
                ImageIO.write(bi, "png", d.resolve("img" + i + ".png").toFile());
            }
        }
        Files.writeString(data.resolve("04/zz-corrupt.jpg"), "not a JPEG");
        whole = tmp.resolve("whole");
        CliRun r0 = cli(args(whole));
        assertEquals(0, r0.code(), r0.err());
    }

    /** 41 images (one corrupt) in chunks of 8: six chunks. */
    static String[] args(Path out) {
        return new String[] {"eval", "--model", model.toString(), "--data", "folder:" + data, "--method", "both", "--scales", "32,40",
            "--flip", "--threads", "1", "--batch", "16", "--checkpoint-every", "8", "--no-progress", "--out", out.toString()};
    }

    @Test
    void killedInsideAChunk() throws Exception {
        killThenResume("inside", "eval.image@20", null);
    }

    @Test
    void killedRightAfterAChunkIsKeptThenOtherSettingsRefusedAndADamagedChunkRecomputed() throws Exception {
        killThenResume("after-chunk", "eval.chunk-written@3", out -> {
            String[] otherScales = args(out);
            otherScales[8] = "32,48";
            CliRun refused = cli(otherScales);
            assertEquals(2, refused.code());
            assertTrue(refused.err().contains("interrupted evaluation") && refused.err().contains("settings.scales")
                    && refused.err().contains("[32, 40] in the folder vs [32, 48] now"), refused.err());
            // A damaged chunk (a crash cannot leave one, a failing disk can) is recomputed, not trusted: 2 of 3 kept.
            Files.write(out.resolve(PartialResults.FOLDER).resolve("chunk-000001.bin"), new byte[] {1, 2, 3});
            return "resumed: 16 of 41 images";
        });
    }

    @Test
    void killedWhileTheFinalFilesAreWritten() throws Exception {
        Path out = killThenResume("final", "before-rename:results.json", null);
        assertTrue(Files.exists(out.resolve("posteriors.bin")), "the kill came after posteriors.bin");
    }

    /** Between the kill and the rerun: checks on the killed folder; returns what the rerun must print. */
    interface Between {
        String check(Path out) throws IOException;
    }

    private Path killThenResume(String name, String point, Between between) throws Exception {
        Path out = tmp.resolve(name);
        KillAtFaultPoint.builder().setMainClass(Main.class).build().kill(point, tmp.resolve(name + ".log"), args(out));
        assertTrue(PartialResults.present(out), "partial results kept");
        assertFalse(Files.exists(out.resolve("results.json")), "killed before results.json");

        String expected = between == null ? "resumed: " : between.check(out);
        CliRun again = cli(args(out));
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains(expected), again.out());
        assertFalse(Files.exists(out.resolve(PartialResults.FOLDER)), "partial results deleted once the final files are written");
        assertSamePosteriors(PosteriorSet.read(whole.resolve(PosteriorSet.FILE)), PosteriorSet.read(out.resolve(PosteriorSet.FILE)));
        assertEquals(comparable(whole), comparable(out));
        return out;
    }

    static void assertSamePosteriors(PosteriorSet a, PosteriorSet b) {
        assertEquals(a.images(), b.images());
        assertArrayEquals(a.labels(), b.labels());
        for (int i = 0; i < a.images(); i++) {
            assertEquals(a.id(i), b.id(i));
        }
        for (Part p : a.parts()) {
            for (int q : a.scales()) {
                assertArrayEquals(a.raw(0, p, q), b.raw(0, p, q), p + " Q=" + q); // exact: float equality
            }
        }
    }

    /** results.json without what differs between two runs by nature: timing, memory, provenance, the posterior file's hash (it holds timings). */
    static JsonNode comparable(Path dir) {
        ObjectNode j = (ObjectNode) Json.readTree(dir.resolve("results.json"));
        j.remove(List.of("timing", "memory", "provenance", "files"));
        j.at("/rows").forEach(r -> ((ObjectNode) r).remove(List.of("seconds", "images_per_second")));
        ((ObjectNode) j.at("/headline")).remove(List.of("seconds", "images_per_second"));
        ((ObjectNode) j.at("/models/0")).remove("device");
        return j;
    }
}
