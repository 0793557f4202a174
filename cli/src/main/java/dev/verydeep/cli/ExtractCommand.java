package dev.verydeep.cli;

import dev.verydeep.core.Provenance;
import dev.verydeep.core.UserException;
import dev.verydeep.core.data.ImageScan;
import dev.verydeep.transfer.extract.Aggregate;
import dev.verydeep.transfer.extract.ExtractJob;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code verydeep extract}: dense multi-scale descriptors into a resumable store. */
@Command(name = "extract", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Extract Appendix B descriptors: per scale Q the image rescaled to smallest side Q, run densely with its "
                + "mirror image, penultimate map averaged over space and over the two; scales averaged or stacked; several "
                + "nets stacked; L2-normalised.",
            "Written in chunks to a store folder; run the same command again to resume an interrupted extraction."})
public class ExtractCommand implements Callable<Integer> {
    /** For picocli (and the spark module's command, which extends this one). */
    public ExtractCommand() {
    }

    @Option(names = "--model", required = true, split = ",", paramLabel = "ONNX", description = "Dense model(s) (model-dense.onnx), comma-separated: stacked (late fusion).")
    List<Path> models;

    @Option(names = "--data", required = true, paramLabel = "SPEC", description = "voc:DIR, caltech:DIR, folder:DIR or fashion-mnist[:test].")
    String data;

    @Option(names = "--voc-sets", split = ",", paramLabel = "SET", description = "VOC image sets to extract (default: those of train, val, trainval, test present).")
    List<String> vocSets;

    @Option(names = "--scales", required = true, split = ",", paramLabel = "Q", description = "Test scales Q (smallest image side), e.g. 256,384,512.")
    List<Integer> scales;

    @Option(names = "--aggregate", defaultValue = "average", description = "average or stack (over scales). Default: ${DEFAULT-VALUE}.")
    String aggregate;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Store folder (created, or resumed when its settings match).")
    Path out;

    @Option(names = "--chunk-size", defaultValue = "64", description = "Images per chunk (the unit of resumption). Default: ${DEFAULT-VALUE}.")
    int chunkSize;

    @Option(names = "--preprocessing", description = "caffe or torchvision: override the model's profile (needed for models without verydeep metadata).")
    String preprocessing;

    @Mixin
    RuntimeOptions runtime;

    @Option(names = "--decode-threads", defaultValue = "1", description = "Threads decoding and rescaling ahead of inference. Default: ${DEFAULT-VALUE}.")
    int decodeThreads;

    @Option(names = "--strict", description = "Stop at the first image the decoder refuses (default: leave it out and list it in the store's index.json).")
    boolean strict;

    @Mixin
    DenseWindowOption denseWindow;

    @Option(names = "--with-boxes", description = "voc-action: each person box's descriptor stacks the whole image's and the box crop's "
            + "(paper Appendix B); without it, the whole image's only.")
    boolean withBoxes;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ExtractJob.Summary s = ExtractJob.run(request(), provenance(), Integer.MAX_VALUE, strict);
        print(s);
        return 0;
    }

    /** What to extract, from the flags. */
    public ExtractJob.Request request() {
        if (decodeThreads < 1) {
            throw new UserException("--decode-threads must be at least 1, got " + decodeThreads);
        }
        return new ExtractJob.Request(models, data, vocSets, scales, Aggregate.parse(aggregate), out, chunkSize,
                runtime.device, runtime.threads, decodeThreads, preprocessing, denseWindow.window(), withBoxes);
    }

    /** Whether an unreadable image stops the run. */
    public boolean strict() {
        return strict;
    }

    /** The provenance a new store records: the command line, versions, models. */
    public Map<String, Object> provenance() {
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("provenance", Provenance.capture(CommandLines.of(spec), Versions.all()));
        provenance.put("models", models.stream().map(Path::toString).toList());
        return provenance;
    }

    /** Prints what a run did. */
    public void print(ExtractJob.Summary s) {
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "%s: %d images, descriptor %d floats, %d chunks (%d already done)%n", s.out(), s.images(), s.dim(), s.chunks(), s.chunksSkipped());
        String skipped = ImageScan.summary(s.skipped());
        if (skipped != null) {
            w.println(skipped + " (all in " + s.out().resolve("index.json") + ")");
        }
        if (s.imagesComputed() > 0) {
            w.printf(Locale.ROOT, "extracted %d images in %.1f s: %.1f images/s end to end, %.1f images/s inside the session(s) (%s)%n",
                    s.imagesComputed(), s.seconds(), s.imagesPerSecond(), s.sessionImagesPerSecond(), s.device());
        }
        w.flush();
    }
}
