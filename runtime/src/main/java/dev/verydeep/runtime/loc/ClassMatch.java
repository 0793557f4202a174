package dev.verydeep.runtime.loc;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Matches class names across a model and a data set whose spellings differ: exactly, else after lower-casing
 * and dropping everything but letters and digits, so Fashion-MNIST's {@code T-shirt/top} meets fashion-voc's
 * {@code tshirt_top}. VOC readers sort classes alphabetically, so indices differ even when names agree.
 */
final class ClassMatch {
    private ClassMatch() {
    }

    static String key(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]", "");
    }

    /** For each name of {@code from}, its index in {@code to}, or {@code -1} when {@code to} has no such class. */
    static int[] map(List<String> from, List<String> to) {
        Map<String, Integer> exact = new HashMap<>();
        Map<String, Integer> loose = new HashMap<>();
        for (int i = 0; i < to.size(); i++) {
            exact.putIfAbsent(to.get(i), i);
            // A loose key shared by two names is ambiguous: it matches neither.
            loose.merge(key(to.get(i)), i, (a, b) -> -1);
        }
        int[] out = new int[from.size()];
        for (int i = 0; i < out.length; i++) {
            Integer e = exact.get(from.get(i));
            out[i] = e != null ? e : loose.getOrDefault(key(from.get(i)), -1);
        }
        return out;
    }
}
