package dev.verydeep.core.net;

import dev.verydeep.core.UserException;
import java.util.Locale;

/**
 * What the last FC layer (fc8) predicts. Appendix A of the paper: a localisation net is config D whose last
 * layer predicts a box (centre x, centre y, width, height, normalised to the crop window) instead of class
 * scores, either one box shared by all classes (single-class regression) or one box per class (per-class
 * regression, channels {@code 4c..4c+3} for class {@code c}).
 */
public enum Head {
    /** Class scores: {@code classes} outputs (softmax applied by the runtime). */
    CLASSES("classes"),
    /** Single-class regression: 4 outputs. */
    SCR("scr"),
    /** Per-class regression: 4 x classes outputs, class-major. */
    PCR("pcr");

    /** Numbers per box: centre x, centre y, width, height. */
    public static final int BOX = 4;

    private final String id;

    Head(String id) {
        this.id = id;
    }

    /** Lower-case name used in flags, metadata and file names. */
    public String id() {
        return id;
    }

    public boolean isBox() {
        return this != CLASSES;
    }

    /** Outputs of fc8 for a net with {@code classes} classes. */
    public int outputs(int classes) {
        return switch (this) {
            case CLASSES -> classes;
            case SCR -> BOX;
            case PCR -> BOX * classes;
        };
    }

    /** Parses {@code classes}, {@code scr} or {@code pcr} (case-insensitive). */
    public static Head parse(String s) {
        for (Head h : values()) {
            if (h.id.equals(s.trim().toLowerCase(Locale.ROOT))) {
                return h;
            }
        }
        throw new UserException("unknown head '" + s + "': expected classes, scr or pcr");
    }
}
