package dev.verydeep.junit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.core.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The golden file format as a JSON schema ({@value #RESOURCE}, draft 2020-12, shipped in this jar), and a check of a
 * file against it. The check interprets the keywords the schema uses ({@link #KEYWORDS}: types, required and allowed
 * properties, items, enums, constants, minimums, local {@code $ref}, {@code allOf} and {@code if/then}) and refuses a
 * schema with any other keyword, so nothing in the schema goes unchecked; no JSON-schema library is needed on a user's
 * test class path. Any draft 2020-12 validator gives the same verdicts on this schema.
 *
 * <pre>{@code
 * List<String> problems = GoldenSchema.problems(Json.readTree(Path.of("src/test/resources/golden/my-golden.json")));
 * assertEquals(List.of(), problems);
 * }</pre>
 */
public final class GoldenSchema {
    /** Class-path location of the schema. */
    public static final String RESOURCE = "/dev/verydeep/junit/golden-file.schema.json";
    /** The keywords {@link #problems} interprets; annotations ({@code title}, {@code description}, ...) are skipped. */
    public static final Set<String> KEYWORDS = Set.of("type", "required", "additionalProperties", "properties", "items", "minItems",
            "minLength", "enum", "const", "minimum", "$ref", "allOf", "if", "then");
    private static final Set<String> ANNOTATIONS = Set.of("$schema", "$id", "$defs", "title", "description");

    private GoldenSchema() {
    }

    /** The shipped schema. */
    public static JsonNode schema() {
        try (InputStream in = GoldenSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /** Where {@code file} breaks the shipped schema, one line each ({@code /entries/3/tolerance: ...}); empty when it conforms. */
    public static List<String> problems(JsonNode file) {
        return problems(schema(), file);
    }

    /** Where {@code file} breaks {@code schema}; a schema keyword outside {@link #KEYWORDS} is an {@link IllegalStateException}. */
    static List<String> problems(JsonNode schema, JsonNode file) {
        List<String> out = new ArrayList<>();
        check(schema, schema, file, "", out);
        return out;
    }

    private static void check(JsonNode root, JsonNode s, JsonNode v, String at, List<String> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> k = it.next();
            JsonNode a = k.getValue();
            switch (k.getKey()) {
                case "$ref" -> check(root, resolve(root, a.asText()), v, at, out);
                case "type" -> {
                    if (!typeMatches(a, v)) {
                        out.add(where(at) + ": expected " + a + ", found " + kind(v));
                    }
                }
                case "enum" -> {
                    if (!contains(a, v)) {
                        out.add(where(at) + ": " + v + " is not one of " + a);
                    }
                }
                case "const" -> {
                    if (!equal(a, v)) {
                        out.add(where(at) + ": expected " + a + ", found " + v);
                    }
                }
                case "minimum" -> {
                    if (v.isNumber() && v.asDouble() < a.asDouble()) {
                        out.add(where(at) + ": " + v + " is below the minimum " + a);
                    }
                }
                case "minLength" -> {
                    if (v.isTextual() && v.asText().length() < a.asInt()) {
                        out.add(where(at) + ": shorter than " + a + " characters");
                    }
                }
                case "minItems" -> {
                    if (v.isArray() && v.size() < a.asInt()) {
                        out.add(where(at) + ": fewer than " + a + " items");
                    }
                }
                case "required" -> a.forEach(r -> {
                    if (v.isObject() && !v.has(r.asText())) {
                        out.add(where(at) + ": missing required field '" + r.asText() + "'");
                    }
                });
                case "properties" -> a.fields().forEachRemaining(p -> {
                    if (v.isObject() && v.has(p.getKey())) {
                        check(root, p.getValue(), v.get(p.getKey()), at + "/" + p.getKey(), out);
                    }
                });
                case "additionalProperties" -> additional(root, s, a, v, at, out);
                case "items" -> {
                    for (int i = 0; v.isArray() && i < v.size(); i++) {
                        check(root, a, v.get(i), at + "/" + i, out);
                    }
                }
                case "allOf" -> a.forEach(sub -> check(root, sub, v, at, out));
                case "if" -> {
                    List<String> probe = new ArrayList<>();
                    check(root, a, v, at, probe);
                    if (probe.isEmpty() && s.has("then")) {
                        check(root, s.get("then"), v, at, out);
                    }
                }
                case "then" -> {
                    // applied by "if"
                }
                default -> {
                    if (!ANNOTATIONS.contains(k.getKey())) {
                        throw new IllegalStateException("schema keyword '" + k.getKey() + "' at " + where(at)
                                + " is not interpreted by GoldenSchema (it knows " + KEYWORDS + ")");
                    }
                }
            }
        }
    }

    private static void additional(JsonNode root, JsonNode s, JsonNode a, JsonNode v, String at, List<String> out) {
        if (!v.isObject()) {
            return;
        }
        JsonNode declared = s.path("properties");
        v.fields().forEachRemaining(f -> {
            if (declared.has(f.getKey())) {
                return;
            }
            if (a.isBoolean() && !a.asBoolean()) {
                out.add(where(at) + ": unknown field '" + f.getKey() + "' (allowed: " + names(declared) + ")");
            } else if (a.isObject()) {
                check(root, a, f.getValue(), at + "/" + f.getKey(), out);
            }
        });
    }

    private static List<String> names(JsonNode properties) {
        List<String> n = new ArrayList<>();
        properties.fieldNames().forEachRemaining(n::add);
        return n;
    }

    private static JsonNode resolve(JsonNode root, String ref) {
        if (!ref.startsWith("#/")) {
            throw new IllegalStateException("schema $ref " + ref + ": only references inside the schema (#/...) are interpreted");
        }
        JsonNode target = root.at(ref.substring(1));
        if (target.isMissingNode()) {
            throw new IllegalStateException("schema $ref " + ref + " points nowhere");
        }
        return target;
    }

    private static boolean typeMatches(JsonNode type, JsonNode v) {
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (typeMatches(t, v)) {
                    return true;
                }
            }
            return false;
        }
        return switch (type.asText()) {
            case "string" -> v.isTextual();
            case "number" -> v.isNumber();
            case "integer" -> v.isIntegralNumber() || (v.isNumber() && v.asDouble() == Math.rint(v.asDouble()));
            case "boolean" -> v.isBoolean();
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "null" -> v.isNull();
            default -> throw new IllegalStateException("schema type '" + type.asText() + "' is not a JSON type");
        };
    }

    private static boolean contains(JsonNode values, JsonNode v) {
        for (JsonNode x : values) {
            if (equal(x, v)) {
                return true;
            }
        }
        return false;
    }

    /** JSON equality, with 2 and 2.0 equal as JSON Schema has it. */
    private static boolean equal(JsonNode a, JsonNode b) {
        return a.isNumber() && b.isNumber() ? a.decimalValue().compareTo(b.decimalValue()) == 0 : a.equals(b);
    }

    private static String kind(JsonNode v) {
        return v.isNull() ? "null" : v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }

    private static String where(String at) {
        return at.isEmpty() ? "/" : at;
    }
}
