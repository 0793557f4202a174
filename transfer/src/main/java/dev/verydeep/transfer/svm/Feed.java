package dev.verydeep.transfer.svm;

/**
 * How dense descriptors are handed to LIBLINEAR-java, whose {@code Problem.x} is {@code Feature[][]}.
 *
 * <ul>
 *   <li>{@link #FEATURE_NODES}: the library's own way, one {@code FeatureNode} object (24 bytes) plus one
 *       reference (4) per value and a {@code double} copy of each float: about 28 bytes per value.</li>
 *   <li>{@link #SHARED_CURSOR}: values stay in the float32 {@link DenseMatrix}; every row's {@code Feature[]}
 *       holds one row-specific head object followed by references to column objects shared by all rows. The
 *       head, when read, points a shared cursor at its row; the column objects read the value at the cursor.
 *       About 4 bytes (the reference) per value on top of the 4-byte floats. See {@link DenseProblems}.</li>
 * </ul>
 * Both give bit-identical models (tested); only memory and speed differ.
 */
public enum Feed {
    FEATURE_NODES("feature-nodes"),
    SHARED_CURSOR("shared-cursor");

    private final String text;

    Feed(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    public static Feed parse(String s) {
        for (Feed f : values()) {
            if (f.text.equalsIgnoreCase(s) || f.name().equalsIgnoreCase(s)) {
                return f;
            }
        }
        throw new dev.verydeep.core.UserException("unknown SVM feed '" + s + "' (expected feature-nodes or shared-cursor)");
    }
}
