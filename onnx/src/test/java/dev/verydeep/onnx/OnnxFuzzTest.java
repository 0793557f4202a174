package dev.verydeep.onnx;

import dev.verydeep.core.fuzz.Mutator;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.verydeep.core.UserException;
import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.NetDescription;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutation fuzzing of the ONNX loader and inspector (issue 7; findings in docs/reliability.md): each mutant
 * goes through {@link OnnxModels#load}, {@link OnnxModel#report()} (rendered, as {@code verydeep inspect}
 * prints it) and {@link OnnxModel#metadata()}; only {@link UserException} may escape, and nothing may hang.
 */
class OnnxFuzzTest {
    @TempDir
    Path tmp;

    /** The model with every initializer's data dropped: graph, shapes and metadata in a few kB. */
    static ModelProto skeleton(ModelProto m) {
        GraphProto.Builder g = m.getGraph().toBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            TensorProto t = g.getInitializer(i);
            g.setInitializer(i, t.toBuilder().clearRawData().clearFloatData());
        }
        return m.toBuilder().setGraph(g).build();
    }

    @Test
    void loaderAndInspector() throws IOException {
        NetDescription net = OnnxExporterTest.small(Config.A, 32);
        OnnxExporter.Exported e = OnnxExporter.builder().build().export(tmp.resolve("run"), RandomWeights.of(net, 1), OnnxExporterTest.metadata(net));
        List<byte[]> seeds = new ArrayList<>();
        for (Path p : List.of(e.classifier(), e.dense())) {
            ModelProto m = OnnxModels.load(p).proto();
            seeds.add(skeleton(m).toByteArray());
            // One weight tensor kept, in external data next to the model, so that mutants reach the external-data checks.
            GraphProto.Builder g = skeleton(m).getGraph().toBuilder();
            g.setInitializer(0, g.getInitializer(0).toBuilder().setDataLocation(TensorProto.DataLocation.EXTERNAL)
                    .addExternalData(OnnxModelsTest.entry("location", "w.bin")).addExternalData(OnnxModelsTest.entry("offset", "0"))
                    .addExternalData(OnnxModelsTest.entry("length", "16")));
            seeds.add(m.toBuilder().setGraph(g).build().toByteArray());
        }
        seeds.add(Files.readAllBytes(e.classifier()));
        Path dir = Files.createDirectories(tmp.resolve("fuzz"));
        Files.write(dir.resolve("w.bin"), new byte[64]);
        Mutator.Summary s = new Mutator(Mutator.seed(), seeds).run("onnx", dir.resolve("model.onnx"), Mutator.budget(15), 200_000,
                Duration.ofSeconds(10), f -> {
                    OnnxModel m = OnnxModels.load(f);
                    m.report().render();
                    m.metadata();
                });
        assertTrue(s.inputs() > 100, s.toString());
    }

    /**
     * Structure-aware mutants: byte mutations rarely get past the protobuf parser, so this loop edits the parsed
     * model instead (metadata values, tensor dims and types, value-info shapes, external-data entries, node
     * attributes) with values from the byte mutator, and writes the result.
     */
    @Test
    void loaderAndInspectorOnFieldMutants() throws IOException {
        NetDescription net = OnnxExporterTest.small(Config.A, 32);
        OnnxExporter.Exported e = OnnxExporter.builder().build().export(tmp.resolve("run"), RandomWeights.of(net, 1), OnnxExporterTest.metadata(net));
        ModelProto base = skeleton(OnnxModels.load(e.dense()).proto());
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(Mutator.seed());
        List<byte[]> strings = new ArrayList<>();
        for (var p : base.getMetadataPropsList()) {
            strings.add(p.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        strings.add("w.bin".getBytes());
        strings.add("../w.bin".getBytes());
        Mutator bytes = new Mutator(Mutator.seed(), strings);
        long[] dims = {0, -1, 1, 3, Integer.MAX_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 32, 1L << 40};
        Path dir = Files.createDirectories(tmp.resolve("fuzz2"));
        Files.write(dir.resolve("w.bin"), new byte[64]);
        Mutator.Summary s = new Mutator(Mutator.seed(), List.of(new byte[1])).run("onnx-fields", dir.resolve("model.onnx"), Mutator.budget(10),
                200_000, Duration.ofSeconds(10), f -> {
                    ModelProto.Builder m = base.toBuilder();
                    GraphProto.Builder g = m.getGraphBuilder();
                    for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
                        switch (rnd.nextInt(6)) {
                            case 0 -> {
                                int i = rnd.nextInt(m.getMetadataPropsCount());
                                m.setMetadataProps(i, m.getMetadataProps(i).toBuilder()
                                        .setValue(new String(bytes.next(), java.nio.charset.StandardCharsets.UTF_8)));
                            }
                            case 1 -> {
                                TensorProto.Builder t = g.getInitializerBuilder(rnd.nextInt(g.getInitializerCount()));
                                if (t.getDimsCount() > 0) {
                                    t.setDims(rnd.nextInt(t.getDimsCount()), dims[rnd.nextInt(dims.length)]);
                                } else {
                                    t.addDims(dims[rnd.nextInt(dims.length)]);
                                }
                            }
                            case 2 -> g.getInitializerBuilder(rnd.nextInt(g.getInitializerCount())).setDataType(rnd.nextInt(-2, 40));
                            case 3 -> {
                                var v = rnd.nextBoolean() ? g.getInputBuilder(0) : g.getOutputBuilder(rnd.nextInt(g.getOutputCount()));
                                var shape = v.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder();
                                if (shape.getDimCount() > 0 && rnd.nextBoolean()) {
                                    shape.getDimBuilder(rnd.nextInt(shape.getDimCount())).setDimValue(dims[rnd.nextInt(dims.length)]);
                                } else if (shape.getDimCount() > 0) {
                                    shape.getDimBuilder(rnd.nextInt(shape.getDimCount()))
                                            .setDimParam(new String(bytes.next(), java.nio.charset.StandardCharsets.UTF_8));
                                } else {
                                    v.getTypeBuilder().getTensorTypeBuilder().setElemType(rnd.nextInt(-2, 40));
                                }
                            }
                            case 4 -> {
                                TensorProto.Builder t = g.getInitializerBuilder(rnd.nextInt(g.getInitializerCount()));
                                t.setDataLocation(TensorProto.DataLocation.EXTERNAL);
                                String[] keys = {"location", "offset", "length", "checksum"};
                                t.addExternalData(OnnxModelsTest.entry(keys[rnd.nextInt(keys.length)],
                                        new String(bytes.next(), java.nio.charset.StandardCharsets.UTF_8)));
                            }
                            default -> {
                                var n = g.getNodeBuilder(rnd.nextInt(g.getNodeCount()));
                                if (n.getAttributeCount() > 0) {
                                    var a = n.getAttributeBuilder(rnd.nextInt(n.getAttributeCount()));
                                    a.setType(ai.onnx.proto.OnnxMl.AttributeProto.AttributeType.forNumber(rnd.nextInt(1, 15)) == null
                                            ? ai.onnx.proto.OnnxMl.AttributeProto.AttributeType.INT
                                            : ai.onnx.proto.OnnxMl.AttributeProto.AttributeType.forNumber(rnd.nextInt(1, 15)));
                                    if (a.getIntsCount() > 0) {
                                        a.setInts(0, dims[rnd.nextInt(dims.length)]);
                                    }
                                } else {
                                    n.setOpType(new String(bytes.next(), java.nio.charset.StandardCharsets.UTF_8));
                                }
                            }
                        }
                    }
                    try {
                        Files.write(f, m.build().toByteArray());
                    } catch (IOException x) {
                        throw new java.io.UncheckedIOException(x);
                    }
                    OnnxModel model = OnnxModels.load(f);
                    model.report().render();
                    model.metadata();
                });
        assertTrue(s.inputs() > 100, s.toString());
    }

    @Test
    void metadataErrorsReadWithoutJavaClassNames() throws IOException {
        // Found by the fuzzer's summary: "metadata verydeep.classes is invalid: IllegalArgumentException: expected
        // a JSON array of class names". Our own checks' messages now stand alone.
        NetDescription net = OnnxExporterTest.small(Config.A, 32);
        Path good = OnnxExporter.builder().build().export(tmp.resolve("run"), RandomWeights.of(net, 1), OnnxExporterTest.metadata(net)).classifier();
        ModelProto.Builder b = OnnxModels.load(good).proto().toBuilder();
        for (int i = 0; i < b.getMetadataPropsCount(); i++) {
            if (b.getMetadataProps(i).getKey().equals(ModelMetadata.KEY_CLASSES)) {
                b.setMetadataProps(i, OnnxModelsTest.entry(ModelMetadata.KEY_CLASSES, "{\"a\": 1}"));
            }
        }
        Path f = Files.write(tmp.resolve("m.onnx"), b.build().toByteArray());
        UserException e = org.junit.jupiter.api.Assertions.assertThrows(UserException.class, () -> OnnxModels.load(f).metadata());
        org.junit.jupiter.api.Assertions.assertEquals(f + ": metadata verydeep.classes is invalid: expected a JSON array of class names",
                e.getMessage());
    }
}
