package dev.verydeep.golden;

import com.fasterxml.jackson.databind.JsonNode;
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

/**
 * Reruns our own golden entries and compares them with their pinned values: {@code |measured - golden| <=
 * tolerance} passes. Two kinds of measurement ({@code measure.kind}):
 * <ul>
 *   <li>{@code net}: a count from {@link NetDescription} of the paper's full-size net
 *       ({@code quantity}: parameters or multiplyAdds), exact;</li>
 *   <li>{@code command}: a {@code verydeep} command line ({@code args}, with {@code {out}} replaced by a fresh
 *       folder) run through a {@link CommandRunner}, or several ({@code commands}: a list of such
 *       arg lists, run in order in the same folder, e.g. train, export, eval; the first failing one stops the entry);
 *       the value is {@code field} (a name, or a JSON pointer such as
 *       {@code /history/0/trainLoss}) of the JSON file {@code file} in that folder, times {@code scale}. The entry's {@code dataSha256} files are checked first in
 *       Fashion-MNIST's folder: other data cannot reproduce the value, so that is a FAIL too.</li>
 * </ul>
 * {@code quick} runs only entries whose recorded {@code seconds} are under {@value #QUICK_SECONDS}. Entries with the
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

    /** One compared entry. {@code status}: PASS, FAIL. */
    public record Outcome(String file, String id, String metric, double golden, double tolerance, Double measured, String status,
            String detail, double seconds) {
        public boolean failed() {
            return !status.equals("PASS");
        }
    }

    private GoldenCheck() {
    }

    /** Checks every rerunnable entry of {@code files} ({@code source: verydeep}); paper files are skipped. */
    public static List<Outcome> check(List<GoldenFile> files, boolean quick, CommandRunner runner, Path work, PrintWriter log) {
        return check(files, quick, new Runs(runner, work, null), log);
    }

    /** As {@link #check(List, boolean, CommandRunner, Path, PrintWriter)}, but reads command entries from {@code from}, running nothing. */
    public static List<Outcome> checkFrom(List<GoldenFile> files, Path from, PrintWriter log) {
        requireRunFolder(from);
        return check(files, false, new Runs(null, null, from), log);
    }

    private static List<Outcome> check(List<GoldenFile> files, boolean quick, Runs runs, PrintWriter log) {
        List<Outcome> out = new ArrayList<>();
        for (GoldenFile f : files) {
            if (!f.source().equals("verydeep")) {
                continue;
            }
            for (JsonNode e : f.entries()) {
                double secs = e.path("seconds").asDouble(0);
                if (quick && secs >= QUICK_SECONDS) {
                    continue;
                }
                log.printf(Locale.ROOT, "checking %s %s (%s)%n", f.name(), e.path("id").asText(),
                        runs.from == null ? e.path("command").asText("-") : "from " + runs.from);
                log.flush();
                long t0 = System.nanoTime();
                Outcome o = checkEntry(f.name(), e, runs);
                out.add(new Outcome(o.file(), o.id(), o.metric(), o.golden(), o.tolerance(), o.measured(), o.status(), o.detail(),
                        (System.nanoTime() - t0) / 1e9));
            }
        }
        return out;
    }

    static Outcome checkEntry(String file, JsonNode e, Runs runs) {
        String id = e.path("id").asText();
        String metric = e.path("metric").asText();
        double golden = e.path("value").asDouble();
        double tol = e.path("tolerance").asDouble(0);
        JsonNode m = e.path("measure");
        Double measured;
        try {
            measured = switch (m.path("kind").asText()) {
                case "net" -> net(m);
                case "command" -> {
                    // Pinned data must be here only when we run; a --from folder was made wherever it was made.
                    String bad = runs.from == null ? dataProblem(e.path("dataSha256")) : null;
                    if (bad != null) {
                        yield fail(bad);
                    }
                    yield read(m, runs.folder(id, m));
                }
                default -> throw new UserException(file + ": entry " + id + " has no measure.kind (net or command)");
            };
        } catch (CheckFailed x) {
            return new Outcome(file, id, metric, golden, tol, null, "FAIL", x.getMessage(), 0);
        } catch (UserException x) {
            return new Outcome(file, id, metric, golden, tol, null, "FAIL", x.getMessage(), 0);
        }
        boolean ok = Math.abs(measured - golden) <= tol;
        return new Outcome(file, id, metric, golden, tol, measured, ok ? "PASS" : "FAIL",
                ok ? "" : String.format(Locale.ROOT, "off by %.6g (tolerance %.6g)", measured - golden, tol), 0);
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

    /** Null when every pinned data file is present in Fashion-MNIST's folder with its SHA-256; else what is wrong. */
    static String dataProblem(JsonNode sha) {
        if (sha == null || !sha.isObject() || sha.isEmpty()) {
            return null;
        }
        Path dir = FashionMnist.defaultDir();
        for (Iterator<Map.Entry<String, JsonNode>> it = sha.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            Path p = dir.resolve(f.getKey());
            if (!Files.isRegularFile(p)) {
                return "data file " + p + " is missing (install dataset-fashion-mnist or set " + FashionMnist.DIR_ENV + ")";
            }
            String h = Hashes.sha256(p);
            if (!h.equals(f.getValue().asText())) {
                return "data file " + p + " has SHA-256 " + h + ", the golden value was made with " + f.getValue().asText();
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

        Runs(CommandRunner runner, Path work, Path from) {
            this.runner = runner;
            this.work = work;
            this.from = from;
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
                List<String> args = new ArrayList<>();
                steps.get(i).forEach(a -> args.add(a.asText().replace("{out}", out.toString())));
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
        List<JsonNode> steps = new ArrayList<>();
        if (m.has("commands")) {
            m.path("commands").forEach(steps::add);
        } else {
            steps.add(m.path("args"));
        }
        if (steps.isEmpty() || steps.stream().anyMatch(s -> !s.isArray() || s.isEmpty())) {
            throw new UserException("entry " + id + ": measure needs args (one command line) or commands (a list of command lines)");
        }
        return steps;
    }

    /** The entry's number from its result file in {@code out}: {@code field} of {@code file}, times {@code scale}. */
    static double read(JsonNode m, Path out) {
        return valueIn(m, out, resultOf(m, out));
    }

    /** The entry's result file in {@code out}, parsed. */
    static JsonNode resultOf(JsonNode m, Path out) {
        Path result = out.resolve(m.path("file").asText());
        if (!Files.isRegularFile(result)) {
            throw new CheckFailed("no result file " + result);
        }
        return Json.readTree(result);
    }

    /** {@code field} of the parsed result file {@code root} (in {@code out}), times {@code scale}. */
    static double valueIn(JsonNode m, Path out, JsonNode root) {
        String field = m.path("field").asText();
        JsonNode v = field.startsWith("/") ? root.at(field) : root.path(field);
        if (!v.isNumber()) {
            return fail(out.resolve(m.path("file").asText()) + " has no number '" + field + "'");
        }
        return v.asDouble() * m.path("scale").asDouble(1);
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
        return sb.toString();
    }

    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%d", (long) v);
        }
        return String.format(Locale.ROOT, "%.7g", v);
    }
}
