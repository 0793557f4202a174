package dev.verydeep.report;

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
    static final String TRANSFER_DE_CMD = "verydeep transfer --features features/D+E-caltech --protocol caltech101 --splits 2";
    static final String LOC_TRAIN_CMD = "verydeep train-loc --from runs/D-src --regression pcr --finetune fc";
    static final String LOC_CMD = "verydeep localize --loc runs/loc-pcr/model-dense.onnx --protocol full --scales 55";

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
                + " \"top5_error\": 0.0066, \"images\": 10000, \"seconds\": 20, \"images_per_second\": NaN},"
                + "{\"config\": \"D w0.125\", \"train_scale\": \"[37;73]\", \"test_scales\": \"73\", \"method\": \"dense+flip\", \"top1_error\": 0.1200,"
                + " \"top5_error\": 0.0075, \"images\": 10000, \"seconds\": 33.3, \"images_per_second\": 300.0}"
                + "], \"models\": [{\"label\": \"D w0.125\", \"train_scale\": \"[37;73]\", \"path\": \"/elsewhere/D-jit/model-dense.onnx\","
                + " \"sha256\": \"dd11\"}], \"headline\": {\"config\": \"D w0.125\", \"train_scale\": \"[37;73]\", \"test_scales\": \"37,55,73\", \"method\": \"dense+flip\"},"
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

        transferAndLocalisation(root);

        Path b = root.resolve("bench");
        Files.createDirectories(b);
        Files.writeString(b.resolve("jmh-20261128-000000.json"), "[{\"jmhVersion\": \"1.37\", \"benchmark\": \"dev.verydeep.bench.OrtSessionBench.classifier\","
                + " \"mode\": \"avgt\", \"threads\": 1, \"forks\": 1, \"jdkVersion\": \"17.0.99\", \"vmName\": \"OpenJDK 64-Bit Server VM\", \"vmVersion\": \"17.0.99+1\","
                + " \"params\": {\"batch\": \"4\", \"scale\": \"224\"}, \"primaryMetric\": {\"score\": 184.125, \"scoreError\": 2.5, \"scoreUnit\": \"ms/op\"}}]");
        Files.writeString(root.resolve("notes.txt"), "not a result file");
        Files.writeString(root.resolve("other.json"), "{\"hello\": 1}");
        return root;
    }

    static Path run(Path root, String name, String net, int s, String finetune, String command) throws Exception {
        Path run = root.resolve("runs").resolve(name);
        Files.createDirectories(run);
        Files.writeString(run.resolve("run.json"), "{\"format\": 1, \"settings\": {\"net\": " + net + ", \"scaleMin\": " + s + ", \"scaleMax\": "
                + (s == 37 ? 73 : s) + ", \"finetune\": \"" + finetune + "\"}, \"provenance\": " + prov(command, "4444dddd") + "}");
        return run.resolve("model-dense.onnx");
    }

    /**
     * Transfer results whose nets the paper's Table 11/12 rows have (D+E from their training runs, D by the hash an
     * evaluation recorded) and localisation results of the paper's Table 8 and 9 protocols.
     */
    static void transferAndLocalisation(Path root) throws Exception {
        Path d = run(root, "D-src", "{\"config\": \"D\", \"width\": 0.125, \"crop\": 32}", 37, "all", TRAIN_CMD);
        Path e = run(root, "E-src", "{\"config\": \"E\", \"width\": 0.125, \"crop\": 32}", 37, "all", TRAIN_CMD);
        String extraction = "\"extraction\": {\"models\": [\"" + d + "\", \"" + e + "\"]}, \"descriptor\": {\"models\": [{\"sha256\": \"d0\"}, {\"sha256\": \"e0\"}]}";
        Path tr = root.resolve("transfer");
        Files.writeString(tr.resolve("results-caltech101.json"), "{\"protocol\": \"caltech101\", \"dataset\": \"caltech:fashion-caltech\", " + extraction
                + ", \"perSplit\": [{\"seed\": 1, \"meanClassRecall\": 0.80, \"trainImages\": 150, \"testImages\": 50},"
                + " {\"seed\": 2, \"meanClassRecall\": 0.8246, \"trainImages\": 150, \"testImages\": 50}],"
                + " \"meanClassRecall\": 0.8123, \"std\": 0.0456, \"provenance\": " + prov(TRANSFER_DE_CMD, "3333cccc") + "}");
        Files.writeString(tr.resolve("results-voc2012-action.json"), "{\"protocol\": \"voc2012-action\", \"dataset\": \"voc-action:fashion-action\", "
                + extraction + ", \"descriptor_of_entry\": \"whole image and person box, stacked\", \"mAP\": 0.5678, \"trainImages\": 40,"
                + " \"testImages\": 41, \"provenance\": " + prov(TRANSFER_DE_CMD, "3333cccc") + "}");
        Files.writeString(tr.resolve("results-voc2012-D.json"), "{\"protocol\": \"voc2012\", \"dataset\": \"voc:fashion-voc\","
                + " \"extraction\": {\"models\": [\"/gone/D/model-dense.onnx\"]}, \"descriptor\": {\"models\": [{\"sha256\": \"dd11\"}]},"
                + " \"mAP\": 0.3456, \"trainImages\": 20, \"testImages\": 22, \"provenance\": " + prov(TRANSFER_DE_CMD, "3333cccc") + "}");

        Path locNet = run(root, "loc-pcr", "{\"config\": \"D\", \"width\": 0.125, \"crop\": 32, \"head\": \"PCR\"}", 55, "fc", LOC_TRAIN_CMD);
        String models = "\"loc_models\": [{\"label\": \"D w0.125 pcr\", \"train_scale\": \"55\", \"path\": \"" + locNet + "\", \"sha256\": \"11\"}],"
                + " \"cls_model\": {\"label\": \"D w0.125\", \"train_scale\": \"[37;73]\"}, \"dataset\": {\"spec\": \"voc:fashion-loc:test\","
                + " \"images_tested\": 200, \"samples\": 210}";
        Path full = root.resolve("loc/full");
        Files.createDirectories(full);
        Files.writeString(full.resolve("results.json"), "{\"kind\": \"localize\", " + models + ", \"rows\": ["
                + locRow("55", "full", "0.6543", "0.4321", "0.4567") + ", " + locRow("50,55", "full", "0.6420", "0.4300", "0.4601") + "],"
                + " \"provenance\": " + prov(LOC_CMD, "5555eeee") + "}");
        Files.writeString(full.resolve("predictions.jsonl"), "{}\n");
        Files.writeString(full.resolve("table.txt"), "loc nets ...\n");
        Path cc = root.resolve("loc/cc");
        Files.createDirectories(cc);
        Files.writeString(cc.resolve("results.json"), "{\"kind\": \"localize\", " + models + ", \"rows\": ["
                + locRow("55", "center-crop-gt", "null", "0.3999", "0.5012") + "], \"provenance\": " + prov(LOC_CMD, "5555eeee") + "}");
    }

    static String locRow(String q, String protocol, String top5, String gt, String iou) {
        return "{\"loc_nets\": \"D w0.125 pcr\", \"regression\": \"pcr\", \"test_scales\": \"" + q + "\", \"protocol\": \"" + protocol + "\","
                + " \"top5_loc_error\": " + top5 + ", \"gt_class_loc_error\": " + gt + ", \"cls_top5_error\": " + (top5.equals("null") ? "null" : "0.2109")
                + ", \"gt_class_mean_iou\": " + iou + ", \"images\": 200, \"samples\": 210, \"seconds\": 1.5}";
    }

    static final List<String> EXPECTED = List.of(
            // training: log.jsonl last epoch, eval.json
            "0.3125", "87.50%", "86.25%", "1234.5", "13.75%", "10000",
            // evaluation rows and the paper's numbers beside them
            "10.25%", "0.50%", "500.0", "9.25%", "0.25%", "456.7", "11.11%",
            "25.6%", "8.1%", "24.8%", "7.5%", "paper (full scale), Table 3, S=256-512, Q=384", "paper (full scale), Table 5, S=256-512, Q=256,384,512",
            // transfer, with the paper's Table 11/12 numbers beside; Caltech image counts from its splits
            "87.65%", "1.23%", "81.23%", "± 4.56%", "150 per split", "50 per split", "92.7%", "± 0.5%", "56.78%", "84.0%", "34.56%", "89.0%",
            "paper (full scale), Table 11, D&E, S=256-512, Q=256,384,512, dense, stacked over Q, linear SVM (Caltech-101, 3 splits, 30 train/class)",
            "paper (full scale), Table 12, D&E", "paper (full scale), Table 11, D, S=256-512, Q=256,384,512,640,768",
            // localisation, with the paper's Tables 8/9 numbers beside
            "65.43%", "43.21%", "0.457", "21.09%", "64.20%", "39.99%", "0.501", "28.2%", "27.5%", "34.3%",
            "paper (full scale), Table 9, D, S=384, Q=384", "paper (full scale), Table 9, D, S=384, Q=352,384",
            "paper (full scale), Table 8, D, S=384, centre crop, GT class, fine-tune FC1-2, per-class regression",
            "voc:fashion-loc:test, 200 images tested, 210 samples",
            // JMH
            "184.125", "ms/op",
            // provenance
            TRAIN_CMD, EVAL_CMD, TRANSFER_CMD, TRANSFER_DE_CMD, LOC_TRAIN_CMD, LOC_CMD, "1111aaaa", "2222bbbb", "3333cccc", "4444dddd", "5555eeee", "djl=0.36.0", "onnxruntime=1.24.2", "jmh=1.37",
            "paper-table3.json", "paper-table5.json", "paper-table8.json", "paper-table9.json", "paper-table11.json", "paper-table12.json",
            "results-caltech.json", "results-voc2012-action.json", "loc/full/results.json", "jmh-20261128-000000.json");

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
        // transfer: nets from their training runs (D+E) or an evaluation's model hash (D); none recorded: dashes, no paper number
        assertTrue(md.contains("| caltech101 | caltech:fashion-caltech | D w0.125 (S=\\[37;73\\]) + E w0.125 (S=\\[37;73\\]) | mean class recall | 81.23% |"), md);
        assertTrue(md.contains("| voc2012 | voc:fashion-voc | D w0.125 (S=\\[37;73\\]) | mAP | 34.56% | – | 20 | 22 | 89.0% | – |"), md);
        assertTrue(md.contains("| caltech | fashion-caltech | – | mean class recall | 87.65% | ± 1.23% | 300 | 600 | – | – | – |"), md);
        // the paper's Tables 11/12 layout: a row per set of nets, a column per protocol, ours then the paper's
        assertTrue(md.contains("| nets (train S) | voc2012 mAP | caltech101 mean class recall | voc2012-action mAP | source |"), md);
        assertTrue(md.contains("| D w0.125 (S=\\[37;73\\]) + E w0.125 (S=\\[37;73\\]) | – | 81.23% (paper 92.7%) | 56.78% (paper 84.0%) |"), md);
        assertTrue(md.indexOf("### Tables 11/12 layout") < md.indexOf("| file | protocol |"), md);
        // localisation: fine-tuned layers and S from the loc net's run.json; top-5 not measured under protocol 1
        assertTrue(md.contains("/in/loc/full | D w0.125 pcr | full | pcr | fc | 55 | 55 | 65.43% | 43.21% | 0.457 | 21.09% | 200 | 210 | 28.2% |"), md);
        assertTrue(md.contains("/in/loc/cc | D w0.125 pcr | center-crop-gt | pcr | fc | 55 | 55 | – | 39.99% | 0.501 | – | 200 | 210 | 34.3% |"), md);
        // a box-regression net's training row names its head, and the note says its accuracies are IoU >= 0.5 shares
        assertTrue(md.contains("/in/runs/loc-pcr | D w0.125 pcr | 55 |"), md);
        assertTrue(md.contains("/in/runs/D-src | D w0.125 | "), md);
        assertTrue(md.contains("the accuracies are the share of boxes with IoU >= 0.5"), md);
        // unknown files were skipped, not read
        assertEquals(4, w.tree().skipped().size(), w.tree().skipped().toString()); // notes.txt, other.json, weights.vdw, posteriors.bin
        assertFalse(md.contains("hello"));

        // HTML: well-formed (XHTML syntax), self-contained, PNGs embedded
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
        assertEquals("html", doc.getDocumentElement().getLocalName() == null ? doc.getDocumentElement().getTagName() : doc.getDocumentElement().getLocalName());
        // curves, confusion, and the charts: error and throughput vs scale (Q=55 and 73 rows; Q=41 has no images/s), cost, precision-recall
        assertEquals(6, doc.getElementsByTagName("img").getLength());
        for (String chart : List.of("Top-1 error vs test scale", "Throughput vs test scale", "Cost: images/s vs top-1 error",
                "Precision-recall curves per class of")) {
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
        assertEquals(6, links);
        for (String chart : List.of("chart-error-vs-scale.png", "chart-throughput-vs-scale.png", "chart-cost.png", "chart-pr-01.png")) {
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
        assertFalse(md.contains("Top-1 error vs test scale") || md.contains("Throughput vs test scale") || md.contains("Cost:")
                || md.contains("Precision-recall"), md);
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
        assertFalse(md.contains("Top-1 error vs test scale") || md.contains("Throughput vs test scale"), md);
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
        // Jittered D at three scales: without flips Table 4's row, with flips Table 5's (the paper gives both)
        assertEquals("4", p.find("D w0.125", "[37;73]", "37,55,73", "dense", 32).table());
        assertEquals("5", p.find("D w0.125", "[37;73]", "37,55,73", "dense+flip", 32).table());
        PaperMatch.Match t4 = p.find("D w0.125", "55", "50,55,60", "dense", 32);
        assertEquals("4", t4.table());
        assertEquals("384", t4.trainS());
        PaperMatch.Match full = p.find("D", "256-512", "384", "dense");
        assertTrue(PaperMatch.fullScale("D", "[256;512]", "384", full));
        assertFalse(PaperMatch.fullScale("D w0.125", "[37;73]", "55", p.find("D w0.125", "[37;73]", "55", "dense")));
    }

    @Test
    void paperTransferRowsCorrespondByNetsAndProtocol() {
        PaperRows p = PaperRows.load();
        PaperRows.Row de = p.transfer("caltech101", List.of("D w0.125", "E w0.125"), false);
        assertEquals("11", de.table());
        assertEquals(92.7, de.value());
        assertEquals(0.5, de.std());
        assertEquals(89.0, p.transfer("voc2012", List.of("E"), false).value());
        assertEquals(85.0, p.transfer("caltech256", List.of("D w0.5"), false).value());
        assertEquals(79.2, p.transfer("voc2012-action", List.of("E", "D"), false).value());
        assertEquals(84.0, p.transfer("voc2012-action", List.of("D", "E"), true).value());
        assertNull(p.transfer("voc2012-action", List.of("D"), false), "Table 12 has D&E only");
        assertNull(p.transfer("voc2007", List.of("A"), false));
        assertNull(p.transfer("voc2007", List.of("D", "D"), false), "two D nets are not D&E");
        assertNull(p.transfer("caltech", List.of("D"), false), "not a protocol of the paper");
    }

    @Test
    void paperLocalisationRowsCorrespondByProtocolRegressionLayersAndScales() {
        PaperRows p = PaperRows.load();
        // Table 8: centre crop, GT class
        assertEquals(36.4, p.localisation("center-crop-gt", List.of("D w0.125 scr"), "scr", List.of("fc"), List.of("55"), "55", 32).value());
        assertEquals(34.3, p.localisation("center-crop-gt", List.of("D w0.125 pcr"), "pcr", List.of("fc"), List.of("55"), "55", 32).value());
        assertEquals(33.1, p.localisation("center-crop-gt", List.of("D w0.125 pcr"), "pcr", List.of("all"), List.of("55"), "55", 32).value());
        assertNull(p.localisation("center-crop-gt", List.of("D w0.125 scr"), "scr", List.of("all"), List.of("55"), "55", 32), "no SCR row for all layers");
        java.util.List<String> unknown = new java.util.ArrayList<>();
        unknown.add(null);
        assertNull(p.localisation("center-crop-gt", List.of("D w0.125 pcr"), "pcr", unknown, List.of("55"), "55", 32), "fine-tuned layers unknown");
        assertNull(p.localisation("center-crop-gt", List.of("E w0.125 pcr"), "pcr", List.of("fc"), List.of("55"), "55", 32), "D only");
        // Table 9: dense top-5 (validation numbers), S picked by the crop as for Tables 3-6
        PaperRows.Row s256 = p.localisation("full", List.of("D w0.125 pcr"), "pcr", List.of("all"), List.of("37"), "37", 32);
        assertEquals("256", s256.trainS());
        assertEquals(29.5, s256.value());
        assertEquals(28.2, p.localisation("full", List.of("D w0.125 pcr"), "pcr", List.of("all"), List.of("55"), "55", 32).value());
        assertEquals(27.5, p.localisation("full", List.of("D w0.125 pcr"), "pcr", List.of("all"), List.of("55"), "50,55", 32).value());
        assertNull(p.localisation("full", List.of("D w0.125 pcr"), "pcr", List.of("all"), List.of("55"), "55,73", 32));
        assertNull(p.localisation("full", List.of("D w0.125 scr"), "scr", List.of("all"), List.of("55"), "55", 32), "Table 9 is PCR");
        assertEquals(26.9, p.localisation("full", List.of("D w0.125 pcr", "D w0.125 pcr"), "pcr", List.of("all", "all"), List.of("37", "55"),
                "37,55", 32).value());
        assertNull(p.localisation("full", List.of("D w0.125 pcr", "D w0.125 pcr"), "pcr", List.of("all", "all"), List.of("55", "55"), "55", 32),
                "the paper's fusion is of two training scales");
    }
}
