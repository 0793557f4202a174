package dev.verydeep.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.verydeep.core.UserException;
import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.Layer;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.core.net.NetWeights;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxExporterTest {
    static final List<Config> CONFIGS = List.of(Config.A, Config.A_LRN, Config.B, Config.C, Config.D, Config.E);

    @TempDir
    Path tmp;

    static NetDescription small(Config c, int crop) {
        return NetDescription.builder().setConfig(c).optWidth(1.0 / 16).optClasses(10).optCrop(crop).build();
    }

    static ModelMetadata metadata(NetDescription net) {
        return ModelMetadata.builder().optNet(net)
                .setClassNames(IntStream.range(0, net.classes()).mapToObj(i -> "class " + i).toList())
                .setPreprocessing(Preprocessing.trainingMean(new double[] {125.3, 122.9, 113.8}))
                .optTrainScale(TrainScale.jittered(37, 73))
                .optProvenance(Map.of("run_id", "test-run", "git_commit", "0123abc", "data", "random", "seed", "7"))
                .build();
    }

    private static Map<String, TensorProto> initializers(ModelProto m) {
        Map<String, TensorProto> out = new java.util.HashMap<>();
        m.getGraph().getInitializerList().forEach(t -> out.put(t.getName(), t));
        return out;
    }

    private static List<String> dims(ValueInfoProto v) {
        List<String> out = new ArrayList<>();
        v.getType().getTensorType().getShape().getDimList()
                .forEach(d -> out.add(d.hasDimValue() ? String.valueOf(d.getDimValue()) : d.getDimParam()));
        return out;
    }

    private static AttributeProto attr(NodeProto n, String name) {
        return n.getAttributeList().stream().filter(a -> a.getName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void everyConfigExportsBothFormsAndPassesPythonOnnxFullCheck() throws IOException {
        List<String> files = new ArrayList<>();
        for (Config c : CONFIGS) {
            for (int crop : new int[] {32, 64}) {
                NetDescription net = small(c, crop);
                NetWeights w = RandomWeights.of(net, 1);
                Path dir = tmp.resolve(c.label() + "-" + crop);
                OnnxExporter.Exported e = OnnxExporter.builder().optProbabilities(true).build().export(dir, w, metadata(net));
                files.add(e.classifier().toString());
                files.add(e.dense().toString());
            }
        }
        String report = PythonOnnx.fullCheck(files);
        assertEquals(files.size(), report.lines().filter(l -> l.startsWith("OK ")).count(), report);
        assertTrue(report.contains("[('', 13)]"), report);
        try (Stream<Path> s = Files.walk(tmp)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left behind");
        }
    }

    @Test
    void classifierGraphHasThePapersLayersAndFixedInput() {
        NetDescription net = small(Config.A_LRN, 64);
        ModelProto m = OnnxExporter.builder().build().classifier(RandomWeights.of(net, 2), metadata(net));
        assertEquals(8, m.getIrVersion());
        assertEquals(13, m.getOpsetImport(0).getVersion());
        assertEquals("", m.getOpsetImport(0).getDomain());
        assertEquals(List.of("N", "3", "64", "64"), dims(m.getGraph().getInput(0)));
        assertEquals(1, m.getGraph().getOutputCount(), "no probabilities unless asked");
        assertEquals("scores", m.getGraph().getOutput(0).getName());
        assertEquals(List.of("N", "10"), dims(m.getGraph().getOutput(0)));
        Map<String, Long> hist = new java.util.TreeMap<>();
        m.getGraph().getNodeList().forEach(n -> hist.merge(n.getOpType(), 1L, Long::sum));
        assertEquals(Map.of("Conv", 8L, "Relu", 10L, "LRN", 1L, "MaxPool", 5L, "Flatten", 1L, "Gemm", 3L), hist);
        assertFalse(hist.containsKey("Dropout"));
        NodeProto lrn = m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("LRN")).findFirst().orElseThrow();
        assertEquals(5 * 1e-4, attr(lrn, "alpha").getF(), 1e-9, "ONNX's alpha is size x the paper's");
        assertEquals(0.75f, attr(lrn, "beta").getF());
        assertEquals(2f, attr(lrn, "bias").getF());
        assertEquals(5, attr(lrn, "size").getI());
        assertEquals("conv1_1_relu", lrn.getInput(0), "LRN follows conv1_1 and its ReLU");
        NodeProto conv = m.getGraph().getNode(0);
        assertEquals(List.of(1L, 1L, 1L, 1L), attr(conv, "pads").getIntsList());
        NodeProto gemm = m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Gemm")).findFirst().orElseThrow();
        assertEquals(1, attr(gemm, "transB").getI());
        assertEquals("flatten", gemm.getInput(0));
    }

    @Test
    void conv1x1OfConfigCHasNoPadding() {
        NetDescription net = small(Config.C, 32);
        ModelProto m = OnnxExporter.builder().build().classifier(RandomWeights.of(net, 2), metadata(net));
        NodeProto c33 = m.getGraph().getNodeList().stream().filter(n -> n.getName().equals("conv3_3")).findFirst().orElseThrow();
        assertEquals(List.of(1L, 1L), attr(c33, "kernel_shape").getIntsList());
        assertEquals(List.of(0L, 0L, 0L, 0L), attr(c33, "pads").getIntsList());
    }

    @Test
    void initializersAreLittleEndianRawDataOfTheWeights() {
        NetDescription net = small(Config.D, 32);
        NetWeights w = RandomWeights.of(net, 3);
        ModelProto m = OnnxExporter.builder().build().classifier(w, metadata(net));
        Map<String, TensorProto> init = initializers(m);
        assertEquals(2 * net.convLayers().size() + 6, init.size());
        long params = 0;
        for (TensorProto t : init.values()) {
            assertTrue(t.hasRawData(), t.getName());
            assertEquals(0, t.getFloatDataCount());
            assertEquals(TensorProto.DataType.FLOAT_VALUE, t.getDataType());
            params += t.getRawData().size() / 4;
        }
        assertEquals(net.parameterCount(), params);
        TensorProto fc7 = init.get("fc7.weight");
        float[] expected = w.get("fc7.weight").data();
        ByteBuffer b = fc7.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(expected[0], b.getFloat(0));
        assertEquals(expected[expected.length - 1], b.getFloat(4 * (expected.length - 1)));
        assertEquals(List.of((long) net.fcWidth(), (long) net.fcWidth()), fc7.getDimsList());
    }

    @Test
    void denseGraphTurnsFcIntoConvsWithDynamicSpatialInput() {
        NetDescription net = small(Config.B, 64);
        NetWeights w = RandomWeights.of(net, 4);
        OnnxExporter ex = OnnxExporter.builder().build();
        ModelProto d = ex.dense(w, metadata(net));
        ModelProto c = ex.classifier(w, metadata(net));
        assertEquals(List.of("N", "3", "H", "W"), dims(d.getGraph().getInput(0)));
        assertEquals(List.of("scores_map", "penultimate"), d.getGraph().getOutputList().stream().map(ValueInfoProto::getName).toList());
        assertEquals(List.of("N", "10", "h", "w"), dims(d.getGraph().getOutput(0)));
        assertEquals(List.of("N", String.valueOf(net.fcWidth()), "h", "w"), dims(d.getGraph().getOutput(1)));
        assertTrue(d.getGraph().getNodeList().stream().noneMatch(n -> n.getOpType().equals("Gemm") || n.getOpType().equals("Flatten")));
        Layer fc6 = net.fcLayers().get(0);
        TensorProto dw = initializers(d).get("fc6.weight");
        assertEquals(List.of((long) fc6.outChannels(), (long) net.lastConvChannels(), 2L, 2L), dw.getDimsList());
        assertEquals(initializers(c).get("fc6.weight").getRawData(), dw.getRawData(), "FC1 reshaped, same bytes (C,H,W order)");
        NodeProto fc6Node = d.getGraph().getNodeList().stream().filter(n -> n.getName().equals("fc6")).findFirst().orElseThrow();
        assertEquals("Conv", fc6Node.getOpType());
        assertEquals(List.of(2L, 2L), attr(fc6Node, "kernel_shape").getIntsList());
        NodeProto pen = d.getGraph().getNodeList().stream().filter(n -> n.getOutput(0).equals("penultimate")).findFirst().orElseThrow();
        assertEquals("Relu", pen.getOpType());
        assertEquals("fc7", pen.getInput(0));
    }

    @Test
    void boxHeadsExportBoxOutputsWithoutSoftmaxAndTheHeadTravelsInTheMetadata() {
        NetDescription cls = small(Config.D, 32);
        NetDescription pcr = cls.withHead(dev.verydeep.core.net.Head.PCR);
        NetWeights w = RandomWeights.of(pcr, 9);
        OnnxExporter ex = OnnxExporter.builder().optProbabilities(true).build();
        ModelProto d = ex.dense(w, metadata(pcr));
        ModelProto c = ex.classifier(w, metadata(pcr));
        assertEquals(List.of("boxes_map", "penultimate"), d.getGraph().getOutputList().stream().map(ValueInfoProto::getName).toList());
        assertEquals(List.of("N", "40", "h", "w"), dims(d.getGraph().getOutput(0)));
        assertEquals(List.of("boxes"), c.getGraph().getOutputList().stream().map(ValueInfoProto::getName).toList());
        assertEquals(List.of("N", "40"), dims(c.getGraph().getOutput(0)));
        assertTrue(c.getGraph().getNodeList().stream().noneMatch(n -> n.getOpType().equals("Softmax")));
        assertEquals(pcr, ModelMetadata.read(d).net());
        NetDescription scr = cls.withHead(dev.verydeep.core.net.Head.SCR);
        assertEquals(scr, ModelMetadata.read(ex.classifier(RandomWeights.of(scr, 9), metadata(scr))).net());
        // A classification net's metadata does not mention the head, so its bytes (and hashes) are unchanged.
        assertFalse(ModelMetadata.netToJson(cls).has("head"));
    }

    @Test
    void metadataTravelsInsideAndReadsBack() {
        NetDescription net = small(Config.A_LRN, 32);
        ModelMetadata meta = metadata(net);
        ModelProto m = OnnxExporter.builder().build().dense(RandomWeights.of(net, 5), meta);
        ModelMetadata back = ModelMetadata.read(m);
        assertEquals(meta, back);
        assertEquals(net, back.net());
        assertEquals(TrainScale.jittered(37, 73), back.trainScale());
        assertEquals("0123abc", back.provenance().get("git_commit"));
        Map<String, String> props = new java.util.HashMap<>();
        m.getMetadataPropsList().forEach(e -> props.put(e.getKey(), e.getValue()));
        assertEquals("dense", props.get("verydeep.form"));
        assertEquals("32", props.get("verydeep.crop"));
        assertTrue(props.get("verydeep.net").contains("\"config\":\"A-LRN\""), props.get("verydeep.net"));
        assertTrue(props.get("verydeep.preprocessing").contains("\"channel_order\":\"RGB\""));
        assertTrue(props.get("verydeep.classes").startsWith("[\"class 0\""));
    }

    @Test
    void metadataWithoutNetTakesTheWeightsNetAndMismatchesAreRefused() {
        NetDescription net = small(Config.A, 32);
        ModelMetadata noNet = ModelMetadata.builder().setClassNames(metadata(net).classNames())
                .setPreprocessing(Preprocessing.caffe()).optCrop(32).build();
        ModelProto m = OnnxExporter.builder().build().classifier(RandomWeights.of(net, 6), noNet);
        assertEquals(net, ModelMetadata.read(m).net());
        NetDescription other = small(Config.B, 32);
        UserException e = assertThrows(UserException.class,
                () -> OnnxExporter.builder().build().classifier(RandomWeights.of(net, 6), metadata(other)));
        assertTrue(e.getMessage().contains("B w0.0625"), e.getMessage());
    }

    @Test
    void exportReplacesExistingFilesAtomically() throws IOException {
        NetDescription net = small(Config.A, 32);
        Path dir = tmp.resolve("run");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("model.onnx"), "old content");
        OnnxExporter.Exported e = OnnxExporter.builder().build().export(dir, RandomWeights.of(net, 8), metadata(net));
        ModelProto m = OnnxModels.load(e.classifier()).proto();
        assertEquals("scores", m.getGraph().getOutput(0).getName());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of("model-dense.onnx", "model.onnx"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}
