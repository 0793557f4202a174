package dev.verydeep.cli.testing;

import dev.verydeep.golden.GoldenFile;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reference nets a golden file's commands evaluate ({@code {repo}/reference/NET/model-dense.onnx}), in the order of
 * its entries (golden-data/scripts/reference-golden.py writes them in the order of the paper's Table 3, as the suite's
 * reference plan runs them). More nets may have landed in reference/ since the file was written; tests that compare the
 * file with a plan use these.
 */
public final class ReferenceGolden {
    private static final Pattern NET = Pattern.compile("\\{repo}/reference/([^/]+)/");

    private ReferenceGolden() {
    }

    public static List<String> nets(GoldenFile golden) {
        Set<String> nets = new LinkedHashSet<>();
        golden.entries().forEach(e -> e.path("measure").path("commands").forEach(c -> c.forEach(w -> {
            Matcher m = NET.matcher(w.asText());
            if (m.find()) {
                nets.add(m.group(1));
            }
        })));
        return new ArrayList<>(nets);
    }
}
