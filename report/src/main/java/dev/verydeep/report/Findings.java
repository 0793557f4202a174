package dev.verydeep.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.report.Doc.Block;
import dev.verydeep.report.Doc.Heading;
import dev.verydeep.report.Doc.Para;
import dev.verydeep.report.Doc.Table;
import dev.verydeep.report.ResultTree.Evaluation;
import dev.verydeep.report.ResultTree.JsonFile;
import dev.verydeep.report.ResultTree.TrainingRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The paper's findings, each as a row computed from the result files: the two rates it compares, the margin in
 * percentage points (positive: the paper's direction), the images it rests on, the sampling uncertainty of that
 * difference, and a verdict. Nets are recognised by what their results record (config, training scale, test scales,
 * method), never by folder names; the reference nets and the other nets (e.g. a miniature suite's) are compared only
 * among themselves.
 *
 * <p>Uncertainty: with per-image outcomes ({@link PerImage}, from the saved posteriors) the paired standard error of
 * a difference of two error rates on the same n images, {@code sqrt(b + c - (b - c)^2 / n) / n} from the b and c
 * images only one of the two gets wrong (McNemar's); otherwise the binomial {@code sqrt(p (1 - p) / n)} of each rate,
 * combined in quadrature (larger: it ignores that the images are shared). Verdict: "re-observed" when the margin
 * exceeds twice its standard error (for "no gain" findings: when the other side does not win by more than that);
 * "not measurable yet" when a net the finding needs has no result among the inputs, or when two compared nets were
 * trained with different recipes ({@link Trainings#recipeDifference}).
 *
 * <p>The control: the paper never initialises A from another net, but its A-LRN, B and D (and ours) start from A's
 * layers, so they had A's epochs before their own. An evaluation of one config-A net whose training run started from
 * another net's layers ({@code settings.initFrom} set) is the control {@value #AGAIN}, "A trained again" (the reference
 * family's {@code A-again-37}); the paper's rows compare with the A trained from scratch, as the paper did, and control
 * rows compare the same nets with {@value #AGAIN}.
 */
final class Findings {
    /** What a finding claims about (first, second): second beats first, or first does not beat second. */
    private enum Claim { BETTER, NOT_WORSE }

    /** The protocols of the paper's tables that the findings compare. */
    private enum Protocol { T3, T4, T5_DENSE, T5_MULTICROP, T5_BOTH }

    /** The config of the control: A trained again from another net's layers (the paper's A never is). */
    static final String AGAIN = "A-again";

    /** A net of one kind (reference or other), by its paper config (or {@value #AGAIN}) and training scale. */
    private record Net(String kind, String config, String trainS) {
    }

    /** A measured top-1 error: a row of a result file; {@code member} as {@link PerImage} numbers it. */
    private record Rate(Evaluation from, int member, String what, double error, int images, String source) {
    }

    private final ResultTree tree;
    private final Trainings trainings;
    private final PerImage perImage;
    private final Sources sources;
    private final Function<Path, String> name;
    private final Map<Net, Map<Protocol, List<Evaluation>>> byNet = new LinkedHashMap<>();
    private final Map<String, Map<String, Boolean>> outcomes = new HashMap<>();
    private final List<List<String>> rows = new ArrayList<>();

    Findings(ResultTree tree, Trainings trainings, PerImage perImage, Sources sources, Function<Path, String> name) {
        this.tree = tree;
        this.trainings = trainings;
        this.perImage = perImage;
        this.sources = sources;
        this.name = name;
        for (Evaluation e : tree.evaluations()) {
            JsonNode h = e.results().path("headline");
            Protocol p = protocol(h);
            if (!e.fusion() && e.results().path("models").size() == 1 && p != null) {
                Net n = new Net(trainings.kind(e), config(e, PaperMatch.paperConfig(h.path("config").asText())), h.path("train_scale").asText());
                byNet.computeIfAbsent(n, k -> new LinkedHashMap<>()).computeIfAbsent(p, k -> new ArrayList<>()).add(e);
            }
        }
    }

    /** The paper config of a one-net evaluation, or {@value #AGAIN} for an A whose training started from another net's layers. */
    private String config(Evaluation e, String paperConfig) {
        List<TrainingRun> runs = trainings.runs(e);
        return paperConfig.equals("A") && runs.size() == 1 && runs.get(0) != null && Trainings.startedFromAnotherNet(runs.get(0)) ? AGAIN
                : paperConfig;
    }

    /** The protocol of a headline row, or null when it is none the findings use. */
    private static Protocol protocol(JsonNode h) {
        String shape = PaperMatch.shape(h.path("train_scale").asText(""), h.path("test_scales").asText(""));
        if (shape == null) {
            return null;
        }
        boolean single = shape.equals("fixed:S") || shape.equals("jit:mid");
        return switch (h.path("method").asText()) {
            case "dense" -> single ? Protocol.T3 : Protocol.T4;
            case "dense+flip" -> single ? null : Protocol.T5_DENSE;
            case "multi-crop" -> single ? null : Protocol.T5_MULTICROP;
            case "dense+flip & multi-crop" -> single ? null : Protocol.T5_BOTH;
            default -> null;
        };
    }

    List<Block> blocks() {
        List<String> kinds = new ArrayList<>();
        for (Evaluation e : tree.evaluations()) {
            String k = trainings.kind(e);
            if (!kinds.contains(k)) {
                kinds.add(k);
            }
        }
        if (kinds.isEmpty()) {
            return List.of();
        }
        kinds.sort(Comparator.comparing(k -> !k.equals(Trainings.REFERENCE)));
        for (String kind : kinds) {
            depth(kind);
            jitter(kind);
            perNet(kind, "multi-scale test beats single scale (Tables 3, 4)", Protocol.T3, Protocol.T4);
            denseAndMultiCrop(kind);
            fusions(kind);
        }
        transfer();
        return List.of(new Heading(2, "Findings of the paper, measured"),
                new Para("Each row compares two top-1 error rates read from the result files named in its source column; the nets are "
                        + "the reference nets (trained to convergence) or the other nets of the inputs (e.g. a miniature suite's, briefly "
                        + "trained), never mixed. Margin: in percentage points, positive in the paper's direction. Standard error of the "
                        + "difference: paired (McNemar) from the images only one of the two gets wrong, where the saved posteriors give "
                        + "per-image outcomes; otherwise binomial, sqrt(p(1-p)/n) per rate combined in quadrature. Verdict: re-observed "
                        + "when the margin exceeds twice its standard error (for a \"no gain\" finding: when the other side does not win "
                        + "by more than that); not measurable yet when a net it needs has no result among the inputs, or when the two nets "
                        + "were trained with different recipes (width, FC width, crop, batch, weight decay or dropout: the "
                        + "margin would measure the recipe too). Control rows: A-LRN, B and D against A trained again from A's layers (an A "
                        + "net whose training started from another net's, e.g. reference A-again-37), since they too started from A's "
                        + "layers and had its epochs before their own; the paper's rows keep the A trained from scratch, as it compared."),
                new Table(List.of("finding", "nets", "compared (first vs second)", "margin (pp)", "test images", "std. error (pp)", "error basis",
                        "verdict", "source"), rows));
    }

    // ------------------------------------------------------------------ the findings

    private void depth(String kind) {
        String t = " (Table 3, S=37)";
        pair(kind, "LRN gives no gain: A-LRN not better than A" + t, "A-LRN", "A", Claim.NOT_WORSE);
        pair(kind, "error falls with depth: A > B" + t, "A", "B", Claim.BETTER);
        pair(kind, "error falls with depth: B > D" + t, "B", "D", Claim.BETTER);
        pair(kind, "error falls with depth: A > D" + t, "A", "D", Claim.BETTER);
        pair(kind, "E about D: E not worse than D" + t, "D", "E", Claim.NOT_WORSE);
        pair(kind, "C (1x1 conv.) worse than D" + t, "C", "D", Claim.BETTER);
        control(kind, t);
    }

    /**
     * The control rows: A-LRN, B and D against {@value #AGAIN} (the same semantics as the paper's rows against A). Always
     * for the reference nets (not measurable yet until A-again-37 is trained); for other nets only when they have one.
     */
    private void control(String kind, String t) {
        boolean present = rate(kind, AGAIN, "37", Protocol.T3, null) != null;
        if (!present && !kind.equals(Trainings.REFERENCE)) {
            return;
        }
        String absent = present ? null : "needs A-again-37 (A trained again from A-37's layers)";
        pair(kind, "LRN gives no gain, control: A-LRN not better than A trained again from A's layers" + t, "A-LRN", AGAIN, Claim.NOT_WORSE,
                absent);
        pair(kind, "error falls with depth, control: A again > B" + t, AGAIN, "B", Claim.BETTER, absent);
        pair(kind, "error falls with depth, control: A again > D" + t, AGAIN, "D", Claim.BETTER, absent);
    }

    private void pair(String kind, String finding, String first, String second, Claim claim) {
        pair(kind, finding, first, second, claim, null);
    }

    /** {@code missing}: what the row says when a net is absent (null: that both nets are needed at S=37, dense at Q=37). */
    private void pair(String kind, String finding, String first, String second, Claim claim, String missing) {
        Rate a = rate(kind, first, "37", Protocol.T3, null);
        Rate b = rate(kind, second, "37", Protocol.T3, null);
        compare(kind, finding, a, b, claim, missing != null ? missing : "needs " + first + " and " + second + " at S=37, dense at Q=37");
    }

    private void jitter(String kind) {
        for (String c : List.of("C", "D", "E")) {
            Rate jit = rate(kind, c, "[37;73]", Protocol.T4, null);
            Rate fixed = best(rate(kind, c, "37", Protocol.T4, null), rate(kind, c, "55", Protocol.T4, null));
            compare(kind, "jittered S beats fixed S at multi-scale test, " + c + " (Table 4; the better fixed S)", fixed, jit, Claim.BETTER,
                    "needs " + c + " with jittered S and at S=37 or 55, dense at three scales");
        }
    }

    private void perNet(String kind, String finding, Protocol first, Protocol second) {
        boolean any = false;
        for (Net n : nets(kind)) {
            Rate a = rate(n, first, null);
            Rate b = rate(n, second, null);
            if (a != null && b != null) {
                compare(kind, finding + ", " + n.config() + " S=" + n.trainS(), a, b, Claim.BETTER, null);
                any = true;
            }
        }
        if (!any) {
            compare(kind, finding, null, null, Claim.BETTER, "needs a net evaluated at one and at three scales");
        }
    }

    private void denseAndMultiCrop(String kind) {
        boolean any = false;
        for (Net n : nets(kind)) {
            Rate both = rate(n, Protocol.T5_BOTH, null);
            if (both != null) {
                Rate either = best(rate(n, Protocol.T5_DENSE, both.images()), rate(n, Protocol.T5_MULTICROP, both.images()));
                compare(kind, "dense and multi-crop together beat either, " + n.config() + " S=" + n.trainS() + " (Table 5; the better of the two)",
                        either, both, Claim.BETTER, "needs dense and multi-crop alone on the same images");
                any = true;
            }
        }
        if (!any) {
            compare(kind, "dense and multi-crop together beat either (Table 5)", null, null, Claim.BETTER,
                    "needs a net evaluated dense, multi-crop and both");
        }
    }

    private void fusions(String kind) {
        boolean any = false;
        for (Evaluation e : tree.evaluations()) {
            JsonNode rs = e.results().path("rows");
            JsonNode h = e.results().path("headline");
            boolean fused = e.fusion() || e.results().path("models").size() > 1;
            if (!fused || !trainings.kind(e).equals(kind) || rs.size() < 2) {
                continue;
            }
            // The members' rows over all their methods and scales: a fuse result lists them first; a multi-net
            // evaluation has them among its rows with the headline's scales and method.
            List<Rate> members = new ArrayList<>();
            for (int i = 0; i < rs.size() - 1; i++) {
                JsonNode r = rs.get(i);
                if (e.fusion() || r.path("test_scales").asText().equals(h.path("test_scales").asText())
                        && r.path("method").asText().equals(h.path("method").asText())) {
                    members.add(rate(e, members.size(), r));
                }
            }
            Rate best = members.stream().filter(Objects::nonNull).min(Comparator.comparingDouble(Rate::error)).orElse(null);
            compare(kind, "fusion beats its members: " + h.path("config").asText() + " (Table 6; the best member)", best, rate(e, -1, h),
                    Claim.BETTER, "no member rows in " + name.apply(e.dir()));
            any = true;
        }
        if (!any) {
            compare(kind, "fusion beats its members (Table 6)", null, null, Claim.BETTER, "needs a fusion of two or more nets");
        }
    }

    /** Deeper features transfer better: D's descriptors against A's and E's against D's, per protocol (Table 11). */
    private void transfer() {
        Nets nets = new Nets(tree, sources, name);
        Map<String, Map<String, Descriptors>> byProtocol = new LinkedHashMap<>();
        for (JsonFile f : tree.transfers()) {
            List<Nets.Net> found = nets.ofDescriptor(f.json(), name.apply(f.file()));
            if (found.size() == 1 && found.get(0) != null) {
                String c = PaperMatch.paperConfig(found.get(0).label());
                byProtocol.computeIfAbsent(f.json().path("protocol").asText(), k -> new LinkedHashMap<>())
                        .putIfAbsent(c, new Descriptors(f, found.get(0)));
            }
        }
        boolean any = false;
        for (Map.Entry<String, Map<String, Descriptors>> p : byProtocol.entrySet()) {
            for (List<String> pair : List.of(List.of("A", "D"), List.of("D", "E"))) {
                Descriptors shallow = p.getValue().get(pair.get(0));
                Descriptors deep = p.getValue().get(pair.get(1));
                if (shallow != null && deep != null) {
                    transferRow(p.getKey(), pair.get(0), shallow, pair.get(1), deep);
                    any = true;
                }
            }
        }
        if (!any) {
            rows.add(List.of("deeper features transfer better: E's descriptors beat D's (Table 11)", ReportBuilder.NONE,
                    "needs transfer results of two nets' descriptors (A and D, or D and E) with one protocol (none among the inputs)",
                    ReportBuilder.NONE, ReportBuilder.NONE, ReportBuilder.NONE, ReportBuilder.NONE, "not measurable yet", ReportBuilder.NONE));
        }
    }

    /** A transfer result and the one net whose descriptors it used. */
    private record Descriptors(JsonFile result, Nets.Net net) {
    }

    private void transferRow(String protocol, String shallowConfig, Descriptors shallow, String deepConfig, Descriptors deep) {
        JsonFile d = shallow.result();
        JsonFile e = deep.result();
        String key = d.json().has("meanClassRecall") ? "meanClassRecall" : "mAP";
        double margin = 100 * (e.json().path(key).asDouble() - d.json().path(key).asDouble());
        Double se = null;
        String basis = "not recorded (one test set: no spread)";
        if (d.json().path("std").isNumber() && e.json().path("std").isNumber() && d.json().path("splits").asInt(0) > 0
                && e.json().path("splits").asInt(0) > 0) {
            se = 100 * Math.sqrt(sq(d.json().path("std").asDouble()) / d.json().path("splits").asInt() + sq(e.json().path("std").asDouble())
                    / e.json().path("splits").asInt());
            basis = "std over splits / sqrt(splits), per result, combined";
        }
        String verdict = se == null ? (margin > 0 ? "re-observed (direction only)" : "not re-observed (direction only)") : verdict(margin, se, Claim.BETTER);
        String recipes = Trainings.recipeDifference(shallow.net().run(), deep.net().run());
        if (!recipes.isEmpty()) {
            basis = "trained with different recipes: " + recipes;
            verdict = "not measurable yet";
            se = null;
        }
        rows.add(List.of("deeper features transfer better: " + deepConfig + "'s descriptors beat " + shallowConfig + "'s, " + protocol
                        + " (Table 11)", ReportBuilder.NONE,
                shallowConfig + " (" + name.apply(d.file()) + ") vs " + deepConfig + " (" + name.apply(e.file()) + "), " + key, fixed(margin),
                images(d.json()), se == null ? ReportBuilder.NONE : ReportBuilder.fixed(se, 2), basis, verdict,
                sources.ref(name.apply(d.file()), "this file", d.json().path("provenance"), "findings: transfer margin") + " "
                        + sources.ref(name.apply(e.file()), "this file", e.json().path("provenance"), "findings: transfer margin")));
    }

    private static String images(JsonNode j) {
        String t = TransferSection.images(j, "testImages");
        return t.equals(ReportBuilder.NONE) ? t : t + " (test)";
    }

    // ------------------------------------------------------------------ rates and their comparison

    private List<Net> nets(String kind) {
        return byNet.keySet().stream().filter(n -> n.kind().equals(kind)).toList();
    }

    private Rate rate(String kind, String config, String trainS, Protocol p, Integer images) {
        return rate(new Net(kind, config, trainS), p, images);
    }

    /** The net's evaluation of protocol {@code p} (on {@code images} images when given; else the one with the most images), or null. */
    private Rate rate(Net n, Protocol p, Integer images) {
        List<Evaluation> es = byNet.getOrDefault(n, Map.of()).getOrDefault(p, List.of());
        Evaluation best = null;
        for (Evaluation e : es) {
            int k = e.results().path("headline").path("images").asInt();
            if ((images == null || k == images) && (best == null || k > best.results().path("headline").path("images").asInt())) {
                best = e;
            }
        }
        Rate r = best == null ? null : rate(best, -1, best.results().path("headline"));
        if (r == null || !n.config().equals(AGAIN)) {
            return r;
        }
        // the control's headline names config A: say which A it is
        return new Rate(r.from(), r.member(), "A trained again" + Trainings.initialisedFrom(trainings.runs(best).get(0)) + ": " + r.what(),
                r.error(), r.images(), r.source());
    }

    private Rate rate(Evaluation e, int member, JsonNode row) {
        if (!row.path("top1_error").isNumber()) {
            return null;
        }
        String what = row.path("config").asText() + " S=" + row.path("train_scale").asText() + ", " + row.path("method").asText() + " Q="
                + row.path("test_scales").asText() + " (" + name.apply(e.dir()) + ")";
        String src = sources.ref(name.apply(e.dir().resolve("results.json")), "this file", e.results().path("provenance"),
                "findings: top-1 error and images of the compared rows");
        return new Rate(e, member, what, row.path("top1_error").asDouble(), row.path("images").asInt(), src);
    }

    private static Rate best(Rate a, Rate b) {
        return a == null ? b : b == null ? a : b.error() < a.error() ? b : a;
    }

    private void compare(String kind, String finding, Rate first, Rate second, Claim claim, String missing) {
        String label = kind.equals(Trainings.REFERENCE) ? "reference nets" : "other nets";
        if (first == null || second == null) {
            rows.add(List.of(finding, label, missing, ReportBuilder.NONE, ReportBuilder.NONE, ReportBuilder.NONE, ReportBuilder.NONE,
                    "not measurable yet", ReportBuilder.NONE));
            return;
        }
        double margin = 100 * (first.error() - second.error());
        String source = first.source().equals(second.source()) ? first.source() : first.source() + " " + second.source();
        String compared = first.what() + " vs " + second.what();
        boolean sameImages = first.images() == second.images();
        String recipes = sameImages ? recipeDifference(first, second) : "";
        if (!sameImages || !recipes.isEmpty()) {
            rows.add(List.of(finding, label, compared, fixed(margin), sameImages ? Integer.toString(first.images())
                    : first.images() + " vs " + second.images(), ReportBuilder.NONE,
                    sameImages ? "trained with different recipes: " + recipes : "not on the same images", "not measurable yet", source));
            return;
        }
        int n = first.images();
        String basis;
        double se;
        int[] bc = disagreements(first, second);
        if (bc != null) {
            se = 100 * Math.sqrt(Math.max(0, bc[0] + bc[1] - sq(bc[0] - bc[1]) / (double) n)) / n;
            basis = String.format(Locale.ROOT, "paired (McNemar): %d + %d images only one gets wrong", bc[0], bc[1]);
        } else {
            se = 100 * Math.sqrt(first.error() * (1 - first.error()) / n + second.error() * (1 - second.error()) / n);
            basis = "binomial sqrt(p(1-p)/n) per rate, combined (no per-image outcomes)";
        }
        rows.add(List.of(finding, label, compared, fixed(margin), Integer.toString(n), ReportBuilder.fixed(se, 2), basis, verdict(margin, se, claim),
                source));
    }

    /**
     * What differs between the recipes of the two compared nets, "" for one net's two evaluations, a fusion (its members
     * may come from several recipes and it is compared with one of them) or a net without its training run.
     */
    private String recipeDifference(Rate first, Rate second) {
        List<TrainingRun> a = trainings.runs(first.from());
        List<TrainingRun> b = trainings.runs(second.from());
        return a.size() == 1 && b.size() == 1 ? Trainings.recipeDifference(a.get(0), b.get(0)) : "";
    }

    /**
     * b: images the first gets wrong and the second right; c: the reverse; null without per-image outcomes of both on
     * the same image ids.
     */
    private int[] disagreements(Rate first, Rate second) {
        Map<String, Boolean> a = outcome(first);
        Map<String, Boolean> b = outcome(second);
        if (a == null || b == null || a.size() != first.images() || !a.keySet().equals(b.keySet())) {
            return null;
        }
        int[] bc = new int[2];
        a.forEach((id, right) -> {
            boolean other = b.get(id);
            if (!right && other) {
                bc[0]++;
            } else if (right && !other) {
                bc[1]++;
            }
        });
        return bc;
    }

    private Map<String, Boolean> outcome(Rate r) {
        return outcomes.computeIfAbsent(r.from().dir() + "#" + r.member(), k -> perImage.top1Correct(r.from(), r.member()));
    }

    private static String verdict(double margin, double se, Claim claim) {
        boolean beyond = Math.abs(margin) > 2 * se;
        if (claim == Claim.BETTER) {
            return margin > 0 && beyond ? "re-observed" : "not re-observed (" + (margin > 0 ? "same direction, within 2 SE"
                    : margin == 0 ? "no difference" : beyond ? "opposite direction, beyond 2 SE" : "opposite direction, within 2 SE") + ")";
        }
        return margin >= 0 || !beyond ? "re-observed" + (margin >= 0 ? "" : " (the other side wins within 2 SE)")
                : "not re-observed (the other side wins by more than 2 SE)";
    }

    private static double sq(double x) {
        return x * x;
    }

    /** A margin, signed. */
    private static String fixed(double v) {
        return String.format(Locale.ROOT, "%+.2f", v);
    }
}
