package dev.verydeep.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verydeep.core.io.Json;
import dev.verydeep.golden.GoldenFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shipped schema against every golden file shipped in golden-data, the example project's own and this module's test
 * file; broken files get one line per problem; the checker refuses schema keywords it does not interpret.
 */
class GoldenSchemaTest {
    static final Path EXAMPLE = Path.of(System.getProperty("verydeep.repo", "..")).resolve(
            "examples/junit-golden/src/test/resources/golden/vgg-fashion.json");

    @Test
    void everyShippedGoldenFileConforms() {
        List<String> problems = new ArrayList<>();
        List<GoldenFile> files = new ArrayList<>(GoldenFile.all());
        files.add(GoldenFile.load(EXAMPLE.toString()));
        files.add(GoldenFiles.load("golden/extension-test.json"));
        for (GoldenFile f : files) {
            GoldenSchema.problems(f.json()).forEach(p -> problems.add(f.name() + " " + p));
        }
        assertEquals(List.of(), problems);
        assertTrue(files.size() >= 17, "files checked: " + files.size());
    }

    @Test
    void brokenFilesGetOneLinePerProblem() throws Exception {
        ObjectNode f = (ObjectNode) GoldenFile.load(EXAMPLE.toString()).json().deepCopy();
        ObjectNode e = (ObjectNode) f.path("entries").get(0);
        e.remove("tolerance");
        e.put("tolerence", 0.5);
        e.put("value", "20.2");
        ((ObjectNode) e.path("measure")).remove("field");
        ObjectNode second = e.deepCopy();
        second.put("value", 1.0);
        second.put("tolerance", -1);
        second.remove("measure");
        f.withArray("entries").add(second);
        f.put("format", 3);
        List<String> p = GoldenSchema.problems(f);
        assertTrue(p.contains("/entries/0: missing required field 'tolerance'"), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.startsWith("/entries/0: unknown field 'tolerence' (allowed: [id, table, config")), p.toString());
        assertTrue(p.contains("/entries/0/value: expected \"number\", found string"), p.toString());
        assertTrue(p.contains("/entries/0/measure: missing required field 'field'"), p.toString());
        assertTrue(p.contains("/entries/2/tolerance: -1 is below the minimum 0"), p.toString());
        assertTrue(p.contains("/entries/2: missing required field 'measure'"), p.toString());
        assertTrue(p.contains("/format: 3 is not one of [1,2]"), p.toString());
        // a paper file needs no measure, ours need format 2
        JsonNode paper = Json.MAPPER.readTree("{\"source\": \"paper\", \"table\": \"t\", \"format\": 1, \"entries\": "
                + "[{\"id\": \"a\", \"metric\": \"top1Error\", \"value\": 1, \"unit\": \"%\", \"tolerance\": 0}]}");
        assertEquals(List.of(), GoldenSchema.problems(paper));
        ((ObjectNode) paper).put("source", "verydeep");
        assertEquals(List.of("/format: expected 2, found 1", "/entries/0: missing required field 'measure'"), GoldenSchema.problems(paper));
    }

    @Test
    void aSchemaKeywordTheCheckerDoesNotInterpretIsRefused() throws Exception {
        JsonNode schema = Json.MAPPER.readTree("{\"type\": \"object\", \"properties\": {\"a\": {\"pattern\": \"^x\"}}}");
        IllegalStateException x = assertThrows(IllegalStateException.class,
                () -> GoldenSchema.problems(schema, Json.MAPPER.readTree("{\"a\": \"y\"}")));
        assertTrue(x.getMessage().contains("schema keyword 'pattern' at /a is not interpreted"), x.getMessage());
    }
}
