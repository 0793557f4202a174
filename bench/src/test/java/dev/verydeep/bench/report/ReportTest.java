package dev.verydeep.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class ReportTest {
    static final String TRAIN_CMD = "verydeep train --config A --width 0.125 --data fashion-mnist --scale 37";
    static final String EVAL_CMD = "verydeep eval --model D-jit/model-dense.onnx --method dense --scales 37,55,73 --flip";
    static final String TRANSFER_CMD = "verydeep transfer features/ --protocol caltech";

    static String prov(String command, String commit) {
        return "{\"command\": \"" + command + "\", \"gitCommit\": \"" + commit + "\", \"gitDirty\": false, \"time\": \"2026-11-28T00:00:00Z\","
                + " \"host\": \"h\", \"os\": \"Linux\", \"cpus\": 2, \"maxHeapMb\": 1024,"
                + " \"versions\": {\"djl\": \"0.36.0\", \"onnxruntime\": \"1.24.2\", \"java\": \"17.0.99\"}}";
    }

    static void png(Path f, Color c) throws Exception {
        BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 40, 30);
        g.setColor(c);
        g.fillRect(5, 5, 20, 15);
        g.dispose();
        Files.createDirectories(f.getParent());
        ImageIO.write(img, "png", f.toFile());
    }

    /** A small tree of result files, written by hand in the formats the commands write. */
    static Path tree(Path root) throws Exception {
        Path run = root.resolve("runs/A-37");
        Files.createDirectories(run);
        Files.writeString(run.resolve("run.json"), "{\"format\": 1, \"settings\": {\"net\": {\"config\": \"A\", \"width\": 0.125, \"crop\": 32},"
                + " \"scaleMin\": 37, \"scaleMax\": 37, \"epochs\": 4}, \"classNames\": [\"a\", \"b\"], \"provenance\": " + prov(TRAIN_CMD, "1111aaaa") + "}");
        Files.writeString(run.resolve("log.jsonl"),
                "{\"epoch\": 1, \"learningRate\": 0.01, \"trainLoss\": 0.9, \"trainAccuracy\": 0.6, \"validationAccuracy\": 0.7, \"images\": 100, \"seconds\": 1, \"imagesPerSecond\": 100}\n"
                        + "{\"epoch\": 4, \"learningRate\": 0.01, \"trainLoss\": 0.3125, \"trainAccuracy\": 0.875, \"validationAccuracy\": 0.8625, \"images\": 100, \"seconds\": 1, \"imagesPerSecond\": 1234.5}\n");
        Files.writeString(run.resolve("checkpoint.json"), "{\"epoch\": 4, \"finished\": true}");
        Files.writeString(run.resolve("eval.json"), "{\"method\": \"centre crop, single scale (DJL)\", \"images\": 10000, \"testScale\": 37,"
                + " \"top1Accuracy\": 0.8625, \"top1Error\": 0.1375, \"provenance\": " + prov(TRAIN_CMD + " --eval-data fashion-mnist:test", "1111aaaa") + "}");
        png(run.resolve("curves.png"), Color.BLUE);
        Files.write(run.resolve("weights.vdw"), new byte[] {1, 2, 3});

        Path ev = root.resolve("runs/eval-D-dense");
        Files.createDirectories(ev);
        Files.writeString(ev.resolve("results.json"), "{\"kind\": \"eval\", \"dataset\": {\"spec\": \"fashion-mnist:test\"},"
                + " \"rows\": ["
                + "{\"config\": \"D w0.125\", \"train_scale\": \"[37;73]\", \"test_scales\": \"55\", \"method\": \"dense+flip\", \"top1_error\": 0.1025,"
                + " \"top5_error\": 0.0050, \"images\": 10000, \"seconds\": 20, \"images_per_second\": 500.0},"
                + "{\"config\": \"D w0.125\", \"train_scale\": \"[37;73]\", \"test_scales\": \"37,55,73\", \"method\": \"dense+flip\", \"top1_error\": 0.0925,"
                + " \"top5_error\": 0.0025, \"images\": 10000, \"seconds\": 21.9, \"images_per_second\": 456.7},"
                + "{\"config\": \"D w0.125\", \"train_scale\": \"[37;73]\", \"test_scales\": \"41\", \"method\": \"dense+flip\", \"top1_error\": 0.1111,"
                + " \"top5_error\": 0.0066, \"images\": 10000, \"seconds\": 20, \"images_per_second\": NaN}"
                + "], \"headline\": {\"config\": \"D w0.125\", \"train_scale\": \"[37;73]\", \"test_scales\": \"37,55,73\", \"method\": \"dense+flip\"},"
                + " \"provenance\": " + prov(EVAL_CMD, "2222bbbb") + "}");
        png(ev.resolve("confusion.png"), Color.RED);
        Files.write(ev.resolve("posteriors.bin"), new byte[] {0});

        Path tr = root.resolve("transfer");
        Files.createDirectories(tr);
        Files.writeString(tr.resolve("results-caltech.json"), "{\"protocol\": \"caltech\", \"dataset\": \"fashion-caltech\", \"splits\": 3,"
                + " \"meanClassRecall\": 0.8765, \"std\": 0.0123, \"trainImages\": 300, \"testImages\": 600, \"provenance\": " + prov(TRANSFER_CMD, "3333cccc") + "}");

        // VOC protocol with the decision values behind each AP (transfer writes testScores since the report draws PR curves)
        Files.writeString(tr.resolve("results-voc2007.json"), "{\"protocol\": \"voc2007\", \"dataset\": \"fashion-voc\", \"mAP\": 0.4321,"
                + " \"perClassAp\": {\"bag\": 0.5, \"coat\": 0.3642}, \"trainImages\": 20, \"testImages\": 4,"
                + " \"testScores\": {\"bag\": {\"score\": [0.9, 0.8, 0.7, 0.6], \"truth\": [1, -1, 1, 0]},"
                + " \"coat\": {\"score\": [0.1, 0.2, 0.3, 0.4], \"truth\": [1, 1, -1, -1]}}, \"provenance\": " + prov(TRANSFER_CMD, "3333cccc") + "}");

        Path b = root.resolve("bench");
        Files.createDirectories(b);
        Files.writeString(b.resolve("jmh-20261128-000000.json"), "[{\"jmhVersion\": \"1.37\", \"benchmark\": \"dev.verydeep.bench.OrtSessionBench.classifier\","
                + " \"mode\": \"avgt\", \"threads\": 1, \"forks\": 1, \"jdkVersion\": \"17.0.99\", \"vmName\": \"OpenJDK 64-Bit Server VM\", \"vmVersion\": \"17.0.99+1\","
                + " \"params\": {\"batch\": \"4\", \"scale\": \"224\"}, \"primaryMetric\": {\"score\": 184.125, \"scoreError\": 2.5, \"scoreUnit\": \"ms/op\"}}]");
        Files.writeString(root.resolve("notes.txt"), "not a result file");
        Files.writeString(root.resolve("other.json"), "{\"hello\": 1}");
        return root;
    }

    static final List<String> EXPECTED = List.of(
            // training: log.jsonl last epoch, eval.json
            "0.3125", "87.50%", "86.25%", "1234.5", "13.75%", "10000",
            // evaluation rows and the paper's numbers beside them
            "10.25%", "0.50%", "500.0", "9.25%", "0.25%", "456.7", "11.11%",
            "25.6%", "8.1%", "24.8%", "7.5%", "paper (full scale), Table 3, S=256-512, Q=384", "paper (full scale), Table 5, S=256-512, Q=256,384,512",
            // transfer, JMH
            "87.65%", "1.23%", "184.125", "ms/op",
            // provenance
            TRAIN_CMD, EVAL_CMD, TRANSFER_CMD, "1111aaaa", "2222bbbb", "3333cccc", "djl=0.36.0", "onnxruntime=1.24.2", "jmh=1.37",
            "paper-table3.json", "paper-table5.json", "results-caltech.json", "jmh-20261128-000000.json");

    @Test
    void reportHoldsEveryNumberAndItsProvenanceInBothFormats(@TempDir Path dir) throws Exception {
        Path root = tree(dir.resolve("in"));
        Path out = dir.resolve("report");
        Report.Written w = Report.write(List.of(root), out);
        String md = Files.readString(w.markdown());
        String html = Files.readString(w.html());
        for (String s : EXPECTED) {
            assertTrue(md.contains(s), "report.md lacks " + s + "\n" + md);
            assertTrue(html.contains(Html.esc(s)), "report.html lacks " + s);
        }
        // the unmatched single-scale row (Q=41 is not the middle of [37;73]) has no paper number; NaN images/s shows as a dash
        assertTrue(md.contains("| D w0.125 | \\[37;73\\] | 41 | dense+flip | 11.11% | 0.66% | 10000 | – | – | – | – |"), md);
        // the paper's tables gathered at the top: each matched row once, under its paper table
        // the paper's tables gathered at the top: the evaluation's headline row (three scales) under Table 5, not its
        // single-scale rows (they match Table 3 but are only listed with their evaluation)
        assertTrue(md.contains("eval-D-dense | D w0.125 | \\[37;73\\] | 37,55,73 | dense+flip | 9.25% | 0.25% | 24.8% | 7.5% | S=256-512, Q=256,384,512 |"), md);
        assertTrue(md.indexOf("### Table 5 (") < md.indexOf("### Evaluation "), md);
        assertFalse(md.contains("### Table 3 (") || md.contains("### Table 4 (") || md.contains("### Table 6 ("), md);
        // unknown files were skipped, not read
        assertEquals(4, w.tree().skipped().size(), w.tree().skipped().toString()); // notes.txt, other.json, weights.vdw, posteriors.bin
        assertFalse(md.contains("hello"));

        // HTML: well-formed (XHTML syntax), self-contained, PNGs embedded
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
        assertEquals("html", doc.getDocumentElement().getLocalName() == null ? doc.getDocumentElement().getTagName() : doc.getDocumentElement().getLocalName());
        // curves, confusion, and the charts: error vs scale (Q=41 and 55 rows), cost, precision-recall
        assertEquals(5, doc.getElementsByTagName("img").getLength());
        for (String chart : List.of("Top-1 error vs test scale", "Cost: images/s vs top-1 error", "Precision-recall curves per class of")) {
            assertTrue(md.contains(chart), chart);
        }
        assertTrue(html.contains("<img src=\"data:image/png;base64,"));
        assertFalse(html.contains("src=\"http") || html.contains("href=") || html.contains("<script") || html.contains("<link"), "external resource");
        Matcher m = Pattern.compile("data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
        assertTrue(m.find());
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
        assertNotNull(decoded);
        assertEquals(40, decoded.getWidth());

        // Markdown: images copied beside it and linked relatively
        Matcher link = Pattern.compile("!\\[[^\\]]*\\]\\((images/[^)]+\\.png)\\)").matcher(md);
        int links = 0;
        while (link.find()) {
            assertTrue(Files.isRegularFile(out.resolve(link.group(1))), link.group(1));
            links++;
        }
        assertEquals(5, links);
        for (String chart : List.of("chart-error-vs-scale.png", "chart-cost.png", "chart-pr-01.png")) {
            BufferedImage img = ImageIO.read(out.resolve(Report.IMAGES).resolve(chart).toFile());
            assertEquals(900, img.getWidth(), chart);
        }
    }

    @Test
    void chartsAppearOnlyWhenTheirInputsExist(@TempDir Path dir) throws Exception {
        Path root = tree(dir.resolve("in"));
        // no evaluation and no VOC scores: only the training run and the Caltech result remain
        for (Path p : List.of(root.resolve("runs/eval-D-dense/results.json"), root.resolve("transfer/results-voc2007.json"))) {
            Files.delete(p);
        }
        Path out = dir.resolve("report");
        String md = Files.readString(Report.write(List.of(root), out).markdown());
        assertFalse(md.contains("Top-1 error vs test scale") || md.contains("Cost:") || md.contains("Precision-recall"), md);
        try (var files = Files.list(out.resolve(Report.IMAGES))) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("chart-")));
        }
        // one single-scale row per evaluation draws no error-vs-scale line, but still a cost point
        Path ev = root.resolve("runs/eval-A");
        Files.createDirectories(ev);
        Files.writeString(ev.resolve("results.json"), "{\"kind\": \"eval\", \"rows\": [{\"config\": \"A\", \"train_scale\": \"37\","
                + " \"test_scales\": \"37\", \"method\": \"dense\", \"top1_error\": 0.2, \"images\": 10, \"images_per_second\": 50.0}],"
                + " \"provenance\": " + prov(EVAL_CMD, "2222bbbb") + "}");
        md = Files.readString(Report.write(List.of(root), out).markdown());
        assertFalse(md.contains("Top-1 error vs test scale"), md);
        assertTrue(md.contains("Cost: images/s vs top-1 error"), md);
    }

    @Test
    void precisionRecallPointsFollowTheScoreOrderAndSkipDifficultImages() {
        com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
        var s = Charts.curve("bag", m.valueToTree(List.of(0.9, 0.8, 0.7, 0.6, 0.95)), m.valueToTree(List.of(1, -1, 1, 0, 0)));
        assertEquals(3, s.getItemCount());
        double[][] expected = {{0.5, 1.0}, {0.5, 0.5}, {1.0, 2.0 / 3}};
        for (int i = 0; i < 3; i++) {
            assertEquals(expected[i][0], s.getX(i).doubleValue(), 1e-12);
            assertEquals(expected[i][1], s.getY(i).doubleValue(), 1e-12);
        }
        assertNull(Charts.curve("none", m.valueToTree(List.of(0.1, 0.2)), m.valueToTree(List.of(-1, 0))), "no positives: no curve");
    }

    @Test
    void paperRowsCorrespondByProtocolShape() {
        PaperMatch p = PaperMatch.load();
        PaperMatch.Match fixedSingle = p.find("D w0.125", "37", "37", "dense+flip");
        assertNotNull(fixedSingle);
        assertEquals("3", fixedSingle.table());
        assertEquals(27.0, fixedSingle.top1());
        assertEquals(8.8, fixedSingle.top5());
        PaperMatch.Match fixedMulti = p.find("D", "37", "32,37,42", "dense");
        assertEquals("4", fixedMulti.table());
        assertEquals(26.6, fixedMulti.top1());
        PaperMatch.Match both = p.find("E w0.5", "[37;73]", "37,55,73", "dense+flip & multi-crop");
        assertEquals("5", both.table());
        assertEquals(24.4, both.top1());
        assertEquals(7.1, both.top5());
        PaperMatch.Match fusion = p.find("D w0.125+E w0.125", "[37;73]", "37,55,73", "dense+flip");
        assertEquals("6", fusion.table());
        assertEquals(24.0, fusion.top1());
        assertNull(p.find("D", "37", "55", "dense"), "Q is neither S nor around it");
        assertNull(p.find("A", "[37;73]", "37,55,73", "multi-crop"), "the paper has no multi-crop row for A");
        assertNull(p.find("A+D", "37/[37;73]", "32,37,42/37,55,73", "dense / dense"), "mixed fusion");
        // Fixed S: the crop decides between the paper's S = 256 and 384 rows (37/32 ~ 256/224, 55/32 ~ 384/224)
        assertEquals("256", p.find("C w0.125", "55", "55", "dense").trainS()); // crop unknown: the first row
        assertEquals("384", p.find("C w0.125", "55", "55", "dense", 32).trainS());
        assertEquals("256", p.find("C w0.125", "37", "37", "dense", 32).trainS());
        PaperMatch.Match t4 = p.find("D w0.125", "55", "50,55,60", "dense", 32);
        assertEquals("4", t4.table());
        assertEquals("384", t4.trainS());
        PaperMatch.Match full = p.find("D", "256-512", "384", "dense");
        assertTrue(PaperMatch.fullScale("D", "[256;512]", "384", full));
        assertFalse(PaperMatch.fullScale("D w0.125", "[37;73]", "55", p.find("D w0.125", "[37;73]", "55", "dense")));
    }
}
