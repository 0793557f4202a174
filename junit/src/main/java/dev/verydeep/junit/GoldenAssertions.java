package dev.verydeep.junit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.api.Protocol;
import dev.verydeep.api.Result;
import dev.verydeep.core.Provenance;
import dev.verydeep.golden.GoldenCheck;
import dev.verydeep.golden.GoldenFile;
import java.nio.file.Path;
import java.util.Map;
import org.opentest4j.AssertionFailedError;

/**
 * JUnit 5 assertions against golden numbers: an entry of a golden file (a value, its tolerance and how it is
 * measured) compared with what your test measured. The entry's {@code measure.field} (e.g.
 * {@code /headline/top1_error}) is read from the result, times {@code measure.scale}, exactly as
 * {@code verydeep golden check --from} reads it from a run folder; it passes when {@code |measured - value| <=
 * tolerance}. A failure says the golden value, the tolerance, the measured value, what the tolerance rests on (the
 * entry's measured spread and rule), where this machine's numeric environment and library versions differ from the
 * pinned ones, and how the entry is measured.
 *
 * <p>A golden file is named by a path, a class-path resource of your tests ({@code golden/vgg.json} under
 * {@code src/test/resources}) or the name of one shipped in golden-data. Write and pin your own: the format is
 * {@link GoldenSchema}'s schema; {@code verydeep golden pin --file F --from DIR} or
 * {@link dev.verydeep.golden.GoldenPin#pin} writes the values from a finished run ({@link Result#write}), and
 * {@code verydeep golden spread} measures the tolerances.
 *
 * <pre>{@code
 * Result r = Protocol.builder().setModels(model).setData("fashion-mnist-sample:test")
 *         .setMethod(Method.DENSE).setScales(64).build().evaluate();
 * GoldenAssertions.assertMatches(r, "golden/vgg-fashion.json", "vgg-fashion-dense-Q64-top1");
 * }</pre>
 */
public final class GoldenAssertions {
    private GoldenAssertions() {
    }

    /**
     * Asserts that entry {@code id} of the golden file {@code goldenFile} matches an evaluation of the Java API (its
     * {@link Result#json()}, the {@code results.json} content the entry's field is read from).
     *
     * <pre>{@code
     * GoldenAssertions.assertMatches(result, "golden/vgg-fashion.json", "vgg-fashion-dense-Q64-top1");
     * }</pre>
     */
    public static void assertMatches(Result result, String goldenFile, String id) {
        assertMatches(result, GoldenFiles.load(goldenFile), id);
    }

    /** As {@link #assertMatches(Result, String, String)} with a loaded golden file. */
    public static void assertMatches(Result result, GoldenFile golden, String id) {
        GoldenCheck.Outcome o = GoldenCheck.checkResult(golden, id, result.json());
        fail(o, golden, result.provenance().versions());
    }

    /**
     * Asserts that entry {@code id} matches a result file's content you have in hand (any JSON the entry's
     * {@code measure.field} is read from, e.g. a {@code results.json} of {@code verydeep eval} or {@code extract}).
     *
     * <pre>{@code
     * GoldenAssertions.assertMatches(Json.readTree(Path.of("out/results.json")), "golden/vgg-fashion.json", "vgg-fashion-dense-Q64-top1");
     * }</pre>
     */
    public static void assertMatches(JsonNode resultFile, String goldenFile, String id) {
        assertMatches(resultFile, GoldenFiles.load(goldenFile), id);
    }

    /** As {@link #assertMatches(JsonNode, String, String)} with a loaded golden file. */
    public static void assertMatches(JsonNode resultFile, GoldenFile golden, String id) {
        fail(GoldenCheck.checkResult(golden, id, resultFile), golden, here(resultFile.path("provenance").path("versions")));
    }

    /**
     * Asserts that entry {@code id} matches the finished run in {@code folder}: the entry's {@code measure.file} (or the
     * mean over its files) read there, as {@code verydeep golden check --from folder} does.
     *
     * <pre>{@code
     * GoldenAssertions.assertMatchesRun(Path.of("runs/suite-reference"), "verydeep-fashion-reference.json", "A-37-dense-Q37-top1");
     * }</pre>
     */
    public static void assertMatchesRun(Path folder, String goldenFile, String id) {
        GoldenFile golden = GoldenFiles.load(goldenFile);
        fail(GoldenCheck.checkFrom(golden, id, folder), golden, here(null));
    }

    /** The golden file by path, class-path resource or golden-data name (as the assertions find it). */
    public static GoldenFile golden(String goldenFile) {
        return GoldenFiles.load(goldenFile);
    }

    private static Map<String, String> here(JsonNode recorded) {
        if (recorded != null && recorded.isObject()) {
            Map<String, String> m = new java.util.TreeMap<>();
            recorded.fields().forEachRemaining(f -> m.put(f.getKey(), f.getValue().asText()));
            return m;
        }
        return Provenance.libraryVersions(Protocol.class);
    }

    private static void fail(GoldenCheck.Outcome o, GoldenFile golden, Map<String, String> versionsHere) {
        if (o.failed()) {
            throw new AssertionFailedError(GoldenMessage.of(o, golden, versionsHere), o.golden(), o.measured());
        }
    }
}
