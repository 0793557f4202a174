package dev.verydeep.cli;

import dev.verydeep.core.UserException;
import dev.verydeep.core.data.FashionMnist;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code verydeep suite --full}: the whole miniature reproduction ({@link SuitePlan}), resumable step by step. */
@Command(name = "suite", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The whole miniature reproduction on Fashion-MNIST, crop 32: train A, A-LRN, B, C, D, E at fixed and jittered "
                + "scale (Table 3), export and verify each, evaluate for Tables 3, 4, 5 (dense, multi-crop, both) and 6 (fusion), "
                + "transfer from source nets trained on classes 0-4 to fashion-caltech and fashion-voc (Table 11), then write the report.",
            "Each step is a verydeep command, printed before it runs. A step is skipped when it finished before (its stamp in "
                    + "OUT/.steps/) and its command and the hashes of its inputs are unchanged; an interrupted training run resumes. "
                    + "So a killed suite continues where it stopped when run again. --full takes about 50 minutes on 2 cores (1 thread per step); --quick runs "
                    + "the same plan on tiny settings in minutes.",
            "--reference runs the evaluation plan (Tables 3 to 6 and 11, same layout) on the shipped reference nets in reference/ "
                    + "(those trained to convergence so far; the plan names the missing ones), without training: every test image for "
                    + "Tables 3, 4 and 6, the first 1000 for Table 5, and Table 11 from the S=37 nets A, D, E and D+E (they saw all 10 "
                    + "classes, as ILSVRC nets saw most of Caltech-101's and VOC's: the paper's setting, not the unseen-class one of "
                    + "--full); the control A-again-37 (A trained again from A-37's layers), once there, in Tables 3 and 4 only. "
                    + "--reference --quick does the same on 200 (and 10) images."})
final class SuiteCommand implements Callable<Integer> {
    static final class Size {
        @Option(names = "--full", required = true, description = "The full plan (about 50 minutes on 2 cores).")
        boolean full;

        @Option(names = "--quick", required = true, description = "The same plan on tiny settings: width 1/16, 300 training images, "
                + "1 epoch, 200 test images (minutes).")
        boolean quick;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Size size;

    @Option(names = "--reference", description = "Evaluate the shipped reference nets instead of training a family (see above).")
    boolean reference;

    @Mixin
    ReferenceNets referenceNets;

    @Option(names = "--out", description = "Folder for everything (default: runs/suite, or runs/suite-reference with --reference).")
    Path out;

    @Option(names = "--dry-run", description = "Print the plan (each step's state and command) and stop.")
    boolean dryRun;

    @Option(names = "--threads", defaultValue = "1",
            description = "PyTorch and ONNX Runtime threads per step (default: ${DEFAULT-VALUE}: best on shared cores; 0 for ONNX Runtime's choice).")
    int threads;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (threads < 0) {
            throw new UserException("--threads must be 0 or more, got " + threads);
        }
        boolean quick = size != null && size.quick;
        if (reference ? size != null && size.full : size == null) {
            throw new UserException(reference ? "--reference and --full cannot go together (--reference trains nothing; add --quick for a "
                    + "tiny run)" : "give --full, --quick or --reference");
        }
        if (referenceNets.dir != null && !reference) {
            throw new UserException("--reference-dir needs --reference");
        }
        if (out == null) {
            out = Path.of(reference ? "runs/suite-reference" : "runs/suite");
        }
        PrintWriter o = spec.commandLine().getOut();
        List<Step> plan;
        if (reference) {
            plan = referencePlan(o, quick);
        } else {
            SuitePlan.Settings s = (quick ? SuitePlan.Settings.quick() : SuitePlan.Settings.full()).withThreads(threads);
            plan = SuitePlan.build(out, s);
            o.println("suite " + (quick ? "--quick" : "--full") + " in " + out + "; Fashion-MNIST: " + FashionMnist.defaultSource());
        }
        StepRunner runner = new StepRunner(out, o, spec.root().commandLine().getErr());
        if (dryRun) {
            runner.printPlan(plan);
            return 0;
        }
        long t0 = System.nanoTime();
        runner.run(plan);
        o.printf(Locale.ROOT, "suite finished in %.1f min; report: %s%n", (System.nanoTime() - t0) / 6e10,
                out.resolve("report").resolve("report.html").toAbsolutePath());
        o.flush();
        return 0;
    }

    private List<Step> referencePlan(PrintWriter o, boolean quick) {
        List<String> nets = referenceNets.require();
        SuitePlan.Settings s = (quick ? SuitePlan.Settings.quick() : SuitePlan.Settings.reference()).withThreads(threads);
        List<String> missing = ReferenceNets.ALL.stream().filter(n -> !nets.contains(n) && !n.equals(ReferenceNets.CONTROL)).toList();
        o.println("suite --reference" + (quick ? " --quick" : "") + " in " + out + "; Fashion-MNIST: " + FashionMnist.defaultSource());
        o.println("reference nets in " + referenceNets.folder() + ": " + String.join(", ", nets));
        if (!missing.isEmpty()) {
            o.println("not there yet (their rows are skipped): " + String.join(", ", missing));
        }
        if (!nets.contains(ReferenceNets.CONTROL)) {
            o.println("control " + ReferenceNets.CONTROL + " (A trained again from A-37's layers, as the deeper nets were) not there yet: "
                    + "the findings' control rows wait for it");
        }
        o.println("no training; Table 11 from the S=37 nets, which saw all 10 classes (fashion-caltech's classes 5-9 among them, as "
                + "ILSVRC nets saw most Caltech-101 categories; fashion-voc's scenes are a new task)");
        return SuitePlan.reference(out, referenceNets.folder(), nets, s);
    }
}
