package dev.verydeep.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's closing table: its own nets and the shipped reference nets, each group labelled from its runs' logs. */
class DemoComparisonTest {
    @TempDir
    Path tmp;

    private static Path run(Path dir, String config, int s, int epochs, int divisions) throws Exception {
        Files.createDirectories(dir);
        // As the trainer writes it: the epoch budget is the run's own (the demo's A 4, its D 3).
        Files.writeString(dir.resolve("run.json"), "{\"settings\": {\"net\": {\"config\": \"" + config + "\", \"width\": 0.25, \"crop\": 32},"
                + " \"epochs\": " + epochs + ", \"scaleMin\": " + s + ", \"scaleMax\": " + s + ", \"maxLrDecreases\": 3},"
                + " \"provenance\": {\"command\": \"verydeep train\"}}");
        StringBuilder log = new StringBuilder();
        for (int e = 1; e <= epochs; e++) {
            double lr = 0.01 * Math.pow(0.1, Math.max(0, divisions - (epochs - e)));
            log.append("{\"epoch\": ").append(e).append(", \"learningRate\": ").append(lr).append("}\n");
        }
        Files.writeString(dir.resolve("log.jsonl"), log.toString());
        return dir.resolve(Steps.DENSE);
    }

    private static Path eval(Path dir, Path model, String config, String s, double top1) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("results.json"), "{\"kind\": \"eval\", \"dataset\": {\"description\": \"fashion-mnist:test (10000 images)\"},"
                + " \"models\": [{\"path\": \"" + model + "\"}], \"headline\": {\"config\": \"" + config + "\", \"train_scale\": \"" + s
                + "\", \"top1_error\": " + top1 + "}}");
        return dir;
    }

    /** The shipped A-37 (config label and error given) and D-37 (8.52%) evaluated in the demo's folder. */
    private static Map<String, Path> shipped(Path demo, Path ra, String aLabel, double aError, Path rd) throws Exception {
        Map<String, Path> shipped = new LinkedHashMap<>();
        shipped.put("A-37", eval(demo.resolve("reference/A-37"), ra, aLabel, "37", aError));
        shipped.put("D-37", eval(demo.resolve("reference/D-37"), rd, "D w0.25", "37", 0.0852));
        return shipped;
    }

    /** The demo's own A-37 (4 epochs, 17.22%) and D-jit (3 epochs, 27.80%) evaluated densely at Q=37. */
    private static Map<String, Path> ownNets(Path demo) throws Exception {
        Path a = run(demo.resolve("A-37"), "A", 37, 4, 0);
        Path d = run(demo.resolve("D-jit"), "D", 37, 3, 0);
        Map<String, Path> own = new LinkedHashMap<>();
        own.put("A-37", eval(demo.resolve("eval-A-37-dense-Q37"), a, "A w0.125", "37", 0.1722));
        own.put("D-jit", eval(demo.resolve("eval-D-jit-dense-Q37"), d, "D w0.125", "[37;73]", 0.2780));
        return own;
    }

    /** The demo's closing table for its own evaluations and the shipped A-37 and D-37 of {@code ref}. */
    private static String print(Map<String, Path> own, Map<String, Path> shipped, List<Path> ownRuns, Path ref) {
        StringWriter w = new StringWriter();
        DemoComparison.print(new PrintWriter(w, true), own, shipped, ownRuns, List.of(ref.resolve("A-37"), ref.resolve("D-37")), ref);
        return w.toString();
    }

    @Test
    void printsBothGroupsLabelledWithDsMarginOverA() throws Exception {
        Path demo = tmp.resolve("demo");
        Path ref = tmp.resolve("reference");
        Map<String, Path> own = ownNets(demo);
        Path ra = run(ref.resolve("A-37"), "A", 37, 25, 3);
        Path rd = run(ref.resolve("D-37"), "D", 37, 23, 3);
        String out = print(own, shipped(demo, ra, "A w0.25", 0.0895, rd), List.of(demo.resolve("A-37"), demo.resolve("D-jit")), ref);
        assertTrue(out.contains("top-1 error on the same test images (fashion-mnist:test (10000 images))"), out);
        assertTrue(out.contains("this demo's nets (trained 4 and 3 epochs here):"), out);
        assertTrue(out.contains("shipped reference nets (converged, 25 and 23 epochs):"), out);
        assertTrue(out.contains("  A-37    A w0.125  S=37          17.22%  brief training (4 epochs, 0 of 3 lr divisions)"), out);
        assertTrue(out.contains("  D-37    D w0.25   S=37           8.52%  reference, converged (23 epochs, 3 lr divisions)"), out);
        assertTrue(out.contains("  D vs A: 10.58 points worse (both trained briefly: the paper's depth ordering needs converged nets,"
                + " as below)\n"), out);
        assertTrue(out.contains("  D vs A: 0.43 points better\n"), out);
    }

    @Test
    void withoutShippedNetsTheMarginPointsNowhereElse() throws Exception {
        Path demo = tmp.resolve("demo");
        Map<String, Path> own = ownNets(demo);
        StringWriter w = new StringWriter(); // no reference nets: none evaluated, no run folders of theirs
        DemoComparison.print(new PrintWriter(w, true), own, Map.of(), List.of(demo.resolve("A-37"), demo.resolve("D-jit")), List.of(),
                tmp.resolve("reference"));
        String out = w.toString();
        assertTrue(out.contains("  D vs A: 10.58 points worse (both trained briefly: the paper's depth ordering needs converged nets)\n"), out);
        assertTrue(!out.contains("shipped reference nets"), out);
    }

    @Test
    void shippedNetsOfDifferentRecipesAreShownWithoutAMargin() throws Exception {
        Path demo = tmp.resolve("demo");
        Path ref = tmp.resolve("reference");
        Path a = run(demo.resolve("A-37"), "A", 37, 4, 0);
        Path ra = run(ref.resolve("A-37"), "A", 37, 64, 3);
        Path rd = run(ref.resolve("D-37"), "D", 37, 23, 3);
        Files.writeString(ref.resolve("A-37/run.json"), Files.readString(ref.resolve("A-37/run.json")).replace("0.25", "0.375"));
        Map<String, Path> own = Map.of("A-37", eval(demo.resolve("eval-A-37-dense-Q37"), a, "A w0.125", "37", 0.1722));
        String out = print(own, shipped(demo, ra, "A w0.375", 0.0742, rd), List.of(demo.resolve("A-37")), ref);
        assertTrue(out.contains("  D-37    D w0.25   S=37           8.52%  reference, converged (23 epochs, 3 lr divisions)"), out);
        assertTrue(out.contains("  D vs A: not compared, trained with different recipes (D vs A: width 0.25 vs 0.375)\n"), out);
        assertTrue(!out.contains("points worse"), out);
    }
}
