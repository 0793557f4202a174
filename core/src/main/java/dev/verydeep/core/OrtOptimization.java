package dev.verydeep.core;

import java.util.Locale;

/**
 * ONNX Runtime's graph optimisation level, from the environment variable {@value #VARIABLE} ({@code all}, the
 * default, {@code extended}, {@code basic} or {@code none}). A lower level fuses fewer nodes (Conv + Add + Relu, ...)
 * and so runs other kernels with other rounding: on one machine it shows how far a result moves when another CPU
 * picks other kernels, which is what the golden spread tool uses it for.
 */
public enum OrtOptimization {
    ALL, EXTENDED, BASIC, NONE;

    public static final String VARIABLE = "VERYDEEP_ORT_OPTIMIZATION";

    /** The level the variable asks for; {@link #ALL} when it is unset. */
    public static OrtOptimization fromEnvironment() {
        return parse(System.getenv(VARIABLE));
    }

    static OrtOptimization parse(String value) {
        if (value == null || value.isBlank()) {
            return ALL;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserException(VARIABLE + "=" + value + ": not an ONNX Runtime optimisation level (all, extended, basic, none)");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
