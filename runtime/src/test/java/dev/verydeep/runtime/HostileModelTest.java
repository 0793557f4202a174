package dev.verydeep.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.verydeep.core.UserException;
import dev.verydeep.core.data.ImageFolder;
import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.onnx.ModelMetadata;
import dev.verydeep.onnx.OnnxExporter;
import dev.verydeep.onnx.OnnxModel;
import dev.verydeep.onnx.OnnxModels;
import dev.verydeep.onnx.Preprocessing;
import dev.verydeep.onnx.RandomWeights;
import dev.verydeep.runtime.eval.EvalReport;
import dev.verydeep.runtime.eval.EvalSettings;
import dev.verydeep.runtime.eval.Evaluation;
import dev.verydeep.runtime.eval.Evaluator;
import dev.verydeep.runtime.eval.Method;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and malformed models at the runtime's door (issue 7; docs/reliability.md). The byte-level cases
 * (empty, truncated, random, not a model, external data escaping the folder) are in onnx's
 * OnnxModelsTest; here they are checked once more through {@link Sessions} and {@link Evaluator}, and the
 * graph-level cases (missing output, wrong rank, output that is not class scores, hostile metadata) are added.
 */
class HostileModelTest {
    static final int CLASSES = 4;
    static final int CROP = 32;

    @TempDir
    static Path tmp;
    static OnnxExporter.Exported good;
    static ImageFolder images;

    @BeforeAll
    static void setUp() throws IOException {
        good = export(tmp.resolve("good"), IntStream.range(0, CLASSES).mapToObj(i -> "c" + i).toList());
        Path root = tmp.resolve("images");
        for (int c = 0; c < CLASSES; c++) {
            Path d = Files.createDirectories(root.resolve("c" + c));
            BufferedImage bi = new BufferedImage(40, 36, BufferedImage.TYPE_INT_RGB);
            bi.setRGB(3, 4, 0x123456 * (c + 1));
            ImageIO.write(bi, "png", d.resolve("i.png").toFile());
        }
        images = ImageFolder.open(root);
    }

    static OnnxExporter.Exported export(Path dir, List<String> classNames) {
        NetDescription net = NetDescription.builder().setConfig(Config.A).optWidth(1.0 / 16).optFcWidth(32).optClasses(CLASSES)
                .optCrop(CROP).build();
        ModelMetadata meta = ModelMetadata.builder().optNet(net).setClassNames(classNames).setPreprocessing(Preprocessing.torchvision())
                .build();
        return OnnxExporter.builder().build().export(dir, RandomWeights.of(net, 3), meta);
    }

    static EvalSettings settings() {
        return EvalSettings.builder().setMethod(Method.DENSE).setScales(List.of(CROP)).optIntraOpThreads(1).optBatch(4).build();
    }

    static Evaluation evaluate(Path model) {
        try (Evaluator e = Evaluator.open(List.of(model), settings())) {
            return e.evaluate(images, null);
        }
    }

    /** Writes the dense model changed by {@code edit} as {@code name}. */
    static Path edited(String name, UnaryOperator<ModelProto.Builder> edit) throws IOException {
        ModelProto m = OnnxModels.load(good.dense()).proto();
        Path f = Files.createDirectories(tmp.resolve("edited")).resolve(name);
        Files.write(f, edit.apply(m.toBuilder()).build().toByteArray());
        return f;
    }

    /** Renames tensor {@code from} to {@code to} everywhere in the graph. */
    static GraphProto.Builder rename(GraphProto.Builder g, String from, String to) {
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto.Builder n = g.getNode(i).toBuilder();
            for (int k = 0; k < n.getInputCount(); k++) {
                if (n.getInput(k).equals(from)) {
                    n.setInput(k, to);
                }
            }
            for (int k = 0; k < n.getOutputCount(); k++) {
                if (n.getOutput(k).equals(from)) {
                    n.setOutput(k, to);
                }
            }
            g.setNode(i, n);
        }
        for (int i = 0; i < g.getOutputCount(); i++) {
            if (g.getOutput(i).getName().equals(from)) {
                g.setOutput(i, g.getOutput(i).toBuilder().setName(to));
            }
        }
        return g;
    }

    static void assertUserError(Path model, String words, Runnable r) {
        UserException e = assertThrows(UserException.class, r::run);
        assertTrue(e.getMessage().contains(model.toString()), "names the model: " + e.getMessage());
        assertTrue(e.getMessage().contains(words), "says '" + words + "': " + e.getMessage());
    }

    @Test
    void byteLevelGarbageIsRefusedBeforeOnnxRuntimeSeesIt() throws IOException {
        byte[] all = Files.readAllBytes(good.dense());
        Path empty = Files.write(tmp.resolve("empty.onnx"), new byte[0]);
        Path cut = Files.write(tmp.resolve("cut.onnx"), java.util.Arrays.copyOf(all, all.length / 2));
        byte[] noise = new byte[5000];
        new java.util.Random(7).nextBytes(noise);
        Path random = Files.write(tmp.resolve("random.onnx"), noise);
        Path text = Files.writeString(tmp.resolve("text.onnx"), "#!/bin/sh\nrm -rf /\n");
        for (Path p : List.of(empty, cut, random, text)) {
            assertUserError(p, "", () -> Sessions.open(p, Device.CPU, 1).close());
            assertUserError(p, "", () -> evaluate(p));
        }
    }

    @Test
    void denseModelWithoutScoresMap() throws IOException {
        Path f = edited("no-scores.onnx", m -> m.setGraph(rename(m.getGraph().toBuilder(), OnnxExporter.SCORES_MAP, "logits")));
        assertUserError(f, "no class score output", () -> evaluate(f));
    }

    @Test
    void twoInputsAreRefused() throws IOException {
        Path f = edited("two-inputs.onnx", m -> m.setGraph(m.getGraph().toBuilder()
                .addInput(m.getGraph().getInput(0).toBuilder().setName("extra"))));
        assertUserError(f, "expected one image input", () -> evaluate(f));
    }

    @Test
    void wrongInputRank() throws IOException {
        // The image input declared as rank 3 (C, H, W without the batch): ORT refuses it at load or at run;
        // either way a UserException naming the model.
        Path f = edited("rank3.onnx", m -> {
            GraphProto.Builder g = m.getGraph().toBuilder();
            ValueInfoProto in = g.getInput(0);
            TensorShapeProto.Builder shape = in.getType().getTensorType().getShape().toBuilder().removeDim(0);
            ValueInfoProto.Builder b = in.toBuilder();
            b.getTypeBuilder().getTensorTypeBuilder().setShape(shape);
            return m.setGraph(g.setInput(0, b));
        });
        assertUserError(f, "", () -> evaluate(f));
    }

    @Test
    void outputThatIsNotClassScores() throws IOException {
        // scores_map flattened to one row per image ([N, C*h*w] wrapped to [1, N*C*h*w]): the right name, the
        // wrong meaning. The evaluator checks the shape against batch and class count instead of averaging it.
        Path f = edited("flat.onnx", m -> {
            GraphProto.Builder g = rename(m.getGraph().toBuilder(), OnnxExporter.SCORES_MAP, "raw_map");
            g.addNode(NodeProto.newBuilder().setOpType("Flatten").setName("evil_flatten").addInput("raw_map")
                    .addOutput(OnnxExporter.SCORES_MAP).addAttribute(ai.onnx.proto.OnnxMl.AttributeProto.newBuilder().setName("axis")
                            .setType(ai.onnx.proto.OnnxMl.AttributeProto.AttributeType.INT).setI(0)));
            for (int i = 0; i < g.getOutputCount(); i++) {
                if (g.getOutput(i).getName().equals("raw_map")) {
                    g.setOutput(i, ValueInfoProto.newBuilder().setName(OnnxExporter.SCORES_MAP)
                            .setType(g.getOutput(i).getType().toBuilder().clearTensorType()
                                    .setTensorType(g.getOutput(i).getType().getTensorType().toBuilder().clearShape())));
                }
            }
            return m.setGraph(g);
        });
        assertUserError(f, "has shape", () -> evaluate(f));
    }

    @Test
    void modelWithoutVerydeepMetadata() throws IOException {
        Path f = edited("nometa.onnx", ModelProto.Builder::clearMetadataProps);
        assertUserError(f, "no verydeep metadata", () -> evaluate(f));
    }

    @Test
    void externalDataEscapingTheFolderIsRefusedBySessions() throws IOException {
        Path f = edited("escape.onnx", m -> {
            GraphProto.Builder g = m.getGraph().toBuilder();
            g.setInitializer(0, g.getInitializer(0).toBuilder().clearRawData().clearFloatData()
                    .setDataLocation(ai.onnx.proto.OnnxMl.TensorProto.DataLocation.EXTERNAL)
                    .addExternalData(entry("location", "../../../../etc/shadow")));
            return m.setGraph(g);
        });
        assertUserError(f, "contains '..'", () -> Sessions.open(f, Device.CPU, 1).close());
    }

    static StringStringEntryProto entry(String k, String v) {
        return StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
    }

    @Test
    void metadataIsDataNotCodeNorPaths() throws IOException {
        Path marker = tmp.resolve("pwned");
        List<String> hostile = List.of("../../../../tmp/evil", "$(touch " + marker + ")", "<script>alert(1)</script>",
                "/etc/passwd");
        OnnxExporter.Exported m = export(tmp.resolve("hostile"), hostile);
        Path f = m.dense();
        // Unknown keys with path- and script-like values are ignored (and shown as text by inspect).
        ModelProto.Builder b = OnnxModels.load(f).proto().toBuilder()
                .addMetadataProps(entry("post_load_hook", "sh -c 'touch " + marker + "'"))
                .addMetadataProps(entry("external_data_dir", "/"));
        Files.write(f, b.build().toByteArray());
        OnnxModel model = OnnxModels.load(f);
        assertEquals(hostile, model.metadata().orElseThrow().classNames());
        String report = model.report().render();
        assertTrue(report.contains("post_load_hook"), report);

        Evaluation e;
        try (Evaluator ev = Evaluator.open(List.of(f), settings())) {
            e = ev.evaluate(images, null);
        } catch (UserException ex) {
            // The image folder's class names differ from the model's: that is the only acceptable refusal.
            assertTrue(ex.getMessage().contains("class"), ex.getMessage());
            e = null;
        }
        if (e != null) {
            Path out = Files.createDirectories(tmp.resolve("report"));
            EvalReport.write(out, e, settings(), Map.of(), Map.of());
            Set<String> written;
            try (Stream<Path> s = Files.walk(tmp)) {
                written = s.map(Path::toString).filter(p -> p.contains("evil")).collect(Collectors.toSet());
            }
            assertTrue(written.isEmpty(), "no file named after a class: " + written);
        }
        assertFalse(Files.exists(marker), "nothing from the metadata was executed");
        assertFalse(Files.exists(Path.of("/tmp/evil")), "class names are not paths");
    }
}
