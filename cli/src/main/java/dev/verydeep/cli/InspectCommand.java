package dev.verydeep.cli;

import dev.verydeep.onnx.OnnxModels;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code verydeep inspect FILE}: what an ONNX file holds, after the model guard has checked it. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Print an ONNX model's inputs and outputs with their shapes (dynamic dims by name), IR version, "
                + "opsets, operator histogram, parameter count and metadata.",
                "The file is checked first (not a model, truncated, external data outside its folder: refused)."})
final class InspectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "An .onnx model file.")
    Path file;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(OnnxModels.load(file).report().render());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
