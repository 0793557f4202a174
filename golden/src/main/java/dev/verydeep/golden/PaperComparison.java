package dev.verydeep.golden;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.core.UserException;
import dev.verydeep.core.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Compares a user's full-scale results with the paper's tables (the {@code paper-table*.json} golden files).
 * It reads every JSON file under a results folder that has one of two shapes:
 * <ul>
 *   <li>{@code results.json} (any name): one object, an array, or {@code {"results": [...]}} of rows
 *       {@code {"config": "D", "trainS": "256-512", "testQ": "256,384,512", "method": "dense", "top1": 24.9,
 *       "top5": 7.6}}; {@code top1}/{@code top5} are errors in percent; trainS is {@code 256} or {@code 256-512}
 *       ({@code [256;512]} and {@code 256:512} are read too), testQ one scale or a comma list; method is
 *       optional ({@code dense}, {@code multi-crop}, {@code dense+multi-crop});</li>
 *   <li>{@code eval.json} as written by {@code verydeep train --eval-data}: {@code top1Error} (a fraction) and
 *       {@code testScale}; config and S come from the {@code run.json} beside it.</li>
 * </ul>
 * A row is compared with every paper entry of the same config, training scale, test scales and metric, and the
 * same method when both name one (Tables 3 and 4 do not). Within the entry's tolerance: MATCH, else DIFF.
 */
public final class PaperComparison {
    private PaperComparison() {
    }

    /** A user's result, normalised. {@code top1}/{@code top5} in percent, null when absent. */
    public record Result(String source, String config, String trainS, String testQ, String method, Double top1, Double top5) {
    }

    /** One comparison. */
    public record Row(Result result, String table, String entry, String metric, double paper, double tolerance, double ours, boolean match) {
    }

    public static List<Result> read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserException(dir + " is not a folder of result files");
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(p -> p.toString().endsWith(".json") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new UserException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        List<Result> out = new ArrayList<>();
        for (Path f : files) {
            if (f.getFileName().toString().equals("run.json")) {
                continue;
            }
            JsonNode j;
            try {
                j = Json.readTree(f);
            } catch (RuntimeException e) {
                throw new UserException(f + ": not JSON: " + e.getMessage(), e);
            }
            if (j.has("top1Error") && j.has("testScale")) {
                out.add(fromEval(f, j));
            } else if (j.isArray() || j.has("results") || j.has("config")) {
                JsonNode rows = j.isArray() ? j : j.has("results") ? j.get("results") : Json.MAPPER.createArrayNode().add(j);
                int i = 0;
                for (JsonNode r : rows) {
                    out.add(fromRow(f + "#" + i++, r));
                }
            }
        }
        if (out.isEmpty()) {
            throw new UserException(dir + " holds no result files (results.json rows with config/trainS/testQ/top1/top5, or eval.json)");
        }
        return out;
    }

    private static Result fromEval(Path f, JsonNode j) {
        Path run = f.resolveSibling("run.json");
        if (!Files.isRegularFile(run)) {
            throw new UserException(f + ": an eval.json needs the run.json of its run beside it (config and training scale)");
        }
        JsonNode s = Json.readTree(run).path("settings");
        String config = s.path("net").path("config").asText(null);
        if (config == null) {
            throw new UserException(run + ": no settings.net.config");
        }
        int smin = s.path("scaleMin").asInt();
        int smax = s.path("scaleMax").asInt();
        String trainS = smin == smax ? Integer.toString(smin) : smin + "-" + smax;
        return new Result(f.toString(), normaliseConfig(config), trainS, j.get("testScale").asText(), "centre crop",
                100 * j.get("top1Error").asDouble(), null);
    }

    private static Result fromRow(String where, JsonNode r) {
        for (String k : List.of("config", "trainS", "testQ")) {
            if (!r.hasNonNull(k)) {
                throw new UserException(where + ": a result row needs config, trainS, testQ and top1 and/or top5 (errors in %); '" + k + "' is missing");
            }
        }
        Double t1 = r.has("top1") ? r.get("top1").asDouble() : null;
        Double t5 = r.has("top5") ? r.get("top5").asDouble() : null;
        if (t1 == null && t5 == null) {
            throw new UserException(where + ": neither top1 nor top5");
        }
        return new Result(where, normaliseConfig(r.get("config").asText()), normaliseS(r.get("trainS").asText()), normaliseQ(r.get("testQ").asText()),
                r.hasNonNull("method") ? r.get("method").asText().toLowerCase(Locale.ROOT) : null, t1, t5);
    }

    static String normaliseConfig(String c) {
        return c.trim().toUpperCase(Locale.ROOT).replace('_', '-').replace("-LRN", "-LRN");
    }

    static String normaliseS(String s) {
        String t = s.replaceAll("[\\[\\]\\s]", "").replace(';', '-').replace(':', '-').replace(',', '-');
        return t;
    }

    static String normaliseQ(String q) {
        return Arrays.stream(q.replaceAll("[{}\\[\\]\\s]", "").split("[,;]")).filter(x -> !x.isEmpty()).map(Integer::parseInt).sorted()
                .map(String::valueOf).collect(Collectors.joining(","));
    }

    /** Compares each result with the matching entries of the paper's golden files. */
    public static List<Row> compare(List<Result> results, List<GoldenFile> paperFiles) {
        List<Row> rows = new ArrayList<>();
        for (Result r : results) {
            for (GoldenFile f : paperFiles) {
                if (!f.source().equals("paper")) {
                    continue;
                }
                for (JsonNode e : f.entries()) {
                    if (!e.path("split").asText("val").equals("val")
                            || !normaliseConfig(e.path("config").asText("")).equals(r.config())
                            || !normaliseS(e.path("trainS").asText("")).equals(r.trainS())
                            || e.path("testQ").isNull() || !normaliseQ(e.path("testQ").asText("0")).equals(r.testQ())) {
                        continue;
                    }
                    String em = e.path("method").isNull() ? null : e.path("method").asText(null);
                    if (em != null && r.method() != null && !em.equalsIgnoreCase(r.method())) {
                        continue;
                    }
                    String metric = e.path("metric").asText();
                    Double ours = metric.equals("top1Error") ? r.top1() : metric.equals("top5Error") ? r.top5() : null;
                    if (ours == null) {
                        continue;
                    }
                    double paper = e.path("value").asDouble();
                    double tol = e.path("tolerance").asDouble();
                    rows.add(new Row(r, f.table(), e.path("id").asText(), metric, paper, tol, ours, Math.abs(ours - paper) <= tol));
                }
            }
        }
        return rows;
    }

    public static String table(List<Result> results, List<Row> rows) {
        StringBuilder sb = new StringBuilder("| result | table | paper entry | metric | paper | ours | tolerance | |\n|---|---|---|---|---:|---:|---:|---|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.1f | %.2f | %.1f | %s |%n", r.result().source(), r.table(), r.entry(),
                    r.metric(), r.paper(), r.ours(), r.tolerance(), r.match() ? "MATCH" : "DIFF"));
        }
        long unmatched = results.stream().filter(res -> rows.stream().noneMatch(r -> r.result() == res)).count();
        for (Result res : results) {
            if (rows.stream().noneMatch(r -> r.result() == res)) {
                sb.append(String.format(Locale.ROOT, "| %s | - | no paper row for config %s, S %s, Q %s%s | | | | | |%n", res.source(), res.config(),
                        res.trainS(), res.testQ(), res.method() == null ? "" : ", " + res.method()));
            }
        }
        long match = rows.stream().filter(Row::match).count();
        sb.append(String.format(Locale.ROOT, "%n%d comparisons: %d MATCH, %d DIFF; %d results without a paper row%n", rows.size(), match,
                rows.size() - match, unmatched));
        return sb.toString();
    }
}
