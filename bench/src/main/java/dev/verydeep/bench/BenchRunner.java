package dev.verydeep.bench;

import dev.verydeep.core.Provenance;
import dev.verydeep.core.UserException;
import dev.verydeep.core.io.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmarks in this JVM's class path through JMH's {@link Runner} (each benchmark in a forked JVM),
 * writes JMH's JSON into an output folder, and prints a summary: time per op and per image, achieved GFLOP/s
 * from the net description's multiply-adds, and its share of the measured SGEMM peak ({@link SgemmBench}).
 */
public final class BenchRunner {
    private BenchRunner() {
    }

    /** One row of the summary. */
    public record Row(String benchmark, String params, double msPerOp, double error, double msPerImage, double gflops, String note) {
    }

    /**
     * Runs the benchmarks matching {@code pattern} (a JMH regexp; null: all). {@code quick}: 1 warm-up and 3
     * measured iterations of 1 s (about 5 s per parameter set plus JVM start). {@code params} override
     * {@code @Param} values ({@code width=1}). Writes {@code out/jmh-TIME.json}, the summary and how they were made
     * ({@code provenance}: command, code version, library versions, CPU and its numeric environment) as
     * {@code out/provenance-TIME.json}, and returns the rows.
     */
    public static List<Row> run(String pattern, boolean quick, Path out, Map<String, List<String>> params, Provenance provenance,
            PrintWriter log) {
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UserException("cannot create " + out + ": " + e.getMessage(), e);
        }
        Path json = out.resolve("jmh-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include(pattern == null || pattern.isBlank() ? ".*" : pattern)
                .result(json.toString())
                .resultFormat(ResultFormatType.JSON)
                .shouldFailOnError(false); // a failing benchmark must not lose the others' results
        if (quick) {
            o.warmupIterations(1).warmupTime(TimeValue.seconds(1)).measurementIterations(3).measurementTime(TimeValue.seconds(1)).forks(1);
        }
        params.forEach((k, v) -> o.param(k, v.toArray(String[]::new)));
        Collection<RunResult> results;
        try {
            results = new Runner(o.build()).run();
        } catch (RunnerException e) {
            throw new UserException("JMH failed: " + e.getMessage(), e);
        }
        if (results.isEmpty()) {
            throw new UserException("no benchmark matches '" + pattern + "'");
        }
        List<Row> rows = rows(results);
        String table = table(rows);
        log.println();
        log.print(table);
        log.println("JMH results: " + json);
        String stamp = json.getFileName().toString().replace(".json", "").replace("jmh-", "");
        Json.write(out.resolve("provenance-" + stamp + ".json"), provenance);
        try {
            Files.writeString(out.resolve("summary-" + json.getFileName().toString().replace(".json", ".md")), "`" + provenance.command() + "` at "
                    + provenance.gitCommit() + (provenance.gitDirty() ? " (uncommitted changes)" : "") + ", " + provenance.time()
                    + "; machine and versions: provenance-" + stamp + ".json\n\n" + table);
        } catch (IOException e) {
            throw new UserException("cannot write the summary into " + out + ": " + e.getMessage(), e);
        }
        return rows;
    }

    static List<Row> rows(Collection<RunResult> results) {
        List<Row> rows = new ArrayList<>();
        for (RunResult r : results) {
            BenchmarkResult b = r.getAggregatedResult();
            String name = r.getParams().getBenchmark();
            Map<String, String> p = new TreeMap<>();
            for (String k : r.getParams().getParamsKeys()) {
                p.put(k, r.getParams().getParam(k));
            }
            double ms = b.getPrimaryResult().getScore();
            double err = b.getPrimaryResult().getScoreError();
            Work w = Work.of(name, p);
            double perImage = w.images() > 0 ? ms / w.images() : Double.NaN;
            double gflops = w.multiplyAdds() > 0 ? w.flop() / (ms * 1e-3) / 1e9 : Double.NaN;
            String shortName = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            rows.add(new Row(shortName, paramText(p), ms, err, perImage, gflops, w.note()));
        }
        return rows;
    }

    private static String paramText(Map<String, String> p) {
        Map<String, String> shown = new LinkedHashMap<>(p);
        StringBuilder sb = new StringBuilder();
        shown.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return sb.toString();
    }

    /** A Markdown table; the peak is the best SGEMM row present (else the % column is empty). */
    public static String table(List<Row> rows) {
        double peak = rows.stream().filter(r -> r.benchmark().startsWith("SgemmBench")).mapToDouble(Row::gflops).max().orElse(Double.NaN);
        StringBuilder sb = new StringBuilder();
        sb.append("| benchmark | params | ms/op | ms/image | GFLOP/s | % of SGEMM peak |\n|---|---|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %.3f ± %.3f | %s | %s | %s |%n", r.benchmark(), r.params(), r.msPerOp(),
                    r.error(), num(r.msPerImage(), "%.3f"),
                    num(r.gflops(), "%.1f") + (r.note() != null && !Double.isNaN(r.gflops()) ? " (" + r.note() + ")" : ""),
                    Double.isNaN(peak) || Double.isNaN(r.gflops()) ? "" : String.format(Locale.ROOT, "%.0f%%", 100 * r.gflops() / peak)));
        }
        if (!Double.isNaN(peak)) {
            sb.append(String.format(Locale.ROOT, "%nPeak: %.1f GFLOP/s, the best SGEMM (2048x2048 float32 matrix product) measured above.%n", peak));
        }
        return sb.toString();
    }

    private static String num(double v, String fmt) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, fmt, v);
    }
}
