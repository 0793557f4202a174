package dev.verydeep.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.Provenance;
import dev.verydeep.core.UserException;
import dev.verydeep.core.io.Hashes;
import dev.verydeep.core.io.TensorFile;
import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.core.net.NetWeights;
import dev.verydeep.onnx.OnnxExporter;
import dev.verydeep.onnx.OnnxModels;
import dev.verydeep.onnx.OnnxWeights;
import dev.verydeep.trainer.InitSource;
import dev.verydeep.trainer.RunFolder;
import dev.verydeep.trainer.RunInfo;
import dev.verydeep.trainer.SettingException;
import dev.verydeep.trainer.TrainSettings;
import dev.verydeep.trainer.TrainingRun;
import dev.verydeep.trainer.WeightTransfer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's exported model as the net another run starts from (the shipped reference nets have no weights.vdw): a tiny A
 * trained for one epoch on the shipped Fashion-MNIST sample, exported; both ONNX forms read back equal its weights.vdw bit
 * for bit, and a D started from its model-dense.onnx is the same run as one started from its folder.
 */
class InitFromOnnxTest {
    @TempDir
    static Path tmp;
    static Path runA;

    static TrainSettings settings(Config config, double width, int limit, String initFrom) {
        NetDescription net = NetDescription.builder().setConfig(config).optWidth(width).optClasses(10).optCrop(32).build();
        return TrainSettings.builder().setNet(net).setData("fashion-mnist-sample").optValidationFraction(0.25).optLimit(limit)
                .optScale(37, 45).optBatchSize(32).optEpochs(1).optInitFrom(initFrom).optPatience(1).optSeed(7).optThreads(1).build();
    }

    static Provenance provenance() {
        return Provenance.capture("test", Map.of());
    }

    @BeforeAll
    static void trainAndExportA() {
        runA = tmp.resolve("A");
        TrainingRun.start(runA, settings(Config.A, 0.0625, 256, null), provenance(), false).run(TrainingRun.Output.QUIET);
        RunExporter.export(runA, runA, false, Map.of());
    }

    private static Path onnx(String file) {
        return runA.resolve(file);
    }

    @Test
    void bothFormsReadBackAsTheRunsWeightsBitForBit() {
        Map<String, NetWeights.Tensor> vdw = TensorFile.read(runA.resolve(RunFolder.WEIGHTS));
        NetDescription net = new RunFolder(runA).info().settings().net();
        for (String file : List.of(OnnxExporter.CLASSIFIER_FILE, OnnxExporter.DENSE_FILE)) {
            NetWeights read = OnnxWeights.read(OnnxModels.load(onnx(file)));
            assertEquals(net, read.net(), file);
            assertEquals(vdw.keySet(), read.tensors().keySet(), file);
            assertEquals(22, vdw.size(), "A: 8 conv + 3 FC layers, weight and bias");
            for (Map.Entry<String, NetWeights.Tensor> e : vdw.entrySet()) {
                assertArrayEquals(e.getValue().shape(), read.get(e.getKey()).shape(), file + " " + e.getKey());
                assertArrayEquals(bits(e.getValue().data()), bits(read.get(e.getKey()).data()), file + " " + e.getKey());
            }
        }
    }

    private static int[] bits(float[] f) {
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = Float.floatToRawIntBits(f[i]);
        }
        return out;
    }

    @Test
    void theModelGivesWhatTheRunFolderGives() {
        RunInfo info = new RunFolder(runA).info();
        for (String file : List.of(OnnxExporter.CLASSIFIER_FILE, OnnxExporter.DENSE_FILE)) {
            InitSource model = InitSource.open(onnx(file));
            InitSource folder = InitSource.open(runA);
            assertEquals(folder.net(), model.net());
            assertEquals(info.classNames(), model.classNames());
            assertEquals(info.settings().inputScale(), model.inputScale());
            assertArrayEquals(new int[] {37, 45}, model.trainScale());
            assertArrayEquals(folder.trainScale(), model.trainScale());
            assertTrue(model.run().isEmpty() && folder.run().isPresent());
            assertEquals(Hashes.sha256(onnx(file)), model.sha256());
            assertEquals(Hashes.sha256(runA.resolve(RunFolder.WEIGHTS)), folder.sha256());
        }
    }

    @Test
    void dFromTheDenseModelIsTheSameRunAsDFromTheFolder() {
        NetDescription d = settings(Config.D, 0.0625, 64, null).net();
        Map<String, NetWeights.Tensor> fromFolder = WeightTransfer.select(InitSource.open(runA).weights(), d);
        Map<String, NetWeights.Tensor> fromModel = WeightTransfer.select(InitSource.open(onnx(OnnxExporter.DENSE_FILE)).weights(), d);
        assertEquals(14, fromModel.size(), "the paper's four conv and three FC layers");
        assertEquals(fromFolder.keySet(), fromModel.keySet());
        fromFolder.forEach((k, v) -> assertArrayEquals(v.data(), fromModel.get(k).data(), k));

        TrainingRun a = TrainingRun.start(tmp.resolve("D-from-folder"), settings(Config.D, 0.0625, 64, runA.toString()), provenance(), false);
        String dense = onnx(OnnxExporter.DENSE_FILE).toString();
        TrainingRun b = TrainingRun.start(tmp.resolve("D-from-onnx"), settings(Config.D, 0.0625, 64, dense), provenance(), false);
        assertEquals(a.info().initFromCopied(), b.info().initFromCopied());
        assertEquals(Hashes.sha256(Path.of(dense)), b.info().initFromSha256(), "run.json names the ONNX file's hash");
        assertEquals(dense, b.info().settings().initFrom());
        a.run(TrainingRun.Output.QUIET);
        b.run(TrainingRun.Output.QUIET);
        assertEquals(outcome(a), outcome(b), "same initial weights, same losses");
        NetWeights wa = a.folder().weights();
        NetWeights wb = b.folder().weights();
        wa.tensors().forEach((k, v) -> assertArrayEquals(v.data(), wb.get(k).data(), k));
        assertFalse(Arrays.equals(fromModel.get("conv1_1.weight").data(), wb.get("conv1_1.weight").data()), "and it trained");
    }

    /** Each epoch's training loss and accuracy and validation accuracy (not its timing). */
    private static List<List<Double>> outcome(TrainingRun run) {
        return run.folder().checkpoint().history().stream()
                .map(e -> Arrays.asList(e.trainLoss(), e.trainAccuracy(), e.validationAccuracy())).toList();
    }

    @Test
    void fineTuningTheSameConfigFromTheClassifierFormTakesEveryLayerAtTheFineTuningRate() {
        TrainSettings s = settings(Config.A, 0.0625, 64, onnx(OnnxExporter.CLASSIFIER_FILE).toString());
        assertEquals(TrainSettings.DEFAULT_FINE_TUNE_LEARNING_RATE, s.learningRate(), "the default rate reads the model's config");
        TrainingRun run = TrainingRun.start(tmp.resolve("A-again"), s, provenance(), false);
        assertEquals(22, run.info().initFromCopied().size());
    }

    @Test
    void whatCannotStartARunIsRefusedNamingItAndTheProblem() throws Exception {
        Path missing = tmp.resolve("nope.onnx");
        SettingException none = assertThrows(SettingException.class, () -> InitSource.open(missing));
        assertEquals("init from " + missing + ": no such run folder or ONNX model", none.getMessage());
        assertEquals("--init-from " + missing + ": no such run folder or ONNX model", none.messageFor("--init-from"));

        Path foreign = Files.createDirectories(tmp.resolve("foreign")).resolve("vgg.onnx");
        OnnxExporter.write(foreign, OnnxModels.load(onnx(OnnxExporter.DENSE_FILE)).proto().toBuilder().clearMetadataProps().build());
        UserException noMeta = assertThrows(UserException.class, () -> TrainingRun.start(tmp.resolve("never"),
                settings(Config.A, 0.0625, 64, foreign.toString()), provenance(), false));
        assertTrue(noMeta.getMessage().startsWith("init from " + foreign + ": has no verydeep metadata"), noMeta.getMessage());
        assertFalse(Files.exists(tmp.resolve("never")), "nothing started");

        Path notOnnx = runA.resolve(RunFolder.WEIGHTS);
        UserException vdw = assertThrows(UserException.class, () -> InitSource.open(notOnnx));
        assertTrue(vdw.getMessage().startsWith("init from " + notOnnx + ": not an ONNX model"), vdw.getMessage());

        // A net that does not fit: WeightTransfer's own message, whatever the source's form.
        String dense = onnx(OnnxExporter.DENSE_FILE).toString();
        UserException width = assertThrows(UserException.class, () -> TrainingRun.start(tmp.resolve("wide"),
                settings(Config.D, 0.125, 64, dense), provenance(), false));
        assertTrue(width.getMessage().contains("must have the same width, FC width, crop and classes"), width.getMessage());
        UserException b = assertThrows(UserException.class, () -> TrainingRun.start(tmp.resolve("b5"),
                settings(Config.B_5X5, 0.0625, 64, dense), provenance(), false));
        assertTrue(b.getMessage().contains("layer conv1_1 of ") && b.getMessage().contains("does not fit"), b.getMessage());
    }
}
