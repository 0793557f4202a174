package dev.verydeep.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verydeep.core.Provenance;
import dev.verydeep.core.io.Json;
import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.NetDescription;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings builder: the paper's recipe as defaults, the learning-rate rule, checks without flag names, the stored form. */
class TrainSettingsTest {
    @TempDir
    Path tmp;

    static NetDescription net(Config config) {
        return NetDescription.builder().setConfig(config).optWidth(0.0625).optClasses(10).optCrop(32).build();
    }

    static TrainSettings.Builder builder() {
        return TrainSettings.builder().setNet(net(Config.A)).setData("fashion-mnist");
    }

    @Test
    void defaultsAreThePapersRecipe() {
        TrainSettings s = builder().build();
        assertEquals(0.9, s.momentum());
        assertEquals(5e-4, s.weightDecay());
        assertEquals(0.5, s.dropout());
        assertEquals(1e-2, s.learningRate());
        assertEquals(2, s.patience());
        assertEquals(3, s.maxLrDecreases());
        assertEquals(74, s.epochs());
        assertEquals(64, s.batchSize()); // the CPU batch; the paper's is 256
        assertEquals(37, s.scaleMin()); // S = 256 at crop 224, scaled to crop 32
        assertEquals(37, s.scaleMax());
        assertTrue(s.flip());
        assertEquals(0.1, s.colourShift());
        assertEquals(1.0, s.inputScale());
        assertEquals(TrainSettings.Init.GLOROT, s.init());
        assertEquals(TrainSettings.Finetune.ALL, s.finetune());
        assertEquals(0.1, s.validationFraction());
        assertEquals(List.of("cpu"), s.devices());
        assertEquals(Runtime.getRuntime().availableProcessors(), s.threads());
        assertNull(s.initFrom());
    }

    @Test
    void aNetStartingFromItsOwnConfigStartsAtOneTenthTheRate() {
        Path a = sourceRun("A", Config.A);
        Path d = sourceRun("D", Config.D);
        assertEquals(1e-3, builder().optInitFrom(a.toString()).build().learningRate());
        assertEquals(1e-2, TrainSettings.builder().setNet(net(Config.D)).setData("x").optInitFrom(a.toString()).build().learningRate());
        assertEquals(1e-3, TrainSettings.builder().setNet(net(Config.D)).setData("x").optInitFrom(d.toString()).build().learningRate());
        assertEquals(0.05, builder().optInitFrom(a.toString()).optLearningRate(0.05).build().learningRate(), "a given rate wins");
        // A box-regression net starts from its own config's classifier: fine-tuning.
        TrainSettings loc = TrainSettings.builder().setNet(net(Config.A).withHead(dev.verydeep.core.net.Head.PCR)).setData("x")
                .optInitFrom(a.toString()).build();
        assertEquals(1e-3, loc.learningRate());
    }

    /** A run folder holding only run.json, as a started run has. */
    private Path sourceRun(String name, Config config) {
        Path dir = tmp.resolve(name);
        TrainSettings s = TrainSettings.builder().setNet(net(config)).setData("fashion-mnist").build();
        RunInfo info = new RunInfo(RunInfo.FORMAT, s, List.of(), null, "", 0, 0, List.of("cpu()"), null, List.of(), null,
                Provenance.capture("test", Map.of()), List.of(), List.of());
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Json.write(dir.resolve(RunFolder.RUN_JSON), info);
        return dir;
    }

    @Test
    void badValuesNameTheSettingNotAFlag() {
        assertBad("batchSize", "batch size must be at least 1, got 0", b -> b.optBatchSize(0));
        assertBad("epochs", "epochs must be at least 1, got 0", b -> b.optEpochs(0));
        assertBad("learningRate", "learning rate must be positive, got -1.0", b -> b.optLearningRate(-1));
        assertBad("validationFraction", "validation fraction must be in [0, 1), got 1.0", b -> b.optValidationFraction(1));
        assertBad("dropout", "dropout must be in [0, 1), got NaN", b -> b.optDropout(Double.NaN));
        assertBad("inputScale", "input scale must be positive, got 0.0", b -> b.optInputScale(0));
        assertBad("threads", "threads must be at least 1, got 0", b -> b.optThreads(0));
        assertBad(SettingException.SCALE, "scale 60:40: the minimum is larger than the maximum", b -> b.optScale(60, 40));
        assertBad(SettingException.SCALE, "scale: training scale S=16 must be >= the crop 32", b -> b.optScale(16));
        assertBad(SettingException.SCALE, "scale: training scale S in [16,40] must be >= the crop 32", b -> b.optScale(16, 40));
        SettingException init = assertThrows(SettingException.class, () -> TrainSettings.Init.parse("xavier"));
        assertEquals("init must be glorot, normal or he, got xavier", init.getMessage());
        SettingException fine = assertThrows(SettingException.class, () -> TrainSettings.Finetune.parse("conv"));
        assertEquals("finetune must be all or fc, got conv", fine.getMessage());
        assertEquals("--finetune must be all or fc, got conv", fine.messageFor("--finetune"));
        assertEquals(TrainSettings.Init.HE, TrainSettings.Init.parse(" He "));
        assertBad("initLayers", "init layers paper needs a trained net to start from",
                b -> b.optInitLayers(TrainSettings.InitLayers.PAPER));
        assertEquals(TrainSettings.InitLayers.AUTO, TrainSettings.InitLayers.parse(null), "run.json written before it existed");
    }

    @Test
    void thePapersLayersIntoTheSameConfigTrainAtTheFromScratchRate() {
        NetDescription a = NetDescription.builder().setConfig(Config.A).optWidth(0.25).optClasses(10).optCrop(32).build();
        assertEquals(TrainSettings.DEFAULT_FINE_TUNE_LEARNING_RATE, TrainSettings.defaultLearningRate(a, Config.A, TrainSettings.InitLayers.AUTO));
        assertEquals(TrainSettings.DEFAULT_LEARNING_RATE, TrainSettings.defaultLearningRate(a, Config.A, TrainSettings.InitLayers.PAPER));
        assertEquals(TrainSettings.DEFAULT_LEARNING_RATE, TrainSettings.defaultLearningRate(a.withConfig(Config.D), Config.A,
                TrainSettings.InitLayers.AUTO));
    }

    private static void assertBad(String setting, String message, UnaryOperator<TrainSettings.Builder> change) {
        SettingException e = assertThrows(SettingException.class, () -> change.apply(builder()).build());
        assertEquals(setting, e.setting());
        assertEquals(message, e.getMessage());
        assertFalse(e.getMessage().contains("--"), e.getMessage());
    }

    @Test
    void runFilesOfTheFirstFormatReadAndWriteBackUnchanged() throws Exception {
        // run.json of a train-loc run and checkpoint.json of a train run, written before the builder and the listeners.
        for (String name : List.of("run.json", "checkpoint.json")) {
            JsonNode stored = fixture(name);
            Class<?> type = name.equals("run.json") ? RunInfo.class : CheckpointState.class;
            Object read = Json.MAPPER.treeToValue(stored, type);
            assertEquals(stored, Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(read)), name);
        }
        RunInfo info = Json.MAPPER.treeToValue(fixture("run.json"), RunInfo.class);
        assertEquals(TrainSettings.Finetune.FC, info.settings().finetune());
        assertEquals(TrainSettings.Init.GLOROT, info.settings().init());
        assertTrue(info.settings().convFrozen());
        // run.json written before finetune existed: every layer learns.
        ObjectNode older = (ObjectNode) fixture("run.json");
        ((ObjectNode) older.get("settings")).remove("finetune");
        assertEquals(TrainSettings.Finetune.ALL, Json.MAPPER.treeToValue(older, RunInfo.class).settings().finetune());
    }

    private static JsonNode fixture(String name) throws Exception {
        try (InputStream in = TrainSettingsTest.class.getResourceAsStream("format1/" + name)) {
            return Json.MAPPER.readTree(in);
        }
    }
}
