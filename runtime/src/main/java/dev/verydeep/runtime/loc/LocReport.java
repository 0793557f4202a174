package dev.verydeep.runtime.loc;

import dev.verydeep.core.data.voc.VocImage;
import dev.verydeep.core.data.voc.VocObject;
import dev.verydeep.core.image.Box;
import dev.verydeep.core.io.AtomicFiles;
import dev.verydeep.core.io.Hashes;
import dev.verydeep.core.io.Json;
import dev.verydeep.runtime.eval.Memory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of a localisation test: {@value #RESULTS} (settings, models and hashes, data set, provenance, every
 * row, skipped images, timing), {@value #PREDICTIONS} (one JSON line per image of the headline row: the predicted
 * (class, box, score) list in the classifier's rank order (center-crop-gt: one per sample class), the ground-truth
 * boxes, each sample's outcome, and {@code correct}: every sample of the image correct, by the top-5 criterion
 * under full and the ground-truth-class one under center-crop-gt) and {@value #TABLE}. Boxes are
 * {@code [x0, y0, x1, y1]} in continuous pixel coordinates of the original image (pixel {@code i} spans
 * {@code [i, i+1)}; a VOC box {@code xmin..xmax} is {@code [xmin-1, xmax)}).
 */
public final class LocReport {
    public static final String RESULTS = "results.json";
    public static final String PREDICTIONS = "predictions.jsonl";
    public static final String TABLE = "table.txt";
    /** The files a localisation test writes into its folder. */
    public static final List<String> FILES = List.of(RESULTS, PREDICTIONS, TABLE);

    private LocReport() {
    }

    /** The table as printed and stored in {@value #TABLE}. */
    public static String render(List<LocRow> rows) {
        StringBuilder b = new StringBuilder(LocRow.HEADER).append('\n');
        for (LocRow r : rows) {
            b.append(r.render()).append('\n');
        }
        return b.toString();
    }

    private static List<Double> box(Box b) {
        return b == null ? null : List.of(b.x0(), b.y0(), b.x1(), b.y1());
    }

    private static Double finite(double d) {
        return Double.isFinite(d) ? d : null;
    }

    /** One line of {@value #PREDICTIONS}. */
    static Map<String, Object> line(Localization.ImageResult r, VocImage im, List<String> classes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("width", r.width());
        m.put("height", r.height());
        List<Map<String, Object>> preds = new ArrayList<>();
        for (Localization.Prediction p : r.predictions()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("class", p.className());
            x.put("box", box(p.box()));
            x.put("score", finite(p.rating()));
            x.put("class_score", finite(p.classScore()));
            x.put("boxes_merged", p.boxesMerged());
            preds.add(x);
        }
        m.put("predictions", preds);
        List<Map<String, Object>> gt = new ArrayList<>();
        for (VocObject o : im.objects()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("class", o.name());
            x.put("box", box(Box.fromVoc(o.xmin(), o.ymin(), o.xmax(), o.ymax())));
            x.put("difficult", o.difficult());
            gt.add(x);
        }
        m.put("ground_truth", gt);
        List<Map<String, Object>> samples = new ArrayList<>();
        boolean allCorrect = true;
        for (Localization.Sample s : r.samples()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("class", classes.get(s.dataClass()));
            x.put("cls_top5", s.clsTop5());
            x.put("top5_loc_correct", s.top5Correct());
            x.put("gt_class_box", box(s.gtBox()));
            x.put("gt_class_iou", s.gtIou());
            x.put("gt_class_loc_correct", s.gtCorrect());
            samples.add(x);
            allCorrect &= s.top5Correct() == null ? s.gtCorrect() : s.top5Correct();
        }
        m.put("samples", samples);
        m.put("correct", allCorrect);
        return m;
    }

    /**
     * Writes the files into {@code dir} (each atomically) and returns the table.
     *
     * @param provenance command, versions, machine (any JSON-serialisable object)
     */
    public static String write(Path dir, Localization.Result res, LocSettings settings, LocData data, int limit, Object provenance) {
        String table = render(res.rows());
        AtomicFiles.writeString(dir.resolve(TABLE), table);
        Path pred = dir.resolve(PREDICTIONS);
        Map<String, VocImage> byId = new HashMap<>();
        data.images().forEach(im -> byId.put(im.id(), im));
        AtomicFiles.write(pred, out -> {
            for (Localization.ImageResult r : res.images()) {
                out.write((Json.toLine(line(r, byId.get(r.id()), res.classNames())) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        });
        LocRow head = res.rows().get(res.rows().size() - 1);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("kind", "localize");
        r.put("settings", settings.toMap());
        List<Map<String, Object>> loc = new ArrayList<>();
        for (int i = 0; i < res.locModels().size(); i++) {
            Map<String, Object> m = new LinkedHashMap<>(res.locModels().get(i).toMap());
            m.put("device", res.devices().get(i).toMap());
            loc.add(m);
        }
        r.put("loc_models", loc);
        if (res.clsModel() != null) {
            Map<String, Object> m = new LinkedHashMap<>(res.clsModel().toMap());
            m.put("device", res.devices().get(res.locModels().size()).toMap());
            m.put("posteriors", "dense, the test scales" + (settings.flip() ? ", with flip" : "") + ", averaged; as verydeep eval --method dense");
            r.put("cls_model", m);
        } else {
            r.put("cls_model", null);
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("spec", data.spec());
        d.put("image_set", data.set());
        d.put("classes", data.classes());
        d.put("images_in_set", data.inSet());
        d.put("limit", limit);
        d.put("images_read", data.images().size());
        d.put("images_without_non_difficult_object", res.noSampleImages());
        d.put("skipped", res.skipped().size());
        d.put("images_tested", head.images());
        d.put("samples", head.samples());
        d.put("sample_rule", "one sample per (image, class) with a non-difficult object of the class; difficult objects are ignored as VOC does "
                + "(no sample of their own; a box matching one is not counted wrong)");
        r.put("dataset", d);
        r.put("headline", head.toMap());
        r.put("rows", res.rows().stream().map(LocRow::toMap).toList());
        r.put("skipped", res.skipped().stream().map(s -> Map.of("id", s.id(), "reason", s.reason())).toList());
        Map<String, Object> timing = new LinkedHashMap<>();
        timing.put("wall_seconds", res.wallSeconds());
        timing.put("images_per_second_wall", head.images() / res.wallSeconds());
        timing.put("note", "row seconds = inference time (input fill, ONNX Runtime, box decoding) of the row's loc nets and scales plus the "
                + "classifier's at those scales; wall_seconds covers everything (opening sessions, decoding, both passes, merging)");
        r.put("timing", timing);
        r.put("peak_rss_mb", Memory.peakRssMb());
        Map<String, Object> files = new LinkedHashMap<>();
        files.put("predictions", PREDICTIONS);
        files.put("predictions_sha256", Hashes.sha256(pred));
        files.put("predictions_row", "the headline row");
        files.put("table", TABLE);
        r.put("files", files);
        r.put("provenance", provenance);
        Json.write(dir.resolve(RESULTS), r);
        return table;
    }
}
