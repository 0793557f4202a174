package dev.verydeep.core.data;

import dev.verydeep.core.UserException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * The classes a {@link DatasetSpec} reads: all ({@link #ALL}), or the source class indices written
 * {@code :classes=0-4} or {@code :classes=0,2,4} (ranges and single indices, comma-separated, in the source's class
 * order). Opened, only images of those classes are read, their labels renumbered 0..k-1 in increasing source index,
 * the class names kept.
 *
 * @param list the selected source class indices, increasing and distinct; empty for all classes
 */
public record ClassSelection(List<Integer> list) {
    /** Every class of the source. */
    public static final ClassSelection ALL = new ClassSelection(List.of());
    static final String PREFIX = "classes=";

    public ClassSelection {
        list = List.copyOf(list);
    }

    /** The selected indices, empty for all classes. */
    public Optional<int[]> indices() {
        return list.isEmpty() ? Optional.empty() : Optional.of(list.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Parses "0-4" or "0,2,4" or "0-2,7" (the text after {@code classes=} of data set {@code spec}). */
    static ClassSelection parse(String spec, String selection) {
        String expected = " (expected classes=A-B or classes=I,J,... with class indices from 0, e.g. classes=0-4 or classes=0,2,4)";
        if (selection.isBlank()) {
            throw new UserException("data set \"" + spec + "\": empty class list" + expected);
        }
        BitSet set = new BitSet();
        for (String part : selection.split(",", -1)) {
            String p = part.strip();
            if (p.isEmpty()) {
                throw new UserException("data set \"" + spec + "\": empty item in class list \"" + selection + "\"" + expected);
            }
            int dash = p.indexOf('-', 1);
            int from = classIndex(spec, dash < 0 ? p : p.substring(0, dash), expected);
            int to = dash < 0 ? from : classIndex(spec, p.substring(dash + 1), expected);
            if (to < from) {
                throw new UserException("data set \"" + spec + "\": class range " + p + " is empty (" + to + " < " + from + ")" + expected);
            }
            if (set.get(from, to + 1).cardinality() > 0) {
                int dup = set.get(from, to + 1).nextSetBit(0) + from;
                throw new UserException("data set \"" + spec + "\": class " + dup + " listed twice in \"" + selection + "\"");
            }
            set.set(from, to + 1);
        }
        return new ClassSelection(set.stream().boxed().toList());
    }

    private static int classIndex(String spec, String s, String expected) {
        String v = s.strip();
        if (v.isEmpty() || !v.chars().allMatch(Character::isDigit) || v.length() > 6) {
            throw new UserException("data set \"" + spec + "\": \"" + s + "\" is not a class index" + expected);
        }
        return Integer.parseInt(v);
    }

    /** {@code ":classes=0-2,7"}, or "" for all classes. */
    String suffix() {
        return list.isEmpty() ? "" : ":" + PREFIX + text();
    }

    /** The indices as ranges: "0-2,7". */
    private String text() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < list.size(); ) {
            int j = i;
            while (j + 1 < list.size() && list.get(j + 1) == list.get(j) + 1) {
                j++;
            }
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(list.get(i));
            if (j > i) {
                b.append('-').append(list.get(j));
            }
            i = j + 1;
        }
        return b.toString();
    }

    /** The images of {@code source} in these classes (the source itself for all); errors name {@code spec}. */
    ImageSource apply(ImageSource source, DatasetSpec spec) {
        if (list.isEmpty()) {
            return source;
        }
        int n = source.classNames().size();
        int[] newLabel = new int[n];
        Arrays.fill(newLabel, -1);
        List<String> kept = new ArrayList<>();
        for (int k = 0; k < list.size(); k++) {
            int c = list.get(k);
            if (c >= n) {
                throw DatasetOpener.error(spec, "class " + c + " does not exist: the data set has " + n + " classes (0-" + (n - 1) + ": "
                        + String.join(", ", source.classNames()) + ")");
            }
            newLabel[c] = k;
            kept.add(source.classNames().get(c));
        }
        int count = 0;
        int[] idx = new int[source.size()];
        int[] lab = new int[source.size()];
        for (int i = 0; i < source.size(); i++) {
            int l = newLabel[source.label(i)];
            if (l >= 0) {
                idx[count] = i;
                lab[count++] = l;
            }
        }
        String what = source.describe() + ", classes " + text() + " (" + String.join(", ", kept) + "; " + count + " images)";
        return new Subset(source, Arrays.copyOf(idx, count), Arrays.copyOf(lab, count), List.copyOf(kept), what);
    }

    /** The images of some classes of a source, labels renumbered 0..k-1, class names kept. */
    private static final class Subset extends IndexedView {
        private final int[] labels;
        private final List<String> names;
        private final String what;

        private Subset(ImageSource source, int[] indices, int[] labels, List<String> names, String what) {
            super(source, indices);
            this.labels = labels;
            this.names = names;
            this.what = what;
        }

        @Override
        public int label(int i) {
            return labels[i];
        }

        @Override
        public List<String> classNames() {
            return names;
        }

        @Override
        public String describe() {
            return what;
        }
    }
}
