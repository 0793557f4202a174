package dev.verydeep.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.golden.GoldenFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The paper's transfer (Tables 11, 12) and localisation (Tables 8, 9) rows from golden-data's {@code paper-table*.json},
 * and the one that corresponds to a transfer result or a localisation row of ours. Correspondence is by what carries
 * over from the paper's scale to a miniature: the nets' configs (D, E, both), the protocol and data set kind, and for
 * localisation the regression, the fine-tuned layers and the shape of the test scales. Only the paper's validation-set
 * localisation numbers are used (its test-set ones come from the ILSVRC server).
 */
final class PaperRows {
    /** One published number (in percent, as printed), with its row's description. */
    record Row(String file, String table, String id, String config, String trainS, String testQ, String method, String metric, String split,
            double value, Double std, String reference) {
    }

    private final List<Row> rows = new ArrayList<>();

    private PaperRows() {
    }

    static PaperRows load() {
        PaperRows p = new PaperRows();
        for (GoldenFile g : GoldenFile.all()) {
            if (!"paper".equals(g.source()) || !List.of("8", "9", "11", "12").contains(g.table())) {
                continue;
            }
            for (JsonNode e : g.entries()) {
                p.rows.add(new Row(g.name(), g.table(), e.path("id").asText(), e.path("config").asText(), e.path("trainS").asText(null),
                        e.path("testQ").asText(null), e.path("method").asText(), e.path("metric").asText(), e.path("split").asText(),
                        e.path("value").asDouble(), e.path("std").isNumber() ? e.path("std").asDouble() : null, g.json().path("reference").asText("")));
            }
        }
        return p;
    }

    /** The paper's name for the nets behind a descriptor: D, E or D&E (both, stacked); null for any other set. */
    static String transferConfig(List<String> ourConfigs) {
        List<String> c = ourConfigs.stream().map(PaperMatch::paperConfig).toList();
        if (c.equals(List.of("D")) || c.equals(List.of("E"))) {
            return c.get(0);
        }
        return c.size() == 2 && Set.copyOf(c).equals(Set.of("D", "E")) ? "D&E" : null;
    }

    /**
     * The paper's row for a transfer result: {@code protocol} as {@code verydeep transfer} names it, the configs of the
     * descriptor's nets in order, and for the action protocol whether person-box descriptors were stacked on.
     */
    Row transfer(String protocol, List<String> ourConfigs, boolean withBoxes) {
        String config = transferConfig(ourConfigs);
        if (config == null) {
            return null;
        }
        String split = switch (protocol) {
            case "voc2007" -> "VOC-2007 test";
            case "voc2012" -> "VOC-2012 test";
            case "caltech101" -> "Caltech-101";
            case "caltech256" -> "Caltech-256";
            case "voc2012-action" -> "VOC-2012 action";
            default -> null;
        };
        if (split == null) {
            return null;
        }
        for (Row r : rows) {
            boolean table = protocol.equals("voc2012-action") ? r.table.equals("12") && r.method.startsWith(withBoxes ? "stacked" : "whole-image")
                    : r.table.equals("11");
            if (table && r.config.equals(config) && r.split.startsWith(split)) {
                return r;
            }
        }
        return null;
    }

    /**
     * The paper's row for a localisation row of ours.
     *
     * @param protocol   center-crop-gt (Table 8, ground-truth class error) or full (Table 9, top-5 localisation error)
     * @param configs    the configs of the row's loc nets
     * @param regression scr, pcr (or nets joined by +)
     * @param finetune   all or fc per net (null when its training run is not among the inputs)
     * @param trainS     the training scale of each net (null when unknown)
     * @param testQ      the row's test scales
     * @param crop       the nets' crop (0 when unknown): picks between the paper's S = 256 and 384 rows
     */
    Row localisation(String protocol, List<String> configs, String regression, List<String> finetune, List<String> trainS, String testQ, int crop) {
        if (configs.isEmpty() || !configs.stream().allMatch(c -> PaperMatch.paperConfig(c).equals("D"))) {
            return null;
        }
        boolean pcr = List.of(regression.split("\\+")).stream().allMatch("pcr"::equals);
        if (protocol.equals("center-crop-gt")) {
            if (configs.size() != 1 || finetune.get(0) == null) {
                return null;
            }
            String layers = finetune.get(0).equals("fc") ? "fine-tune FC1-2" : "fine-tune all layers";
            String head = pcr ? "per-class regression" : regression.equals("scr") ? "single-class regression" : null;
            return first(r -> r.table.equals("8") && r.method.contains(layers) && head != null && r.method.endsWith(head));
        }
        if (!protocol.equals("full") || !pcr) {
            return null;
        }
        int[] q = parseQ(testQ);
        if (configs.size() == 2) {
            // the paper's fusion: two D nets trained at different fixed S, all of their test scales
            boolean twoScales = trainS.stream().allMatch(s -> s != null && s.matches("\\d+")) && !trainS.get(0).equals(trainS.get(1));
            return twoScales ? first(r -> r.table.equals("9") && r.config.startsWith("fusion:") && r.split.equals("val")) : null;
        }
        if (configs.size() != 1 || q == null || trainS.get(0) == null || !trainS.get(0).matches("\\d+")) {
            return null;
        }
        int s = Integer.parseInt(trainS.get(0));
        String shape = scaleShape(s, q);
        Row best = null;
        for (Row r : rows) {
            int[] pq = parseQ(r.testQ == null ? "" : r.testQ);
            if (!r.table.equals("9") || !r.split.equals("val") || r.trainS == null || pq == null || shape == null) {
                continue;
            }
            int ps = Integer.parseInt(r.trainS);
            if (shape.equals(scaleShape(ps, pq)) && (best == null || crop > 0 && gap(ps, s, crop) < gap(Integer.parseInt(best.trainS), s, crop))) {
                best = r;
            }
        }
        return best;
    }

    /** Table 9's test scale shapes: Q = S, or a smaller scale and S (the paper's 352,384 at S = 384). */
    private static String scaleShape(int s, int[] q) {
        return q.length == 1 && q[0] == s ? "Q=S" : q.length == 2 && q[1] == s && q[0] < s ? "Q={<S,S}" : null;
    }

    private static double gap(int paperS, int ourS, int crop) {
        return Math.abs(Math.log(paperS / (double) PaperMatch.PAPER_CROP) - Math.log(ourS / (double) crop));
    }

    private Row first(java.util.function.Predicate<Row> p) {
        return rows.stream().filter(p).findFirst().orElse(null);
    }

    private static int[] parseQ(String q) {
        try {
            return List.of(q.split(",")).stream().mapToInt(x -> Integer.parseInt(x.trim())).toArray();
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** How a paper row is labelled beside ours: its table, nets, S and Q. */
    static String describe(Row r) {
        StringBuilder b = new StringBuilder("paper (full scale), Table ").append(r.table).append(", ").append(r.config);
        if (r.trainS != null) {
            b.append(", S=").append(r.trainS);
        }
        if (r.testQ != null) {
            b.append(", Q=").append(r.testQ);
        }
        b.append(", ").append(r.method).append(" (").append(r.split).append(')');
        return b.toString();
    }
}
