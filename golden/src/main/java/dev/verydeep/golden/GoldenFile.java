package dev.verydeep.golden;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.core.UserException;
import dev.verydeep.core.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One golden table: a JSON file under {@code golden-data/src/main/resources/dev/verydeep/golden/} (listed in its
 * {@code index.json}), either the paper's ({@code "source": "paper"}: reference values, nothing to rerun) or
 * ours ({@code "source": "verydeep"}: each entry says how to measure it again). Entry fields: {@code id, config,
 * trainS, testQ, method, metric, split, value, unit, tolerance}, and for ours {@code command, measure, seed,
 * data, dataSha256, modelSha256, codeVersion, seconds}.
 *
 * @param name    file name (or path) it was read from
 * @param json    the whole file
 */
public record GoldenFile(String name, JsonNode json) {
    /** Class-path folder of the golden files. */
    public static final String RESOURCE_DIR = "/dev/verydeep/golden/";

    public String source() {
        return json.path("source").asText("");
    }

    public String table() {
        return json.path("table").asText("?");
    }

    public List<JsonNode> entries() {
        List<JsonNode> out = new ArrayList<>();
        json.path("entries").forEach(out::add);
        return out;
    }

    /** The entry with this id; an unknown id is a {@link UserException} listing the file's ids. */
    public JsonNode entry(String id) {
        List<JsonNode> all = entries();
        return all.stream().filter(e -> e.path("id").asText().equals(id)).findFirst().orElseThrow(() -> new UserException(name
                + ": no entry '" + id + "' (entries: " + String.join(", ", all.stream().map(e -> e.path("id").asText()).limit(12).toList())
                + (all.size() > 12 ? ", ..." : "") + ")"));
    }

    /** Every golden file shipped in golden-data, in index order. */
    public static List<GoldenFile> all() {
        JsonNode index = resource("index.json");
        List<GoldenFile> out = new ArrayList<>();
        for (JsonNode f : index.path("files")) {
            out.add(new GoldenFile(f.asText(), resource(f.asText())));
        }
        return out;
    }

    /** A shipped file by name ({@code verydeep-table2.json}) or a JSON file on disk. */
    public static GoldenFile load(String nameOrPath) {
        Path p = Path.of(nameOrPath);
        if (Files.isRegularFile(p)) {
            return new GoldenFile(p.toString(), Json.readTree(p));
        }
        if (GoldenFile.class.getResource(RESOURCE_DIR + nameOrPath) != null) {
            return new GoldenFile(nameOrPath, resource(nameOrPath));
        }
        throw new UserException("golden file " + nameOrPath + " not found (neither a file nor one of golden-data's: "
                + all().stream().map(GoldenFile::name).toList() + ")");
    }

    private static JsonNode resource(String name) {
        try (InputStream in = GoldenFile.class.getResourceAsStream(RESOURCE_DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("golden-data resource " + RESOURCE_DIR + name + " is missing from the class path");
            }
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read golden-data resource " + name + ": " + e.getMessage(), e);
        }
    }
}
