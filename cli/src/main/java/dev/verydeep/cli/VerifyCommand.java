package dev.verydeep.cli;

import dev.verydeep.runtime.Comparison.Tolerance;
import dev.verydeep.runtime.Verifier;
import dev.verydeep.runtime.VerifyReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code verydeep verify PATH}: ONNX Runtime on stored test data sets, PASS or FAIL per set. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Run a model in ONNX Runtime on its stored test data sets and compare every output: max abs and "
                + "relative error, PASS/FAIL per set with the worst element.",
                "PATH is a model file (model.onnx uses test_data_set_N next to it, model-dense.onnx uses "
                        + "test_data_set_dense_N) or a folder in the ONNX model-zoo layout (each .onnx in it with its sets).",
                "An element passes when |got - expected| <= atol + rtol x |expected|.",
                "Exit code: 0 all PASS, 1 any FAIL, 2 bad input."})
final class VerifyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PATH", description = "Model file or model-zoo folder.")
    Path path;

    @Option(names = "--rtol", defaultValue = "1e-3", description = "Relative tolerance (default: ${DEFAULT-VALUE}).")
    double rtol;

    @Option(names = "--atol", defaultValue = "1e-5", description = "Absolute tolerance (default: ${DEFAULT-VALUE}).")
    double atol;

    @Mixin
    RuntimeOptions runtime;

    @Option(names = "--strict-device", description = "Fail instead of falling back to CPU when CUDA is unavailable.")
    boolean strictDevice;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        VerifyReport report = Verifier.builder()
                .optTolerance(new Tolerance(rtol, atol))
                .optDevice(runtime.device)
                .optStrictDevice(strictDevice)
                .optIntraOpThreads(runtime.threads)
                .build()
                .verify(path);
        spec.commandLine().getOut().print(report.render());
        spec.commandLine().getOut().flush();
        return report.passed() ? 0 : 1;
    }
}
