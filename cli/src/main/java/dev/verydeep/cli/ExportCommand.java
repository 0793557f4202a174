package dev.verydeep.cli;

import dev.verydeep.core.Provenance;
import dev.verydeep.core.io.WritableFolder;
import dev.verydeep.export.RunExporter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code verydeep export RUN}: a trained run to ONNX, classifier and dense forms, with test data sets from DJL. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a trained run to ONNX: model.onnx (classifier, [N,3,crop,crop] -> scores [N,K]) and model-dense.onnx "
                + "(fully convolutional, [N,3,H,W] -> scores_map [N,K,h,w] and penultimate [N,F,h,w]), IR 8, opset 13, with the net, "
                + "classes, preprocessing, scales and provenance in the metadata.",
                "A localisation run (train-loc) names the last output boxes [N,4 or 4K] / boxes_map [N,4 or 4K,h,w] instead, no softmax.",
                "Also writes test_data_set_0..2 and test_data_set_dense_0..2 whose outputs are DJL's, for 'verydeep verify'."})
final class ExportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN", description = "Training run folder.")
    Path run;

    @Option(names = "--out", description = "Folder for the ONNX files (default: the run folder).")
    Path out;

    @Option(names = "--force", description = "Replace models already exported there.")
    boolean force;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path dir = out != null ? out : run;
        // Two graphs of the net's float32 weights, plus test data sets and slack.
        long params = dev.verydeep.trainer.RunFolder.existing(run).info().settings().net().parameterCount();
        WritableFolder.check(dir, out != null ? "--out" : "run folder", 2 * 4 * params + (16L << 20));
        String command = CommandLines.of(spec);
        Provenance p = Provenance.capture(command, Versions.all());
        RunExporter.Result r = RunExporter.export(run, dir, force, Map.of("export.command", command, "export.git_commit", p.gitCommit(),
                "export.time", p.time()));
        PrintWriter o = spec.commandLine().getOut();
        o.printf("wrote %s (%,d bytes)%n", r.files().classifier(), Files.size(r.files().classifier()));
        o.printf("wrote %s (%,d bytes)%n", r.files().dense(), Files.size(r.files().dense()));
        o.printf("wrote %d test data sets (expected outputs from DJL): verify with 'verydeep verify %s'%n", r.testSets().size(), r.files().dense());
        if (r.note() != null) {
            o.println("note: " + r.note());
        }
        return 0;
    }
}
