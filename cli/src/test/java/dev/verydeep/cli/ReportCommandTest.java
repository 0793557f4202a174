package dev.verydeep.cli;

import static dev.verydeep.cli.testing.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.cli.testing.CliRun;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verydeep report} through {@link Main#run} on a hand-made evaluation and fusion folder. */
class ReportCommandTest {
    @TempDir
    Path tmp;

    static String results(String kind, String config, String trainS, String q, double top1, double top5, double ips, String command) {
        return "{\"kind\": \"" + kind + "\", \"rows\": [{\"config\": \"" + config + "\", \"train_scale\": \"" + trainS + "\", \"test_scales\": \"" + q
                + "\", \"method\": \"dense+flip\", \"top1_error\": " + top1 + ", \"top5_error\": " + top5 + ", \"images\": 2000, \"seconds\": 4,"
                + " \"images_per_second\": " + ips + "}], \"provenance\": {\"command\": \"" + command + "\", \"gitCommit\": \"9999dddd\", \"gitDirty\": true,"
                + " \"versions\": {\"onnxruntime\": \"1.24.2\"}}}";
    }

    @Test
    void rendersBothFilesFromResultFiles() throws Exception {
        Path in = tmp.resolve("runs");
        Path ev = in.resolve("eval-A-dense");
        Path fu = in.resolve("fuse-A-D");
        Files.createDirectories(ev);
        Files.createDirectories(fu);
        Files.writeString(ev.resolve("results.json"), results("eval", "A w0.125", "37", "32,37,42", 0.1234, 0.0056, 321.5,
                "verydeep eval --model A-37/model-dense.onnx"));
        Files.writeString(fu.resolve("results.json"), results("fuse", "A w0.125+D w0.125", "37/[37;73]", "32,37,42/37,55,73", 0.0987, 0.0012, 654.5,
                "verydeep fuse eval-A-dense eval-D-dense"));
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", ev.resolve("confusion.png").toFile());
        Path out = tmp.resolve("report");

        CliRun r = cli("report", in.toString(), "-o", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("2 evaluations/fusions"), r.out());
        assertTrue(r.out().contains("report.html"), r.out());
        String md = Files.readString(out.resolve("report.md"));
        String html = Files.readString(out.resolve("report.html"));
        for (String s : new String[] {"12.34%", "0.56%", "321.5", "9.87%", "0.12%", "654.5", "9999dddd (dirty)", "onnxruntime=1.24.2",
            "verydeep eval --model A-37/model-dense.onnx", "verydeep fuse eval-A-dense eval-D-dense",
            // A at fixed S, Q = {S-5, S, S+5}: the paper has no multi-scale row for A (Table 4 starts at B); the fusion has mixed S
            "paper row"}) {
            assertTrue(md.contains(s), s + "\n" + md);
            assertTrue(html.contains(s), s + "\n" + html);
        }
        assertTrue(!md.contains("paper (full scale)"), "no paper row corresponds to these rows\n" + md);
        assertTrue(html.contains("<img src=\"data:image/png;base64,"));
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aFolderWithoutResultFilesIsAUserError() throws Exception {
        Files.writeString(tmp.resolve("x.txt"), "nothing");
        CliRun r = cli("report", tmp.toString(), "-o", tmp.resolve("report").toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("no result files"), r.err());
        CliRun missing = cli("report", tmp.resolve("nope").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("no such file or folder"), missing.err());
    }
}
