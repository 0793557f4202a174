package dev.verydeep.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.verydeep.core.UserException;
import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.Head;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.core.net.NetWeights;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link OnnxWeights}: both exported forms read back bit for bit, and what is not an export is refused saying why. */
class OnnxWeightsTest {
    @TempDir
    Path tmp;

    private OnnxExporter.Exported export(String name, NetWeights w, boolean probabilities) throws Exception {
        Path dir = java.nio.file.Files.createDirectories(tmp.resolve(name));
        return OnnxExporter.builder().optProbabilities(probabilities).build().export(dir, w, OnnxExporterTest.metadata(w.net()));
    }

    static void assertBitIdentical(NetWeights expected, NetWeights actual) {
        assertEquals(expected.net(), actual.net());
        assertEquals(expected.tensors().keySet(), actual.tensors().keySet());
        for (String n : expected.tensors().keySet()) {
            assertArrayEquals(expected.get(n).shape(), actual.get(n).shape(), n);
            assertArrayEquals(expected.get(n).data(), actual.get(n).data(), n); // float bits, NaN included
        }
    }

    @Test
    void bothFormsReadBackBitForBit() throws Exception {
        for (NetDescription net : List.of(OnnxExporterTest.small(Config.A, 32), OnnxExporterTest.small(Config.D, 64),
                OnnxExporterTest.small(Config.A_LRN, 32).withHead(Head.PCR))) {
            NetWeights w = RandomWeights.of(net, 11);
            OnnxExporter.Exported files = export(net.label(), w, true);
            assertBitIdentical(w, OnnxWeights.read(OnnxModels.load(files.classifier())));
            assertBitIdentical(w, OnnxWeights.read(OnnxModels.load(files.dense())));
        }
    }

    private Path rewritten(Path model, UnaryOperator<ModelProto> change) {
        Path out = tmp.resolve("changed-" + model.getFileName());
        OnnxExporter.write(out, change.apply(OnnxModels.load(model).proto()));
        return out;
    }

    private static String refused(Path model) {
        return assertThrows(UserException.class, () -> OnnxWeights.read(OnnxModels.load(model))).getMessage();
    }

    @Test
    void whatIsNotAVerydeepExportIsRefusedSayingWhatIsMissing() throws Exception {
        NetDescription net = OnnxExporterTest.small(Config.A, 32);
        OnnxExporter.Exported files = export("a", RandomWeights.of(net, 3), false); // one output, as convert wants

        Path foreign = rewritten(files.dense(), m -> m.toBuilder().clearMetadataProps().build());
        String noMeta = refused(foreign);
        assertTrue(noMeta.startsWith(foreign + ": has no verydeep metadata"), noMeta);
        assertTrue(noMeta.contains("verydeep convert makes a foreign VGG evaluable, not trainable"), noMeta);

        // A real verydeep convert of the classifier form: metadata for evaluation, no net description.
        Path converted = tmp.resolve("converted.onnx");
        DenseConverter.builder().build().convert(files.classifier(), converted);
        String noNet = refused(converted);
        assertTrue(noNet.contains("its verydeep metadata has no net description (verydeep.net), as verydeep convert writes it"), noNet);

        Path missing = rewritten(files.dense(), m -> {
            ModelProto.Builder b = m.toBuilder();
            List<TensorProto> keep = m.getGraph().getInitializerList().stream().filter(t -> !t.getName().equals("fc7.bias")).toList();
            b.getGraphBuilder().clearInitializer().addAllInitializer(keep);
            return b.build();
        });
        assertEquals(missing + ": no initializer 'fc7.bias' (" + net.label() + " as verydeep export writes it)", refused(missing));

        Path reshaped = rewritten(files.classifier(), m -> {
            ModelProto.Builder b = m.toBuilder();
            for (TensorProto.Builder t : b.getGraphBuilder().getInitializerBuilderList()) {
                if (t.getName().equals("conv1_1.weight")) {
                    long out = t.getDims(0);
                    t.setDims(0, t.getDims(1)).setDims(1, out);
                }
            }
            return b.build();
        });
        String shape = refused(reshaped);
        assertTrue(shape.contains("initializer 'conv1_1.weight' has shape [3, 4, 3, 3], expected [4, 3, 3, 3]"), shape);
    }
}
