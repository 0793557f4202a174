package dev.verydeep.cli;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The first word that is not an option must be one of the verbs; otherwise one line says so, with the nearest verb
 * when one is near (edit distance at most 2, or a third of the word). {@code spark} gets its own line: the Spark
 * jobs run from the spark module's own launcher, never as a plain verb here.
 */
final class UnknownVerb {
    private UnknownVerb() {
    }

    /** The one-line message for {@code args}, or empty when its verb is known (or there is none). */
    static Optional<String> check(String[] args, Collection<String> verbs) {
        String word = List.of(args).stream().filter(a -> !a.startsWith("-")).findFirst().orElse(null);
        if (word == null || verbs.contains(word)) {
            return Optional.empty();
        }
        if (word.toLowerCase(Locale.ROOT).equals("spark")) {
            return Optional.of("verydeep: 'spark' is not a verb of this command: Spark jobs run from the spark module's own launcher "
                    + "(run 'verydeep --help' for the verbs here)");
        }
        Optional<String> near = nearest(word, verbs);
        return Optional.of("verydeep: unknown verb '" + word + "'"
                + near.map(v -> "; did you mean '" + v + "'?").orElse("") + " (run 'verydeep --help' for the verbs)");
    }

    static Optional<String> nearest(String word, Collection<String> verbs) {
        String w = word.toLowerCase(Locale.ROOT);
        return verbs.stream().min(Comparator.comparingInt((String v) -> distance(w, v)).thenComparing(v -> v))
                .filter(v -> distance(w, v) <= Math.max(2, w.length() / 3));
    }

    /** Levenshtein distance, with a transposition of neighbours counted as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                if (i == 0 || j == 0) {
                    d[i][j] = i + j;
                    continue;
                }
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
