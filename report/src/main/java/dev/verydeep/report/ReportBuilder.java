package dev.verydeep.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.core.net.Head;
import dev.verydeep.report.Doc.Block;
import dev.verydeep.report.Doc.Heading;
import dev.verydeep.report.Doc.Image;
import dev.verydeep.report.Doc.Para;
import dev.verydeep.report.Doc.Table;
import dev.verydeep.report.ResultTree.Evaluation;
import dev.verydeep.report.ResultTree.JsonFile;
import dev.verydeep.report.ResultTree.TrainingRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the result files into the report's blocks. Numbers are copied from the files: error fractions are shown in
 * percent with two decimals, the paper's values as the paper prints them; nothing is computed from other numbers.
 */
public final class ReportBuilder {
    static final String NONE = "–";

    private final ResultTree tree;
    private final PaperMatch paper;
    private final PaperRows paperRows = PaperRows.load();
    private final Path base;
    private final Path charts;
    private final Sources sources = new Sources();
    private final Trainings trainings;
    private final PerImage perImage;
    private final List<Block> blocks = new ArrayList<>();

    /**
     * @param base   file names in the report are relative to this folder when below it
     * @param charts folder the chart PNGs are drawn into
     * @param references folders of shipped reference nets: their training runs and results are labelled as such
     * @param perImage   per-image outcomes for the findings' paired uncertainty ({@link PerImage#NONE}: binomial)
     */
    ReportBuilder(ResultTree tree, PaperMatch paper, Path base, Path charts, List<Path> references, PerImage perImage) {
        this.tree = tree;
        this.trainings = new Trainings(tree, references);
        this.perImage = perImage;
        this.paper = paper;
        this.base = base;
        this.charts = charts;
    }

    List<Block> blocks() {
        blocks.add(new Heading(1, "verydeep report"));
        blocks.add(new Para("Every number below is copied from a result file; the last column of each table names the file by its "
                + "number in the provenance section, which gives that file's command, git commit and versions. Error rates are in percent."));
        training();
        evaluations();
        blocks.addAll(new Findings(tree, trainings, perImage, sources, this::name).blocks());
        blocks.addAll(new TransferSection(tree, sources, this::name, charts, paperRows).blocks());
        blocks.addAll(new LocalisationSection(tree, sources, this::name, paperRows).blocks());
        jmh();
        provenance();
        return blocks;
    }

    // ------------------------------------------------------------------ training runs

    private void training() {
        if (tree.runs().isEmpty()) {
            return;
        }
        blocks.add(new Heading(2, "Training runs"));
        List<List<String>> rows = new ArrayList<>();
        for (TrainingRun r : tree.runs()) {
            JsonNode s = r.run().path("settings");
            String config = configLabel(s.path("net")) + boxHead(s.path("net"));
            String trainS = trainS(s);
            String src = sources.ref(name(r.dir().resolve("run.json")), "this file", r.run().path("provenance"), "training settings (config, train S)");
            String epochs = NONE;
            String loss = NONE;
            String acc = NONE;
            String val = NONE;
            String ips = NONE;
            if (!r.log().isEmpty()) {
                JsonNode last = r.log().get(r.log().size() - 1);
                epochs = num(last.get("epoch"));
                loss = fixed(last.get("trainLoss"), 4);
                acc = pct(last.get("trainAccuracy"));
                val = pct(last.get("validationAccuracy"));
                ips = fixed(last.get("imagesPerSecond"), 1);
                src += " " + sources.ref(name(r.dir().resolve("log.jsonl")), "run.json beside it (the training command writes both)",
                        r.run().path("provenance"), "last epoch: epoch, train loss/accuracy, validation accuracy, images/s");
            }
            String q = NONE;
            String top1 = NONE;
            String images = NONE;
            if (r.eval() != null) {
                q = num(r.eval().get("testScale"));
                top1 = pct(r.eval().get("top1Error"));
                images = num(r.eval().get("images"));
                src += " " + sources.ref(name(r.dir().resolve("eval.json")), "this file", r.eval().path("provenance"),
                        "centre-crop evaluation: test Q, top-1 error, images");
            }
            rows.add(List.of(name(r.dir()), config, trainS, trainings.label(r), epochs, loss, acc, val, ips, q, top1, images, src));
        }
        blocks.add(new Table(List.of("run", "config", "train S", "training", "epochs", "train loss", "train acc.", "val. acc.", "train images/s",
                "test Q (centre crop)", "top-1 err.", "images", "source"), rows));
        blocks.add(new Para("Training: \"reference, converged\" for the shipped reference nets whose plateau schedule made all its "
                + "learning-rate divisions, \"brief training\" for nets stopped by their epoch budget before that (divisions counted "
                + "from log.jsonl, the schedule's maximum from run.json)." + boxAccuracyNote()));
        for (TrainingRun r : tree.runs()) {
            if (r.curves() != null) {
                blocks.add(new Image(r.curves(), "Training curves of " + name(r.dir()) + " (" + name(r.curves()) + ")"));
            }
        }
    }

    static String configLabel(JsonNode net) {
        String c = net.path("config").asText("?").replace('_', '-').replace("5X5", "5x5");
        double w = net.path("width").asDouble(1.0);
        return w == 1.0 ? c : c + " w" + java.math.BigDecimal.valueOf(w).stripTrailingZeros().toPlainString();
    }

    /** What a box-regression net's accuracies mean, when the inputs hold one; "" otherwise. */
    private String boxAccuracyNote() {
        boolean anyBoxNet = tree.runs().stream().anyMatch(r -> !boxHead(r.run().path("settings").path("net")).isEmpty());
        return anyBoxNet ? " For a box-regression net (scr, pcr: Appendix A) the accuracies are the share of boxes with IoU >= 0.5 "
                + "against the ground truth (protocol 1), not a classification accuracy." : "";
    }

    /** " scr" or " pcr" for a box-regression net (its accuracies are localisation accuracies), "" for a classifier. */
    static String boxHead(JsonNode net) {
        Head head = Head.parse(net.path("head").asText(Head.CLASSES.id()));
        return head.isBox() ? " " + head.id() : "";
    }

    static String trainS(JsonNode settings) {
        JsonNode a = settings.get("scaleMin");
        JsonNode b = settings.get("scaleMax");
        if (a == null || b == null) {
            return NONE;
        }
        return a.asInt() == b.asInt() ? a.asText() : "[" + a.asText() + ";" + b.asText() + "]";
    }

    // ------------------------------------------------------------------ evaluations and fusions

    /**
     * One evaluation row with the paper's counterpart (null when none) and the files it comes from; {@code headline}: the
     * row the evaluation was run for (its multi-scale, fused or only row), as its results.json names it.
     */
    private record EvalRow(Evaluation from, List<String> cells, PaperMatch.Match paper, String source, boolean headline) {
    }

    private void evaluations() {
        if (tree.evaluations().isEmpty()) {
            return;
        }
        blocks.add(new Heading(2, "Evaluation (the paper's Tables 3 to 6 layout)"));
        List<EvalRow> all = new ArrayList<>();
        for (Evaluation e : tree.evaluations()) {
            all.addAll(evalRows(e));
        }
        paperTables(all);
        for (Evaluation e : tree.evaluations()) {
            JsonNode data = e.results().path("dataset");
            blocks.add(new Heading(3, (e.fusion() ? "Fusion " : "Evaluation ") + name(e.dir())));
            if (!data.isMissingNode()) {
                blocks.add(new Para("Data: " + data.path("description").asText(data.path("spec").asText(NONE))));
            }
            blocks.add(new Para("Nets: " + trainings.label(e)));
            List<List<String>> rows = new ArrayList<>();
            for (EvalRow r : all) {
                if (r.from() == e) {
                    List<String> c = new ArrayList<>(r.cells());
                    c.add(r.source());
                    rows.add(c);
                }
            }
            blocks.add(new Table(List.of("config", "train S", "test Q", "method", "top-1 err.", "top-5 err.", "images", "images/s",
                    "paper top-1", "paper top-5", "paper row", "source"), rows));
            if (e.confusion() != null) {
                blocks.add(new Image(e.confusion(), "Confusion matrix of the headline row of " + name(e.dir()) + " (" + name(e.confusion()) + ")"));
            }
        }
        evaluationCharts();
        if (all.stream().anyMatch(r -> r.paper() != null)) {
            blocks.add(new Para("\"paper (full scale)\": the paper's number for the corresponding protocol (same config, method, fixed or "
                    + "jittered S, single or multiple test scales) at its own scale and data (ILSVRC-2012, S and Q shown); our nets are "
                    + "miniatures on other data, so the numbers are not expected to agree."));
        }
    }

    private List<EvalRow> evalRows(Evaluation e) {
        JsonNode res = e.results();
        String src = sources.ref(name(e.dir().resolve("results.json")), "this file", res.path("provenance"),
                "table rows: top-1, top-5, images, images/s");
        List<EvalRow> out = new ArrayList<>();
        int crop = crop(res);
        JsonNode head = res.path("headline");
        for (JsonNode row : res.path("rows")) {
            boolean headline = List.of("config", "train_scale", "test_scales", "method").stream()
                    .allMatch(k -> row.path(k).asText().equals(head.path(k).asText(null)));
            String config = row.path("config").asText();
            String s = row.path("train_scale").asText();
            String q = row.path("test_scales").asText();
            String method = row.path("method").asText();
            PaperMatch.Match m = paper.find(config, s, q, method, crop);
            String pTop1 = NONE;
            String pTop5 = NONE;
            String pWhat = NONE;
            String rowSrc = src;
            if (m != null) {
                pTop1 = m.top1() == null ? NONE : fixed(m.top1(), 1) + "%";
                pTop5 = m.top5() == null ? NONE : fixed(m.top5(), 1) + "%";
                pWhat = (PaperMatch.fullScale(config, s, q, m) ? "paper" : "paper (full scale)") + ", Table " + m.table() + ", S="
                        + m.trainS() + ", Q=" + m.testQ();
                rowSrc += " " + sources.refExplicit("golden-data " + m.file(), "golden file (published values)",
                        "none (published values: " + m.reference() + ")", "none (published values)", "none",
                        "the paper's top-1/top-5 beside our rows");
            }
            out.add(new EvalRow(e, List.of(config, s, q, method, pct(row.get("top1_error")), pct(row.get("top5_error")), num(row.get("images")),
                    fixed(row.get("images_per_second"), 1), pTop1, pTop5, pWhat), m, rowSrc, headline));
        }
        return out;
    }

    /** The crop the evaluated net was trained at, from its training run among the inputs (beside the model); 0 if unknown. */
    private int crop(JsonNode results) {
        JsonNode models = results.path("models");
        TrainingRun r = models.size() == 1 ? tree.runOf(models.get(0).path("path").asText("")) : null;
        return r == null ? 0 : r.run().path("settings").path("net").path("crop").asInt(0);
    }

    /**
     * The paper's tables gathered: the headline row of every evaluation and fusion that has a counterpart in Table 3,
     * 4, 5 or 6, in one table per paper table, so a whole reproduction reads as the paper does. Every row, with the
     * ones that have no counterpart, follows per evaluation.
     */
    private void paperTables(List<EvalRow> all) {
        for (String t : List.of("3", "4", "5", "6")) {
            List<List<String>> rows = new ArrayList<>();
            for (EvalRow r : all) {
                if (r.headline() && r.paper() != null && r.paper().table().equals(t)) {
                    List<String> c = new ArrayList<>(List.of(name(r.from().dir())));
                    c.addAll(r.cells().subList(0, 6));
                    c.addAll(List.of(r.cells().get(8), r.cells().get(9), "S=" + r.paper().trainS() + ", Q=" + r.paper().testQ(),
                            trainings.label(r.from()), r.source()));
                    rows.add(c);
                }
            }
            if (!rows.isEmpty()) {
                blocks.add(new Heading(3, "Table " + t + " (the headline rows of the evaluations below that have a counterpart in the paper's Table " + t + ")"));
                blocks.add(new Table(List.of("evaluation", "config", "train S", "test Q", "method", "top-1 err.", "top-5 err.", "paper top-1",
                        "paper top-5", "paper row", "nets", "source"), rows));
            }
        }
    }

    private void evaluationCharts() {
        Path scale = charts.resolve("chart-error-vs-scale.png");
        if (Charts.errorVsScale(tree.evaluations(), scale)) {
            blocks.add(new Heading(3, "Top-1 error vs test scale"));
            blocks.add(new Image(scale, "Top-1 error of each single-scale row of the evaluations above with two or more test scales, "
                    + "per net and method (chart drawn from those results.json files)"));
        }
        Path speed = charts.resolve("chart-throughput-vs-scale.png");
        if (Charts.throughputVsScale(tree.evaluations(), speed)) {
            blocks.add(new Heading(3, "Throughput vs test scale"));
            blocks.add(new Image(speed, "Images per second of each single-scale row of the evaluations above with two or more test scales "
                    + "(as each results.json records it, on the machine and under the load that ran it), per net and method (chart drawn "
                    + "from those results.json files)"));
        }
        Path cost = charts.resolve("chart-cost.png");
        if (Charts.costVsError(tree.evaluations(), cost)) {
            blocks.add(new Heading(3, "Cost: images/s vs top-1 error"));
            blocks.add(new Image(cost, "Images per second (as each row records it, on the machine that ran it) against top-1 error, "
                    + "every row of the evaluations above, one colour per method; JMH results carry no error rate and are not drawn"));
        }
    }

    // ------------------------------------------------------------------ JMH

    private void jmh() {
        if (tree.jmh().isEmpty()) {
            return;
        }
        blocks.add(new Heading(2, "Benchmarks (JMH)"));
        List<List<String>> rows = new ArrayList<>();
        for (JsonFile f : tree.jmh()) {
            JsonNode first = f.json().get(0);
            String src = sources.refExplicit(name(f.file()), "JMH's own fields (JMH JSON has no provenance object)",
                    "not recorded (written by verydeep bench / JMH)", "not recorded",
                    "jmh=" + first.path("jmhVersion").asText("?") + ", jdk=" + first.path("jdkVersion").asText("?") + ", vm="
                            + first.path("vmName").asText("?") + " " + first.path("vmVersion").asText("?"),
                    "benchmark scores");
            for (JsonNode b : f.json()) {
                JsonNode pm = b.path("primaryMetric");
                StringBuilder params = new StringBuilder();
                JsonNode p = b.path("params");
                for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> e = it.next();
                    params.append(params.length() == 0 ? "" : ", ").append(e.getKey()).append('=').append(e.getValue().asText());
                }
                String bench = b.path("benchmark").asText();
                rows.add(List.of(bench.substring(bench.lastIndexOf('.', bench.lastIndexOf('.') - 1) + 1), params.length() == 0 ? NONE : params.toString(),
                        b.path("mode").asText(), num(b.get("threads")), fixed(pm.get("score"), 3), fixed(pm.get("scoreError"), 3),
                        pm.path("scoreUnit").asText(), src));
            }
        }
        blocks.add(new Table(List.of("benchmark", "params", "mode", "threads", "score", "± error", "unit", "source"), rows));
    }

    // ------------------------------------------------------------------ provenance

    private void provenance() {
        blocks.add(new Heading(2, "Provenance"));
        List<List<String>> rows = new ArrayList<>();
        for (Sources.Source s : sources.all()) {
            rows.add(List.of("[" + s.ref() + "]", s.file(), String.join("; ", s.numbers()), s.provenanceFrom(), s.command(), s.gitCommit(),
                    s.versions()));
        }
        blocks.add(new Table(List.of("ref", "file", "numbers taken from it", "provenance read from", "command", "git commit", "versions"), rows));
        if (!tree.skipped().isEmpty()) {
            blocks.add(new Para(tree.skipped().size() + " other files under the inputs are not result files the report reads "
                    + "(posteriors, weights, models, unknown files) and were skipped."));
        }
    }

    // ------------------------------------------------------------------ formatting

    /** A file name relative to the current folder when it is below it. */
    String name(Path p) {
        Path a = p.toAbsolutePath().normalize();
        return a.startsWith(base) && !a.equals(base) ? base.relativize(a).toString() : a.toString();
    }

    static String pct(JsonNode n) {
        return n == null || !n.isNumber() ? NONE : String.format(Locale.ROOT, "%.2f%%", 100 * n.asDouble());
    }

    static String fixed(JsonNode n, int decimals) {
        return n == null || !n.isNumber() ? NONE : fixed(n.asDouble(), decimals);
    }

    static String fixed(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : NONE;
    }

    static String num(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? NONE : n.asText();
    }
}
