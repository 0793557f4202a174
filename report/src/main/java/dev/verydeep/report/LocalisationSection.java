package dev.verydeep.report;

import static dev.verydeep.report.ReportBuilder.NONE;
import static dev.verydeep.report.ReportBuilder.fixed;
import static dev.verydeep.report.ReportBuilder.num;
import static dev.verydeep.report.ReportBuilder.pct;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.report.Doc.Block;
import dev.verydeep.report.Doc.Heading;
import dev.verydeep.report.Doc.Para;
import dev.verydeep.report.Doc.Table;
import dev.verydeep.report.ResultTree.JsonFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Function;

/**
 * The localisation results ({@code verydeep localize}) in the layout of the paper's Tables 8 and 9: every row of every
 * results.json with the paper's number beside it where it corresponds (Table 8: centre crop and ground-truth class, by
 * regression and fine-tuned layers; Table 9: dense top-5, by test scales, and the fusion of two nets).
 */
final class LocalisationSection {
    /** One loc net of a result: its label and train S as the result records them, and its training run's settings if found. */
    private record LocNet(String label, String trainS, String finetune, int crop, String source) {
    }

    private final ResultTree tree;
    private final Sources sources;
    private final Function<Path, String> name;
    private final PaperRows paper;
    private final Nets nets;

    LocalisationSection(ResultTree tree, Sources sources, Function<Path, String> name, PaperRows paper) {
        this.tree = tree;
        this.sources = sources;
        this.name = name;
        this.paper = paper;
        this.nets = new Nets(tree, sources, name);
    }

    List<Block> blocks() {
        List<Block> blocks = new ArrayList<>();
        if (tree.localisations().isEmpty()) {
            return blocks;
        }
        blocks.add(new Heading(2, "Localisation (the paper's Tables 8/9 layout)"));
        List<List<String>> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        boolean anyPaper = false;
        for (JsonFile f : tree.localisations()) {
            JsonNode j = f.json();
            String file = name.apply(f.file());
            String src = sources.ref(file, "this file", j.path("provenance"),
                    "localisation rows: errors, mean IoU, images, samples; its data set and classifier");
            List<LocNet> all = locNets(j, file);
            notes.add(note(j, file, src));
            for (JsonNode row : j.path("rows")) {
                List<LocNet> used = netsOf(row.path("loc_nets").asText(), all);
                boolean known = !used.contains(null);
                String finetune = known ? joined(used.stream().map(LocNet::finetune).toList()) : NONE;
                String trainS = known ? joined(used.stream().map(LocNet::trainS).toList()) : NONE;
                String rowSrc = src;
                for (String netSrc : new LinkedHashSet<>(used.stream().filter(n -> n != null && n.source() != null).map(LocNet::source).toList())) {
                    rowSrc += " " + netSrc;
                }
                String protocol = row.path("protocol").asText();
                PaperRows.Row p = !known ? null : paper.localisation(protocol, used.stream().map(LocNet::label).toList(),
                        row.path("regression").asText(), used.stream().map(LocNet::finetune).toList(), used.stream().map(LocNet::trainS).toList(),
                        row.path("test_scales").asText(), used.get(0).crop());
                String pValue = NONE;
                String pRow = NONE;
                if (p != null) {
                    anyPaper = true;
                    pValue = fixed(p.value(), 1) + "%";
                    pRow = PaperRows.describe(p);
                    rowSrc += " " + sources.refExplicit("golden-data " + p.file(), "golden file (published values)",
                            "none (published values: " + p.reference() + ")", "none (published values)", "none",
                            "the paper's localisation errors beside ours");
                }
                rows.add(List.of(name.apply(f.file().getParent()), row.path("loc_nets").asText(), protocol, row.path("regression").asText(), finetune,
                        trainS, row.path("test_scales").asText(), pct(row.get("top5_loc_error")), pct(row.get("gt_class_loc_error")),
                        fixed(row.get("gt_class_mean_iou"), 3), pct(row.get("cls_top5_error")), num(row.get("images")), num(row.get("samples")),
                        pValue, pRow, rowSrc));
            }
        }
        blocks.add(new Table(List.of("result", "loc nets", "protocol", "regression", "fine-tuned", "train S", "test Q", "top-5 loc. err.",
                "GT-class loc. err.", "GT-class mean IoU", "cls top-5 err.", "images", "samples", "paper value", "paper row", "source"), rows));
        notes.forEach(n -> blocks.add(new Para(n)));
        if (anyPaper) {
            blocks.add(new Para("\"paper value\": Table 8's localisation error (centre crop, ground-truth class) beside our GT-class error, "
                    + "Table 9's top-5 localisation error (dense, ILSVRC-2012 validation) beside our top-5 error; \"paper (full scale)\": the "
                    + "paper's full-size D on ILSVRC at its S and Q. Our nets are miniatures on other data, so the numbers are not expected to "
                    + "agree. Fine-tuned layers and the crop come from each loc net's training run (run.json) when it is among the inputs."));
        }
        return blocks;
    }

    /** The loc nets a result records, in order, with their training runs' settings where found. */
    private List<LocNet> locNets(JsonNode j, String file) {
        List<LocNet> out = new ArrayList<>();
        for (JsonNode m : j.path("loc_models")) {
            Nets.Net net = nets.find(m.path("path").asText(""), m.path("sha256").asText(""), "fine-tuned layers of the loc nets of " + file);
            JsonNode s = net == null || net.run() == null ? null : net.run().run().path("settings");
            out.add(new LocNet(m.path("label").asText(), m.path("train_scale").asText(NONE), s == null ? null : s.path("finetune").asText(null),
                    s == null ? 0 : s.path("net").path("crop").asInt(0), net == null || net.run() == null ? null : net.source()));
        }
        return out;
    }

    /**
     * The nets of one row, by label ({@code A+B} joins several): the whole list in order for a row of all of them,
     * otherwise the net of that label; null for a label that names none, or several that differ in S or fine-tuning.
     */
    private static List<LocNet> netsOf(String label, List<LocNet> all) {
        List<String> parts = List.of(label.split("\\+"));
        if (parts.equals(all.stream().map(LocNet::label).toList())) {
            return all;
        }
        List<LocNet> out = new ArrayList<>();
        for (String part : parts) {
            List<LocNet> c = all.stream().filter(n -> n.label().equals(part)).toList();
            boolean same = !c.isEmpty() && c.stream().allMatch(n -> n.trainS().equals(c.get(0).trainS()) && String.valueOf(n.finetune())
                    .equals(String.valueOf(c.get(0).finetune())));
            out.add(same ? c.get(0) : null);
        }
        return out;
    }

    /** Values of the nets: one when they agree, else each joined by +; a dash for unknown ones. */
    private static String joined(List<String> values) {
        List<String> v = values.stream().map(s -> s == null ? NONE : s).toList();
        return new LinkedHashSet<>(v).size() == 1 ? v.get(0) : String.join("+", v);
    }

    private static String note(JsonNode j, String file, String src) {
        JsonNode d = j.path("dataset");
        JsonNode cls = j.path("cls_model");
        return file + ": data " + d.path("spec").asText(NONE) + ", " + num(d.get("images_tested")) + " images tested, "
                + num(d.get("samples")) + " samples; classes for top-5 from " + (cls.isObject() ? cls.path("label").asText(NONE) + " (S="
                + cls.path("train_scale").asText(NONE) + ")" : "no classifier (top-5 not measured)") + " " + src + ".";
    }
}
