package dev.verydeep.core.fuzz;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.verydeep.core.UserException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A seeded mutation fuzzer for JUnit (issue 7): mutates valid seed files (bit flips, interesting bytes and
 * ints, truncation, splices from other seeds, inserted and deleted slices, half of them aimed at the first 512
 * bytes where headers live), feeds each to a reader and fails on anything but a {@link UserException} or a
 * hang. Deterministic for a seed; the budget is a time limit ({@code -Dverydeep.fuzz.seconds}, default 10)
 * after at least {@link #MIN_INPUTS} inputs, and an iteration cap, so CI stays small and a local run can go long
 * ({@code -Dverydeep.fuzz.seconds=600 -Dverydeep.fuzz.seed=7}). A failing input is saved under
 * {@code target/fuzz-failures/} and named in the failure.
 *
 * <p>Shared with the other modules' fuzz tests through core's test-jar.
 */
public final class Mutator {
    /**
     * Inputs every run gets whatever the clock says, so that the tests' "the loop really ran" checks do not
     * depend on how busy the machine is (a 10 s budget gave only 71 inputs at load 40).
     */
    public static final int MIN_INPUTS = 200;
    private static final int[] INTERESTING_BYTES = {0, 1, 0x7f, 0x80, 0xff};
    private static final int[] INTERESTING_INTS = {0, 1, -1, 0x7fffffff, 0x80000000, 0x10000, 50_000, 0xffff};

    private final SplittableRandom rnd;
    private final List<byte[]> seeds;

    public Mutator(long seed, List<byte[]> seeds) {
        this.rnd = new SplittableRandom(seed);
        this.seeds = seeds;
    }

    public static long seed() {
        return Long.getLong("verydeep.fuzz.seed", 1L);
    }

    public static Duration budget(double defaultSeconds) {
        String s = System.getProperty("verydeep.fuzz.seconds");
        return Duration.ofMillis((long) ((s == null ? defaultSeconds : Double.parseDouble(s)) * 1000));
    }

    /** One mutant: a random seed with 1 to 4 mutations. */
    public byte[] next() {
        byte[] b = seeds.get(rnd.nextInt(seeds.size())).clone();
        int ops = 1 + rnd.nextInt(4);
        for (int i = 0; i < ops && b.length > 0; i++) {
            b = mutate(b);
        }
        return b;
    }

    private int pos(int len) {
        return rnd.nextBoolean() ? rnd.nextInt(Math.min(len, 512)) : rnd.nextInt(len);
    }

    private byte[] mutate(byte[] b) {
        int n = b.length;
        switch (rnd.nextInt(7)) {
            case 0 -> {
                for (int k = 1 + rnd.nextInt(8); k > 0; k--) {
                    int p = pos(n);
                    b[p] ^= (byte) (1 << rnd.nextInt(8));
                }
                return b;
            }
            case 1 -> {
                b[pos(n)] = (byte) INTERESTING_BYTES[rnd.nextInt(INTERESTING_BYTES.length)];
                return b;
            }
            case 2 -> {
                int p = pos(n);
                int v = INTERESTING_INTS[rnd.nextInt(INTERESTING_INTS.length)];
                for (int k = 0; k < 4 && p + k < n; k++) {
                    b[p + k] = (byte) (v >>> (rnd.nextBoolean() ? 24 - 8 * k : 8 * k));
                }
                return b;
            }
            case 3 -> {
                return Arrays.copyOf(b, rnd.nextInt(n));
            }
            case 4 -> {
                byte[] other = seeds.get(rnd.nextInt(seeds.size()));
                int from = rnd.nextInt(other.length);
                int len = Math.min(1 + rnd.nextInt(64), other.length - from);
                int p = pos(n);
                byte[] out = Arrays.copyOf(b, Math.max(n, p + len));
                System.arraycopy(other, from, out, p, len);
                return out;
            }
            case 5 -> {
                int p = pos(n);
                int len = 1 + rnd.nextInt(Math.min(64, n));
                int from = rnd.nextInt(n - len + 1);
                byte[] out = new byte[n + len];
                System.arraycopy(b, 0, out, 0, p);
                System.arraycopy(b, from, out, p, len);
                System.arraycopy(b, p, out, p + len, n - p);
                return out;
            }
            default -> {
                int p = pos(n);
                int len = Math.min(1 + rnd.nextInt(64), n - p);
                byte[] out = new byte[n - len];
                System.arraycopy(b, 0, out, 0, p);
                System.arraycopy(b, p + len, out, p, n - p - len);
                return out;
            }
        }
    }

    /** What a fuzz run saw: inputs tried, accepted, refused (by the first words of the message). */
    public record Summary(String name, int inputs, int accepted, Map<String, Integer> refusals) {
        @Override
        public String toString() {
            return name + ": " + inputs + " inputs, " + accepted + " accepted, refused " + refusals;
        }
    }

    /**
     * Runs the loop: each mutant is written to {@code file} and given to {@code target}, with
     * {@code perInput} as the hang limit. Fails on the first escape that is not a {@link UserException}.
     */
    public Summary run(String name, Path file, Duration budget, int maxInputs, Duration perInput, Consumer<Path> target) {
        long end = System.nanoTime() + budget.toNanos();
        int inputs = 0;
        int accepted = 0;
        Map<String, Integer> refusals = new TreeMap<>();
        while (inputs < maxInputs && (inputs < MIN_INPUTS || System.nanoTime() < end)) {
            byte[] input = next();
            inputs++;
            try {
                Files.write(file, input);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                assertTimeoutPreemptively(perInput, () -> target.accept(file), () -> save(name, input) + ": hang");
                accepted++;
            } catch (UserException e) {
                String m = e.getMessage() == null ? "" : e.getMessage().replace(file.toString(), "FILE");
                refusals.merge(kind(m), 1, Integer::sum);
            } catch (Throwable t) {
                StringWriter sw = new StringWriter();
                t.printStackTrace(new PrintWriter(sw));
                throw new AssertionError(name + " input " + inputs + " (seed " + seed() + ", saved as " + save(name, input)
                        + ") escaped as " + t + "\n" + sw, t);
            }
        }
        Summary s = new Summary(name, inputs, accepted, refusals);
        System.out.println("FUZZ " + s);
        return s;
    }

    /** The message up to its first digit or quote, so that refusals group by kind. */
    private static String kind(String m) {
        int cut = m.length();
        for (int i = 0; i < m.length(); i++) {
            char c = m.charAt(i);
            if (Character.isDigit(c) || c == '\'' || c == '(' || c == '"') {
                cut = i;
                break;
            }
        }
        return m.substring(0, Math.min(cut, 70)).trim();
    }

    private static String save(String name, byte[] input) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "fuzz-failures"));
            Path f = dir.resolve(name + "-" + seed() + "-" + Integer.toHexString(Arrays.hashCode(input)) + ".bin");
            Files.write(f, input);
            return f.toAbsolutePath().toString();
        } catch (IOException e) {
            return "(not saved: " + e + ")";
        }
    }
}
