package dev.verydeep.trainer;

import static dev.verydeep.trainer.TrainingRunTest.losses;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.verydeep.core.Provenance;
import dev.verydeep.core.UserException;
import dev.verydeep.core.io.Json;
import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.Head;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.core.net.NetWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Box-regression training (Appendix A) on a tiny VOC-layout set, from a classifier trained on the same images. */
class TrainLocTest {
    @TempDir
    static Path tmp;
    static Path data;
    static Path classifier;

    static TrainSettings settings(NetDescription net, int epochs, String initFrom, double lr, TrainSettings.Finetune finetune) {
        return TrainSettings.builder().setNet(net).setData("voc:" + data + ":trainval").optValidationFraction(0.25).optScale(37)
                .optBatchSize(16).optEpochs(epochs).optLearningRate(lr).optInitFrom(initFrom).optPatience(1).optSeed(7).optThreads(1)
                .optFinetune(finetune).build();
    }

    static NetDescription net() {
        return NetDescription.builder().setConfig(Config.A).optWidth(0.0625).optClasses(3).optCrop(32).build();
    }

    @BeforeAll
    static void classifierOnTheSameImages() throws Exception {
        data = TinyVoc.write(tmp.resolve("voc"), 64, 3);
        classifier = tmp.resolve("cls");
        TrainingRun.start(classifier, settings(net(), 1, null, 0.01, TrainSettings.Finetune.ALL), Provenance.capture("test", Map.of()), false)
                .run(TrainingRun.Output.QUIET);
    }

    private static TrainingRun loc(String name, Head head, int epochs, TrainSettings.Finetune finetune) {
        return TrainingRun.start(tmp.resolve(name), settings(net().withHead(head), epochs, classifier.toString(), 1e-3, finetune),
                Provenance.capture("test", Map.of()), true);
    }

    @Test
    void pcrLossTouchesOnlyTheGroundTruthClassOutputs() {
        BoxRegression pcr = new BoxRegression(Head.PCR, 12, 32);
        float[] targets = new float[2 * 24];
        pcr.write(new float[] {0.5f, 0.4f, 0.3f, 0.2f}, pcr.offset(2), targets, 0);
        pcr.write(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, pcr.offset(0), targets, 24);
        try (NDManager m = NDManager.newBaseManager()) {
            float[] p = new float[24];
            for (int i = 0; i < p.length; i++) {
                p[i] = 0.05f * i - 0.3f;
            }
            NDArray predicted = m.create(p, new ai.djl.ndarray.types.Shape(2, 12));
            predicted.setRequiresGradient(true);
            NDArray t = m.create(targets, new ai.djl.ndarray.types.Shape(2, 24));
            float loss;
            try (GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                NDArray l = pcr.loss(predicted, t, 2);
                loss = l.getFloat();
                gc.backward(l);
            }
            float[] g = predicted.getGradient().toFloatArray();
            double expected = 0;
            for (int j = 0; j < 2; j++) {
                int off = j == 0 ? 8 : 0;
                for (int k = 0; k < 4; k++) {
                    float d = p[j * 12 + off + k] - targets[j * 24 + off + k];
                    expected += 0.5 * d * d / 2;
                    assertEquals(d / 2, g[j * 12 + off + k], 1e-6, "gradient of the ground-truth class's output " + k);
                }
                for (int o = 0; o < 12; o++) {
                    if (o < off || o >= off + 4) {
                        assertEquals(0f, g[j * 12 + o], 0f, "output " + o + " of sample " + j + " is another class's: no gradient");
                    }
                }
            }
            assertEquals(expected, loss, 1e-6);
        }
    }

    @Test
    void finetuningFcLeavesConvWeightsBitIdenticalAndChangesTheFcLayers() throws Exception {
        TrainingRun run = loc("pcr-fc", Head.PCR, 1, TrainSettings.Finetune.FC);
        assertEquals(2 * net().convLayers().size(), run.info().frozenTensors().size());
        assertTrue(Json.readTree(run.folder().file("run.json")).path("settings").path("finetune").asText().equals("fc"));
        assertFalse(losses(run).isEmpty());
        NetWeights before = new RunFolder(classifier).weights();
        NetWeights after = run.folder().weights();
        for (var l : net().convLayers()) {
            for (String t : List.of(NetWeights.weightName(l), NetWeights.biasName(l))) {
                assertArrayEquals(before.get(t).data(), after.get(t).data(), t + " is frozen");
            }
        }
        for (String t : List.of("fc6.weight", "fc7.weight", "fc7.bias")) {
            assertFalse(Arrays.equals(before.get(t).data(), after.get(t).data()), t + " learns");
        }
        assertEquals(12, after.get("fc8.bias").data().length, "PCR: 4 x 3 classes");
        assertEquals(run.info().colourStats().mean()[0], new RunFolder(classifier).info().colourStats().mean()[0], 0,
                "the classifier's input statistics");
        // Fine-tuning all layers moves the conv layers too.
        TrainingRun all = loc("scr-all", Head.SCR, 1, TrainSettings.Finetune.ALL);
        losses(all);
        assertTrue(all.info().frozenTensors().isEmpty());
        assertFalse(Arrays.equals(before.get("conv1_1.weight").data(), all.folder().weights().get("conv1_1.weight").data()));
        assertEquals(4, all.folder().weights().get("fc8.bias").data().length, "SCR: 4 outputs");
        assertEquals(List.copyOf(all.info().initFromCopied()), net().layers().stream()
                .filter(l -> l.kind() != dev.verydeep.core.net.Layer.Kind.MAXPOOL && !l.name().equals("fc8"))
                .flatMap(l -> java.util.stream.Stream.of(NetWeights.weightName(l), NetWeights.biasName(l))).toList(),
                "every layer but fc8 comes from the classifier");
    }

    @Test
    void resumingALocRunEqualsTheUninterruptedRunAndLogsProtocolOne() throws Exception {
        List<Float> whole = losses(loc("whole", Head.PCR, 2, TrainSettings.Finetune.ALL));
        List<Float> parts = new ArrayList<>(losses(loc("split", Head.PCR, 1, TrainSettings.Finetune.ALL)));
        parts.addAll(losses(TrainingRun.resume(tmp.resolve("split"), 2)));
        assertEquals(whole, parts);
        NetWeights w1 = new RunFolder(tmp.resolve("whole")).weights();
        NetWeights w2 = new RunFolder(tmp.resolve("split")).weights();
        for (String name : w1.tensors().keySet()) {
            assertArrayEquals(w1.get(name).data(), w2.get(name).data(), name);
        }
        List<String> log = Files.readAllLines(tmp.resolve("split/log.jsonl"));
        assertEquals(2, log.size());
        var line = Json.MAPPER.readTree(log.get(1));
        double iou = line.path("validationMeanIou").asDouble(-1);
        assertTrue(iou >= 0 && iou <= 1, log.get(1));
        double acc = line.path("validationAccuracy").asDouble(-1);
        assertTrue(acc >= 0 && acc <= 1, log.get(1));
        // The classifier's log has no IoU field.
        assertFalse(Files.readString(classifier.resolve("log.jsonl")).contains("validationMeanIou"));
    }

    @Test
    void aBoxNetStartsOnlyFromAClassifierOfTheSameConfig() {
        NetDescription dNet = net().withConfig(Config.D).withHead(Head.SCR);
        UserException e = assertThrows(UserException.class, () -> TrainingRun.start(tmp.resolve("bad"),
                settings(dNet, 1, classifier.toString(), 1e-3, TrainSettings.Finetune.ALL), Provenance.capture("test", Map.of()), true));
        assertTrue(e.getMessage().contains("same config"), e.getMessage());
        assertNotNull(e);
    }
}
