package dev.verydeep.core.data;

import dev.verydeep.core.UserException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Splits of a labelled source. The paper lowers the learning rate when validation accuracy stops improving,
 * so training needs a validation set held out of the training data; it is stratified (every class keeps its
 * share) and fixed by a seed, so a resumed or repeated run validates on the same images.
 */
public final class Splits {
    private Splits() {
    }

    /** A training part and a validation part of one source. */
    public record Split2(ImageSource train, ImageSource validation) {
    }

    /**
     * Holds out {@code round(n_c * validationFraction)} images of each class c for validation, chosen at random
     * with {@code new Random(seed)} (classes visited in label order, each shuffled by Fisher-Yates). A class
     * with at least two images keeps at least one image on each side when the fraction is above 0. Both parts
     * list their images in source order.
     *
     * @param validationFraction in [0, 1); 0 gives an empty validation part
     */
    public static Split2 trainValidation(ImageSource src, double validationFraction, long seed) {
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new UserException("validation fraction must be in [0, 1), got " + validationFraction);
        }
        int classes = src.classNames().size();
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < src.size(); i++) {
            int label = src.label(i);
            if (label < 0 || label >= classes) {
                throw new IllegalStateException("label " + label + " of image " + i + " outside " + classes + " classes: " + src.describe());
            }
            byClass.get(label).add(i);
        }
        Random rnd = new Random(seed);
        boolean[] validation = new boolean[src.size()];
        int nVal = 0;
        for (List<Integer> members : byClass) {
            int n = members.size();
            int k = (int) Math.round(n * validationFraction);
            if (validationFraction > 0 && n >= 2) {
                k = Math.min(Math.max(k, 1), n - 1);
            }
            int[] idx = members.stream().mapToInt(Integer::intValue).toArray();
            for (int i = n - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
            for (int i = 0; i < k; i++) {
                validation[idx[i]] = true;
            }
            nVal += k;
        }
        int[] val = new int[nVal];
        int[] train = new int[src.size() - nVal];
        int v = 0;
        int t = 0;
        for (int i = 0; i < validation.length; i++) {
            if (validation[i]) {
                val[v++] = i;
            } else {
                train[t++] = i;
            }
        }
        String how = " " + java.math.BigDecimal.valueOf(100 * validationFraction).stripTrailingZeros().toPlainString()
                + "% (stratified, seed " + seed + ")";
        return new Split2(new Subset(src, train, "training minus validation" + how), new Subset(src, val, "validation" + how));
    }
}
