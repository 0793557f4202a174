package dev.verydeep.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verydeep.golden.GoldenFile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Finds the paper's row (Tables 3 to 6, from golden-data's {@code paper-table*.json}) that corresponds to one of our
 * evaluation rows: the same config (fusions: the same nets), the same method (dense, multi-crop, or both; Tables 3
 * and 4 name none and are dense evaluation), and the same protocol shape, which is what carries over from the paper's
 * scales to our miniature ones: fixed or jittered S, and single or multiple test scales placed the same way relative
 * to S (fixed S: Q = S, or Q = {S - d, S, S + d}; jittered S in [a;b]: Q = (a + b)/2, or Q = {a, (a + b)/2, b}).
 * Where several paper rows fit (fixed S = 256 and 384), the one whose S relative to the paper's 224 crop is nearest to
 * ours relative to our crop is used (S = 37 and 55 at crop 32 are the analogs of 256 and 384), or the first in table
 * order when our crop is unknown; the paper's S and Q are shown beside its numbers.
 */
public final class PaperMatch {
    /** A matched paper row: table, its S and Q, top-1 and top-5 error in percent (null when the paper gives none). */
    public record Match(String file, String table, String trainS, String testQ, Double top1, Double top5, String reference) {
    }

    private record Entry(String file, String table, String config, String trainS, String testQ, String method, String metric,
            double value, String reference) {
    }

    private final List<Entry> entries = new ArrayList<>();

    private PaperMatch() {
    }

    /** The paper's Tables 3 to 6 from golden-data. */
    public static PaperMatch load() {
        PaperMatch m = new PaperMatch();
        for (GoldenFile g : GoldenFile.all()) {
            if (!"paper".equals(g.source()) || !List.of("3", "4", "5", "6").contains(g.table())) {
                continue;
            }
            for (JsonNode e : g.entries()) {
                if (e.path("trainS").isNull() || e.path("testQ").isNull() || !e.path("value").isNumber()) {
                    continue;
                }
                m.entries.add(new Entry(g.name(), g.table(), e.path("config").asText(), e.path("trainS").asText(), e.path("testQ").asText(),
                        e.path("method").isNull() ? "dense" : e.path("method").asText(), e.path("metric").asText(),
                        e.path("value").asDouble(), g.json().path("reference").asText("")));
            }
        }
        return m;
    }

    /** The paper's config name for one of our config labels ({@code D w0.125} -> {@code D}; {@code A+D} -> {@code fusion:A+D}). */
    static String paperConfig(String ours) {
        List<String> nets = Arrays.stream(ours.split("\\+")).map(s -> s.trim().split("\\s+")[0]).toList();
        return nets.size() == 1 ? nets.get(0) : "fusion:" + String.join("+", nets);
    }

    /** dense, multi-crop or dense+multi-crop for one of our method labels ({@code dense+flip & multi-crop}). */
    static String paperMethod(String ours) {
        boolean dense = ours.contains("dense");
        boolean crop = ours.contains("multi-crop");
        return dense && crop ? "dense+multi-crop" : crop ? "multi-crop" : dense ? "dense" : null;
    }

    /**
     * The protocol shape of a training scale and test scales: {@code fixed:S}, {@code fixed:S+-}, {@code jit:mid},
     * {@code jit:min,mid,max}; null when it is none of these. Fusions with several training scales ({@code 37/[37;73]})
     * have none.
     */
    static String shape(String trainS, String testQ) {
        int[] s = parseS(trainS);
        int[] q;
        try {
            q = Arrays.stream(testQ.split(",")).mapToInt(x -> Integer.parseInt(x.trim())).toArray();
        } catch (NumberFormatException e) {
            return null;
        }
        if (s == null) {
            return null;
        }
        if (s[0] == s[1]) {
            if (q.length == 1 && q[0] == s[0]) {
                return "fixed:S";
            }
            if (q.length == 3 && q[1] == s[0] && q[1] - q[0] == q[2] - q[1] && q[0] < q[1]) {
                return "fixed:S+-";
            }
            return null;
        }
        int mid = (s[0] + s[1]) / 2;
        if (q.length == 1 && q[0] == mid) {
            return "jit:mid";
        }
        if (q.length == 3 && q[0] == s[0] && q[1] == mid && q[2] == s[1]) {
            return "jit:min,mid,max";
        }
        return null;
    }

    /** {@code 256}, {@code [256;512]}, {@code 256-512} or {@code 256:512} as {min, max}; null otherwise. */
    static int[] parseS(String s) {
        String t = s.trim().replace("[", "").replace("]", "");
        String[] p = t.split("[;:-]");
        try {
            if (p.length == 1) {
                int v = Integer.parseInt(p[0].trim());
                return new int[] {v, v};
            }
            if (p.length == 2) {
                return new int[] {Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim())};
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }

    /** The paper row for one of ours, or null; the first fitting one (our crop unknown). */
    public Match find(String config, String trainS, String testQ, String method) {
        return find(config, trainS, testQ, method, 0);
    }

    /** The paper's crop: its S and Q are compared with ours relative to it. */
    static final int PAPER_CROP = 224;

    /** The paper row for one of ours, or null; {@code crop} (0 when unknown) picks between fitting rows of different S. */
    public Match find(String config, String trainS, String testQ, String method, int crop) {
        String c = paperConfig(config);
        String m = paperMethod(method);
        String shape = shape(trainS, testQ);
        if (m == null || shape == null) {
            return null;
        }
        // Tables 5/6 name their method and test with flips; Tables 3/4 name none (dense, no flips). A flipped row
        // looks in the named tables first, an unflipped one in the unnamed ones; then the other kind.
        boolean flipped = method.contains("flip");
        for (boolean exact : new boolean[] {flipped, !flipped}) {
            Entry best = null;
            for (Entry e : entries) {
                if (!e.config.equals(c) || !e.method.equals(m) || !shape.equals(shape(e.trainS, e.testQ))) {
                    continue;
                }
                if (exact != isNamed(e)) {
                    continue;
                }
                if (best == null || crop > 0 && scaleGap(e, trainS, crop) < scaleGap(best, trainS, crop)) {
                    best = e;
                }
            }
            if (best != null) {
                return new Match(best.file, best.table, best.trainS, best.testQ, value(best, "top1Error"), value(best, "top5Error"), best.reference);
            }
        }
        return null;
    }

    /** How far the paper row's smallest S relative to 224 is from ours relative to our crop (log ratio). */
    private static double scaleGap(Entry paper, String ourS, int crop) {
        return Math.abs(Math.log(parseS(paper.trainS)[0] / (double) PAPER_CROP) - Math.log(parseS(ourS)[0] / (double) crop));
    }

    private boolean isNamed(Entry e) {
        return !e.table.equals("3") && !e.table.equals("4");
    }

    /** The first value of the same table, config, S, Q and method for a metric. */
    private Double value(Entry like, String metric) {
        for (Entry e : entries) {
            if (e.file.equals(like.file) && e.config.equals(like.config) && e.trainS.equals(like.trainS) && e.testQ.equals(like.testQ)
                    && e.method.equals(like.method) && e.metric.equals(metric)) {
                return e.value;
            }
        }
        return null;
    }

    /** Whether our row is at the paper's own scales (full-size net: no width suffix, same S and Q). */
    static boolean fullScale(String ourConfig, String ourS, String ourQ, Match m) {
        int[] a = parseS(ourS);
        int[] b = parseS(m.trainS());
        return !ourConfig.contains(" w") && a != null && b != null && Arrays.equals(a, b)
                && normQ(ourQ).equals(normQ(m.testQ()));
    }

    private static String normQ(String q) {
        return Arrays.stream(q.split(",")).map(String::trim).collect(Collectors.joining(",")).toLowerCase(Locale.ROOT);
    }
}
