package dev.verydeep.e2e;

import static dev.verydeep.cli.testing.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.cli.testing.CliRun;
import dev.verydeep.golden.GoldenCheck;
import dev.verydeep.golden.GoldenFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verydeep suite --reference --quick} on the checkout's shipped reference nets (200 test images, 10 for
 * multi-crop): the evaluation plan runs, its report labels the reference rows and measures the findings with the
 * paired uncertainty from the saved posteriors, and {@code golden check --from} finds every entry of the reference
 * golden file where the plan wrote it (the quick run has the full run's layout on fewer images, so here only their
 * presence is checked).
 */
@Tag("slow")
class SuiteReferenceEndToEndTest {
    @TempDir
    Path tmp;

    @Test
    void quickReferenceSuiteHasEveryReferenceGoldenNumberAndTheFindings() throws Exception {
        // The nets the golden file was written for (more may have landed in reference/ since; their entries come when
        // golden-data/scripts/reference-golden.py is rerun), copied from the checkout's reference/.
        GoldenFile golden = GoldenFile.load("verydeep-fashion-reference.json");
        Path ref = tmp.resolve("reference");
        List<String> nets = dev.verydeep.cli.testing.ReferenceGolden.nets(golden);
        for (String n : nets) {
            Path from = Path.of(System.getProperty("verydeep.repo", ".")).toAbsolutePath().resolve("reference").resolve(n);
            Files.createDirectories(ref.resolve(n));
            for (String f : List.of("model-dense.onnx", "run.json", "log.jsonl")) {
                Files.copy(from.resolve(f), ref.resolve(n).resolve(f));
            }
        }
        assertTrue(nets.containsAll(List.of("A-37", "D-37")), nets.toString());
        Path out = tmp.resolve("suite-reference");
        CliRun r = cli("suite", "--reference", "--quick", "--reference-dir", ref.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        String md = Files.readString(out.resolve("report/report.md"));
        assertTrue(md.contains("| reference, converged ("), md);
        assertTrue(md.contains("## Findings of the paper, measured"), md);
        assertTrue(md.contains("| error falls with depth: A > D (Table 3, S=37) | reference nets |"), md);
        assertTrue(md.contains("paired (McNemar): "), "per-image outcomes from posteriors.bin\n" + md);
        assertTrue(md.contains("| fusion beats its members: A w0.") && md.contains("(Table 6; the best member) | reference nets |"), md);
        // Table 11 from the reference nets: D's descriptors against A's, per protocol, with a measured margin
        assertTrue(Files.exists(out.resolve("table11/A-voc2007.json")) && Files.exists(out.resolve("table11/D-caltech101.json")), md);
        assertTrue(md.contains("| deeper features transfer better: D's descriptors beat A's, voc2007 (Table 11) | – | A ("), md);

        List<GoldenCheck.Outcome> o = GoldenCheck.checkFrom(List.of(golden), out, new PrintWriter(new StringWriter()));
        assertEquals(golden.entries().size(), o.size());
        for (GoldenCheck.Outcome x : o) {
            assertTrue(x.measured() != null && x.measured() >= 0 && x.measured() <= 100, x.id() + ": " + x.detail());
        }
    }
}
