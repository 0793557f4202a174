package dev.verydeep.runtime.eval;

import java.util.Locale;

/**
 * One component of a posterior, computed separately per net and test scale and stored so that any
 * combination can be formed later: dense evaluation (optionally with its mirror) or multi-crop (5x5 grid
 * and mirrors).
 */
public enum Part {
    DENSE(0),
    MULTICROP(1);

    private final int code;

    Part(int code) {
        this.code = code;
    }

    /** Code in the posterior file. */
    public int code() {
        return code;
    }

    public static Part ofCode(int code) {
        for (Part p : values()) {
            if (p.code == code) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown part code " + code);
    }

    @Override
    public String toString() {
        return this == DENSE ? "dense" : "multi-crop";
    }

    static String lower(Part p) {
        return p.name().toLowerCase(Locale.ROOT);
    }
}
