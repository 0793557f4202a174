package dev.verydeep.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verydeep.core.NumericEnvironment;
import dev.verydeep.core.OrtOptimization;
import dev.verydeep.core.UserException;
import dev.verydeep.core.io.Json;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Measures how far each golden entry moves when another machine would pick other kernels, and sets its tolerance
 * from that: the rule is {@value #RULE}.
 *
 * <p>Each numeric environment of {@link #MATRIX} reruns the entries in a fresh process (the variables act when the
 * native libraries load), through a {@link Launcher} that runs {@code verydeep golden check ... --values FILE}; entries
 * whose commands train a net are also rerun with other seeds ({@code --seed-offset}). The pinned value is the one
 * measured as is; the entry records every measured value, the range, the seed standard deviation, the resolution
 * (when its {@code measure.resolution} names one) and the numeric environment it was pinned in. An entry may carry a
 * {@code floor} with a {@code floorNote} saying which measurement it rests on: for effects this machine cannot
 * simulate (ONNX Runtime's MLAS picks its kernels by CPUID), the move measured on a sibling entry of the same pipeline.
 */
public final class GoldenSpread {
    public static final String RULE = "tolerance = max(3 x seed std, 1.5 x environment range, resolution, floor), rounded up to 2 significant digits";
    /** Seeds are shifted by multiples of this, far from any seed an entry uses itself. */
    static final long SEED_STEP = 1000;

    /** A numeric environment: variables for the child process and, when positive, the thread count for every command. */
    public record Environment(String name, Map<String, String> variables, int threads) {
    }

    /**
     * The environments a user's machine may give, simulated on this one: ATen's kernel family (default, avx2; avx512
     * is what an AVX-512 machine picks as is), oneDNN's ISA cap, MKL's reproducible code path, the other thread count,
     * ONNX Runtime at three lower graph optimisation levels (other fused kernels, other rounding: the nearest this
     * machine gets to another CPU's ONNX Runtime kernels, which MLAS picks by CPUID with no switch), and CI's
     * perturbed combination.
     */
    public static final List<Environment> MATRIX = List.of(
            new Environment("as-is", Map.of(), 0),
            new Environment("aten-default", Map.of("ATEN_CPU_CAPABILITY", "default"), 0),
            new Environment("aten-avx2", Map.of("ATEN_CPU_CAPABILITY", "avx2"), 0),
            new Environment("onednn-sse41", Map.of("ONEDNN_MAX_CPU_ISA", "SSE41"), 0),
            new Environment("mkl-compatible", Map.of("MKL_CBWR", "COMPATIBLE"), 0),
            new Environment("threads-2", Map.of(), 2),
            new Environment("ort-basic", Map.of(OrtOptimization.VARIABLE, "basic"), 0),
            new Environment("ort-extended", Map.of(OrtOptimization.VARIABLE, "extended"), 0),
            new Environment("ort-none", Map.of(OrtOptimization.VARIABLE, "none"), 0),
            new Environment("ci-perturbed", Map.of("ATEN_CPU_CAPABILITY", "default", "ONEDNN_MAX_CPU_ISA", "SSE41",
                    OrtOptimization.VARIABLE, "basic"), 2));

    /** Runs {@code verydeep} with {@code args} in a new process with {@code variables} added to its environment; returns the exit code. */
    @FunctionalInterface
    public interface Launcher {
        int run(Map<String, String> variables, List<String> args, Path log);
    }

    private GoldenSpread() {
    }

    /**
     * Measures the spread of the command entries of {@code file} ({@code entries}: only these ids, empty for all;
     * {@code quick}: only the quick ones) and returns a copy of the file with values, tolerances and spreads set.
     */
    public static ObjectNode measure(Path file, boolean quick, Set<String> entries, int seeds, Launcher launcher, Path work, PrintWriter log) {
        GoldenFile f = GoldenFile.load(file.toString());
        List<JsonNode> chosen = f.entries().stream()
                .filter(e -> e.path("measure").path("kind").asText().equals("command"))
                .filter(e -> new GoldenCheck.Options(quick, entries, 0, 0).selects(e)).toList();
        if (chosen.isEmpty()) {
            throw new UserException(file + ": no command entries to measure" + (quick ? " under a minute" : ""));
        }
        Set<String> ids = new LinkedHashSet<>();
        chosen.forEach(e -> ids.add(e.path("id").asText()));
        Map<String, JsonNode> byEnvironment = new LinkedHashMap<>();
        for (Environment env : MATRIX) {
            byEnvironment.put(env.name(), run(file, ids, env, 0, launcher, work.resolve(env.name()), log));
        }
        Set<String> trained = new LinkedHashSet<>();
        chosen.stream().filter(GoldenSpread::trains).forEach(e -> trained.add(e.path("id").asText()));
        List<JsonNode> seedRuns = new ArrayList<>();
        for (int k = 1; k < seeds && !trained.isEmpty(); k++) {
            seedRuns.add(run(file, trained, MATRIX.get(0), k * SEED_STEP, launcher, work.resolve("seed-" + k), log));
        }
        ObjectNode out = f.json().deepCopy();
        out.put("format", 2);
        out.put("toleranceRule", RULE);
        for (JsonNode n : out.path("entries")) {
            String id = n.path("id").asText();
            if (ids.contains(id)) {
                apply((ObjectNode) n, byEnvironment, trained.contains(id) ? seedRuns : List.of());
            }
        }
        return out;
    }

    /** Whether the entry's commands train a net: its value then depends on a training trajectory, and so on seeds. */
    static boolean trains(JsonNode entry) {
        for (JsonNode c : entry.path("measure").path("commands")) {
            String verb = c.path(0).asText();
            if (verb.equals("train") || verb.equals("train-loc")) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode run(Path file, Set<String> ids, Environment env, long seedOffset, Launcher launcher, Path dir, PrintWriter log) {
        Path values = dir.resolve("values.json");
        List<String> args = new ArrayList<>(List.of("golden", "check", "--file", file.toAbsolutePath().toString(), "--work",
                dir.resolve("runs").toString(), "--values", values.toString()));
        ids.forEach(id -> args.addAll(List.of("--entry", id)));
        if (env.threads() > 0) {
            args.addAll(List.of("--threads", Integer.toString(env.threads())));
        }
        if (seedOffset != 0) {
            args.addAll(List.of("--seed-offset", Long.toString(seedOffset)));
        }
        log.printf(Locale.ROOT, "spread: %s%s %s (%d entries)%n", env.name(), seedOffset == 0 ? "" : " seed +" + seedOffset,
                env.variables(), ids.size());
        log.flush();
        int code = launcher.run(env.variables(), args, dir.resolve("log.txt"));
        // 1 means some entry FAILed against the old value: expected while measuring; anything else is a broken run.
        if ((code != 0 && code != 1) || !Files.isRegularFile(values)) {
            throw new UserException("the golden check under " + env.name() + " exited with " + code + " and wrote no "
                    + values + "; see " + dir.resolve("log.txt"));
        }
        return Json.readTree(values);
    }

    private static void apply(ObjectNode e, Map<String, JsonNode> byEnvironment, List<JsonNode> seedRuns) {
        String id = e.path("id").asText();
        JsonNode asIs = byEnvironment.get(MATRIX.get(0).name());
        ObjectNode spread = Json.MAPPER.createObjectNode();
        ObjectNode envValues = spread.putObject("environments");
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Map.Entry<String, JsonNode> r : byEnvironment.entrySet()) {
            double v = measured(r.getValue(), id, r.getKey());
            envValues.put(r.getKey(), v);
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double value = measured(asIs, id, "as-is");
        double range = max - min;
        spread.put("environmentRange", range);
        double seedStd = 0;
        if (!seedRuns.isEmpty()) {
            ArrayNode seeds = spread.putArray("seeds");
            List<Double> vs = new ArrayList<>(List.of(value));
            seeds.add(value);
            for (int k = 0; k < seedRuns.size(); k++) {
                double v = measured(seedRuns.get(k), id, "seed +" + (k + 1) * SEED_STEP);
                seeds.add(v);
                vs.add(v);
            }
            seedStd = std(vs);
            spread.put("seedStd", seedStd);
        }
        JsonNode res = asIs.path("entries").path(id).path("resolution");
        double resolution = res.isNumber() ? res.asDouble() : 0;
        if (res.isNumber()) {
            spread.put("resolution", resolution);
        }
        double floor = e.path("floor").asDouble(0);
        spread.put("rule", RULE);
        e.put("value", value);
        e.put("tolerance", tolerance(seedStd, range, Math.max(resolution, floor)));
        e.set("spread", spread);
        e.set("environment", asIs.path("environment"));
        e.put("seconds", Math.round(asIs.path("entries").path(id).path("seconds").asDouble()));
        JsonNode commit = asIs.path("codeVersion");
        if (commit.isTextual()) {
            e.put("codeVersion", commit.asText());
        }
    }

    private static double measured(JsonNode run, String id, String where) {
        JsonNode v = run.path("entries").path(id).path("measured");
        if (!v.isNumber()) {
            throw new UserException("entry " + id + " gave no value under " + where + ": "
                    + run.path("entries").path(id).path("detail").asText("not run"));
        }
        return v.asDouble();
    }

    /** The rule: max(3 x seed std, 1.5 x environment range, resolution), rounded up to 2 significant digits (0 stays 0). */
    static double tolerance(double seedStd, double range, double resolution) {
        double t = Math.max(Math.max(3 * seedStd, 1.5 * range), resolution);
        if (t <= 0) {
            return 0;
        }
        return BigDecimal.valueOf(t).round(new MathContext(2, RoundingMode.UP)).doubleValue();
    }

    /** Sample standard deviation. */
    static double std(List<Double> xs) {
        double mean = xs.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double ss = xs.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
        return xs.size() < 2 ? 0 : Math.sqrt(ss / (xs.size() - 1));
    }

    /** The values file a {@code golden check --values FILE} run writes: its environment, code version and each entry's outcome. */
    public static ObjectNode values(List<GoldenCheck.Outcome> outcomes, String codeVersion) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.set("environment", Json.MAPPER.valueToTree(NumericEnvironment.capture()));
        root.put("codeVersion", codeVersion);
        ObjectNode entries = root.putObject("entries");
        for (GoldenCheck.Outcome o : outcomes) {
            ObjectNode e = entries.putObject(o.id());
            if (o.measured() != null) {
                e.put("measured", o.measured());
            }
            if (o.resolution() != null) {
                e.put("resolution", o.resolution());
            }
            e.put("status", o.status());
            e.put("detail", o.detail());
            e.put("seconds", o.seconds());
        }
        return root;
    }
}
