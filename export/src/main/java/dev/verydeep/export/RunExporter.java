package dev.verydeep.export;

import dev.verydeep.core.UserException;
import dev.verydeep.core.data.DatasetSpec;
import dev.verydeep.core.data.ImageSource;
import dev.verydeep.core.image.RgbImage;
import dev.verydeep.core.io.Hashes;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.core.net.NetWeights;
import dev.verydeep.onnx.ModelMetadata;
import dev.verydeep.onnx.OnnxExporter;
import dev.verydeep.onnx.Preprocessing;
import dev.verydeep.onnx.Preprocessor;
import dev.verydeep.onnx.TensorData;
import dev.verydeep.onnx.TestDataSets;
import dev.verydeep.onnx.TrainScale;
import dev.verydeep.trainer.DjlClassifier;
import dev.verydeep.trainer.RunFolder;
import dev.verydeep.trainer.RunInfo;
import dev.verydeep.trainer.TrainSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@code verydeep export RUN}: a trained run folder to {@code model.onnx} (classifier) and
 * {@code model-dense.onnx} (fully convolutional), with everything the runtime needs in the metadata, and
 * ONNX test data sets whose expected outputs are DJL's own, so any ONNX consumer can check the files:
 * <ul>
 * <li>classifier, {@code test_data_set_0..2}: 2 random inputs; 2 real training images (centre crop at the
 * single test scale); 3 random inputs;</li>
 * <li>dense, {@code test_data_set_dense_0..2}: 1 random crop-sized input; 1 random non-square input of
 * 2 x 3 crops; 1 real image, whole, at the largest training scale.</li>
 * </ul>
 * Random inputs are uniform over the values a real pixel can take after preprocessing. When the training
 * data cannot be opened on this machine, the real-image sets use random inputs instead, and say so.
 */
public final class RunExporter {
    /** What was written, and what a user should know about it. */
    public record Result(OnnxExporter.Exported files, List<Path> testSets, String note) {
    }

    private RunExporter() {
    }

    public static Result export(Path runDir, Path outDir, boolean force, Map<String, String> provenance) {
        RunFolder run = RunFolder.existing(runDir);
        RunInfo info = run.info();
        TrainSettings s = info.settings();
        NetDescription net = s.net();
        Path classifierFile = outDir.resolve(OnnxExporter.CLASSIFIER_FILE);
        if (!force && (Files.exists(classifierFile) || Files.exists(outDir.resolve(OnnxExporter.DENSE_FILE)))) {
            throw new UserException(outDir + " already holds exported models; use --force to replace them");
        }
        NetWeights weights = run.weights();
        double[] std = {1 / s.inputScale(), 1 / s.inputScale(), 1 / s.inputScale()};
        Preprocessing pre = new Preprocessing("training-mean", Preprocessing.ChannelOrder.RGB, 255, info.colourStats().mean(), std);
        Map<String, String> prov = new LinkedHashMap<>();
        prov.put("run", runDir.toAbsolutePath().normalize().getFileName().toString());
        prov.put("run.git_commit", info.provenance().gitCommit());
        prov.put("data", s.data());
        prov.put("seed", Long.toString(s.seed()));
        prov.put("weights.sha256", Hashes.sha256(run.weightsFile()));
        prov.put("epochs", run.checkpoint() == null ? "0" : Integer.toString(run.checkpoint().epoch()));
        prov.putAll(provenance);
        ModelMetadata md = ModelMetadata.builder().optNet(net).setClassNames(info.classNames()).setPreprocessing(pre)
                .optCrop(net.crop()).optTrainScale(new TrainScale(s.scaleMin(), s.scaleMax())).optProvenance(prov).build();
        OnnxExporter.Exported files = OnnxExporter.builder().build().export(outDir, weights, md);

        Preprocessor preprocessor = new Preprocessor(pre);
        List<RgbImage> real = new ArrayList<>();
        String note = null;
        try {
            ImageSource data = DatasetSpec.parse(s.data()).open();
            for (int i = 0; i < Math.min(2, data.size()); i++) {
                real.add(data.image(i));
            }
        } catch (UserException e) {
            note = "training data not readable here (" + e.getMessage() + "): real-image test sets use random inputs";
        }
        Random rnd = new Random(s.seed());
        int crop = net.crop();
        List<Path> sets = new ArrayList<>();
        try (DjlClassifier djl = new DjlClassifier(weights)) {
            List<float[]> c1 = new ArrayList<>();
            for (RgbImage img : real) {
                RgbImage r = Preprocessor.rescale(img, s.singleTestScale());
                c1.add(preprocessor.tensor(r.crop((r.width() - crop) / 2, (r.height() - crop) / 2, crop, crop), false));
            }
            float[][] classifierInputs = {random(rnd, pre, 2 * 3 * crop * crop, crop * crop), real.size() == 2 ? concat(c1) : random(rnd, pre, 2 * 3 * crop * crop, crop * crop),
                random(rnd, pre, 3 * 3 * crop * crop, crop * crop)};
            int[] batch = {2, 2, 3};
            for (int i = 0; i < 3; i++) {
                float[] scores = djl.scores(classifierInputs[i], batch[i]);
                Path dir = TestDataSets.dirFor(files.classifier(), i);
                TestDataSets.write(dir, List.of(TensorData.ofFloats(OnnxExporter.INPUT, new long[] {batch[i], 3, crop, crop}, classifierInputs[i])),
                        List.of(TensorData.ofFloats(OnnxExporter.lastOutput(net, false), new long[] {batch[i], net.outputs()}, scores)));
                sets.add(dir);
            }
            RgbImage big = real.isEmpty() ? null : Preprocessor.rescale(real.get(0), s.scaleMax());
            long[][] denseShapes = {{1, 3, crop, crop}, {1, 3, 2L * crop, 3L * crop},
                big == null ? new long[] {1, 3, crop + 32, crop + 32} : new long[] {1, 3, big.height(), big.width()}};
            float[][] denseInputs = {random(rnd, pre, 3 * crop * crop, crop * crop), random(rnd, pre, 3 * 6 * crop * crop, 6L * crop * crop),
                big == null ? random(rnd, pre, (int) (3 * denseShapes[2][2] * denseShapes[2][3]), denseShapes[2][2] * denseShapes[2][3]) : preprocessor.tensor(big, false)};
            for (int i = 0; i < 3; i++) {
                long[] sh = denseShapes[i];
                DjlClassifier.DenseMaps maps = djl.dense(denseInputs[i], (int) sh[0], (int) sh[2], (int) sh[3]);
                Path dir = TestDataSets.dirFor(files.dense(), i);
                TestDataSets.write(dir, List.of(TensorData.ofFloats(OnnxExporter.INPUT, sh, denseInputs[i])),
                        List.of(TensorData.ofFloats(OnnxExporter.lastOutput(net, true), maps.scoresShape(), maps.scores()),
                                TensorData.ofFloats(OnnxExporter.PENULTIMATE, maps.penultimateShape(), maps.penultimate())));
                sets.add(dir);
            }
        }
        return new Result(files, sets, note);
    }

    /** Uniform over the preprocessed values of pixels 0..255. */
    private static float[] random(Random rnd, Preprocessing pre, int n, long hw) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            int c = (int) ((i / hw) % 3);
            double px = rnd.nextDouble() * 255;
            out[i] = (float) ((px * pre.valueMax() / 255 - pre.meanRgb()[c]) / pre.stdRgb()[c]);
        }
        return out;
    }

    private static float[] concat(List<float[]> parts) {
        int n = parts.stream().mapToInt(a -> a.length).sum();
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
