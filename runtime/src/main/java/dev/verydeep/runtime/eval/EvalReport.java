package dev.verydeep.runtime.eval;

import dev.verydeep.core.UserException;
import dev.verydeep.core.io.AtomicFiles;
import dev.verydeep.core.io.Hashes;
import dev.verydeep.core.io.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Tables, result files and fusion of saved runs. An evaluation folder holds {@value #RESULTS} (settings,
 * models and hashes, data set, provenance, every table row, per-class errors of the headline row, skipped
 * images, timing, memory), {@value PosteriorSet#FILE}, {@value #CONFUSION} (headline row) and {@value #TABLE}.
 *
 * <p>Rows of an evaluation: per net, then (several nets) their fusion; within each, per method part (dense,
 * multi-crop, and both when both were computed), one row per test scale and, with several scales, the
 * multi-scale row. The headline row is the last one: all nets, parts and scales.
 */
public final class EvalReport {
    public static final String RESULTS = "results.json";
    public static final String CONFUSION = "confusion.png";
    public static final String TABLE = "table.txt";
    /** The files an evaluation or fusion writes into its folder. */
    public static final List<String> FILES = List.of(RESULTS, PosteriorSet.FILE, CONFUSION, TABLE);

    private EvalReport() {
    }

    /** The method label of a combination of parts, e.g. {@code dense+flip & multi-crop}. */
    public static String methodLabel(List<Part> parts, boolean flip) {
        return parts.stream().map(p -> p == Part.DENSE ? (flip ? "dense+flip" : "dense") : "multi-crop").collect(Collectors.joining(" & "));
    }

    private static String scalesLabel(List<Integer> qs) {
        return qs.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** Every row of an evaluation (see the class comment); the last is the headline. */
    public static List<Row> rows(PosteriorSet set) {
        List<Row> rows = new ArrayList<>();
        int models = set.models().size();
        List<List<Integer>> groups = new ArrayList<>();
        for (int m = 0; m < models; m++) {
            groups.add(List.of(m));
        }
        if (models > 1) {
            groups.add(IntStream.range(0, models).boxed().toList());
        }
        List<List<Part>> partSets = new ArrayList<>();
        for (Part p : set.parts()) {
            partSets.add(List.of(p));
        }
        if (set.parts().size() > 1) {
            partSets.add(set.parts());
        }
        List<List<Integer>> scaleSets = new ArrayList<>();
        for (int q : set.scales()) {
            scaleSets.add(List.of(q));
        }
        if (set.scales().size() > 1) {
            scaleSets.add(set.scales());
        }
        int[] labels = set.labels();
        for (List<Integer> g : groups) {
            String config = g.stream().map(m -> set.models().get(m).label()).collect(Collectors.joining("+"));
            String trainS = g.stream().map(m -> set.models().get(m).trainScale()).distinct().collect(Collectors.joining("/"));
            for (List<Part> ps : partSets) {
                for (List<Integer> qs : scaleSets) {
                    float[] post = set.fused(g, ps, qs);
                    rows.add(new Row(config, trainS, scalesLabel(qs), methodLabel(ps, set.flip()), Metrics.of(post, labels, set.classes()),
                            set.seconds(g, ps, qs)));
                }
            }
        }
        return rows;
    }

    /** The headline posterior: all nets fused, all parts and scales. */
    public static float[] headline(PosteriorSet set) {
        return set.fused(IntStream.range(0, set.models().size()).boxed().toList(), set.parts(), set.scales());
    }

    /** The table as printed and stored in {@value #TABLE}. */
    public static String render(List<Row> rows) {
        StringBuilder b = new StringBuilder(Row.HEADER).append('\n');
        for (Row r : rows) {
            b.append(r.render()).append('\n');
        }
        return b.toString();
    }

    private static Map<String, Object> perClass(Metrics m, List<String> names) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int c = 0; c < names.size(); c++) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("images", m.classImages()[c]);
            e.put("top1_error", m.classError(c));
            out.put(names.get(c), e);
        }
        return out;
    }

    /**
     * Writes an evaluation's files into {@code dir} (each atomically) and returns the table.
     *
     * @param dataset    the data set spec and description, for the record
     * @param provenance command, versions, machine (any JSON-serialisable object)
     */
    public static String write(Path dir, Evaluation e, EvalSettings settings, Map<String, Object> dataset, Object provenance) {
        Map<String, Object> r = results(e, settings, dataset, provenance);
        PosteriorSet set = e.posteriors();
        List<Row> rows = rows(set);
        Row head = rows.get(rows.size() - 1);
        String table = render(rows);
        Path post = dir.resolve(PosteriorSet.FILE);
        set.write(post);
        ConfusionChart.write(dir.resolve(CONFUSION), head.metrics(), set.classNames(),
                head.config() + ", " + head.method() + ", Q=" + head.testScales() + ": top-1 error " + String.format(java.util.Locale.ROOT, "%.2f%%", 100 * head.metrics().top1()));
        AtomicFiles.writeString(dir.resolve(TABLE), table);
        Map<String, Object> files = new LinkedHashMap<>();
        files.put("posteriors", PosteriorSet.FILE);
        files.put("posteriors_sha256", Hashes.sha256(post));
        files.put("confusion", CONFUSION);
        files.put("table", TABLE);
        r.put("files", files);
        Json.write(dir.resolve(RESULTS), r);
        return table;
    }

    /**
     * The content of {@value #RESULTS} without its {@code files} section: settings, models, data set, headline, rows,
     * per-class errors, skipped images, timing, memory, tie rule and provenance. What the Java API holds in memory and
     * golden entries read their fields from.
     */
    public static Map<String, Object> results(Evaluation e, EvalSettings settings, Map<String, Object> dataset, Object provenance) {
        PosteriorSet set = e.posteriors();
        if (set.images() == 0) {
            throw new UserException("no image could be evaluated (" + e.skipped().size() + " skipped; first: "
                    + (e.skipped().isEmpty() ? "-" : e.skipped().get(0).reason()) + ")");
        }
        List<Row> rows = rows(set);
        Row head = rows.get(rows.size() - 1);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("kind", "eval");
        r.put("settings", settings.toMap());
        List<Map<String, Object>> models = new ArrayList<>();
        for (int m = 0; m < set.models().size(); m++) {
            Map<String, Object> mm = new LinkedHashMap<>(set.models().get(m).toMap());
            mm.put("device", e.devices().get(m).toMap());
            models.add(mm);
        }
        r.put("models", models);
        Map<String, Object> data = new LinkedHashMap<>(dataset);
        data.put("evaluated", set.images());
        data.put("skipped", e.skipped().size());
        r.put("dataset", data);
        r.put("headline", head.toMap());
        r.put("rows", rows.stream().map(Row::toMap).toList());
        r.put("per_class", perClass(head.metrics(), set.classNames()));
        r.put("skipped", e.skipped().stream().map(s -> Map.of("index", s.index(), "id", s.id(), "reason", s.reason())).toList());
        Map<String, Object> timing = new LinkedHashMap<>();
        timing.put("wall_seconds", e.wallSeconds());
        timing.put("warmup_seconds", e.warmupSeconds());
        timing.put("images_per_second_wall", e.computedImages() / e.wallSeconds());
        timing.put("resumed_images", e.resumedImages());
        timing.put("note", "row seconds = inference time (input fill, ONNX Runtime, soft-max) of the row's nets, methods and scales; "
                + "decoding and rescaling run in parallel and count only in wall_seconds");
        r.put("timing", timing);
        Map<String, Object> mem = new LinkedHashMap<>();
        mem.put("rss_mb_by_images", e.rssMb().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .collect(Collectors.toMap(x -> String.valueOf(x.getKey()), Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new)));
        mem.put("peak_rss_mb", Memory.peakRssMb());
        r.put("memory", mem);
        r.put("tie_rule", "classes ranked by posterior; equal posteriors: the lower class index ranks higher");
        r.put("provenance", provenance);
        return r;
    }

    // ---------------------------------------------------------------- fusion of saved runs

    /**
     * Fusion of saved runs: each net of each run contributes its posterior over all of its run's parts and
     * scales; the fusion is their mean (the same arithmetic as a live run, so the numbers agree exactly).
     *
     * @param rows       one row per net, then the fusion (last)
     * @param fused      fused posteriors of the common images
     * @param labels     their labels
     * @param ids        their ids
     * @param classNames class names
     * @param dropped    per run, images it has that not every run has (left out)
     */
    public record Fusion(List<Row> rows, float[] fused, int[] labels, String[] ids, List<String> classNames, List<Integer> dropped) {
    }

    /** Fuses runs on the images they all evaluated (by id, in the first run's order); labels must agree. */
    public static Fusion fuse(List<PosteriorSet> runs, List<String> names) {
        if (runs.isEmpty()) {
            throw new UserException("fuse: at least one evaluation folder is needed");
        }
        PosteriorSet first = runs.get(0);
        for (int r = 1; r < runs.size(); r++) {
            if (runs.get(r).classes() != first.classes()) {
                throw new UserException("fuse: " + names.get(0) + " has " + first.classes() + " classes but " + names.get(r) + " has "
                        + runs.get(r).classes());
            }
        }
        List<Map<String, Integer>> index = new ArrayList<>();
        for (PosteriorSet s : runs) {
            Map<String, Integer> m = new HashMap<>();
            for (int i = 0; i < s.images(); i++) {
                m.put(s.id(i), i);
            }
            index.add(m);
        }
        List<String> common = new ArrayList<>();
        for (int i = 0; i < first.images(); i++) {
            String id = first.id(i);
            if (index.stream().allMatch(m -> m.containsKey(id))) {
                common.add(id);
            }
        }
        if (common.isEmpty()) {
            throw new UserException("fuse: the runs share no image (were they evaluated on the same data set?)");
        }
        List<PosteriorSet> sel = new ArrayList<>();
        List<Integer> dropped = new ArrayList<>();
        for (int r = 0; r < runs.size(); r++) {
            int[] rows = new int[common.size()];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = index.get(r).get(common.get(i));
            }
            PosteriorSet s = runs.get(r).select(rows);
            if (r > 0) {
                int[] a = sel.get(0).labels();
                int[] b = s.labels();
                for (int i = 0; i < a.length; i++) {
                    if (a[i] != b[i]) {
                        throw new UserException("fuse: image " + common.get(i) + " has label " + a[i] + " in " + names.get(0) + " but " + b[i]
                                + " in " + names.get(r));
                    }
                }
            }
            sel.add(s);
            dropped.add(runs.get(r).images() - common.size());
        }
        int[] labels = sel.get(0).labels();
        List<Row> rows = new ArrayList<>();
        List<float[]> per = new ArrayList<>();
        double seconds = 0;
        LinkedHashSet<String> trainS = new LinkedHashSet<>();
        LinkedHashSet<String> qs = new LinkedHashSet<>();
        LinkedHashSet<String> methods = new LinkedHashSet<>();
        List<String> configs = new ArrayList<>();
        for (PosteriorSet s : sel) {
            for (int m = 0; m < s.models().size(); m++) {
                float[] p = s.model(m);
                per.add(p);
                ModelInfo info = s.models().get(m);
                double sec = s.seconds(List.of(m), s.parts(), s.scales());
                String method = methodLabel(s.parts(), s.flip());
                rows.add(new Row(info.label(), info.trainScale(), scalesLabel(s.scales()), method, Metrics.of(p, labels, s.classes()), sec));
                seconds += sec;
                configs.add(info.label());
                trainS.add(info.trainScale());
                qs.add(scalesLabel(s.scales()));
                methods.add(method);
            }
        }
        float[] fused = PosteriorSet.fuse(per);
        rows.add(new Row(String.join("+", configs), String.join("/", trainS), String.join("/", qs), String.join(" / ", methods),
                Metrics.of(fused, labels, first.classes()), seconds));
        String[] ids = common.toArray(String[]::new);
        return new Fusion(rows, fused, labels, ids, first.classNames(), dropped);
    }

    /** Writes a fusion's {@value #RESULTS}, {@value #CONFUSION} and {@value #TABLE} into {@code dir}; returns the table. */
    public static String writeFusion(Path dir, Fusion f, List<Path> inputs, Object provenance) {
        String table = render(f.rows());
        Row head = f.rows().get(f.rows().size() - 1);
        ConfusionChart.write(dir.resolve(CONFUSION), head.metrics(), f.classNames(),
                "fusion " + head.config() + ": top-1 error " + String.format(java.util.Locale.ROOT, "%.2f%%", 100 * head.metrics().top1()));
        AtomicFiles.writeString(dir.resolve(TABLE), table);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("kind", "fuse");
        List<Map<String, Object>> in = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("folder", inputs.get(i).toString());
            m.put("posteriors_sha256", Hashes.sha256(inputs.get(i).resolve(PosteriorSet.FILE)));
            m.put("images_not_in_every_run", f.dropped().get(i));
            in.add(m);
        }
        r.put("inputs", in);
        r.put("images", f.labels().length);
        r.put("headline", head.toMap());
        r.put("rows", f.rows().stream().map(Row::toMap).toList());
        r.put("per_class", perClass(head.metrics(), f.classNames()));
        r.put("tie_rule", "classes ranked by posterior; equal posteriors: the lower class index ranks higher");
        r.put("provenance", provenance);
        Json.write(dir.resolve(RESULTS), r);
        return table;
    }
}
