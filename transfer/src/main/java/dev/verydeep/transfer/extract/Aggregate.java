package dev.verydeep.transfer.extract;

import dev.verydeep.core.UserException;

/** How the descriptors of several scales are combined: averaged, or stacked (concatenated in scale order). */
public enum Aggregate {
    AVERAGE("average"),
    STACK("stack");

    private final String text;

    Aggregate(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    public static Aggregate parse(String s) {
        for (Aggregate a : values()) {
            if (a.text.equalsIgnoreCase(s)) {
                return a;
            }
        }
        throw new UserException("--aggregate '" + s + "': expected average or stack");
    }
}
