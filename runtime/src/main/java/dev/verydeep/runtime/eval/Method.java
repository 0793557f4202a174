package dev.verydeep.runtime.eval;

import dev.verydeep.core.UserException;
import java.util.List;
import java.util.Locale;

/** Evaluation method of section 3.2: dense, multi-crop, or both (the average of the two posteriors). */
public enum Method {
    DENSE(List.of(Part.DENSE)),
    MULTICROP(List.of(Part.MULTICROP)),
    BOTH(List.of(Part.DENSE, Part.MULTICROP));

    private final List<Part> parts;

    Method(List<Part> parts) {
        this.parts = parts;
    }

    /** The posterior components this method computes. */
    public List<Part> parts() {
        return parts;
    }

    /** Parses {@code dense}, {@code multicrop} (or {@code multi-crop}) and {@code both}. */
    public static Method parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace("-", "");
        return switch (t) {
            case "dense" -> DENSE;
            case "multicrop" -> MULTICROP;
            case "both" -> BOTH;
            default -> throw new UserException("unknown method '" + text + "': expected dense, multicrop or both");
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
