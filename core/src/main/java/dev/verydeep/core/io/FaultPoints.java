package dev.verydeep.core.io;

import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test hooks for crash and disk-full tests, off unless a system property names a point; a plain run never
 * pauses or fails here. Points are names like {@code eval.chunk-written} or {@code before-rename:results.json}.
 * <ul>
 *   <li>{@code -Dverydeep.test.pause=POINT[@N]}: at the N-th time (default 1) the point is reached, print
 *       {@code PAUSED POINT} on stderr and sleep, so a test can kill the process there with SIGKILL;</li>
 *   <li>{@code -Dverydeep.test.fail-write=NAME[@N]}: the N-th atomic write of a file called NAME (and every
 *       later one) fails with the {@link IOException} a full disk gives ("No space left on device");</li>
 *   <li>{@code -Dverydeep.test.corrupt=POINT[@N]}: the N-th time (default 1) the point is reached, and only then,
 *       {@link #corrupt} says to spoil the data there (a transient fault, as a flaky kernel or machine gives).</li>
 * </ul>
 */
public final class FaultPoints {
    public static final String PAUSE = "verydeep.test.pause";
    public static final String FAIL_WRITE = "verydeep.test.fail-write";
    public static final String CORRUPT = "verydeep.test.corrupt";
    /** What a full disk makes the JDK throw, in its words. */
    public static final String NO_SPACE = "No space left on device";

    private static final ConcurrentHashMap<String, AtomicInteger> SEEN = new ConcurrentHashMap<>();

    private FaultPoints() {
    }

    /** Marks that a run reached {@code point}; pauses forever there when {@value #PAUSE} names it. */
    public static void reached(String point) {
        String want = System.getProperty(PAUSE);
        if (want == null || !matches(want, point, "pause")) {
            return;
        }
        System.err.println("PAUSED " + point);
        System.err.flush();
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True only the one time {@value #CORRUPT} names this point: the caller then spoils its data, once. */
    public static boolean corrupt(String point) {
        String want = System.getProperty(CORRUPT);
        return want != null && matches(want, point, "corrupt");
    }

    /** Throws what a full disk gives when {@value #FAIL_WRITE} names this file. */
    static void beforeWrite(String fileName) throws IOException {
        String want = System.getProperty(FAIL_WRITE);
        if (want != null && matches(want, fileName, "write")) {
            throw new IOException(NO_SPACE);
        }
    }

    /** Resets the counters (tests running several scenarios in one JVM). */
    public static void reset() {
        SEEN.clear();
    }

    private static boolean matches(String want, String point, String kind) {
        int at = want.lastIndexOf('@');
        String name = at < 0 ? want : want.substring(0, at);
        if (!name.equals(point)) {
            return false;
        }
        int n = at < 0 ? 1 : Integer.parseInt(want.substring(at + 1));
        int count = SEEN.computeIfAbsent(kind + ":" + point, k -> new AtomicInteger()).incrementAndGet();
        return kind.equals("write") ? count >= n : count == n;
    }
}
