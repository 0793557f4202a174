package dev.verydeep.spark;

import dev.verydeep.transfer.protocol.OneVsRest;
import dev.verydeep.transfer.protocol.SvmUnit;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * Transfer's SVM units ({@link OneVsRest}) as Spark tasks: the work (descriptors, labels, splits) is broadcast once,
 * each round's units are cut into contiguous slices (units sharing training rows are adjacent, so a task builds few
 * LIBLINEAR problems), and every task computes its slice with {@link OneVsRest#decisions}, the function the in-process
 * run calls. The session is started by the first round, so a bad option fails before Spark starts.
 */
final class SvmTasks implements OneVsRest.Runner, AutoCloseable {
    /** Slices per task slot: enough to even out classes that train slower than others. */
    static final int SLICES_PER_SLOT = 3;
    private final Supplier<SparkSession> start;
    private final PrintWriter out;
    private SparkSession spark;
    private OneVsRest<?> shipped;
    private Broadcast<OneVsRest<?>> broadcast;
    private int round;
    private double seconds;

    SvmTasks(Supplier<SparkSession> start, PrintWriter out) {
        this.start = start;
        this.out = out;
    }

    @Override
    public List<double[]> run(OneVsRest<?> work, List<SvmUnit> units) {
        if (spark == null) {
            spark = start.get();
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        long t0 = System.nanoTime();
        if (work != shipped) {
            broadcast = jsc.broadcast(work);
            shipped = work;
        }
        round++;
        if (units.isEmpty()) {
            return List.of();
        }
        int slices = Math.min(units.size(), SLICES_PER_SLOT * jsc.defaultParallelism());
        List<double[]> d = jsc.parallelize(units, slices).mapPartitions(new Task(broadcast)).collect();
        double secs = (System.nanoTime() - t0) / 1e9;
        seconds += secs;
        out.printf(Locale.ROOT, "spark (%s): %s round, %d SVMs in %d tasks, %.1f s%n", jsc.master(), round == 1 ? "validation" : "final",
                units.size(), slices, secs);
        out.flush();
        return d;
    }

    /** Seconds spent in the rounds' Spark jobs (broadcast included, session start excluded). */
    double seconds() {
        return seconds;
    }

    @Override
    public void close() {
        if (broadcast != null) {
            broadcast.destroy();
        }
        if (spark != null) {
            spark.stop();
        }
    }

    /** The partition function: the slice's units, in order, with the broadcast work. */
    static final class Task implements FlatMapFunction<Iterator<SvmUnit>, double[]> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<OneVsRest<?>> work;

        Task(Broadcast<OneVsRest<?>> work) {
            this.work = work;
        }

        @Override
        public Iterator<double[]> call(Iterator<SvmUnit> units) {
            List<SvmUnit> slice = new ArrayList<>();
            units.forEachRemaining(slice::add);
            Iterator<SvmUnit> each = slice.iterator();
            int half = slice.size() / 2;
            return work.value().decisions(new Iterator<SvmUnit>() {
                private int taken;

                @Override
                public boolean hasNext() {
                    return each.hasNext();
                }

                @Override
                public SvmUnit next() {
                    if (taken++ == half) {
                        TestHooks.reached("mid");
                    }
                    return each.next();
                }
            }).iterator();
        }
    }
}
