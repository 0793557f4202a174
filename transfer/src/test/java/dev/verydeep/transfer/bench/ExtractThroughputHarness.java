package dev.verydeep.transfer.bench;

import dev.verydeep.core.data.FashionMnist;
import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.onnx.ModelMetadata;
import dev.verydeep.onnx.OnnxExporter;
import dev.verydeep.onnx.Preprocessing;
import dev.verydeep.onnx.RandomWeights;
import dev.verydeep.runtime.Device;
import dev.verydeep.transfer.extract.Aggregate;
import dev.verydeep.transfer.extract.ExtractJob;
import dev.verydeep.transfer.make.FashionDatasets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Not a unit test: extraction throughput on a generated fashion-voc set with a random-weight net, end to end
 * and inside the session. Args: WORKDIR SCENES WIDTH DECODE_THREADS THREADS.
 */
public final class ExtractThroughputHarness {
    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int scenes = Integer.parseInt(args[1]);
        double width = Double.parseDouble(args[2]);
        int decode = Integer.parseInt(args[3]);
        int threads = Integer.parseInt(args[4]);
        Path voc = work.resolve("voc-" + scenes);
        if (!Files.exists(voc)) {
            FashionDatasets.voc(FashionMnist.open(FashionMnist.defaultDir(), FashionMnist.Split.TEST), voc, scenes, 1);
        }
        NetDescription net = NetDescription.builder().setConfig(Config.A).optWidth(width).optClasses(5).optCrop(32).build();
        ModelMetadata md = ModelMetadata.builder().optNet(net).setClassNames(IntStream.range(0, 5).mapToObj(i -> "c" + i).toList())
                .setPreprocessing(Preprocessing.trainingMean(new double[] {72, 72, 72})).build();
        Path model = OnnxExporter.builder().build().export(work.resolve("model-" + width), RandomWeights.of(net, 1), md).dense();
        Path out = Files.createTempDirectory(work, "feats");
        Files.delete(out);
        ExtractJob.Summary s = ExtractJob.run(new ExtractJob.Request(List.of(model), "voc:" + voc, null, List.of(64, 96, 128), Aggregate.AVERAGE,
                out, 64, Device.CPU, threads, decode, null), Map.of());
        System.out.printf(java.util.Locale.ROOT, "width %s (FC %d), %d images, Q=64,96,128 + flips: %.1f images/s end to end, %.1f images/s in session (decode threads %d, ORT threads %d)%n",
                width, net.fcWidth(), s.imagesComputed(), s.imagesPerSecond(), s.sessionImagesPerSecond(), decode, threads);
    }
}
