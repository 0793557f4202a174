package dev.verydeep.spark;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The executor JVM's models: one object (an evaluator, or extract's sessions) per key (the models' SHA-256 and the
 * settings that shape the session: device, threads), created lazily by the first task that needs it and kept for the
 * JVM's life, so a model is loaded once per executor, not once per partition. Tasks of one executor take turns at it
 * ({@link #use}): its session already runs on all the executor's cores.
 */
final class ExecutorModels {
    private record Entry(Object value, ReentrantLock lock) {
    }

    private static final ConcurrentHashMap<String, Entry> HELD = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, Integer> CREATED = new ConcurrentHashMap<>();

    private ExecutorModels() {
    }

    /** Work done with the held object. */
    @FunctionalInterface
    interface Use<T, R> {
        R apply(T held);
    }

    /** Runs {@code use} with the object held for {@code key} (made by {@code make} the first time), alone. */
    static <T, R> R use(String key, Supplier<T> make, Class<T> type, Use<T, R> use) {
        Entry e = HELD.computeIfAbsent(key, k -> {
            CREATED.merge(k, 1, Integer::sum);
            return new Entry(make.get(), new ReentrantLock());
        });
        e.lock().lock();
        try {
            return use.apply(type.cast(e.value()));
        } finally {
            e.lock().unlock();
        }
    }

    /** A value shared by the tasks of this JVM (made once, never locked): plans, opened output folders. */
    static <T> T shared(String key, Supplier<T> make) {
        @SuppressWarnings("unchecked")
        T v = (T) HELD.computeIfAbsent(key, k -> new Entry(make.get(), new ReentrantLock())).value();
        return v;
    }

    /** How many times the object for {@code key} was created in this JVM (tests: once per executor). */
    static int created(String key) {
        return CREATED.getOrDefault(key, 0);
    }
}
