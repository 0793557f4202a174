package dev.verydeep.cli;

import dev.verydeep.core.UserException;
import dev.verydeep.onnx.DenseConverter;
import dev.verydeep.onnx.Preprocessing;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code verydeep convert IN.onnx -o OUT.onnx}: a foreign VGG-style classifier to the fully convolutional form. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Convert a VGG-style ONNX classifier exported elsewhere (torchvision via torch.onnx, ONNX model zoo/MXNet, "
                + "Keras via tf2onnx, Caffe2) to the fully convolutional form: the FC head after the last max-pool becomes a "
                + "(crop/32)x(crop/32) conv and two 1x1 convs; input [N,3,H,W] with dynamic N, H, W; outputs scores_map [N,K,h,w] "
                + "(logits; a final Softmax is dropped) and penultimate [N,F,h,w].",
                "Heads understood: Flatten or Reshape to [N,-1] (constant shape or x.view(x.size(0), -1)), FC layers as Gemm "
                        + "(transB 0/1, weight constant or Transpose of one) or MatMul + Add, ReLU, Dropout/Identity, AveragePool(1x1) "
                        + "or GlobalAveragePool (AdaptiveAvgPool2d((1,1)): it sees one cell at the crop, 32) before the flatten (removed), Keras/tf2onnx NHWC input and flatten (converted input is NCHW), optional final Softmax. Anything else is refused saying what was found."})
final class ConvertCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN.onnx", description = "The classifier to convert.")
    Path in;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "OUT.onnx", description = "Where to write the dense form.")
    Path out;

    @Option(names = "--crop", paramLabel = "PIXELS", description = "The crop the classifier takes (e.g. 224); checked against FC1's "
            + "input size. Default: inferred from FC1.")
    Integer crop;

    @Option(names = "--preprocessing", paramLabel = "PROFILE", defaultValue = "torchvision",
            description = "caffe (BGR, 0..255, minus mean 103.939, 116.779, 123.68) or torchvision (RGB, /255, mean 0.485, 0.456, "
                    + "0.406, std 0.229, 0.224, 0.225); stored in the output's metadata. Default: ${DEFAULT-VALUE}.")
    String preprocessing;

    @Option(names = "--classes-file", paramLabel = "FILE", description = "Class names, one a line (blank lines ignored), in the "
            + "order of the net's outputs. Default: class_0, class_1, ...")
    Path classesFile;

    @Option(names = "--force", description = "Replace OUT.onnx if it exists.")
    boolean force;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (Files.exists(out) && !force) {
            throw new UserException(out + ": exists; pass --force to replace it");
        }
        if (out.toAbsolutePath().normalize().equals(in.toAbsolutePath().normalize())) {
            throw new UserException(out + ": the output would overwrite the input");
        }
        DenseConverter.Builder b = DenseConverter.builder().optPreprocessing(Preprocessing.named(preprocessing));
        if (crop != null) {
            if (crop <= 0 || crop % 32 != 0) {
                throw new UserException("--crop " + crop + ": expected a positive multiple of 32 (a VGG's total stride)");
            }
            b.optCrop(crop);
        }
        if (classesFile != null) {
            b.optClassNames(readClasses(classesFile));
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        DenseConverter.Result r = b.build().convert(in, out);
        PrintWriter o = spec.commandLine().getOut();
        o.printf("head: %s%n", r.pattern());
        o.printf("dense: FC1 as a %dx%d conv over %d channels (crop %d), penultimate %d, %d classes%n", r.fcKernel(), r.fcKernel(),
                r.trunkChannels(), r.crop(), r.penultimateWidth(), r.classes());
        o.printf("wrote %s (%,d bytes): input [N,3,H,W] -> scores_map [N,%d,h,w], penultimate [N,%d,h,w]%n", out, Files.size(out),
                r.classes(), r.penultimateWidth());
        return 0;
    }

    static List<String> readClasses(Path file) {
        try {
            List<String> names = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                    .filter(s -> !s.isEmpty()).toList();
            if (names.isEmpty()) {
                throw new UserException(file + ": no class names (expected one a line)");
            }
            return names;
        } catch (IOException e) {
            throw new UserException(file + ": cannot read the class names: " + e.getMessage(), e);
        }
    }
}
