package dev.verydeep.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.verydeep.core.UserException;
import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.NetDescription;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelsTest {
    @TempDir
    Path tmp;

    Path good;
    ModelProto model;

    @BeforeEach
    void export() {
        NetDescription net = OnnxExporterTest.small(Config.A, 32);
        good = OnnxExporter.builder().build().export(tmp.resolve("run"), RandomWeights.of(net, 1), OnnxExporterTest.metadata(net)).classifier();
        model = OnnxModels.load(good).proto();
    }

    private static void assertRefused(Path file, String words) {
        UserException e = assertThrows(UserException.class, () -> OnnxModels.load(file), file.toString());
        assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(words), "says '" + words + "': " + e.getMessage());
    }

    @Test
    void loadsAnExportedModel() throws IOException {
        OnnxModel m = OnnxModels.load(good);
        assertFalse(m.hasExternalData());
        assertEquals(Files.size(good), m.bytes().length);
        assertEquals("A", m.metadata().orElseThrow().net().config().label());
    }

    @Test
    void emptyMissingAndFolderAreRefused() throws IOException {
        assertRefused(Files.write(tmp.resolve("empty.onnx"), new byte[0]), "empty file");
        assertRefused(tmp.resolve("nothing-here.onnx"), "no such file");
        assertRefused(tmp.resolve("run"), "is a folder");
    }

    @Test
    void truncatedModelsAreRefused() throws IOException {
        byte[] all = Files.readAllBytes(good);
        for (double frac : new double[] {0.5, 0.9, 0.01}) {
            Path cut = Files.write(tmp.resolve("cut" + frac + ".onnx"), Arrays.copyOf(all, (int) (all.length * frac)));
            assertRefused(cut, "not an ONNX model");
        }
    }

    @Test
    void randomBytesAreRefusedWithoutCrashing() throws IOException {
        Random rnd = new Random(42);
        for (int i = 0; i < 200; i++) {
            byte[] b = new byte[1 + rnd.nextInt(4096)];
            rnd.nextBytes(b);
            Path f = Files.write(tmp.resolve("random" + i + ".onnx"), b);
            UserException e = assertThrows(UserException.class, () -> OnnxModels.load(f));
            assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        }
    }

    @Test
    void protobufsThatAreNotModelsAreRefused() throws IOException {
        Path tensor = tmp.resolve("tensor.onnx");
        TensorProtos.write(tensor, TensorData.ofFloats("x", new long[] {2}, new float[] {1, 2}));
        assertRefused(tensor, "not");
        Path noGraph = Files.write(tmp.resolve("nograph.onnx"), ModelProto.newBuilder().setIrVersion(8).setProducerName("x").build().toByteArray());
        assertRefused(noGraph, "no graph");
        Path noIr = Files.write(tmp.resolve("noir.onnx"), model.toBuilder().clearIrVersion().build().toByteArray());
        assertRefused(noIr, "no IR version");
        Path noOpset = Files.write(tmp.resolve("noopset.onnx"), model.toBuilder().clearOpsetImport().build().toByteArray());
        assertRefused(noOpset, "imports no operator set");
        Path noNodes = Files.write(tmp.resolve("nonodes.onnx"), model.toBuilder().setGraph(model.getGraph().toBuilder().clearNode()).build().toByteArray());
        assertRefused(noNodes, "no nodes");
        Path text = Files.writeString(tmp.resolve("text.onnx"), "ir_version: 8\ngraph { name: 'g' }\n");
        assertRefused(text, "not");
    }

    /** The model with initializer {@code conv1_1.weight}'s data moved to an external file. */
    private Path withExternal(String dirName, String location, UnaryOperator<TensorProto.Builder> extra) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(dirName));
        GraphProto.Builder g = model.getGraph().toBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            if (g.getInitializer(i).getName().equals("conv1_1.weight")) {
                TensorProto t = g.getInitializer(i);
                byte[] raw = t.getRawData().toByteArray();
                if (!location.contains("..") && !location.startsWith("/")) {
                    Path data = dir.resolve(location);
                    if (!Files.exists(data, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        Files.createDirectories(data.getParent());
                        Files.write(data, raw);
                    }
                }
                TensorProto.Builder b = t.toBuilder().clearRawData().setDataLocation(TensorProto.DataLocation.EXTERNAL)
                        .addExternalData(entry("location", location))
                        .addExternalData(entry("offset", "0"))
                        .addExternalData(entry("length", String.valueOf(raw.length)));
                g.setInitializer(i, extra.apply(b));
            }
        }
        Path f = dir.resolve("model.onnx");
        Files.write(f, model.toBuilder().setGraph(g).build().toByteArray());
        return f;
    }

    static StringStringEntryProto entry(String k, String v) {
        return StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
    }

    @Test
    void externalDataInsideTheFolderIsAccepted() throws IOException {
        Path f = withExternal("ok", "weights/conv1.bin", b -> b);
        OnnxModel m = OnnxModels.load(f);
        assertTrue(m.hasExternalData());
    }

    @Test
    void externalDataEscapingTheFolderIsRefused() throws IOException {
        Path secret = Files.writeString(tmp.resolve("secret.bin"), "x".repeat(4096));
        assertRefused(withExternal("abs", secret.toString(), b -> b), "absolute path");
        assertRefused(withExternal("etc", "/etc/passwd", b -> b), "absolute path");
        assertRefused(withExternal("dotdot", "../secret.bin", b -> b), "contains '..'");
        assertRefused(withExternal("dotdot2", "sub/../../secret.bin", b -> b), "contains '..'");
        assertRefused(withExternal("backslash", "sub\\..\\..\\secret.bin", b -> b), "contains '..'");
        Path linkDir = Files.createDirectories(tmp.resolve("link"));
        Files.createSymbolicLink(linkDir.resolve("weights.bin"), secret);
        assertRefused(withExternal("link", "weights.bin", b -> b), "symlink");
        Path dirLink = Files.createDirectories(tmp.resolve("dirlink"));
        Files.createSymbolicLink(dirLink.resolve("sub"), tmp);
        assertRefused(withExternal("dirlink", "sub/secret.bin", b -> b), "symlink");
    }

    @Test
    void brokenExternalReferencesAreRefused() throws IOException {
        assertRefused(withExternal("noloc", "w.bin", b -> {
            b.clearExternalData();
            return b.addExternalData(entry("offset", "0"));
        }), "without a location");
        Path f = withExternal("missing", "w.bin", b -> b);
        Files.delete(f.resolveSibling("w.bin"));
        assertRefused(f, "does not exist");
        assertRefused(withExternal("past", "w.bin", b -> b.addExternalData(entry("offset", "100000000"))), "past the end");
        assertRefused(withExternal("nan", "w.bin", b -> b.addExternalData(entry("length", "lots"))), "non-numeric");
        Path d = withExternal("isdir", "sub/w.bin", b -> b);
        Files.delete(d.resolveSibling("sub/w.bin"));
        Files.createDirectories(d.resolveSibling("sub/w.bin"));
        assertRefused(d, "not a regular file");
    }

    @Test
    void externalDataIsFoundInConstantNodesAndSubgraphs() throws IOException {
        TensorProto evil = TensorProto.newBuilder().setName("c").setDataType(TensorProto.DataType.FLOAT_VALUE).addDims(1)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL).addExternalData(entry("location", "../../etc/passwd")).build();
        NodeProto constant = NodeProto.newBuilder().setOpType("Constant").addOutput("c")
                .addAttribute(AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR).setT(evil)).build();
        Path f1 = Files.write(tmp.resolve("constant.onnx"),
                model.toBuilder().setGraph(model.getGraph().toBuilder().addNode(constant)).build().toByteArray());
        assertRefused(f1, "contains '..'");
        GraphProto sub = GraphProto.newBuilder().setName("then").addNode(constant).build();
        NodeProto ifNode = NodeProto.newBuilder().setOpType("If").addInput("cond").addOutput("y")
                .addAttribute(AttributeProto.newBuilder().setName("then_branch").setType(AttributeProto.AttributeType.GRAPH).setG(sub))
                .addAttribute(AttributeProto.newBuilder().setName("else_branch").setType(AttributeProto.AttributeType.GRAPH).setG(sub)).build();
        Path f2 = Files.write(tmp.resolve("subgraph.onnx"),
                model.toBuilder().setGraph(model.getGraph().toBuilder().addNode(ifNode)).build().toByteArray());
        assertRefused(f2, "contains '..'");
    }

    @Test
    void badMetadataIsAUserErrorNamingFileAndKey() throws IOException {
        for (List<String> bad : List.of(
                List.of(ModelMetadata.KEY_CLASSES, "{not json"),
                List.of(ModelMetadata.KEY_CLASSES, "[1, 2]"),
                List.of(ModelMetadata.KEY_NET, "{\"config\":\"Z\"}"),
                List.of(ModelMetadata.KEY_PREPROCESSING, "{\"name\":\"x\",\"channel_order\":\"XYZ\"}"),
                List.of(ModelMetadata.KEY_CROP, "many"),
                List.of(ModelMetadata.KEY_TRAIN_SCALES, "{\"min\":300,\"max\":200}"))) {
            ModelProto.Builder b = model.toBuilder();
            for (int i = 0; i < b.getMetadataPropsCount(); i++) {
                if (b.getMetadataProps(i).getKey().equals(bad.get(0))) {
                    b.setMetadataProps(i, entry(bad.get(0), bad.get(1)));
                }
            }
            Path f = Files.write(tmp.resolve("meta.onnx"), b.build().toByteArray());
            OnnxModel m = OnnxModels.load(f);
            UserException e = assertThrows(UserException.class, m::metadata, bad.toString());
            assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains(bad.get(0)), e.getMessage());
        }
    }

    @Test
    void reportListsShapesOpsParametersAndMetadata() {
        NetDescription net = OnnxExporterTest.small(Config.D, 32);
        Path dense = OnnxExporter.builder().build().export(tmp.resolve("d"), RandomWeights.of(net, 1), OnnxExporterTest.metadata(net)).dense();
        ModelReport r = OnnxModels.load(dense).report();
        assertEquals(8, r.irVersion());
        assertEquals(13L, r.opsets().get("ai.onnx"));
        assertEquals(List.of(new ModelReport.Value("input", "float32", List.of("N", "3", "H", "W"))), r.inputs());
        assertEquals("scores_map float32 [N, 10, h, w]", r.outputs().get(0).toString());
        assertEquals(16, r.ops().get("Conv"));
        assertEquals(15, r.ops().get("Relu"));
        assertEquals(5, r.ops().get("MaxPool"));
        assertEquals(net.parameterCount(), r.parameters());
        assertEquals(4 * net.parameterCount(), r.parameterBytes());
        String text = r.render();
        assertTrue(text.contains("ONNX IR 8, opset ai.onnx 13"), text);
        assertTrue(text.contains("input float32 [N, 3, H, W]"), text);
        assertTrue(text.contains("Conv 16"), text);
        assertTrue(text.contains("verydeep.form = dense"), text);
        assertTrue(text.contains(String.format(java.util.Locale.ROOT, "%,d", net.parameterCount())), text);
    }
}
