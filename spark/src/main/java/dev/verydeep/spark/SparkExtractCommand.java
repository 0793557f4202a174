package dev.verydeep.spark;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.verydeep.cli.ExtractCommand;
import dev.verydeep.core.UserException;
import dev.verydeep.core.io.AtomicFiles;
import dev.verydeep.core.io.Json;
import dev.verydeep.transfer.extract.ExtractJob;
import dev.verydeep.transfer.extract.Extractor;
import dev.verydeep.transfer.store.DescriptorStore;
import dev.verydeep.transfer.store.ImageEntry;
import dev.verydeep.transfer.store.StoreSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code verydeep spark extract}: {@code verydeep extract} with each chunk of the store computed by a Spark task; the
 * driver writes the store (so {@code transfer} reads it unchanged) and {@code descriptors.parquet}.
 */
@Command(name = "extract", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"verydeep extract as a Spark job: each partition is one --chunk-size chunk of the store, extracted by one ONNX "
                + "Runtime session per executor and committed to --out/spark-parts (a retried or rerun task finds it there); the "
                + "driver writes the chunks into the store, as verydeep extract does, and descriptors.parquet.",
            "--out must be a folder every executor and the driver see (shared file system)."})
public final class SparkExtractCommand extends ExtractCommand {
    @Mixin
    SparkOptions sparkOptions;

    @Override
    public Integer call() {
        String[] args = sparkOptions.args();
        ExtractJob.Request req = request();
        // Creates the store (or checks a resumed one) and scans the images, computing nothing: the in-process job's checks.
        ExtractJob.Summary planned = ExtractJob.run(req, provenance(), 0, strict());
        Path out = req.out();
        DescriptorStore.Index index = DescriptorStore.readIndex(out);
        StoreSettings settings = index.settings();
        DescriptorStore store = DescriptorStore.openForWriting(out, settings, images(out), index.provenance(), index.skipped());
        List<Integer> todo = new ArrayList<>();
        for (int c = 0; c < store.chunkCount(); c++) {
            if (!store.isDone(c)) {
                todo.add(c);
            }
        }
        SparkSession spark = sparkOptions.session("verydeep spark extract");
        try {
            int computed = 0;
            double session = 0;
            long t0 = System.nanoTime();
            String device = "-";
            if (!todo.isEmpty()) {
                JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
                List<ExtractPartition.Done> done = jsc.parallelize(todo, todo.size())
                        .mapPartitions(new Task(args, out.toString(), List.copyOf(ExtractPartition.ids(index.skipped())), settings.chunkSize(),
                                settings.images()))
                        .collect();
                for (ExtractPartition.Done d : done) {
                    store.writeChunk(d.chunk(), ExtractPartition.read(out, d.chunk(), store.count(d.chunk()), settings.dim()));
                    computed += d.computed() ? d.images() : 0;
                    session += d.sessionSeconds();
                    device = d.device();
                }
                deleteParts(out);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            print(new ExtractJob.Summary(out, settings.images(), settings.dim(), store.chunkCount(), planned.chunksSkipped(), computed, secs,
                    session, device, planned.skipped()));
            Parquet.descriptors(spark, out);
            PrintWriter w = sparkOptions.verb.commandLine().getOut();
            SparkOptions.printHadoopInputs(w);
            w.flush();
        } finally {
            spark.stop();
        }
        return 0;
    }

    private static List<ImageEntry> images(Path out) {
        try {
            return Json.MAPPER.readValue(Files.readAllBytes(out.resolve(DescriptorStore.IMAGES)), new TypeReference<List<ImageEntry>>() {
            });
        } catch (IOException e) {
            throw new UserException(out.resolve(DescriptorStore.IMAGES) + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static void deleteParts(Path out) {
        try {
            AtomicFiles.deleteRecursively(out.resolve(ExtractPartition.PARTS));
        } catch (IOException e) {
            throw new UserException("cannot delete " + out.resolve(ExtractPartition.PARTS) + ": " + AtomicFiles.reason(e), e);
        }
    }

    /** The partition function: rebuilds the request from the command line, extracts its chunks with the executor's extractor. */
    static final class Task implements FlatMapFunction<Iterator<Integer>, ExtractPartition.Done> {
        private static final long serialVersionUID = 1L;
        private final String[] args;
        private final String out;
        private final List<String> skipped;
        private final int chunkSize;
        private final int images;

        Task(String[] args, String out, List<String> skipped, int chunkSize, int images) {
            this.args = args;
            this.out = out;
            this.skipped = skipped;
            this.chunkSize = chunkSize;
            this.images = images;
        }

        @Override
        public Iterator<ExtractPartition.Done> call(Iterator<Integer> chunks) {
            String argKey = String.join("\u0000", args);
            ExtractJob.Request req = SparkMain.parse(args, SparkExtractCommand.class).request();
            ExtractPartition.Images data = ExecutorModels.shared("images " + argKey + " " + skipped,
                    () -> ExtractPartition.Images.of(req, Set.copyOf(skipped)));
            var device = Executors.device(req.device());
            int threads = Executors.threads(req.threads());
            String key = "extract " + argKey + " " + device + " " + threads;
            String executor = SparkEnv.get() == null ? "?" : SparkEnv.get().executorId();
            List<ExtractPartition.Done> done = new ArrayList<>();
            while (chunks.hasNext()) {
                int c = chunks.next();
                int first = c * chunkSize;
                int count = Math.min(chunkSize, images - first);
                done.add(ExecutorModels.use(key, () -> ExtractPartition.extractor(req, device, threads), Extractor.class,
                        ex -> ExtractPartition.run(ex, data, Path.of(out), c, first, count, executor, device.toString(), () -> TestHooks.reached("mid"))));
                TestHooks.reached("committed");
            }
            return done.iterator();
        }
    }
}
