package dev.verydeep.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.core.UserException;
import dev.verydeep.core.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The result files found under the report's input folders (recursively), recognised by file name and fields:
 * <ul>
 *   <li>training run folder: {@code run.json} with {@code settings} and {@code provenance}; beside it
 *       {@code log.jsonl}, {@code checkpoint.json}, {@code curves.png}, {@code eval.json} when present;</li>
 *   <li>evaluation or fusion folder: {@code results.json} with {@code "kind": "eval"} or {@code "fuse"} and
 *       {@code rows}; beside it {@code confusion.png};</li>
 *   <li>transfer result: a JSON object with {@code protocol} and {@code meanClassRecall} or {@code mAP}
 *       ({@code verydeep transfer --out});</li>
 *   <li>localisation folder: {@code results.json} with {@code "kind": "localize"} and {@code rows}
 *       ({@code verydeep localize}); {@code predictions.jsonl} and {@code table.txt} beside it are not read;</li>
 *   <li>JMH result: a JSON array of objects with {@code benchmark} and {@code primaryMetric} ({@code verydeep bench}).</li>
 * </ul>
 * Any other file is skipped (and counted).
 */
public record ResultTree(List<TrainingRun> runs, List<Evaluation> evaluations, List<JsonFile> transfers, List<JsonFile> localisations,
        List<JsonFile> jmh, List<Path> skipped) {

    /** A training run folder; absent files are null ({@code log} empty). */
    public record TrainingRun(Path dir, JsonNode run, List<JsonNode> log, JsonNode checkpoint, JsonNode eval, Path curves) {
    }

    /** An evaluation or fusion folder. */
    public record Evaluation(Path dir, JsonNode results, Path confusion) {
        public boolean fusion() {
            return "fuse".equals(results.path("kind").asText());
        }
    }

    /** A JSON result file. */
    public record JsonFile(Path file, JsonNode json) {
    }

    private static final Set<String> RUN_FILES = Set.of("run.json", "log.jsonl", "checkpoint.json", "curves.png", "eval.json");
    private static final Set<String> EVAL_FILES = Set.of("results.json", "confusion.png");
    private static final Set<String> LOC_FILES = Set.of("results.json", "predictions.jsonl", "table.txt");

    /** Scans the folders (a file given directly is read as well); {@code exclude} (the output folder) is not read. */
    public static ResultTree scan(List<Path> roots, Path exclude) {
        Set<Path> files = new LinkedHashSet<>();
        Path ex = exclude == null ? null : exclude.toAbsolutePath().normalize();
        for (Path root : roots) {
            if (!Files.exists(root)) {
                throw new UserException(root + ": no such file or folder");
            }
            try (Stream<Path> s = Files.walk(root)) {
                s.filter(Files::isRegularFile).map(p -> p.toAbsolutePath().normalize())
                        .filter(p -> ex == null || !p.startsWith(ex)).sorted().forEach(files::add);
            } catch (IOException e) {
                throw new UserException("cannot list " + root + ": " + e.getMessage(), e);
            }
        }
        List<TrainingRun> runs = new ArrayList<>();
        List<Evaluation> evals = new ArrayList<>();
        List<JsonFile> transfers = new ArrayList<>();
        List<JsonFile> locs = new ArrayList<>();
        List<JsonFile> jmh = new ArrayList<>();
        Set<Path> used = new LinkedHashSet<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            Path dir = f.getParent();
            if (name.equals("run.json")) {
                JsonNode j = readJson(f);
                if (j != null && j.has("settings") && j.has("provenance")) {
                    runs.add(new TrainingRun(dir, j, readLog(dir.resolve("log.jsonl")), readJsonIfExists(dir.resolve("checkpoint.json")),
                            readJsonIfExists(dir.resolve("eval.json")), pngIfExists(dir.resolve("curves.png"))));
                    RUN_FILES.forEach(n -> used.add(dir.resolve(n)));
                }
            } else if (name.equals("results.json")) {
                JsonNode j = readJson(f);
                String kind = j == null ? "" : j.path("kind").asText();
                if ((kind.equals("eval") || kind.equals("fuse")) && j.path("rows").isArray()) {
                    evals.add(new Evaluation(dir, j, pngIfExists(dir.resolve("confusion.png"))));
                    EVAL_FILES.forEach(n -> used.add(dir.resolve(n)));
                } else if (kind.equals("localize") && j.path("rows").isArray()) {
                    locs.add(new JsonFile(f, j));
                    LOC_FILES.forEach(n -> used.add(dir.resolve(n)));
                }
            } else if (name.endsWith(".json") && !RUN_FILES.contains(name)) {
                JsonNode j = readJson(f);
                if (j == null) {
                    continue;
                }
                if (j.isObject() && j.has("protocol") && (j.has("meanClassRecall") || j.has("mAP"))) {
                    transfers.add(new JsonFile(f, j));
                    used.add(f);
                } else if (j.isArray() && !j.isEmpty() && j.get(0).has("benchmark") && j.get(0).has("primaryMetric")) {
                    jmh.add(new JsonFile(f, j));
                    used.add(f);
                }
            }
        }
        List<Path> skipped = files.stream().filter(f -> !used.contains(f)).toList();
        return new ResultTree(runs, evals, transfers, locs, jmh, skipped);
    }

    public boolean isEmpty() {
        return runs.isEmpty() && evaluations.isEmpty() && transfers.isEmpty() && localisations.isEmpty() && jmh.isEmpty();
    }

    /** The training run among the inputs that a model file was exported into (its folder), or null. */
    public TrainingRun runOf(String modelPath) {
        if (modelPath == null || modelPath.isEmpty()) {
            return null;
        }
        Path dir = Path.of(modelPath).toAbsolutePath().normalize().getParent();
        for (TrainingRun r : runs) {
            if (r.dir().toAbsolutePath().normalize().equals(dir)) {
                return r;
            }
        }
        return null;
    }

    /** The evaluation or fusion among the inputs held in {@code folder} (as a fusion records its inputs), or null. */
    public Evaluation evaluationIn(String folder) {
        if (folder == null || folder.isEmpty()) {
            return null;
        }
        Path dir = Path.of(folder).toAbsolutePath().normalize();
        for (Evaluation e : evaluations) {
            if (e.dir().toAbsolutePath().normalize().equals(dir)) {
                return e;
            }
        }
        return null;
    }

    /** Jackson writes NaN (e.g. images/s of a zero-time row) as a bare token; read it back. */
    private static final com.fasterxml.jackson.databind.ObjectMapper LENIENT = Json.MAPPER.copy()
            .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS.mappedFeature());

    private static JsonNode readJson(Path f) {
        try {
            return LENIENT.readTree(Files.readAllBytes(f));
        } catch (IOException e) {
            return null; // not JSON (or unreadable): not a result file
        }
    }

    private static JsonNode readJsonIfExists(Path f) {
        return Files.isRegularFile(f) ? readJson(f) : null;
    }

    private static Path pngIfExists(Path f) {
        return Files.isRegularFile(f) ? f : null;
    }

    private static List<JsonNode> readLog(Path f) {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.isRegularFile(f)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(f)) {
                if (!line.isBlank()) {
                    try {
                        out.add(LENIENT.readTree(line));
                    } catch (IOException e) {
                        // a torn last line of an interrupted run: skip it
                    }
                }
            }
        } catch (IOException e) {
            throw new UserException("cannot read " + f + ": " + e.getMessage(), e);
        }
        return out;
    }
}
