package dev.verydeep.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verydeep.core.NumericEnvironment;
import dev.verydeep.core.OrtOptimization;
import dev.verydeep.core.UserException;
import dev.verydeep.core.io.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
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
import java.util.TreeMap;

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
     * Resumable: an environment (or seed) whose folder under {@code work} holds a finished measurement of the same
     * request (the entries' measures, net and data hashes, the environment, the seed offset and {@code codeVersion},
     * the code commit) is read back instead of rerun, so a killed spread continues where it stopped.
     */
    public static ObjectNode measure(Path file, boolean quick, Set<String> entries, int seeds, String codeVersion, Launcher launcher,
            Path work, PrintWriter log) {
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
            Run r = new Run(file, chosen, ids, env, 0, codeVersion, work.resolve(env.name()));
            byEnvironment.put(env.name(), r.reuseOrRun(launcher, log));
        }
        Set<String> trained = new LinkedHashSet<>();
        chosen.stream().filter(GoldenSpread::trains).forEach(e -> trained.add(e.path("id").asText()));
        List<JsonNode> seedRuns = new ArrayList<>();
        for (int k = 1; k < seeds && !trained.isEmpty(); k++) {
            Run r = new Run(file, chosen, trained, MATRIX.get(0), k * SEED_STEP, codeVersion, work.resolve("seed-" + k));
            seedRuns.add(r.reuseOrRun(launcher, log));
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

    /** One rerun of entries {@code ids} under an environment (and seed offset), into its folder {@code dir}. */
    private record Run(Path file, List<JsonNode> chosen, Set<String> ids, Environment env, long seedOffset, String codeVersion, Path dir) {
        /** The finished measurement in {@link #dir} when it answers this very request, else a new one. */
        JsonNode reuseOrRun(Launcher launcher, PrintWriter log) {
            String what = env.name() + (seedOffset == 0 ? "" : " seed +" + seedOffset);
            Path values = dir.resolve("values.json");
            Path requestFile = dir.resolve("request.json");
            ObjectNode request = request(); // compared as JSON text: a number read back may be of another node type
            if (Files.isRegularFile(values) && Files.isRegularFile(requestFile) && Json.readTree(requestFile).toString().equals(request.toString())
                    && measuredAll(Json.readTree(values))) {
                log.printf(Locale.ROOT, "spread: %s measured before in %s (the same entries, nets, data and code): reused%n", what, dir);
                log.flush();
                return Json.readTree(values);
            }
            // Both written again only by a finished run: a kill or a crash leaves no measurement to be taken as this one.
            deleteIfExists(requestFile);
            deleteIfExists(values);
            JsonNode measured = run(launcher, log, what);
            Json.write(requestFile, request);
            return measured;
        }

        /** What the measurement depends on besides the machine: the entries' measures and pinned hashes, environment, seeds, code. */
        private ObjectNode request() {
            ObjectNode r = Json.MAPPER.createObjectNode();
            r.set("variables", Json.MAPPER.valueToTree(new TreeMap<>(env.variables())));
            r.put("threads", env.threads());
            r.put("seedOffset", seedOffset);
            r.put("codeVersion", codeVersion);
            ObjectNode es = r.putObject("entries");
            for (JsonNode e : chosen) {
                if (ids.contains(e.path("id").asText())) {
                    ObjectNode one = es.putObject(e.path("id").asText());
                    for (String field : List.of("measure", "modelSha256", "dataSha256")) {
                        if (e.has(field)) {
                            one.set(field, e.get(field));
                        }
                    }
                }
            }
            return r;
        }

        private static void deleteIfExists(Path p) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + p, e);
            }
        }

        private boolean measuredAll(JsonNode values) {
            return ids.stream().allMatch(id -> values.path("entries").path(id).path("measured").isNumber());
        }

        private JsonNode run(Launcher launcher, PrintWriter log, String what) {
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
            log.printf(Locale.ROOT, "spread: %s %s (%d entries)%n", what, env.variables(), ids.size());
            log.flush();
            int code = launcher.run(env.variables(), args, dir.resolve("log.txt"));
            // 1 means some entry FAILed against the old value: expected while measuring; anything else is a broken run.
            if ((code != 0 && code != 1) || !Files.isRegularFile(values)) {
                throw new UserException("the golden check under " + env.name() + " exited with " + code + " and wrote no "
                        + values + "; see " + dir.resolve("log.txt"));
            }
            return Json.readTree(values);
        }
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
