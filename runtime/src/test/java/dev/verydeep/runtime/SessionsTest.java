package dev.verydeep.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import dev.verydeep.core.UserException;
import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.onnx.OnnxExporter;
import dev.verydeep.onnx.OnnxModels;
import dev.verydeep.onnx.RandomWeights;
import dev.verydeep.onnx.TensorData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionsTest {
    @TempDir
    static Path tmp;
    static Path model;
    static TensorData input;

    @BeforeAll
    static void export() {
        NetDescription net = ParityTest.small(Config.A, 32);
        model = OnnxExporter.builder().build().export(tmp.resolve("run"), RandomWeights.of(net, 1), ParityTest.metadata(net)).classifier();
        input = ParityTest.tensor(ParityTest.images(1, 32, 32, 3));
    }

    static boolean cudaBuild() {
        return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
    }

    @Test
    void devicesParse() {
        assertEquals(Device.CPU, Device.parse("cpu"));
        assertEquals(Device.cuda(0), Device.parse("CUDA"));
        assertEquals(Device.cuda(3), Device.parse("cuda:3"));
        assertEquals("cuda:3", Device.parse("cuda:3").toString());
        for (String bad : new String[] {"gpu", "cuda:", "cuda:-1", "cuda:x", "", "tpu:0"}) {
            UserException e = assertThrows(UserException.class, () -> Device.parse(bad));
            assertTrue(e.getMessage().contains("expected cpu, cuda or cuda:N"), e.getMessage());
        }
    }

    @Test
    void cpuSessionRecordsCpu() {
        try (ModelSession s = Sessions.open(model, Device.CPU, 1)) {
            assertEquals(new DeviceSelection(Device.CPU, Device.CPU, null), s.device());
            assertEquals(java.util.List.of("input"), s.inputNames());
            assertEquals(java.util.List.of("scores"), s.outputNames());
        }
    }

    @Test
    void cudaFallsBackToCpuWithTheReasonAndTheSameNumbers() {
        TensorData cpu;
        try (ModelSession s = Sessions.open(model, Device.CPU, 1)) {
            cpu = s.run(Map.of("input", input)).get("scores");
        }
        try (ModelSession s = Sessions.open(model, Device.cuda(0), 1)) {
            DeviceSelection d = s.device();
            assertEquals(Device.cuda(0), d.requested());
            if (!cudaBuild()) {
                // This machine's case: the CPU build of ORT has no CUDA provider.
                assertEquals(Device.CPU, d.used());
                assertTrue(d.fellBack());
                assertFalse(d.fallbackReason().isBlank());
                assertEquals("cpu (cuda:0 requested but unavailable)", d.toString());
                assertEquals(d.fallbackReason(), d.toMap().get("fallback_reason"));
                assertArrayEquals(cpu.rawData(), s.run(Map.of("input", input)).get("scores").rawData());
            } else {
                assertTrue(d.used().isCuda() || d.fellBack(), d.toString());
            }
        }
    }

    @Test
    void theFallBackWarningIsLoggedOnce() {
        try (ModelSession s = Sessions.open(model, Device.cuda(0), 1)) {
            if (!s.device().fellBack()) {
                return;
            }
        }
        int before = Sessions.FALLBACK_WARNINGS.get();
        assertTrue(before >= 1, "the first fall-back logs a warning");
        for (int i = 0; i < 3; i++) {
            try (ModelSession s = Sessions.open(model, Device.cuda(0), 1)) {
                assertTrue(s.device().fellBack());
            }
        }
        assertEquals(before, Sessions.FALLBACK_WARNINGS.get());
    }

    @Test
    void strictRefusesToFallBack() {
        if (cudaBuild()) {
            return;
        }
        UserException e = assertThrows(UserException.class, () -> Sessions.open(model, Device.cuda(1), 1, true));
        assertTrue(e.getMessage().startsWith("CUDA requested but unavailable: "), e.getMessage());
        assertTrue(e.getMessage().contains("strict"), e.getMessage());
    }

    @Test
    void hostileModelsNeverReachOrt() throws IOException {
        Path empty = Files.write(tmp.resolve("empty.onnx"), new byte[0]);
        UserException e = assertThrows(UserException.class, () -> Sessions.open(empty, Device.CPU, 1));
        assertTrue(e.getMessage().contains(empty.toString()) && e.getMessage().contains("empty"), e.getMessage());
        ModelProto m = OnnxModels.load(model).proto();
        GraphProto.Builder g = m.getGraph().toBuilder();
        TensorProto t = g.getInitializer(0);
        g.setInitializer(0, t.toBuilder().clearRawData().setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("../../../../etc/passwd")));
        Path evil = Files.write(Files.createDirectories(tmp.resolve("evil")).resolve("model.onnx"), m.toBuilder().setGraph(g).build().toByteArray());
        UserException e2 = assertThrows(UserException.class, () -> Sessions.open(evil, Device.CPU, 1));
        assertTrue(e2.getMessage().contains("refused") && e2.getMessage().contains(evil.toString()), e2.getMessage());
    }

    @Test
    void externalDataInsideTheFolderRunsThroughOrt() throws IOException {
        ModelProto m = OnnxModels.load(model).proto();
        Path dir = Files.createDirectories(tmp.resolve("external"));
        GraphProto.Builder g = m.getGraph().toBuilder();
        byte[] all = new byte[0];
        for (int i = 0; i < g.getInitializerCount(); i++) {
            TensorProto t = g.getInitializer(i);
            byte[] raw = t.getRawData().toByteArray();
            long offset = all.length;
            byte[] grown = java.util.Arrays.copyOf(all, all.length + raw.length);
            System.arraycopy(raw, 0, grown, all.length, raw.length);
            all = grown;
            g.setInitializer(i, t.toBuilder().clearRawData().setDataLocation(TensorProto.DataLocation.EXTERNAL)
                    .addExternalData(entry("location", "weights.bin"))
                    .addExternalData(entry("offset", String.valueOf(offset)))
                    .addExternalData(entry("length", String.valueOf(raw.length))));
        }
        Files.write(dir.resolve("weights.bin"), all);
        Path f = Files.write(dir.resolve("model.onnx"), m.toBuilder().setGraph(g).build().toByteArray());
        assertTrue(Files.size(f) < 10_000, "weights are outside the model file");
        TensorData embedded;
        try (ModelSession s = Sessions.open(model, Device.CPU, 1)) {
            embedded = s.run(Map.of("input", input)).get("scores");
        }
        try (ModelSession s = Sessions.open(f, Device.CPU, 1)) {
            assertTrue(s.model().hasExternalData());
            assertArrayEquals(embedded.rawData(), s.run(Map.of("input", input)).get("scores").rawData());
        }
    }

    @Test
    void wrongInputsAreUserErrorsNamingTheModel() {
        try (ModelSession s = Sessions.open(model, Device.CPU, 1)) {
            TensorData wrong = ParityTest.tensor(ParityTest.images(1, 64, 64, 3));
            UserException e = assertThrows(UserException.class, () -> s.run(Map.of("input", wrong)));
            assertTrue(e.getMessage().contains(model.toString()), e.getMessage());
        }
    }

    private static StringStringEntryProto entry(String k, String v) {
        return StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
    }
}
