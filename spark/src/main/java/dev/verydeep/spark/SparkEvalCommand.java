package dev.verydeep.spark;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.verydeep.cli.EvalCommand;
import dev.verydeep.core.UserException;
import dev.verydeep.core.io.Json;
import dev.verydeep.runtime.eval.EvalSettings;
import dev.verydeep.runtime.eval.Evaluation;
import dev.verydeep.runtime.eval.Evaluator;
import dev.verydeep.runtime.eval.Memory;
import dev.verydeep.runtime.eval.ModelInfo;
import dev.verydeep.runtime.eval.PartialResults;
import dev.verydeep.runtime.eval.PartitionEvaluator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
        long t0 = System.nanoTime();
        String[] args = sparkOptions.args();
        Engine engine = new Engine(args);
        try {
            int rc = run(engine);
            long p0 = System.nanoTime();
            if (engine.dir != null) {
                Parquet.posteriors(engine.session(), engine.plan, engine.dir);
            }
            long p1 = System.nanoTime();
            PrintWriter w = sparkOptions.verb.commandLine().getOut();
            w.println(engine.timing((p1 - t0) / 1e9, (p1 - p0) / 1e9));
            SparkOptions.printHadoopInputs(w);
            w.flush();
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
        private double sessionSeconds;
        private double stageSeconds;
        private int stageImages;
        private Evaluation assembled;

        Engine(String[] args) {
            this.args = args;
        }

        SparkSession session() {
            if (spark == null) {
                long t0 = System.nanoTime();
                spark = sparkOptions.session("verydeep spark eval");
                sessionSeconds = (System.nanoTime() - t0) / 1e9;
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
                if (EvalPartition.stored(partial, p, ev.classes(), c, first, Math.min(n, first + partial.chunkImages()) - first) == null) {
                    todo.add(c);
                }
            }
            int chunks = (n + partial.chunkImages() - 1) / partial.chunkImages();
            if (todo.isEmpty()) {
                return 0;
            }
            List<String> hashes = ev.models().stream().map(ModelInfo::sha256).toList();
            // The fingerprint the driver opened the partial results with; the executors open them with the same one.
            String fingerprint = Json.toLine(PartialResults.fingerprint(ev.models(), p.spec().toString(), p.source(), p.indices(), p.settings(),
                    p.checkpointEvery()));
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(session().sparkContext());
            long t0 = System.nanoTime();
            List<EvalPartition.Done> done = jsc.parallelize(todo, todo.size()).mapPartitions(new Task(args, out.toString(), hashes, fingerprint))
                    .collect();
            stageSeconds = (System.nanoTime() - t0) / 1e9;
            stageImages = done.stream().filter(EvalPartition.Done::computed).mapToInt(EvalPartition.Done::images).sum();
            w.printf(Locale.ROOT, "spark (%s): %d of %d partitions computed (%d images) on %s in %.1f s, %.1f images/s; %d already in %s%n",
                    jsc.master(), todo.size(), chunks, stageImages, done.stream().map(EvalPartition.Done::device).distinct().sorted().toList(),
                    stageSeconds, stageImages / Math.max(stageSeconds, 1e-9), chunks - todo.size(), partial.dir());
            w.flush();
            return done.stream().mapToInt(EvalPartition.Done::images).sum();
        }

        /** Printed by the command once the Parquet file is written too ({@link #timing(double, double)}). */
        @Override
        public String timing(Evaluation e) {
            assembled = e;
            return null;
        }

        /** What the times of a spark eval command are, each measured (the rest by difference). */
        String timing(double commandSeconds, double parquetSeconds) {
            double assembly = assembled == null ? 0 : assembled.wallSeconds();
            return String.format(Locale.ROOT, "command %.1f s (JVM start not counted): Spark start-up %.1f s, evaluation stage %.1f s "
                    + "(%d images computed by the tasks: %.1f images/s), driver %.1f s assembling the results from the chunks, "
                    + "Parquet %.1f s, %.1f s the rest (plan, model checks, result files); driver peak RSS %d MB", commandSeconds, sessionSeconds,
                    stageSeconds, stageImages, stageImages / Math.max(stageSeconds, 1e-9), assembly, parquetSeconds,
                    commandSeconds - sessionSeconds - stageSeconds - assembly - parquetSeconds, Memory.peakRssMb());
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
        private final String fingerprint;

        Task(String[] args, String dir, List<String> hashes, String fingerprint) {
            this.args = args;
            this.dir = dir;
            this.hashes = List.copyOf(hashes);
            this.fingerprint = fingerprint;
        }

        @Override
        public Iterator<EvalPartition.Done> call(Iterator<Integer> chunks) {
            Plan plan = ExecutorModels.shared("plan " + String.join("\u0000", args),
                    () -> SparkMain.parse(args, SparkEvalCommand.class).plan(new PrintWriter(Writer.nullWriter())));
            EvalSettings s = plan.settings();
            EvalSettings local = new EvalSettings(s.method(), s.scales(), s.flip(), s.preprocessing(), s.batch(), s.decodeThreads(),
                    Executors.threads(s.intraOpThreads()), Executors.device(s.device()), s.strict(), s.maxPixels(), s.denseCentred());
            String key = "eval " + hashes + " " + local.toMap();
            PartialResults partial = ExecutorModels.shared("partial " + dir + " " + fingerprint, () -> PartialResults.open(Path.of(dir),
                    fingerprint(fingerprint), false));
            String executor = SparkEnv.get() == null ? "?" : SparkEnv.get().executorId();
            List<EvalPartition.Done> out = new ArrayList<>();
            while (chunks.hasNext()) {
                int c = chunks.next();
                out.add(ExecutorModels.use(key, () -> PartitionEvaluator.open(plan.models(), local), PartitionEvaluator.class,
                        ev -> EvalPartition.run(ev, plan, partial, c, executor, () -> TestHooks.reached("mid"))));
                TestHooks.reached("committed");
            }
            return out.iterator();
        }

        private static Map<String, Object> fingerprint(String json) {
            try {
                return Json.MAPPER.readValue(json, new TypeReference<Map<String, Object>>() { });
            } catch (IOException e) {
                throw new IllegalStateException("the driver's partial-results fingerprint does not parse: " + e.getMessage(), e);
            }
        }
    }
}
