package dev.verydeep.junit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.api.Result;
import dev.verydeep.golden.GoldenFile;
import java.nio.file.Path;

/**
 * One entry of a golden file run by {@link GoldenTest}: what it pins ({@link #id}, {@link #golden}, {@link #tolerance},
 * the whole {@link #entry}) and the check of what the test measured against it (the assertions of
 * {@link GoldenAssertions}, so a failure carries the same message).
 *
 * <pre>{@code
 * @GoldenTest(file = "golden/vgg-fashion.json")
 * void everyEntry(GoldenRun golden) {
 *     Result r = protocolFor(golden.entry());       // your mapping from an entry to a protocol
 *     golden.check(r);
 * }
 * }</pre>
 */
public final class GoldenRun {
    private final GoldenFile file;
    private final String id;
    private int checks;

    GoldenRun(GoldenFile file, String id) {
        this.file = file;
        this.id = id;
    }

    /** The entry's id. */
    public String id() {
        return id;
    }

    /** The whole entry (metric, value, unit, tolerance, measure, spread, environment, ...). */
    public JsonNode entry() {
        return file.entry(id);
    }

    /** The golden file. */
    public GoldenFile file() {
        return file;
    }

    /** The golden value. */
    public double golden() {
        return entry().path("value").asDouble();
    }

    /** The tolerance. */
    public double tolerance() {
        return entry().path("tolerance").asDouble(0);
    }

    /** Asserts that the entry matches an evaluation of the Java API. */
    public void check(Result result) {
        checks++;
        GoldenAssertions.assertMatches(result, file, id);
    }

    /** Asserts that the entry matches a result file's content (any JSON the entry's {@code measure.field} is read from). */
    public void check(JsonNode resultFile) {
        checks++;
        GoldenAssertions.assertMatches(resultFile, file, id);
    }

    /** Asserts that the entry matches a finished run folder, as {@code verydeep golden check --from folder}. */
    public void checkRun(Path folder) {
        checks++;
        GoldenAssertions.assertMatchesRun(folder, file.name(), id);
    }

    int checks() {
        return checks;
    }
}
