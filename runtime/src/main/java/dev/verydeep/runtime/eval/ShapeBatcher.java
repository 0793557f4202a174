package dev.verydeep.runtime.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Groups network inputs by their shape ({@code h x w}) and hands a group to {@code run} when it holds a batch, when
 * it reaches {@link #MAX_BATCH_VALUES}, or (the largest group) when more than {@code maxPending} inputs wait, which
 * bounds the images held. Within a group inputs keep the order they were added in. Used by {@link Evaluator} and
 * by localize's box pass, so both batch the same way.
 *
 * @param <J> one input: its size, and whatever its runner needs to fill the batch and place the output
 */
public final class ShapeBatcher<J extends ShapeBatcher.Shaped> {
    /** What the batcher needs of an input: its size. */
    public interface Shaped {
        int w();

        int h();
    }

    /** Most input values per ORT call (128 MB of floats), whatever the batch: large images run in smaller batches. */
    public static final long MAX_BATCH_VALUES = 1L << 25;

    private final Map<Long, List<J>> pending = new LinkedHashMap<>();
    private final int batch;
    private final int maxPending;
    private final Consumer<List<J>> run;
    private int count;

    /**
     * @param batch      most inputs per run
     * @param maxPending most inputs held before the largest group runs early
     * @param run        runs one group (all of one shape, at most {@code batch})
     */
    public ShapeBatcher(int batch, int maxPending, Consumer<List<J>> run) {
        this.batch = batch;
        this.maxPending = maxPending;
        this.run = run;
    }

    /** Queues an input; may run its group (full, or too many values) or the largest group (too many inputs held). */
    public void add(J j) {
        long key = ((long) j.h() << 32) | j.w();
        List<J> l = pending.computeIfAbsent(key, k -> new ArrayList<>());
        l.add(j);
        count++;
        if (l.size() >= batch || (long) l.size() * 3 * j.w() * j.h() >= MAX_BATCH_VALUES) {
            pending.remove(key);
            count -= l.size();
            run.accept(l);
        } else if (count > maxPending) {
            Long largest = Collections.max(pending.entrySet(), Map.Entry.comparingByValue((a, b) -> Integer.compare(a.size(), b.size()))).getKey();
            List<J> big = pending.remove(largest);
            count -= big.size();
            run.accept(big);
        }
    }

    /** Runs every group still waiting, in the order their shapes first came. */
    public void flushAll() {
        for (List<J> l : new ArrayList<>(pending.values())) {
            run.accept(l);
        }
        pending.clear();
        count = 0;
    }
}
