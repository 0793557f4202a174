package dev.verydeep.report;

import static dev.verydeep.report.ReportBuilder.NONE;
import static dev.verydeep.report.ReportBuilder.fixed;
import static dev.verydeep.report.ReportBuilder.num;
import static dev.verydeep.report.ReportBuilder.pct;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.report.Doc.Block;
import dev.verydeep.report.Doc.Heading;
import dev.verydeep.report.Doc.Image;
import dev.verydeep.report.Doc.Para;
import dev.verydeep.report.Doc.Table;
import dev.verydeep.report.ResultTree.JsonFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The transfer results in the layout of the paper's Tables 11 and 12, with the paper's number beside each result whose
 * nets (D, E, or both stacked) and protocol it has, per-class AP tables and precision-recall charts.
 */
final class TransferSection {
    private final ResultTree tree;
    private final Sources sources;
    private final Function<Path, String> name;
    private final Path charts;
    private final PaperRows paper;
    private final Nets nets;
    private final List<Block> blocks = new ArrayList<>();
    private int prCharts;

    TransferSection(ResultTree tree, Sources sources, Function<Path, String> name, Path charts, PaperRows paper) {
        this.tree = tree;
        this.sources = sources;
        this.name = name;
        this.charts = charts;
        this.paper = paper;
        this.nets = new Nets(tree, sources, name);
    }

    List<Block> blocks() {
        if (tree.transfers().isEmpty()) {
            return blocks;
        }
        blocks.add(new Heading(2, "Transfer (the paper's Tables 11/12 layout)"));
        List<List<String>> rows = new ArrayList<>();
        List<Matched> matched = new ArrayList<>();
        for (JsonFile f : tree.transfers()) {
            JsonNode j = f.json();
            String file = name.apply(f.file());
            String src = sources.ref(file, "this file", j.path("provenance"), "transfer result");
            String protocol = j.path("protocol").asText();
            String measure;
            String value;
            String spread = NONE;
            if (j.has("meanClassRecall")) {
                measure = "mean class recall";
                value = pct(j.get("meanClassRecall"));
                spread = j.has("std") ? "± " + pct(j.get("std")) : NONE;
            } else {
                measure = "mAP";
                value = pct(j.get("mAP"));
            }
            List<Nets.Net> found = nets.ofDescriptor(j, file);
            boolean known = !found.isEmpty() && !found.contains(null);
            String netsCell = known ? String.join(" + ", found.stream().map(n -> n.label() + " (S=" + n.trainS() + ")").toList()) : NONE;
            if (known) {
                src += " " + String.join(" ", new LinkedHashSet<>(found.stream().map(Nets.Net::source).toList()));
            }
            PaperRows.Row p = known ? paper.transfer(protocol, found.stream().map(Nets.Net::label).toList(),
                    j.path("descriptor_of_entry").asText().contains("person box")) : null;
            String pValue = NONE;
            String pStd = NONE;
            String pRow = NONE;
            if (p != null) {
                pValue = fixed(p.value(), 1) + "%";
                pStd = p.std() == null ? NONE : "± " + fixed(p.std(), 1) + "%";
                pRow = PaperRows.describe(p);
                src += " " + sources.refExplicit("golden-data " + p.file(), "golden file (published values)",
                        "none (published values: " + p.reference() + ")", "none (published values)", "none",
                        "the paper's transfer numbers beside ours");
            }
            if (p != null) {
                matched.add(new Matched(netsCell, protocol, value, pValue, src));
            }
            rows.add(List.of(file, protocol, j.path("dataset").asText(NONE), netsCell, measure, value, spread, images(j, "trainImages"),
                    images(j, "testImages"), pValue, pStd, pRow, src));
        }
        if (!matched.isEmpty()) {
            blocks.addAll(paperLayout(matched));
        }
        blocks.add(new Table(List.of("file", "protocol", "data set", "nets (train S)", "measure", "value", "std", "train images", "test images",
                "paper value", "paper std", "paper row", "source"), rows));
        if (!matched.isEmpty()) {
            blocks.add(new Para("\"paper (full scale)\": the paper's number for the same protocol and the same nets (D, E, or D&E: both "
                    + "descriptors stacked) on the real data set (ILSVRC-trained nets at full scale, the paper's S and Q); our nets are "
                    + "miniatures on other data, so the numbers are not expected to agree. Nets are named from the training run each "
                    + "model was exported into, or an evaluation that recorded the model's hash; \"–\" when no input records them."));
        }
        perClass();
        return blocks;
    }

    /** A result with a paper counterpart: its nets, protocol, value, the paper's value and the sources of both. */
    private record Matched(String nets, String protocol, String value, String paper, String source) {
    }

    /** The paper's column order: Table 11's data sets, then Table 12's. */
    private static final List<String> PAPER_COLUMNS = List.of("voc2007", "voc2012", "caltech101", "caltech256", "voc2012-action");

    /**
     * The matched results as the paper lays out Tables 11 and 12: one row per set of nets, one column per protocol, ours
     * beside the paper's (several results of the same nets and protocol are all shown, separated by ";").
     */
    private static List<Block> paperLayout(List<Matched> matched) {
        List<String> columns = PAPER_COLUMNS.stream().filter(c -> matched.stream().anyMatch(m -> m.protocol().equals(c))).toList();
        List<List<String>> rows = new ArrayList<>();
        for (String nets : new LinkedHashSet<>(matched.stream().map(Matched::nets).toList())) {
            List<String> row = new ArrayList<>(List.of(nets));
            for (String c : columns) {
                List<String> cell = matched.stream().filter(m -> m.nets().equals(nets) && m.protocol().equals(c))
                        .map(m -> m.value() + " (paper " + m.paper() + ")").toList();
                row.add(cell.isEmpty() ? NONE : String.join("; ", cell));
            }
            row.add(String.join(" ", new LinkedHashSet<>(matched.stream().filter(m -> m.nets().equals(nets))
                    .flatMap(m -> List.of(m.source().split(" ")).stream()).toList())));
            rows.add(row);
        }
        List<String> header = new ArrayList<>(List.of("nets (train S)"));
        columns.forEach(c -> header.add(c + (c.startsWith("caltech") ? " mean class recall" : " mAP")));
        header.add("source");
        return List.of(new Heading(3, "Tables 11/12 layout (the results below that have a counterpart in the paper; ours, then the paper's)"),
                new Table(header, rows), new Heading(3, "Every transfer result"));
    }

    /** A count the file records at its top level, or per split (Caltech): one value when every split has it, else each. */
    static String images(JsonNode j, String key) {
        if (j.has(key)) {
            return num(j.get(key));
        }
        Set<String> per = new LinkedHashSet<>();
        List<String> all = new ArrayList<>();
        for (JsonNode s : j.path("perSplit")) {
            if (s.has(key)) {
                per.add(num(s.get(key)));
                all.add(num(s.get(key)));
            }
        }
        if (per.isEmpty()) {
            return NONE;
        }
        return per.size() == 1 ? per.iterator().next() + (all.size() > 1 ? " per split" : "") : String.join(" / ", all) + " (per split)";
    }

    private void perClass() {
        for (JsonFile f : tree.transfers()) {
            JsonNode per = f.json().path("perClassAp");
            if (per.isObject() && !per.isEmpty()) {
                String file = name.apply(f.file());
                List<List<String>> pr = new ArrayList<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = per.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> e = it.next();
                    pr.add(List.of(e.getKey(), pct(e.getValue()), sources.ref(file, "this file", f.json().path("provenance"), "per-class AP")));
                }
                blocks.add(new Heading(3, "Per-class AP, " + file));
                blocks.add(new Table(List.of("class", "AP", "source"), pr));
                Path png = charts.resolve(String.format(Locale.ROOT, "chart-pr-%02d.png", ++prCharts));
                if (Charts.precisionRecall(f.json(), "Precision-recall per class, " + file, png)) {
                    blocks.add(new Image(png, "Precision-recall curves per class of " + file
                            + " (from the SVM decision values and truths it records under testScores; difficult images left out)"));
                }
            }
        }
    }
}
