package dev.verydeep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.core.data.FashionMnist;
import dev.verydeep.core.io.Hashes;
import dev.verydeep.core.io.Json;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reruns the reduced entries of golden-data's {@code verydeep-fashion-transfer.json} (train a tiny source net on
 * Fashion-MNIST classes 0-4 -> export -> make-dataset -> extract -> transfer, the steps listed in each entry's
 * {@code measure.steps}) and compares the measured value with the pinned one within the entry's tolerance. The
 * golden harness ({@code verydeep golden check}) runs single commands only, hence this test: it reads the same
 * file, so the pinned numbers live in one place.
 */
class FashionTransferGoldenTest {
    static final String FILE = "/dev/verydeep/golden/verydeep-fashion-transfer.json";

    @TempDir
    Path tmp;

    static JsonNode golden() throws Exception {
        try (InputStream in = FashionTransferGoldenTest.class.getResourceAsStream(FILE)) {
            return Json.MAPPER.readTree(in);
        }
    }

    @Test
    void everyEntryIsComplete() throws Exception {
        JsonNode g = golden();
        assertEquals("verydeep", g.path("source").asText());
        assertTrue(g.path("entries").size() >= 4);
        for (JsonNode e : g.path("entries")) {
            for (String k : List.of("id", "metric", "value", "tolerance", "unit", "command", "measure", "seed", "dataSha256", "codeVersion",
                    "seconds")) {
                assertTrue(e.hasNonNull(k), e.path("id") + " lacks " + k);
            }
            assertEquals("pipeline", e.path("measure").path("kind").asText(), e.path("id").asText());
            assertTrue(e.path("measure").path("steps").size() >= 4, e.path("id").asText());
        }
    }

    @Test
    @Tag("slow")
    void reducedPipelinesReproduceTheirPinnedValues() throws Exception {
        JsonNode g = golden();
        int checked = 0;
        List<String> failures = new ArrayList<>();
        Path data = FashionMnist.defaultDir();
        for (JsonNode e : g.path("entries")) {
            if (e.path("seconds").asDouble() >= 60) {
                continue; // the full benchmarks: minutes; rerun by hand with the entry's command
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = e.path("dataSha256").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                assertEquals(f.getValue().asText(), Hashes.sha256(data.resolve(f.getKey())), "checksum of " + data.resolve(f.getKey()));
            }
            Path out = tmp.resolve(e.path("id").asText());
            for (JsonNode step : e.path("measure").path("steps")) {
                List<String> args = new ArrayList<>();
                step.forEach(a -> args.add(a.asText().replace("{out}", out.toString())));
                StringWriter so = new StringWriter();
                StringWriter se = new StringWriter();
                int code = Main.run(args.toArray(String[]::new), new PrintWriter(so, true), new PrintWriter(se, true));
                assertEquals(0, code, e.path("id").asText() + ": " + args + "\n" + so + se);
            }
            JsonNode m = e.path("measure");
            JsonNode result = Json.readTree(out.resolve(m.path("file").asText()));
            double measured = result.at(m.path("field").asText()).asDouble(Double.NaN);
            double golden = e.path("value").asDouble();
            double tol = e.path("tolerance").asDouble();
            if (!(Math.abs(measured - golden) <= tol)) {
                failures.add(e.path("id").asText() + ": measured " + measured + ", golden " + golden + " +- " + tol);
            }
            checked++;
        }
        assertTrue(checked >= 2, "reduced entries checked: " + checked);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }
}
