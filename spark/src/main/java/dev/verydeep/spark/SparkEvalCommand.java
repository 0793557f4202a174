package dev.verydeep.spark;

import dev.verydeep.cli.EvalCommand;
import dev.verydeep.core.UserException;
import dev.verydeep.runtime.eval.EvalSettings;
import dev.verydeep.runtime.eval.Evaluator;
import dev.verydeep.runtime.eval.ModelInfo;
import dev.verydeep.runtime.eval.PartialResults;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code verydeep spark eval}: {@code verydeep eval} with its posteriors computed by Spark tasks, one per chunk of
 * {@code --checkpoint-every} images; then the same result files, and {@code posteriors.parquet}.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"verydeep eval as a Spark job: each partition is one --checkpoint-every chunk of images, evaluated by one ONNX "
                + "Runtime session per executor and committed to --out/partial (a retried or rerun task finds it there); the driver "
                + "then writes results.json, posteriors.bin, confusion.png, table.txt as verydeep eval does, and posteriors.parquet.",
            "--out must be a folder every executor and the driver see (shared file system)."})
public final class SparkEvalCommand extends EvalCommand {
    @Mixin
    SparkOptions sparkOptions;

    @Override
    public Integer call() {
        String[] args = sparkOptions.args();
        Engine engine = new Engine(args);
        try {
            int rc = run(engine);
            if (engine.dir != null) {
                Parquet.posteriors(engine.session(), engine.plan, engine.dir);
            }
            return rc;
        } finally {
            engine.close();
        }
    }

    /** Fills the partial results on Spark. */
    private final class Engine implements EvalCommand.Engine, AutoCloseable {
        private final String[] args;
        private SparkSession spark;
        private Plan plan;
        private Path dir;

        Engine(String[] args) {
            this.args = args;
        }

        SparkSession session() {
            if (spark == null) {
                spark = sparkOptions.session("verydeep spark eval");
            }
            return spark;
        }

        @Override
        public int precompute(Plan p, Evaluator ev, Path out, PartialResults partial, PrintWriter w) {
            this.plan = p;
            this.dir = out;
            if (partial == null) {
                throw new UserException("--checkpoint-every 0: spark eval computes one chunk of --checkpoint-every images per task; give a positive size");
            }
            int n = p.indices().length;
            List<Integer> todo = new ArrayList<>();
            for (int c = 0, first = 0; first < n; c++, first += partial.chunkImages()) {
                if (EvalPartition.stored(partial, ev, c, first, Math.min(n, first + partial.chunkImages()) - first) == null) {
                    todo.add(c);
                }
            }
            int chunks = (n + partial.chunkImages() - 1) / partial.chunkImages();
            if (todo.isEmpty()) {
                return 0;
            }
            List<String> hashes = ev.models().stream().map(ModelInfo::sha256).toList();
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(session().sparkContext());
            long t0 = System.nanoTime();
            List<EvalPartition.Done> done = jsc.parallelize(todo, todo.size()).mapPartitions(new Task(args, out.toString(), hashes)).collect();
            double secs = (System.nanoTime() - t0) / 1e9;
            int images = done.stream().filter(EvalPartition.Done::computed).mapToInt(EvalPartition.Done::images).sum();
            w.printf(Locale.ROOT, "spark (%s): %d of %d partitions computed (%d images) on %s in %.1f s, %.1f images/s; %d already in %s%n",
                    jsc.master(), todo.size(), chunks, images, done.stream().map(EvalPartition.Done::device).distinct().sorted().toList(), secs,
                    images / Math.max(secs, 1e-9), chunks - todo.size(), partial.dir());
            w.flush();
            return done.stream().mapToInt(EvalPartition.Done::images).sum();
        }

        @Override
        public void close() {
            if (spark != null) {
                spark.stop();
            }
        }
    }

    /** The partition function: rebuilds the plan from the command line, evaluates its chunks with the executor's evaluator. */
    static final class Task implements FlatMapFunction<Iterator<Integer>, EvalPartition.Done> {
        private static final long serialVersionUID = 1L;
        private final String[] args;
        private final String dir;
        private final List<String> hashes;

        Task(String[] args, String dir, List<String> hashes) {
            this.args = args;
            this.dir = dir;
            this.hashes = List.copyOf(hashes);
        }

        @Override
        public Iterator<EvalPartition.Done> call(Iterator<Integer> chunks) {
            Plan plan = ExecutorModels.shared("plan " + String.join("\u0000", args),
                    () -> SparkMain.parse(args, SparkEvalCommand.class).plan(new PrintWriter(Writer.nullWriter())));
            EvalSettings s = plan.settings();
            EvalSettings local = new EvalSettings(s.method(), s.scales(), s.flip(), s.preprocessing(), s.batch(), s.decodeThreads(),
                    Executors.threads(s.intraOpThreads()), Executors.device(s.device()), s.strict(), s.maxPixels(), s.denseCentred());
            String key = "eval " + hashes + " " + local.toMap();
            String executor = SparkEnv.get() == null ? "?" : SparkEnv.get().executorId();
            List<EvalPartition.Done> out = new ArrayList<>();
            while (chunks.hasNext()) {
                int c = chunks.next();
                out.add(ExecutorModels.use(key, () -> Evaluator.open(plan.models(), local), Evaluator.class, ev -> {
                    PartialResults partial = ExecutorModels.shared("partial " + dir + " " + key, () -> PartialResults.open(Path.of(dir),
                            PartialResults.fingerprint(ev.models(), plan.spec().toString(), plan.source(), plan.indices(), s,
                                    plan.checkpointEvery()), false));
                    return EvalPartition.run(ev, plan, partial, c, executor, () -> TestHooks.reached("mid"));
                }));
                TestHooks.reached("committed");
            }
            return out.iterator();
        }
    }
}
