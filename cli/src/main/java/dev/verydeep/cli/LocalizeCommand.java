package dev.verydeep.cli;

import dev.verydeep.core.Provenance;
import dev.verydeep.runtime.DeviceSelection;
import dev.verydeep.runtime.eval.EvalSettings;
import dev.verydeep.runtime.eval.Memory;
import dev.verydeep.runtime.loc.GreedyMerge;
import dev.verydeep.runtime.loc.LocData;
import dev.verydeep.runtime.loc.LocReport;
import dev.verydeep.runtime.loc.LocSettings;
import dev.verydeep.runtime.loc.Localization;
import dev.verydeep.runtime.loc.Protocol;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code verydeep localize}: the paper's localisation test protocols (Appendix A) on ONNX Runtime. */
@Command(name = "localize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Test localisation nets (box regression, from train-loc) on a VOC-layout image set with the paper's protocols: "
                + "full (boxes predicted densely over the whole image at each scale Q, and its mirror with --flip; boxes of the "
                + "classifier's top-5 classes merged greedily after OverFeat; one box per class) or center-crop-gt (protocol 1: "
                + "the central crop's box for the ground-truth class).",
            "A prediction is correct at IoU >= 0.5 with a ground-truth box of its class. Each (image, class) pair with a "
                + "non-difficult object is one sample; difficult objects are ignored as VOC does.",
            "Prints a table like the paper's Tables 8 and 9 and writes results.json, predictions.jsonl and table.txt into --out."})
final class LocalizeCommand implements Callable<Integer> {
    @Option(names = "--loc", required = true, split = ",", paramLabel = "M",
            description = "Localisation net(s) (SCR or PCR head): model-dense.onnx; model.onnx for center-crop-gt only. Several: union of their boxes.")
    List<Path> loc;

    @Option(names = "--cls", paramLabel = "M", description = "Classification net (model-dense.onnx): the top-5 classes. Needed by --protocol full; "
            + "with center-crop-gt, only its classification error is reported.")
    Path cls;

    @Option(names = "--data", required = true, paramLabel = "voc:DIR[:SET]", description = "A VOC devkit folder and image set (default set: test).")
    String data;

    @Option(names = "--scales", required = true, paramLabel = "Q,Q,..", description = "Test scales Q (each >= the crop); center-crop-gt takes one.")
    String scales;

    @Option(names = "--flip", description = "Full: also the mirrored image (boxes flipped back; the classifier's posteriors averaged).")
    boolean flip;

    @Option(names = "--protocol", required = true, description = "full or center-crop-gt.")
    String protocol;

    @Mixin
    DenseWindowOption denseWindow;

    @Option(names = "--limit", defaultValue = "0", description = "Test only the first N images of the set (0: all).")
    int limit;

    @Option(names = "--batch", defaultValue = "64", description = "Most inputs per ONNX Runtime call, classifier and box nets; results do not "
            + "depend on it (default: ${DEFAULT-VALUE}).")
    int batch;

    @Mixin
    OutputFolder output;

    @Mixin
    RuntimeOptions runtime;

    @Mixin
    StrictOption strict;

    @Mixin
    ProgressOption progress;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        String command = CommandLines.of(spec);
        LocSettings settings = new LocSettings(Protocol.parse(protocol), EvalSettings.parseScales(scales), flip, denseWindow.centred(),
                GreedyMerge.THRESHOLD, runtime.threads, runtime.device, strict.strict, batch);
        LocData d = LocData.open(data, limit);
        // predictions.jsonl dominates: about 2 KB per image (5 boxes, ground truth, scores).
        Path dir = output.prepare("localize", LocReport.FILES, Math.max(1L << 20, d.images().size() * 2048L));
        w.printf(Locale.ROOT, "localizing %s on %s (%d images): %s, Q=%s%s%s -> %s%n",
                loc.stream().map(Path::toString).collect(Collectors.joining("+")), d.spec(), d.images().size(), settings.protocol(),
                settings.scales().stream().map(String::valueOf).collect(Collectors.joining(",")), flip ? ", flip" : "",
                cls == null ? "" : ", classes from " + cls, dir);
        w.flush();
        boolean bar = progress.bar();
        // One bar per phase (today one: localize), each closed when the next starts.
        ProgressBar[] current = new ProgressBar[1];
        String[] phaseShown = new String[1];
        Localization.Result res;
        try {
            res = Localization.run(loc, cls, d, settings, (phase, done, total) -> {
                if (!bar) {
                    return;
                }
                if (!phase.equals(phaseShown[0])) {
                    if (current[0] != null) {
                        current[0].close();
                    }
                    phaseShown[0] = phase;
                    current[0] = new ProgressBarBuilder().setTaskName(phase).setInitialMax(total).setStyle(ProgressBarStyle.ASCII).setUnit(" img", 1).build();
                }
                current[0].stepTo(done);
            });
        } finally {
            if (current[0] != null) {
                current[0].close();
            }
        }
        for (DeviceSelection s : res.devices()) {
            if (s.fellBack()) {
                w.println("note: " + s.requested() + " requested but unavailable, ran on " + s.used() + ": " + s.fallbackReason());
                break;
            }
        }
        String table = LocReport.write(dir, res, settings, d, limit, Provenance.capture(command, Versions.all()));
        w.print(table);
        if (!res.skipped().isEmpty()) {
            w.printf(Locale.ROOT, "skipped %d image(s), e.g. %s (all in results.json)%n", res.skipped().size(), res.skipped().get(0).reason());
        }
        int tested = res.rows().get(res.rows().size() - 1).images();
        w.printf(Locale.ROOT, "wall %.1f s (%.2f images/s, everything included), peak RSS %d MB%n", res.wallSeconds(), tested / res.wallSeconds(),
                Memory.peakRssMb());
        w.println("results: " + dir + " (results.json, predictions.jsonl, table.txt)");
        w.flush();
        return 0;
    }
}
