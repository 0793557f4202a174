package dev.verydeep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's reference/brief labels and its findings section, on hand-made result files. */
class FindingsTest {
    @TempDir
    Path tmp;

    /** A training run folder: config, S, and one log line per learning rate given. */
    static Path run(Path dir, String config, int s, double... lrs) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("run.json"), "{\"settings\": {\"net\": {\"config\": \"" + config + "\", \"width\": 0.25, \"crop\": 32},"
                + " \"scaleMin\": " + s + ", \"scaleMax\": " + s + ", \"maxLrDecreases\": 3}, \"provenance\": " + ReportTest.prov("verydeep train "
                + config, "7777aaaa") + "}");
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < lrs.length; i++) {
            log.append(String.format(Locale.ROOT, "{\"epoch\": %d, \"learningRate\": %s, \"validationAccuracy\": 0.9}%n", i + 1, lrs[i]));
        }
        Files.writeString(dir.resolve("log.jsonl"), log.toString());
        return dir.resolve("model-dense.onnx");
    }

    /** Marks the training run in {@code dir} as started from {@code from}'s layers (run.json settings.initFrom). */
    static void startedFrom(Path dir, String from) throws Exception {
        Files.writeString(dir.resolve("run.json"), Files.readString(dir.resolve("run.json")).replace("\"maxLrDecreases\": 3",
                "\"maxLrDecreases\": 3, \"initFrom\": \"" + from + "\""));
    }

    /** An evaluation folder of one model with its headline row (also its only row). */
    static Path eval(Path dir, Path model, String config, String s, String q, String method, double top1, int images) throws Exception {
        Files.createDirectories(dir);
        String row = "{\"config\": \"" + config + "\", \"train_scale\": \"" + s + "\", \"test_scales\": \"" + q + "\", \"method\": \"" + method
                + "\", \"top1_error\": " + top1 + ", \"top5_error\": 0.001, \"images\": " + images + ", \"seconds\": 1, \"images_per_second\": 1}";
        Files.writeString(dir.resolve("results.json"), "{\"kind\": \"eval\", \"dataset\": {\"spec\": \"fashion-mnist:test\"}, \"models\": [{\"label\": \""
                + config + "\", \"train_scale\": \"" + s + "\", \"path\": \"" + model + "\", \"sha256\": \"" + config + s + "\"}], \"headline\": " + row
                + ", \"rows\": [" + row + "], \"provenance\": " + ReportTest.prov("verydeep eval " + dir.getFileName(), "8888bbbb") + "}");
        return dir;
    }

    @Test
    void referenceAndBriefNetsAreLabelledAndTheFindingsComputedFromTheirResults() throws Exception {
        Path ref = tmp.resolve("reference");
        Path a = run(ref.resolve("A-37"), "A", 37, 0.01, 0.01, 0.001, 0.0001, 0.00001);
        Path d = run(ref.resolve("D-37"), "D", 37, 0.01, 0.001, 0.0001, 0.0001, 0.00001, 0.00001);
        Files.writeString(ref.resolve("D-37/run.json"), Files.readString(ref.resolve("D-37/run.json")).replace("\"maxLrDecreases\": 3",
                "\"maxLrDecreases\": 3, \"initFrom\": \"/somewhere/runs/A-37\""));
        Path mini = run(tmp.resolve("suite/runs/A-37"), "A", 37, 0.01, 0.01, 0.001, 0.001);
        Path out = tmp.resolve("suite");
        eval(out.resolve("table3/A-37"), a, "A w0.25", "37", "37", "dense", 0.0895, 10000);
        eval(out.resolve("table3/D-37"), d, "D w0.25", "37", "37", "dense", 0.0852, 10000);
        eval(out.resolve("table4/D-37"), d, "D w0.25", "37", "32,37,42", "dense", 0.0830, 10000);
        eval(out.resolve("mini/table3/A-37"), mini, "A w0.25", "37", "37", "dense", 0.1302, 10000);

        String md = Files.readString(Report.write(List.of(out), List.of(ref), PerImage.NONE, tmp.resolve("report")).markdown());
        // labels from each log: divisions counted, the schedule's maximum from run.json
        assertTrue(md.contains("| reference, converged (5 epochs, 3 lr divisions) |"), md);
        assertTrue(md.contains("| reference, converged (6 epochs, 3 lr divisions, from A-37) |"), "D started from A's layers\n" + md);
        assertTrue(md.contains("| brief training (4 epochs, 1 of 3 lr divisions) |"), md);
        assertEquals(", from A-37", Trainings.initialisedFrom("reference/A-37/model-dense.onnx"), "an exported model: its folder's name");
        assertEquals(", from A-37", Trainings.initialisedFrom("/somewhere/runs/A-37"));
        assertEquals("", Trainings.initialisedFrom(""));
        assertTrue(md.contains("Nets: reference, converged (5 epochs, 3 lr divisions)"), md);
        // A vs D: 8.95 - 8.52 = +0.43 pp, binomial SE sqrt(.0895*.9105/1e4 + .0852*.9148/1e4) = 0.3989 pp: within 2 SE
        double se = 100 * Math.sqrt(0.0895 * 0.9105 / 1e4 + 0.0852 * 0.9148 / 1e4);
        String row = "| error falls with depth: A > D (Table 3, S=37) | reference nets | A w0.25 S=37, dense Q=37 (" + out.resolve("table3/A-37")
                + ") vs D w0.25 S=37, dense Q=37 (" + out.resolve("table3/D-37") + ") | +0.43 | 10000 | " + String.format(Locale.ROOT, "%.2f", se)
                + " | binomial sqrt(p(1-p)/n) per rate, combined (no per-image outcomes) | not re-observed (same direction, within 2 SE) |";
        assertTrue(md.contains(row), row + "\n" + md);
        assertTrue(md.contains("| multi-scale test beats single scale (Tables 3, 4), D S=37 | reference nets |"), md);
        assertTrue(md.contains("| LRN gives no gain: A-LRN not better than A (Table 3, S=37) | reference nets | needs A-LRN and A at S=37, dense at "
                + "Q=37 | – | – | – | – | not measurable yet | – |"), md);
        // the brief-training A is never compared with the reference D
        assertTrue(md.contains("| error falls with depth: A > D (Table 3, S=37) | other nets | needs A and D at S=37"), md);
        assertTrue(md.contains("deeper features transfer better") && md.contains("none among the inputs"), md);
        // no A-again-37 yet: the reference nets' control rows wait for it; the other nets (no control of theirs) have none
        for (String control : List.of("LRN gives no gain, control: A-LRN not better than A trained again from A's layers",
                "error falls with depth, control: A again > B", "error falls with depth, control: A again > D")) {
            assertTrue(md.contains("| " + control + " (Table 3, S=37) | reference nets | needs A-again-37 (A trained again from A-37's layers) "
                    + "| – | – | – | – | not measurable yet | – |"), control + "\n" + md);
            assertFalse(md.contains("| " + control + " (Table 3, S=37) | other nets |"), control + "\n" + md);
        }
        assertTrue(md.indexOf("## Findings of the paper, measured") > md.indexOf("## Evaluation"), md);
    }

    @Test
    void theControlATrainedAgainIsComparedInItsOwnRowsAndThePaperRowsKeepTheGlorotA() throws Exception {
        Path ref = tmp.resolve("reference");
        Path out = tmp.resolve("suite");
        Map<String, Double> errors = new LinkedHashMap<>();
        errors.put("A", 0.0900);
        errors.put("A-again", 0.0800);
        errors.put("A-LRN", 0.0850);
        errors.put("B", 0.0820);
        errors.put("D", 0.0750);
        for (Map.Entry<String, Double> c : errors.entrySet()) {
            String net = c.getKey() + "-37";
            String config = c.getKey().equals("A-again") ? "A" : c.getKey();
            Path model = run(ref.resolve(net), config, 37, 0.01);
            if (!c.getKey().equals("A")) {
                startedFrom(ref.resolve(net), ref.resolve("A-37").toString());
            }
            // the control's results name config A, like A-37's
            eval(out.resolve("table3/" + net), model, config + " w0.25", "37", "37", "dense", c.getValue(), 10000);
        }
        eval(out.resolve("table4/A-again-37"), ref.resolve("A-again-37/model-dense.onnx"), "A w0.25", "37", "32,37,42", "dense", 0.0790, 10000);

        String md = Files.readString(Report.write(List.of(out), List.of(ref), PerImage.NONE, tmp.resolve("report")).markdown());
        String glorot = "A w0.25 S=37, dense Q=37 (" + out.resolve("table3/A-37") + ")";
        String again = "A trained again, from A-37: A w0.25 S=37, dense Q=37 (" + out.resolve("table3/A-again-37") + ")";
        String lrn = "A-LRN w0.25 S=37, dense Q=37 (" + out.resolve("table3/A-LRN-37") + ")";
        String b = "B w0.25 S=37, dense Q=37 (" + out.resolve("table3/B-37") + ")";
        String d = "D w0.25 S=37, dense Q=37 (" + out.resolve("table3/D-37") + ")";
        // the paper's rows: the A trained from scratch (Glorot), as the paper compared
        assertTrue(md.contains("| LRN gives no gain: A-LRN not better than A (Table 3, S=37) | reference nets | " + lrn + " vs " + glorot
                + " | -0.50 | 10000 | " + se(0.0850, 0.0900) + " |"), md);
        assertTrue(md.contains("| error falls with depth: A > B (Table 3, S=37) | reference nets | " + glorot + " vs " + b + " | +0.80 | 10000 | "
                + se(0.0900, 0.0820) + " |"), md);
        assertTrue(md.contains("| error falls with depth: A > D (Table 3, S=37) | reference nets | " + glorot + " vs " + d + " | +1.50 | 10000 | "
                + se(0.0900, 0.0750) + " | binomial sqrt(p(1-p)/n) per rate, combined (no per-image outcomes) | re-observed |"), md);
        // the control rows: the A trained again from A's layers, same claims
        assertTrue(md.contains("| LRN gives no gain, control: A-LRN not better than A trained again from A's layers (Table 3, S=37) | "
                + "reference nets | " + lrn + " vs " + again + " | +0.50 | 10000 | " + se(0.0850, 0.0800) + " | binomial sqrt(p(1-p)/n) per rate, "
                + "combined (no per-image outcomes) | re-observed |"), md);
        assertTrue(md.contains("| error falls with depth, control: A again > B (Table 3, S=37) | reference nets | " + again + " vs " + b
                + " | -0.20 | 10000 | " + se(0.0800, 0.0820) + " | binomial sqrt(p(1-p)/n) per rate, combined (no per-image outcomes) | "
                + "not re-observed (opposite direction, within 2 SE) |"), md);
        assertTrue(md.contains("| error falls with depth, control: A again > D (Table 3, S=37) | reference nets | " + again + " vs " + d
                + " | +0.50 | 10000 | " + se(0.0800, 0.0750) + " | binomial sqrt(p(1-p)/n) per rate, combined (no per-image outcomes) | "
                + "not re-observed (same direction, within 2 SE) |"), md);
        // its own Table 3 against Table 4, as a net of its own; the Glorot A has no Table 4 here
        assertTrue(md.contains("| multi-scale test beats single scale (Tables 3, 4), A-again S=37 | reference nets | " + again + " vs A trained "
                + "again, from A-37: A w0.25 S=37, dense Q=32,37,42 (" + out.resolve("table4/A-again-37") + ") | +0.10 |"), md);
        assertFalse(md.contains("multi-scale test beats single scale (Tables 3, 4), A S=37"), md);
        assertFalse(md.contains("needs A-again-37"), md);
    }

    /** The binomial standard error of the difference of two rates on 10,000 images, in pp with two decimals. */
    private static String se(double p, double q) {
        return String.format(Locale.ROOT, "%.2f", 100 * Math.sqrt(p * (1 - p) / 1e4 + q * (1 - q) / 1e4));
    }

    /**
     * The report of reference A-37 against D-37, dense Q=37, on 1000 images with the given error rates and per-image
     * outcomes ({@code aRight.test(i)}: A gets image i right).
     */
    private String aAgainstD(double aError, IntPredicate aRight, double dError, IntPredicate dRight) throws Exception {
        Path ref = tmp.resolve("reference");
        Path a = run(ref.resolve("A-37"), "A", 37, 0.01);
        Path d = run(ref.resolve("D-37"), "D", 37, 0.01);
        Path out = tmp.resolve("suite");
        Path ea = eval(out.resolve("table3/A-37"), a, "A w0.25", "37", "37", "dense", aError, 1000);
        eval(out.resolve("table3/D-37"), d, "D w0.25", "37", "37", "dense", dError, 1000);
        PerImage perImage = (e, member) -> {
            Map<String, Boolean> m = new LinkedHashMap<>();
            for (int i = 0; i < 1000; i++) {
                m.put("img" + i, e.dir().equals(ea) ? aRight.test(i) : dRight.test(i));
            }
            return m;
        };
        return Files.readString(Report.write(List.of(out), List.of(ref), perImage, tmp.resolve("report")).markdown());
    }

    @Test
    void perImageOutcomesGiveThePairedErrorAndItsVerdict() throws Exception {
        // 1000 images: A wrong on 0-99 (10%), D wrong on 0-39 and 100-109 (5%): b = 60 (A wrong, D right), c = 10
        String md = aAgainstD(0.10, i -> i >= 100, 0.05, i -> !(i < 40 || i >= 100 && i < 110));
        double se = 100 * Math.sqrt(60 + 10 - 50.0 * 50.0 / 1000) / 1000; // 0.8216 pp
        String row = "| +5.00 | 1000 | " + String.format(Locale.ROOT, "%.2f", se) + " | paired (McNemar): 60 + 10 images only one gets wrong | re-observed |";
        assertTrue(md.contains(row), row + "\n" + md);
        assertEquals("0.82", String.format(Locale.ROOT, "%.2f", se));
        assertFalse(md.contains("| other nets |"), "only reference nets here: no findings rows of other nets");
        assertTrue(tmp.resolve("suite/table3/D-37").toFile().isDirectory());
    }

    @Test
    void netsOfDifferentRecipesAreNotComparedAsAFinding() throws Exception {
        Path ref = tmp.resolve("reference");
        Path a = run(ref.resolve("A-37"), "A", 37, 0.01);
        Path d = run(ref.resolve("D-37"), "D", 37, 0.01);
        Files.writeString(ref.resolve("A-37/run.json"), Files.readString(ref.resolve("A-37/run.json")).replace("\"width\": 0.25", "\"width\": 0.375"));
        Path out = tmp.resolve("suite");
        eval(out.resolve("table3/A-37"), a, "A w0.375", "37", "37", "dense", 0.0742, 10000);
        eval(out.resolve("table3/D-37"), d, "D w0.25", "37", "37", "dense", 0.0852, 10000);
        eval(out.resolve("table4/D-37"), d, "D w0.25", "37", "32,37,42", "dense", 0.0830, 10000);

        String md = Files.readString(Report.write(List.of(out), List.of(ref), PerImage.NONE, tmp.resolve("report")).markdown());
        assertTrue(md.contains("| -1.10 | 10000 | – | trained with different recipes: width 0.375 vs 0.25 | not measurable yet |"), md);
        // one net's two evaluations share its recipe: measured as usual
        assertTrue(md.contains("| multi-scale test beats single scale (Tables 3, 4), D S=37 | reference nets | D w0.25 S=37, dense Q=37 ("
                + out.resolve("table3/D-37") + ") vs D w0.25 S=37, dense Q=32,37,42 (" + out.resolve("table4/D-37") + ") | +0.22 | 10000 | "), md);
    }

    @Test
    void ratesOnDifferentImagesAreNotCompared() throws Exception {
        Path ref = tmp.resolve("reference");
        Path a = run(ref.resolve("A-37"), "A", 37, 0.01);
        Path d = run(ref.resolve("D-37"), "D", 37, 0.01);
        Path out = tmp.resolve("suite");
        eval(out.resolve("table3/A-37"), a, "A w0.25", "37", "37", "dense", 0.0895, 10000);
        eval(out.resolve("table3/D-37"), d, "D w0.25", "37", "37", "dense", 0.0852, 1000);

        String md = Files.readString(Report.write(List.of(out), List.of(ref), PerImage.NONE, tmp.resolve("report")).markdown());
        assertTrue(md.contains("| +0.43 | 10000 vs 1000 | – | not on the same images | not measurable yet |"), md);
    }

    /** A transfer result of one net's descriptors (VOC-2007 protocol: one mAP, no splits). */
    private static void voc(Path file, Path model, double map) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"protocol\": \"voc2007\", \"dataset\": \"voc:fashion-voc\", \"extraction\": {\"models\": [\"" + model
                + "\"]}, \"mAP\": " + map + ", \"trainImages\": 200, \"testImages\": 200, \"provenance\": "
                + ReportTest.prov("verydeep transfer " + file.getFileName(), "9999cccc") + "}");
    }

    @Test
    void transferFindingsCompareOnlyNetsOfOneRecipe() throws Exception {
        Path ref = tmp.resolve("reference");
        Path a = run(ref.resolve("A-37"), "A", 37, 0.01);
        Path d = run(ref.resolve("D-37"), "D", 37, 0.01);
        Path e = run(ref.resolve("E-37"), "E", 37, 0.01);
        Files.writeString(ref.resolve("A-37/run.json"), Files.readString(ref.resolve("A-37/run.json")).replace("\"width\": 0.25", "\"width\": 0.375"));
        Path out = tmp.resolve("suite");
        voc(out.resolve("table11/A-voc2007.json"), a, 0.40);
        voc(out.resolve("table11/D-voc2007.json"), d, 0.35);
        voc(out.resolve("table11/E-voc2007.json"), e, 0.38);
        eval(out.resolve("table3/D-37"), d, "D w0.25", "37", "37", "dense", 0.0852, 10000); // the findings need an evaluation

        String md = Files.readString(Report.write(List.of(out), List.of(ref), PerImage.NONE, tmp.resolve("report")).markdown());
        assertTrue(md.contains("| deeper features transfer better: D's descriptors beat A's, voc2007 (Table 11) | – | A (") && md.contains(
                "| -5.00 | 200 (test) | – | trained with different recipes: width 0.375 vs 0.25 | not measurable yet |"), md);
        assertTrue(md.contains("| +3.00 | 200 (test) | – | not recorded (one test set: no spread) | re-observed (direction only) |"), "D vs E\n" + md);
    }

    @Test
    void equalErrorRatesAreNoDifferenceNotAnOppositeDirection() throws Exception {
        // 1000 images: A wrong on 0-99, D on 50-149: both 10%, b = c = 50
        String md = aAgainstD(0.10, i -> i >= 100, 0.10, i -> i < 50 || i >= 150);
        assertTrue(md.contains("| +0.00 | 1000 | 1.00 | paired (McNemar): 50 + 50 images only one gets wrong | not re-observed (no difference) |"), md);
    }
}
