package dev.verydeep.golden;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.core.NumericEnvironment;
import dev.verydeep.core.UserException;
import dev.verydeep.core.data.FashionMnist;
import dev.verydeep.core.io.AtomicFiles;
import dev.verydeep.core.io.Hashes;
import dev.verydeep.core.io.Json;
import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.NetDescription;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reruns our own golden entries and compares them with their pinned values: {@code |measured - golden| <=
 * tolerance} passes. Two kinds of measurement ({@code measure.kind}):
 * <ul>
 *   <li>{@code net}: a count from {@link NetDescription} of the paper's full-size net
 *       ({@code quantity}: parameters or multiplyAdds), exact;</li>
 *   <li>{@code command}: {@code verydeep} command lines ({@code commands}: a list of arg lists, with the
 *       {@link Placeholders} {@code {out}} (a fresh folder), {@code {resource:PATH}} and {@code {repo}} expanded) run
 *       in order in the same folder through a {@link CommandRunner} (e.g. train, export, eval; the first failing one
 *       stops the entry); the value is {@code field} (a name, or a JSON pointer such as
 *       {@code /history/0/trainLoss}) of the JSON file {@code file} in that folder (or the mean over a list of
 *       files), times {@code scale}. The entry's {@code dataSha256} files are checked first in
 *       Fashion-MNIST's folder, and its {@code modelSha256} files (shipped nets the commands read) where they are:
 *       other data or another net cannot reproduce the value, so either is a FAIL too.</li>
 * </ul>
 * {@code quick} runs only entries marked {@code "quick": true} (or, without the mark, whose recorded {@code seconds}
 * are under {@value #QUICK_SECONDS}). Entries with the
 * same command lines share one run per check (e.g. every number of {@code verydeep suite --full} comes from one run of
 * it). With a {@code from} folder nothing is run: each command entry is read from that folder as if it had been its
 * {@code {out}} (a suite run made earlier, resumably, by {@code verydeep suite --full --out DIR}).
 */
public final class GoldenCheck {
    public static final double QUICK_SECONDS = 60;

    /** Runs a verydeep command line (the CLI passes its own entry point) and returns its exit code. */
    @FunctionalInterface
    public interface CommandRunner {
        int run(List<String> args);
    }

    /** One compared entry. {@code status}: PASS, FAIL. {@code environment}: where a FAIL's pinned and measured environments differ. */
    public record Outcome(String file, String id, String metric, double golden, double tolerance, Double measured, String status,
            String detail, double seconds, List<String> environment, Double resolution) {
        public boolean failed() {
            return !status.equals("PASS");
        }

        Outcome timed(double secs) {
            return new Outcome(file, id, metric, golden, tolerance, measured, status, detail, secs, environment, resolution);
        }
    }

    /**
     * What to check and how to rerun it.
     *
     * @param quick      only the quick entries ({@link #isQuick})
     * @param entries    only these entry ids (empty: all)
     * @param threads    when positive, every {@code --threads N} of the entries' commands becomes this count
     * @param seedOffset added to every {@code --seed N} of the entries' commands (0: as pinned)
     */
    public record Options(boolean quick, Set<String> entries, int threads, long seedOffset) {
        public static final Options ALL = new Options(false, Set.of(), 0, 0);
        public static final Options QUICK = new Options(true, Set.of(), 0, 0);

        boolean selects(JsonNode e) {
            return (!quick || isQuick(e)) && (entries.isEmpty() || entries.contains(e.path("id").asText()));
        }

        /** A command line with this run's thread count and seed offset applied. */
        List<String> adjust(List<String> args) {
            List<String> out = new ArrayList<>(args);
            for (int i = 0; i + 1 < out.size(); i++) {
                if (out.get(i).equals("--threads") && threads > 0) {
                    out.set(i + 1, Integer.toString(threads));
                } else if (out.get(i).equals("--seed") && seedOffset != 0) {
                    out.set(i + 1, Long.toString(Long.parseLong(out.get(i + 1)) + seedOffset));
                }
            }
            return out;
        }
    }

    /** An entry's {@code quick} flag when it has one (a choice: CI runs it), else whether it took under {@value #QUICK_SECONDS} s when pinned. */
    static boolean isQuick(JsonNode e) {
        return e.path("quick").asBoolean(e.path("seconds").asDouble(0) < QUICK_SECONDS);
    }

    private GoldenCheck() {
    }

    /** Checks every rerunnable entry of {@code files} ({@code source: verydeep}); paper files are skipped. */
    public static List<Outcome> check(List<GoldenFile> files, boolean quick, CommandRunner runner, Path work, PrintWriter log) {
        return check(files, quick ? Options.QUICK : Options.ALL, runner, work, log);
    }

    /** Checks the entries {@code options} selects, rerunning their commands as {@code options} adjusts them. */
    public static List<Outcome> check(List<GoldenFile> files, Options options, CommandRunner runner, Path work, PrintWriter log) {
        return check(files, options, new Runs(runner, work, null, options), log);
    }

    /** As {@link #check(List, boolean, CommandRunner, Path, PrintWriter)}, but reads command entries from {@code from}, running nothing. */
    public static List<Outcome> checkFrom(List<GoldenFile> files, Path from, PrintWriter log) {
        requireRunFolder(from);
        return check(files, Options.ALL, new Runs(null, null, from, Options.ALL), log);
    }

    private static List<Outcome> check(List<GoldenFile> files, Options options, Runs runs, PrintWriter log) {
        List<Outcome> out = new ArrayList<>();
        NumericEnvironment here = NumericEnvironment.capture();
        for (GoldenFile f : files) {
            if (!f.source().equals("verydeep")) {
                continue;
            }
            for (JsonNode e : f.entries()) {
                if (!options.selects(e)) {
                    continue;
                }
                log.printf(Locale.ROOT, "checking %s %s (%s)%n", f.name(), e.path("id").asText(),
                        runs.from == null ? commandText(e.path("measure")) : "from " + runs.from);
                log.flush();
                long t0 = System.nanoTime();
                Outcome o = withEnvironment(checkEntry(f.name(), e, runs), e, here);
                out.add(o.timed((System.nanoTime() - t0) / 1e9));
            }
        }
        return out;
    }

    /** A FAIL gets the differences between the entry's pinned environment and this one. */
    private static Outcome withEnvironment(Outcome o, JsonNode entry, NumericEnvironment here) {
        JsonNode pinned = entry.path("environment");
        if (!o.failed() || !pinned.isObject()) {
            return o;
        }
        List<String> diff = Json.MAPPER.convertValue(pinned, NumericEnvironment.class).differences(here);
        return new Outcome(o.file(), o.id(), o.metric(), o.golden(), o.tolerance(), o.measured(), o.status(), o.detail(), o.seconds(),
                diff.isEmpty() ? List.of("same numeric environment as when pinned: not a platform difference") : diff, o.resolution());
    }

    /** The entry's command lines as one would type them, joined by {@code &&}. */
    public static String commandText(JsonNode measure) {
        if (!measure.has("commands")) {
            return "-";
        }
        List<String> lines = new ArrayList<>();
        measure.path("commands").forEach(c -> {
            List<String> words = new ArrayList<>(List.of("verydeep"));
            c.forEach(a -> words.add(a.asText()));
            lines.add(String.join(" ", words));
        });
        return String.join(" && ", lines);
    }

    static Outcome checkEntry(String file, JsonNode e, Runs runs) {
        String id = e.path("id").asText();
        String metric = e.path("metric").asText();
        double golden = e.path("value").asDouble();
        double tol = e.path("tolerance").asDouble(0);
        JsonNode m = e.path("measure");
        Reading r;
        try {
            r = switch (m.path("kind").asText()) {
                case "net" -> new Reading(net(m), null, null);
                case "command" -> {
                    // Pinned data and nets must be here only when we run; a --from folder was made wherever it was made.
                    String bad = runs.from == null ? runs.inputProblem(e) : null;
                    if (bad != null) {
                        throw new CheckFailed(bad);
                    }
                    yield reading(m, runs.folder(id, m));
                }
                default -> throw new UserException(file + ": entry " + id + " has no measure.kind (net or command)");
            };
        } catch (CheckFailed x) {
            return new Outcome(file, id, metric, golden, tol, null, "FAIL", x.getMessage(), 0, List.of(), null);
        } catch (UserException x) {
            return new Outcome(file, id, metric, golden, tol, null, "FAIL", x.getMessage(), 0, List.of(), null);
        }
        return compared(file, e, r.value(), r.resolution());
    }

    /** PASS when {@code |measured - value| <= tolerance}. */
    private static Outcome compared(String file, JsonNode e, double measured, Double resolution) {
        double golden = e.path("value").asDouble();
        double tol = e.path("tolerance").asDouble(0);
        boolean ok = Math.abs(measured - golden) <= tol;
        return new Outcome(file, e.path("id").asText(), e.path("metric").asText(), golden, tol, measured, ok ? "PASS" : "FAIL",
                ok ? "" : String.format(Locale.ROOT, "off by %.6g (tolerance %.6g)", measured - golden, tol), 0, List.of(), resolution);
    }

    /**
     * Checks entry {@code id} of {@code f} against a result file already in memory ({@code result}: the JSON that the
     * entry's {@code measure.file} names, e.g. the {@code results.json} of an evaluation): its {@code field} times
     * {@code scale}, running nothing. What the Java API's results are checked with; a FAIL carries the numeric
     * environment differences as in {@link #check}.
     */
    public static Outcome checkResult(GoldenFile f, String id, JsonNode result) {
        JsonNode e = f.entry(id);
        JsonNode m = e.path("measure");
        List<String> names = resultFiles(m);
        if (names.size() > 1) {
            throw new UserException(f.name() + ": entry " + id + " is the mean over " + names.size() + " result files " + names
                    + "; check it against the run folder that holds them");
        }
        Path name = Path.of(names.get(0));
        double scale = m.path("scale").asDouble(1);
        Outcome o;
        try {
            Double resolution = m.has("resolution") ? valueIn(m.path("resolution").asText(), scale, name, result) : null;
            o = compared(f.name(), e, valueIn(m.path("field").asText(), scale, name, result), resolution);
        } catch (CheckFailed x) {
            o = new Outcome(f.name(), id, e.path("metric").asText(), e.path("value").asDouble(), e.path("tolerance").asDouble(0), null,
                    "FAIL", x.getMessage(), 0, List.of(), null);
        }
        return withEnvironment(o, e, NumericEnvironment.capture());
    }

    /** Checks entry {@code id} of {@code f} against the run folder {@code from}, as {@code golden check --from} does, running nothing. */
    public static Outcome checkFrom(GoldenFile f, String id, Path from) {
        requireRunFolder(from);
        JsonNode e = f.entry(id);
        return withEnvironment(checkEntry(f.name(), e, new Runs(null, null, from, Options.ALL)), e, NumericEnvironment.capture());
    }

    private static Double fail(String why) {
        throw new CheckFailed(why);
    }

    private static final class CheckFailed extends RuntimeException {
        CheckFailed(String m) {
            super(m);
        }
    }

    private static double net(JsonNode m) {
        NetDescription net = NetDescription.paper(Config.parse(m.path("config").asText()));
        return switch (m.path("quantity").asText()) {
            case "parameters" -> net.parameterCount();
            case "multiplyAdds" -> net.multiplyAdds();
            default -> throw new UserException("unknown net quantity '" + m.path("quantity").asText() + "'");
        };
    }

    /**
     * Null when every file of {@code sha} (a name as the entry pins it -> its SHA-256), found by {@code where}, is
     * present with its hash; else what is wrong with the first that is not: {@code what} and the file, then
     * {@code missing} or the two hashes and {@code changed}.
     */
    static String pinnedFilesProblem(JsonNode sha, Function<String, Path> where, Function<Path, String> hash, String what, String missing,
            String changed) {
        if (sha == null || !sha.isObject()) {
            return null;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = sha.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            Path p = where.apply(f.getKey());
            if (!Files.isRegularFile(p)) {
                return what + " " + p + missing;
            }
            String h = hash.apply(p);
            if (!h.equals(f.getValue().asText())) {
                return what + " " + p + " has SHA-256 " + h + ", the golden value was made with " + f.getValue().asText() + changed;
            }
        }
        return null;
    }

    /**
     * Where command entries get their output folders: runs each distinct list of command lines once, in a fresh folder
     * named after the first entry that needs it, or (with {@code from}) hands out that one folder.
     */
    static final class Runs {
        private final CommandRunner runner;
        private final Path work;
        final Path from;
        // Command lines (as JSON text) -> the folder they ran in, or why they failed.
        private final Map<String, Object> done = new HashMap<>();
        // Pinned data and net files -> their SHA-256, hashed once per check (many entries read the same ones).
        private final Map<Path, String> hashes = new HashMap<>();
        private final Options options;

        Runs(CommandRunner runner, Path work, Path from, Options options) {
            this.runner = runner;
            this.work = work;
            this.from = from;
            this.options = options;
        }

        /**
         * Null when entry {@code e}'s {@code dataSha256} files (in Fashion-MNIST's folder) and {@code modelSha256} files
         * ({@code {repo}/...}: shipped nets) are the ones its value was made with: other data or a net trained again
         * cannot reproduce it (re-pin with {@code golden spread}); else what is wrong.
         */
        String inputProblem(JsonNode e) {
            Function<Path, String> hash = p -> hashes.computeIfAbsent(p, Hashes::sha256);
            String data = pinnedFilesProblem(e.path("dataSha256"), FashionMnist.defaultDir()::resolve, hash, "data file",
                    " is missing (install dataset-fashion-mnist or set " + FashionMnist.DIR_ENV + ")", "");
            return data != null ? data : pinnedFilesProblem(e.path("modelSha256"), Placeholders::repoFile, hash, "model",
                    " is missing (the golden value was made with it)", " (a net trained again: re-pin its entries with golden spread)");
        }

        Path folder(String id, JsonNode m) {
            List<JsonNode> steps = steps(id, m);
            if (from != null) {
                return from;
            }
            String key = steps.toString();
            Object known = done.get(key);
            if (known == null) {
                try {
                    known = run(id, steps);
                } catch (CheckFailed x) {
                    known = x;
                }
                done.put(key, known);
            }
            if (known instanceof CheckFailed x) {
                throw x;
            }
            return (Path) known;
        }

        private Path run(String id, List<JsonNode> steps) {
            Path out = work.resolve(id.replaceAll("[^A-Za-z0-9._-]", "_"));
            try {
                if (Files.exists(out)) {
                    AtomicFiles.deleteRecursively(out);
                }
                Files.createDirectories(out.getParent());
            } catch (IOException x) {
                throw new UserException("cannot prepare " + out + ": " + x.getMessage(), x);
            }
            for (int i = 0; i < steps.size(); i++) {
                List<String> words = new ArrayList<>();
                steps.get(i).forEach(a -> words.add(Placeholders.expand(a.asText(), out, work)));
                List<String> args = options.adjust(words);
                int code = runner.run(args);
                if (code != 0) {
                    fail(steps.size() == 1 ? "the command exited with " + code
                            : "command " + (i + 1) + " of " + steps.size() + " (" + args.get(0) + ") exited with " + code);
                }
            }
            return out;
        }
    }

    private static List<JsonNode> steps(String id, JsonNode m) {
        if (m.has("args")) {
            throw new UserException("entry " + id + ": measure.args is golden format 1; format 2 stores the command once, as "
                    + "measure.commands (a list of command lines, each a list of words)");
        }
        List<JsonNode> steps = new ArrayList<>();
        m.path("commands").forEach(steps::add);
        if (steps.isEmpty() || steps.stream().anyMatch(s -> !s.isArray() || s.isEmpty())) {
            throw new UserException("entry " + id + ": measure needs commands (a list of command lines, each a list of words)");
        }
        return steps;
    }

    /**
     * What an entry's result files in {@code out} say, each parsed once: its {@code field} times {@code scale} (when
     * {@code file} is a list, e.g. one run per seed, the mean over them), the optional {@code measure.resolution} read
     * the same way (the smallest change of the value that last-bit differences can make, e.g. the share of test images
     * whose decision margin is below what another CPU's kernels move: a floor for the tolerance), and the first file
     * (where provenance is read).
     */
    static Reading reading(JsonNode m, Path out) {
        List<Path> files = resultFiles(m).stream().map(out::resolve).toList();
        List<JsonNode> roots = files.stream().map(GoldenCheck::parse).toList();
        Double resolution = m.has("resolution") ? mean(m.path("resolution").asText(), m, files, roots) : null;
        return new Reading(mean(m.path("field").asText(), m, files, roots), resolution, roots.get(0));
    }

    /** An entry's value, its resolution (null without one) and its first parsed result file (null for net counts). */
    record Reading(double value, Double resolution, JsonNode first) {
    }

    private static double mean(String field, JsonNode m, List<Path> files, List<JsonNode> roots) {
        double sum = 0;
        for (int i = 0; i < files.size(); i++) {
            sum += valueIn(field, m.path("scale").asDouble(1), files.get(i), roots.get(i));
        }
        return sum / files.size();
    }

    /** The entry's result file names: {@code file}, a name or a list of names. */
    static List<String> resultFiles(JsonNode m) {
        JsonNode f = m.path("file");
        List<String> names = new ArrayList<>();
        if (f.isArray()) {
            f.forEach(n -> names.add(n.asText()));
        } else if (f.isTextual()) {
            names.add(f.asText());
        }
        if (names.isEmpty()) {
            throw new UserException("measure has no file (a result file name, or a list of them)");
        }
        return names;
    }

    private static JsonNode parse(Path result) {
        if (!Files.isRegularFile(result)) {
            throw new CheckFailed("no result file " + result);
        }
        return Json.readTree(result);
    }

    /** {@code field} of the parsed result file {@code root} (read from {@code file}), times {@code scale}. */
    private static double valueIn(String field, double scale, Path file, JsonNode root) {
        JsonNode v = field.startsWith("/") ? root.at(field) : root.path(field);
        if (!v.isNumber()) {
            return fail(file + " has no number '" + field + "'");
        }
        return v.asDouble() * scale;
    }

    /** A {@code --from} folder must exist: it is the run the golden entries are read from. */
    static void requireRunFolder(Path from) {
        if (!Files.isDirectory(from)) {
            throw new UserException("--from " + from + ": no such folder (give the --out folder of the run the golden file describes)");
        }
    }

    /** The measured-vs-golden table (Markdown). */
    public static String table(List<Outcome> outcomes) {
        StringBuilder sb = new StringBuilder("| file | entry | metric | golden | tolerance | measured | result | s |\n|---|---|---|---:|---:|---:|---|---:|\n");
        for (Outcome o : outcomes) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s%s | %.1f |%n", o.file(), o.id(), o.metric(), num(o.golden()),
                    num(o.tolerance()), o.measured() == null ? "-" : num(o.measured()), o.status(),
                    o.detail().isEmpty() ? "" : ": " + o.detail(), o.seconds()));
        }
        long fails = outcomes.stream().filter(Outcome::failed).count();
        sb.append(String.format(Locale.ROOT, "%n%d entries, %d PASS, %d FAIL%n", outcomes.size(), outcomes.size() - fails, fails));
        for (Outcome o : outcomes) {
            if (!o.environment().isEmpty()) {
                sb.append(String.format(Locale.ROOT, "%s %s: numeric environment pinned vs here: %s%n", o.file(), o.id(),
                        String.join("; ", o.environment())));
            }
        }
        return sb.toString();
    }

    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%d", (long) v);
        }
        return String.format(Locale.ROOT, "%.7g", v);
    }
}
