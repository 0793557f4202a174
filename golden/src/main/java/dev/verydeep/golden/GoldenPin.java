package dev.verydeep.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verydeep.core.UserException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Pins a golden file's values from a finished run instead of typing them: every command entry's {@code value} becomes
 * what {@link GoldenCheck#reading} finds in the run folder (its {@code {out}}), and its {@code codeVersion} the git
 * commit, its {@code environment} the numeric environment and its {@code versions} the library versions recorded in that
 * result file's provenance. Tolerances,
 * commands and notes are left as written: {@code verydeep golden spread} measures tolerances.
 */
public final class GoldenPin {
    private GoldenPin() {
    }

    /** A copy of {@code f} with the values read from {@code from}; {@code command} (how pin was called) is recorded in {@code pinned}. */
    public static ObjectNode pin(GoldenFile f, Path from, String command) {
        if (!f.source().equals("verydeep")) {
            throw new UserException(f.name() + " holds the paper's numbers (source " + f.source() + "): only our own entries are pinned from runs");
        }
        GoldenCheck.requireRunFolder(from);
        ObjectNode out = f.json().deepCopy();
        List<String> missing = new ArrayList<>();
        for (JsonNode n : out.path("entries")) {
            ObjectNode e = (ObjectNode) n;
            JsonNode m = e.path("measure");
            if (!m.path("kind").asText().equals("command")) {
                continue;
            }
            JsonNode result;
            try {
                GoldenCheck.Reading r = GoldenCheck.reading(m, from);
                result = r.first();
                e.put("value", r.value());
            } catch (RuntimeException x) {
                missing.add(e.path("id").asText() + ": " + x.getMessage());
                continue;
            }
            JsonNode prov = result.path("provenance");
            if (prov.hasNonNull("gitCommit")) {
                e.put("codeVersion", prov.path("gitCommit").asText() + (prov.path("gitDirty").asBoolean() ? " (uncommitted changes)" : ""));
            }
            if (prov.path("numerics").isObject()) {
                e.set("environment", prov.path("numerics"));
            }
            if (prov.path("versions").isObject()) {
                e.set("versions", prov.path("versions"));
            }
        }
        if (!missing.isEmpty()) {
            throw new UserException("cannot pin " + f.name() + " from " + from + ", " + missing.size() + " entries have no value there: "
                    + String.join("; ", missing.subList(0, Math.min(3, missing.size()))) + (missing.size() > 3 ? "; ..." : ""));
        }
        ObjectNode pinned = out.putObject("pinned");
        pinned.put("from", from.toAbsolutePath().toString());
        pinned.put("time", Instant.now().toString());
        pinned.put("command", command);
        return out;
    }
}
