package dev.verydeep.cli;

import static dev.verydeep.cli.testing.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.cli.testing.CliRun;
import dev.verydeep.core.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verydeep bench}: a real JMH run (one small matrix product) writes its numbers with how they were made. */
class BenchCommandTest {
    @TempDir
    Path tmp;

    @Test
    void aBenchRunWritesJmhJsonASummaryAndItsProvenance() throws Exception {
        Path out = tmp.resolve("bench");
        CliRun r = cli("bench", "SgemmBench", "--quick", "-p", "n=64", "-p", "engine=ort", "-p", "threads=1", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        List<Path> files;
        try (Stream<Path> s = Files.list(out)) {
            files = s.sorted().toList();
        }
        Path provenance = files.stream().filter(f -> f.getFileName().toString().startsWith("provenance-")).findFirst().orElseThrow();
        String stamp = provenance.getFileName().toString().replace("provenance-", "").replace(".json", "");
        assertTrue(Files.exists(out.resolve("jmh-" + stamp + ".json")), files.toString());
        JsonNode p = Json.readTree(provenance);
        assertTrue(p.path("command").asText().startsWith("verydeep bench SgemmBench --quick"), p.toString());
        assertTrue(p.path("numerics").path("cpuModel").isTextual() && p.path("versions").has("java"), p.toString());
        String summary = Files.readString(out.resolve("summary-jmh-" + stamp + ".md"));
        assertTrue(summary.startsWith("`verydeep bench SgemmBench --quick") && summary.contains("| SgemmBench.matmul | engine=ort n=64 threads=1 |"),
                summary);
    }
}
