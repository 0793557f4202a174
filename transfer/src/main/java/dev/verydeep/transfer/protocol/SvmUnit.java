package dev.verydeep.transfer.protocol;

import java.io.Serializable;

/**
 * One binary SVM of a protocol's one-vs-rest work ({@link OneVsRest}): class {@code cls} of group {@code group} (a
 * Caltech split; 0 for VOC) trained at cost {@code c}, where {@code g} is c's index in the C grid (a validation unit)
 * or {@link #FINAL} (the retraining at the chosen C).
 */
public record SvmUnit(int group, int cls, int g, double c) implements Serializable {
    /** {@link #g()} of a final unit. */
    public static final int FINAL = -1;

    public boolean isFinal() {
        return g == FINAL;
    }
}
