package dev.verydeep.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.core.Provenance;
import dev.verydeep.core.UserException;
import dev.verydeep.core.io.Json;
import dev.verydeep.runtime.eval.EvalReport;
import dev.verydeep.runtime.eval.EvalSettings;
import dev.verydeep.runtime.eval.Evaluation;
import dev.verydeep.runtime.eval.Metrics;
import dev.verydeep.runtime.eval.PosteriorSet;
import dev.verydeep.runtime.eval.Row;
import dev.verydeep.runtime.eval.Skipped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link Protocol#evaluate()} measured: the rows of the paper's tables (per model, method part and scale, then
 * the multi-scale, both-methods and fusion rows) and the headline row (every model, part and scale together), top-1
 * and top-5 errors as fractions, per-class errors, the skipped images, and how it was made ({@link #provenance()}).
 * {@link #json()} is the {@code results.json} that {@code verydeep eval} writes (without the {@code files} section), so
 * a golden entry written for the CLI reads the same fields from it.
 *
 * <pre>{@code
 * Result r = protocol.evaluate();
 * System.out.print(r.table());                       // the table verydeep eval prints
 * double top1 = r.top1Error();                       // headline, e.g. 0.2036
 * Map<String, Double> perClass = r.perClassTop1Error();
 * r.write(Path.of("eval-out"));                      // results.json, posteriors.bin, confusion.png, table.txt
 * }</pre>
 */
public final class Result {
    private final Evaluation evaluation;
    private final EvalSettings settings;
    private final Map<String, Object> dataset;
    private final Provenance provenance;
    private final String command;
    private final List<Row> rows;

    private final JsonNode json;

    Result(Evaluation evaluation, EvalSettings settings, Map<String, Object> dataset, Provenance provenance, String command) {
        // refuses an evaluation without a single image, naming the first skipped one
        this.json = Json.MAPPER.valueToTree(EvalReport.results(evaluation, settings, dataset, provenance));
        this.evaluation = evaluation;
        this.settings = settings;
        this.dataset = new LinkedHashMap<>(dataset);
        this.provenance = provenance;
        this.command = command;
        this.rows = EvalReport.rows(evaluation.posteriors());
    }

    /** Top-1 error of the headline row, a fraction. */
    public double top1Error() {
        return metrics().top1();
    }

    /** Top-5 error of the headline row, a fraction. */
    public double top5Error() {
        return metrics().top5();
    }

    /** Counts, per-class errors and the confusion matrix of the headline row. */
    public Metrics metrics() {
        return headline().metrics();
    }

    /** Top-1 error per class (class name to fraction; NaN for a class without images), headline row. */
    public Map<String, Double> perClassTop1Error() {
        Map<String, Double> out = new LinkedHashMap<>();
        List<String> names = evaluation.posteriors().classNames();
        for (int c = 0; c < names.size(); c++) {
            out.put(names.get(c), metrics().classError(c));
        }
        return out;
    }

    /** The headline row: all models fused, all method parts and scales averaged. */
    public Row headline() {
        return rows.get(rows.size() - 1);
    }

    /** Every row, in the order {@code verydeep eval} prints them; the last is the headline. */
    public List<Row> rows() {
        return rows;
    }

    /** Images evaluated. */
    public int images() {
        return evaluation.posteriors().images();
    }

    /** Images left out (unreadable, over the pixel budget), with the reasons. */
    public List<Skipped> skipped() {
        return evaluation.skipped();
    }

    /** The table as {@code verydeep eval} prints it. */
    public String table() {
        return EvalReport.render(rows);
    }

    /** Per-image posteriors, per model, part and scale. */
    public PosteriorSet posteriors() {
        return evaluation.posteriors();
    }

    /** The runtime's evaluation: posteriors, skipped images, devices, timing, memory. */
    public Evaluation evaluation() {
        return evaluation;
    }

    /** The equivalent {@code verydeep eval} command line ({@link Protocol#command()}). */
    public String command() {
        return command;
    }

    /** Command, code version, library versions and numeric environment of this run. */
    public Provenance provenance() {
        return provenance;
    }

    /**
     * The content of {@code results.json} as {@code verydeep eval} writes it, without the {@code files} section, e.g.
     * {@code json().at("/headline/top1_error")}.
     */
    public JsonNode json() {
        return json.deepCopy();
    }

    /**
     * Writes {@code results.json}, {@code posteriors.bin}, {@code confusion.png} and {@code table.txt} into {@code dir}
     * (created if needed), as {@code verydeep eval --out dir} does: {@code verydeep golden pin --from dir} and
     * {@code verydeep fuse} read them.
     *
     * <pre>{@code
     * Path dir = result.write(Path.of("target/eval"));
     * ObjectNode pinned = GoldenPin.pin(GoldenFile.load("my-golden.json"), dir, "pinned from MyTest");
     * }</pre>
     */
    public Path write(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserException(dir + ": cannot create the folder: " + e.getMessage(), e);
        }
        EvalReport.write(dir, evaluation, settings, dataset, provenance);
        return dir;
    }

    @Override
    public String toString() {
        Row h = headline();
        return String.format(java.util.Locale.ROOT, "%s %s Q=%s: top-1 %.2f%%, top-5 %.2f%% on %d images", h.config(), h.method(),
                h.testScales(), 100 * h.metrics().top1(), 100 * h.metrics().top5(), h.images());
    }
}
