package dev.verydeep.junit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.golden.GoldenCheck;
import dev.verydeep.golden.GoldenFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The text of a golden FAIL: golden value, tolerance, measured value, what the tolerance rests on (the entry's
 * measured spread and rule, or the file's note), where the numeric environment and the library versions differ
 * from when the value was pinned, and how the entry is measured.
 */
final class GoldenMessage {
    private GoldenMessage() {
    }

    static String of(GoldenCheck.Outcome o, GoldenFile f, Map<String, String> versionsHere) {
        JsonNode e = f.entry(o.id());
        String unit = e.path("unit").asText("");
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "golden entry '%s' of %s (%s%s): %s", o.id(), f.name(), o.metric(), describe(e), o.status()));
        lines.add(String.format(Locale.ROOT, "  golden     %s %s%s", num(o.golden()), unit,
                e.hasNonNull("codeVersion") ? " (pinned at code " + e.path("codeVersion").asText() + ")" : ""));
        lines.add(String.format(Locale.ROOT, "  tolerance  +-%s %s", num(o.tolerance()), unit));
        lines.add(o.measured() == null ? "  measured   nothing: " + o.detail()
                : String.format(Locale.ROOT, "  measured   %s %s (off by %s%s; passes when |measured - golden| <= %s)", num(o.measured()), unit,
                        o.measured() >= o.golden() ? "+" : "", num(o.measured() - o.golden()), num(o.tolerance())));
        if (o.resolution() != null) {
            lines.add(String.format(Locale.ROOT, "  resolution %s %s (the share of images whose top-1 decision last-bit differences could flip)",
                    num(o.resolution()), unit));
        }
        lines.add("  tolerance rests on: " + basis(e, f));
        lines.add("  numeric environment, pinned vs here: " + (e.path("environment").isObject()
                ? String.join("; ", o.environment().isEmpty() ? List.of("(not compared)") : o.environment())
                : "not recorded when pinned (golden pin and golden spread record it)"));
        lines.add("  library versions, pinned vs here: " + versions(e.path("versions"), versionsHere));
        lines.add("  measured by: " + GoldenCheck.commandText(e.path("measure")) + " -> " + e.path("measure").path("file").asText("?") + " "
                + e.path("measure").path("field").asText("") + (e.path("measure").has("scale") ? " x " + num(e.path("measure").path("scale").asDouble()) : ""));
        return String.join("\n", lines);
    }

    private static String describe(JsonNode e) {
        List<String> parts = new ArrayList<>();
        for (String k : List.of("config", "method", "testQ", "split")) {
            if (e.hasNonNull(k)) {
                parts.add(k + " " + e.path(k).asText());
            }
        }
        return parts.isEmpty() ? "" : ", " + String.join(", ", parts);
    }

    /** The entry's measured spread and rule, else the file's tolerance note. */
    private static String basis(JsonNode e, GoldenFile f) {
        JsonNode s = e.path("spread");
        if (!s.isObject()) {
            String note = f.json().path("toleranceNote").asText("");
            return "no measured spread in the entry" + (note.isEmpty() ? " (set it with verydeep golden spread)"
                    : "; the file's note: " + (note.length() > 400 ? note.substring(0, 400) + " ..." : note));
        }
        List<String> parts = new ArrayList<>();
        if (s.path("environments").isObject()) {
            parts.add(String.format(Locale.ROOT, "values under %d numeric environments %s, range %s", s.path("environments").size(),
                    s.path("environments"), num(s.path("environmentRange").asDouble())));
        }
        if (s.path("seeds").isArray()) {
            parts.add(String.format(Locale.ROOT, "values over %d seeds %s, std %s", s.path("seeds").size(), s.path("seeds"),
                    num(s.path("seedStd").asDouble())));
        }
        if (s.has("resolution")) {
            parts.add("resolution " + num(s.path("resolution").asDouble()));
        }
        parts.add("rule: " + s.path("rule").asText(f.json().path("toleranceRule").asText("?")));
        return String.join("; ", parts);
    }

    private static String versions(JsonNode pinned, Map<String, String> here) {
        if (!pinned.isObject()) {
            return "not recorded when pinned; here " + new TreeMap<>(here);
        }
        List<String> same = new ArrayList<>();
        List<String> diff = new ArrayList<>();
        Map<String, String> all = new TreeMap<>(here);
        pinned.fields().forEachRemaining(f -> all.putIfAbsent(f.getKey(), null));
        all.keySet().forEach(k -> {
            String p = pinned.has(k) ? pinned.path(k).asText() : null;
            String h = here.get(k);
            if (p != null && p.equals(h)) {
                same.add(k + " " + p);
            } else if (p != null || h != null) {
                diff.add(k + ": pinned " + (p == null ? "-" : p) + ", here " + (h == null ? "-" : h));
            }
        });
        return (diff.isEmpty() ? "the same" : String.join("; ", diff)) + (same.isEmpty() ? "" : " (same: " + String.join(", ", same) + ")");
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6g", v).replaceAll("\\.?0+$", "");
    }
}
