package dev.verydeep.spark;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;

/**
 * Fault injection for the retry tests, off unless {@value #FAIL} is set: {@code -Dverydeep.test.spark-fail=P@WHERE}
 * makes the first attempt of the task of partition P throw at WHERE: {@code mid} (half way through its images, before
 * anything is committed) or {@code committed} (after its output was committed, before the task returns).
 */
final class TestHooks {
    static final String FAIL = "verydeep.test.spark-fail";
    /** How many times a hook threw in this JVM (tests in local mode check that the fault happened). */
    static final AtomicInteger FIRED = new AtomicInteger();

    private TestHooks() {
    }

    /** Throws when the property names this task's partition and point and this is the task's first attempt. */
    static void reached(String where) {
        String want = System.getProperty(FAIL);
        TaskContext tc = TaskContext.get();
        if (want == null || tc == null || tc.attemptNumber() > 0) {
            return;
        }
        if (want.equals(tc.partitionId() + "@" + where)) {
            FIRED.incrementAndGet();
            throw new IllegalStateException("test hook: task of partition " + tc.partitionId() + " killed at " + where);
        }
    }
}
