package dev.verydeep.e2e;

import static dev.verydeep.cli.testing.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.cli.testing.CliRun;
import dev.verydeep.core.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verydeep suite --quick} as a user runs it: the whole plan (12 nets trained, exported and verified; Tables 3
 * to 6 and 11 evaluated; the report) through every verb on tiny settings; a second run skips every finished step; and
 * every table's result files are there with their rates (the quick run has the full run's layout, only smaller
 * settings; its values are not golden numbers: a brief training run moves with every CPU's kernels).
 */
@Tag("slow")
class SuiteQuickEndToEndTest {
    @TempDir
    Path tmp;

    @Test
    void quickSuiteRunsWholeResumesAndWritesEveryTable() throws IOException {
        Path out = tmp.resolve("suite");
        CliRun r = cli("suite", "--quick", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(Files.isRegularFile(out.resolve("report/report.html")), r.toString());

        CliRun again = cli("suite", "--quick", "--out", out.toString());
        assertEquals(0, again.code(), again.toString());
        // Only the report (which reads whatever the other steps left) runs again.
        assertEquals(List.of("$ verydeep report"), again.out().lines().filter(l -> l.startsWith("$ verydeep "))
                .map(l -> l.substring(0, "$ verydeep report".length())).toList(), again.out());

        // Every evaluation of Tables 3-6 wrote its error rates (12 + 10 + 6 nets' evaluations, 2 fusions), every
        // transfer row its results (3 descriptor sets x 2 protocols). The suite's regression numbers are the reference
        // nets' (verydeep-fashion-reference.json): these brief-training numbers move with every CPU's kernels.
        List<Path> rates = resultFiles(out, "table3", "table4", "table5", "table6");
        assertEquals(30, rates.size(), rates.toString());
        for (Path f : rates) {
            JsonNode h = Json.readTree(f).path("headline");
            double top1 = h.path("top1_error").asDouble(-1);
            assertTrue(top1 >= 0 && top1 <= 1, f + ": top1_error " + h);
        }
        try (Stream<Path> t = Files.list(out.resolve("table11"))) {
            assertEquals(6, t.filter(p -> p.toString().endsWith(".json")).count());
        }
    }

    private static List<Path> resultFiles(Path out, String... tables) throws IOException {
        List<Path> found = new ArrayList<>();
        for (String table : tables) {
            try (Stream<Path> s = Files.walk(out.resolve(table))) {
                s.filter(p -> p.getFileName().toString().equals("results.json")).forEach(found::add);
            }
        }
        return found;
    }
}
