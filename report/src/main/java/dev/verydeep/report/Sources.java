package dev.verydeep.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The files the report's numbers come from, numbered {@code [1]}, {@code [2]}, ... in order of first use, each with
 * the provenance found in it (or beside it): command, git commit, versions.
 */
public final class Sources {
    /**
     * One source file.
     *
     * @param ref        its number in the report
     * @param file       the file (as found under the report's inputs, or a golden-data resource name)
     * @param provenanceFrom where command/commit/versions were read ({@code file} itself, a file beside it, or a note)
     * @param command    the command that wrote it, or a note when the file does not record one
     * @param gitCommit  code version (with {@code (dirty)} when the tree had uncommitted changes), or a note
     * @param versions   library versions, {@code name=version, ...}
     * @param numbers    which of the report's numbers were taken from it
     */
    public record Source(int ref, String file, String provenanceFrom, String command, String gitCommit, String versions, List<String> numbers) {
    }

    private final Map<String, Source> byFile = new LinkedHashMap<>();

    /** The source of {@code file}, with provenance from a {@code provenance} object (null: not recorded). */
    public String ref(String file, String provenanceFrom, JsonNode provenance, String numbers) {
        Source s = byFile.get(file);
        if (s == null) {
            String command = "not recorded";
            String commit = "not recorded";
            String versions = "not recorded";
            if (provenance != null && provenance.isObject()) {
                command = text(provenance.get("command"));
                commit = text(provenance.get("gitCommit")) + (provenance.path("gitDirty").asBoolean(false) ? " (dirty)" : "");
                versions = versions(provenance.get("versions"));
            }
            s = new Source(byFile.size() + 1, file, provenanceFrom, command, commit, versions, new ArrayList<>());
            byFile.put(file, s);
        }
        if (!s.numbers().contains(numbers)) {
            s.numbers().add(numbers);
        }
        return "[" + s.ref() + "]";
    }

    /** A source whose command, commit and versions are given directly (files without a provenance object). */
    public String refExplicit(String file, String provenanceFrom, String command, String commit, String versions, String numbers) {
        Source s = byFile.get(file);
        if (s == null) {
            s = new Source(byFile.size() + 1, file, provenanceFrom, command, commit, versions, new ArrayList<>());
            byFile.put(file, s);
        }
        if (!s.numbers().contains(numbers)) {
            s.numbers().add(numbers);
        }
        return "[" + s.ref() + "]";
    }

    public List<Source> all() {
        return List.copyOf(byFile.values());
    }

    static String text(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? "not recorded" : n.asText();
    }

    static String versions(JsonNode v) {
        if (v == null || !v.isObject() || v.isEmpty()) {
            return "not recorded";
        }
        Map<String, String> m = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), e.getValue().asText());
        }
        StringBuilder b = new StringBuilder();
        m.forEach((k, val) -> b.append(b.length() == 0 ? "" : ", ").append(k).append('=').append(val));
        return b.toString();
    }
}
