package dev.verydeep.cli;

import dev.verydeep.core.Provenance;
import dev.verydeep.core.io.Json;
import dev.verydeep.core.io.WritableFolder;
import dev.verydeep.transfer.metrics.AveragePrecision;
import dev.verydeep.transfer.protocol.OneVsRest;
import dev.verydeep.transfer.protocol.TransferJob;
import dev.verydeep.transfer.store.DescriptorStore;
import dev.verydeep.transfer.svm.Feed;
import dev.verydeep.transfer.svm.SvmSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code verydeep transfer}: linear SVMs on stored descriptors, scored with a benchmark's protocol. */
@Command(name = "transfer", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train one-vs-rest linear SVMs (LIBLINEAR) on stored descriptors and score them with a benchmark's protocol.",
            "voc2007: trainval -> test, 11-point AP; voc2012: train -> val, area under the precision envelope; difficult ignored.",
            "voc2012-action: as voc2012, one SVM per action over the annotated persons (extract --data voc-action:DIR [--with-boxes]).",
            "caltech101: 30 train, up to 50 test per class; caltech256: 60 train, the rest test; 3 seeded splits, mean class recall +- std.",
            "C is chosen per class (VOC) or per split (Caltech) on a validation split of 20%% of the training images, then retrained on all."})
public class TransferCommand implements Callable<Integer> {
    /** For picocli (and the spark module's command, which extends this one). */
    public TransferCommand() {
    }

    @Option(names = "--features", required = true, paramLabel = "DIR", description = "Descriptor store made by verydeep extract.")
    Path features;

    @Option(names = "--protocol", required = true, description = "voc2007, voc2012, voc2012-action, caltech101 or caltech256.")
    String protocol;

    @Option(names = "--with-boxes", description = "voc2012-action: require descriptors that stack the whole image's and the person box's "
            + "(made by extract --with-boxes); without it either kind of store is scored.")
    boolean withBoxes;

    @Option(names = "--splits", description = "Caltech: random splits (default 3).")
    Integer splits;

    @Option(names = "--train-per-class", description = "Caltech: training images per class (default 30; caltech256: 60).")
    Integer trainPerClass;

    @Option(names = "--test-per-class", description = "Caltech: at most this many test images per class (default 50; caltech256 and 0: all the rest).")
    Integer testPerClass;

    @Option(names = "--ap", description = "VOC AP: voc2007 (11-point) or voc2010 (area); default by protocol.")
    String ap;

    @Option(names = "--train-set", description = "VOC image set to train on (default: trainval for voc2007, train for voc2012).")
    String trainSet;

    @Option(names = "--test-set", description = "VOC image set to test on (default: test for voc2007, val for voc2012).")
    String testSet;

    @Option(names = "--solver", defaultValue = "L2R_L2LOSS_SVC_DUAL", description = "LIBLINEAR solver name or -s number. Default: ${DEFAULT-VALUE}.")
    String solver;

    @Option(names = "--c-grid", split = ",", defaultValue = "0.01,0.1,1,10,100", description = "C values tried on the validation split. Default: ${DEFAULT-VALUE}.")
    List<Double> cGrid;

    @Option(names = "--eps", defaultValue = "0.1", description = "LIBLINEAR stopping tolerance. Default: ${DEFAULT-VALUE}.")
    double eps;

    @Option(names = "--svm-feed", defaultValue = "shared-cursor", description = "shared-cursor (memory-light) or feature-nodes (LIBLINEAR-java's own). Default: ${DEFAULT-VALUE}.")
    String feed;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the splits. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", paramLabel = "FILE", description = "Results JSON (default: FEATURES/results-PROTOCOL.json).")
    Path out;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return run(OneVsRest.Runner.LOCAL);
    }

    /** The verb, its SVM units computed by {@code runner} (in this thread, or as Spark tasks by {@code verydeep spark transfer}). */
    public int run(OneVsRest.Runner runner) {
        String command = CommandLines.of(spec);
        TransferJob.Protocol p = TransferJob.Protocol.parse(protocol);
        AveragePrecision.Method method = null;
        if (ap != null) {
            method = switch (ap.toLowerCase(java.util.Locale.ROOT)) {
                case "voc2007", "11point", "voc2007-11point" -> AveragePrecision.Method.VOC2007_11POINT;
                case "voc2010", "area", "voc2010-area" -> AveragePrecision.Method.VOC2010_AREA;
                default -> throw new dev.verydeep.core.UserException("--ap '" + ap + "': expected voc2007 or voc2010");
            };
        }
        for (double c : cGrid) {
            if (!(c > 0) || Double.isInfinite(c)) {
                throw new dev.verydeep.core.UserException("--c-grid: C must be a positive number, got " + c);
            }
        }
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new dev.verydeep.core.UserException("--eps: the SVM tolerance must be a positive, finite number, got " + eps);
        }
        SvmSettings svm = new SvmSettings(SvmSettings.solver(solver), eps, 1, cGrid, 0.2, Feed.parse(feed));
        DescriptorStore.Descriptors d = DescriptorStore.read(features);
        if (withBoxes && (p != TransferJob.Protocol.VOC2012_ACTION || !d.settings().withBoxes())) {
            throw new dev.verydeep.core.UserException("--with-boxes: " + (p != TransferJob.Protocol.VOC2012_ACTION
                    ? "applies to --protocol voc2012-action" : features + " holds whole-image descriptors; extract again with --with-boxes"));
        }
        Path file = out != null ? out : features.resolve("results-" + p.text() + ".json");
        Path parent = file.toAbsolutePath().getParent();
        WritableFolder.check(parent, out != null ? "--out" : "--features", 1L << 20); // before the SVMs train
        TransferJob.Outcome o = TransferJob.run(d, new TransferJob.Request(p, splits, trainPerClass, testPerClass, method, trainSet, testSet, svm, seed),
                runner);
        Map<String, Object> result = new LinkedHashMap<>(o.result());
        result.put("extraction", d.provenance());
        result.put("provenance", Provenance.capture(command, Versions.all()));
        Json.write(file, result);
        PrintWriter w = spec.commandLine().getOut();
        o.lines().forEach(w::println);
        w.println("-> " + file);
        w.flush();
        return 0;
    }
}
