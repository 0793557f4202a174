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
 * {@code verydeep suite --quick} as a user runs it: the whole plan (12 nets trained, exported and verified; Tables 3
 * to 6 and 11 evaluated; the report) through every verb on tiny settings; a second run skips every finished step; and
 * the shipped golden file of the full suite finds each of its numbers where the plan writes them (the quick run has
 * the full run's layout, only smaller settings, so its values differ: here only their presence is checked).
 */
@Tag("slow")
class SuiteQuickEndToEndTest {
    @TempDir
    Path tmp;

    @Test
    void quickSuiteRunsWholeResumesAndHasEveryGoldenNumber() {
        Path out = tmp.resolve("suite");
        CliRun r = cli("suite", "--quick", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(Files.isRegularFile(out.resolve("report/report.html")), r.toString());

        CliRun again = cli("suite", "--quick", "--out", out.toString());
        assertEquals(0, again.code(), again.toString());
        // Only the report (which reads whatever the other steps left) runs again.
        assertEquals(List.of("$ verydeep report"), again.out().lines().filter(l -> l.startsWith("$ verydeep "))
                .map(l -> l.substring(0, "$ verydeep report".length())).toList(), again.out());

        List<GoldenCheck.Outcome> o = GoldenCheck.checkFrom(List.of(GoldenFile.load("verydeep-fashion-suite.json")), out,
                new PrintWriter(new StringWriter()));
        assertEquals(66, o.size());
        for (GoldenCheck.Outcome x : o) {
            // Every suite number is a rate in % (golden format 2): found, and a rate.
            assertTrue(x.measured() != null && x.measured() >= 0 && x.measured() <= 100, x.id() + ": " + x.detail());
        }
    }
}
