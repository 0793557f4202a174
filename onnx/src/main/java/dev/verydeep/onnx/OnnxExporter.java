package dev.verydeep.onnx;

import dev.verydeep.core.io.AtomicFiles;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.verydeep.core.UserException;
import dev.verydeep.core.net.Layer;
import dev.verydeep.core.net.LrnParams;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.core.net.NetWeights;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a trained net as ONNX, in two forms, both IR version {@value #IR_VERSION}, opset
 * {@value #OPSET}, initializers as little-endian {@code raw_data}, and the {@link ModelMetadata} in
 * {@code metadata_props}:
 * <ul>
 *   <li>the classifier ({@value #CLASSIFIER_FILE}): input {@value #INPUT} {@code [N,3,crop,crop]},
 *       output {@value #SCORES} {@code [N,K]} and optionally {@value #PROBABILITIES} (softmax). Conv
 *       (pads k/2) + Relu, LRN (ONNX's window-mean alpha), MaxPool 2x2/2, Flatten, Gemm(transB=1) + Relu
 *       twice, Gemm. No dropout;</li>
 *   <li>the fully convolutional net ({@value #DENSE_FILE}): FC1 is a (crop/32)x(crop/32) conv whose weight
 *       is FC1's reshaped to {@code [out, C, k, k]} (FC1's input is flattened in C,H,W order, so the
 *       bytes are the same), FC2 and FC3 are 1x1 convs; input {@code [N,3,H,W]} with dynamic N, H, W;
 *       outputs {@value #SCORES_MAP} {@code [N,K,h,w]} and {@value #PENULTIMATE} {@code [N,F,h,w]}
 *       (FC2 after ReLU).</li>
 * </ul>
 * A localisation net ({@link dev.verydeep.core.net.Head#isBox()}) names fc8's output {@value #BOXES} /
 * {@value #BOXES_MAP} instead, with {@code 4} or {@code 4K} channels, and never gets a softmax.
 */
public final class OnnxExporter {
    public static final long IR_VERSION = 8;
    public static final long OPSET = 13;
    public static final String CLASSIFIER_FILE = "model.onnx";
    public static final String DENSE_FILE = "model-dense.onnx";
    public static final String INPUT = "input";
    public static final String SCORES = "scores";
    public static final String PROBABILITIES = "probabilities";
    public static final String SCORES_MAP = "scores_map";
    public static final String PENULTIMATE = "penultimate";
    /** Output of a localisation net's classifier form ({@code [N,4]} or {@code [N,4K]}), instead of scores. */
    public static final String BOXES = "boxes";
    /** Output of a localisation net's dense form ({@code [N,4 or 4K,h,w]}), instead of the score map. */
    public static final String BOXES_MAP = "boxes_map";
    public static final String FORM_CLASSIFIER = "classifier";
    public static final String FORM_DENSE = "dense";

    private final boolean probabilities;

    private OnnxExporter(Builder b) {
        this.probabilities = b.probabilities;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Both files of an export. */
    public record Exported(Path classifier, Path dense) {
    }

    /** Writes {@value #CLASSIFIER_FILE} and {@value #DENSE_FILE} into {@code dir}, each atomically. */
    public Exported export(Path dir, NetWeights weights, ModelMetadata metadata) {
        Map<String, ByteString> cache = new HashMap<>();
        Path c = dir.resolve(CLASSIFIER_FILE);
        Path d = dir.resolve(DENSE_FILE);
        write(c, build(weights, metadata, false, cache));
        write(d, build(weights, metadata, true, cache));
        return new Exported(c, d);
    }

    /** The classifier graph. */
    public ModelProto classifier(NetWeights weights, ModelMetadata metadata) {
        return build(weights, metadata, false, new HashMap<>());
    }

    /** The fully convolutional graph. */
    public ModelProto dense(NetWeights weights, ModelMetadata metadata) {
        return build(weights, metadata, true, new HashMap<>());
    }

    /** Writes a model file atomically (temporary file, then rename). */
    public static void write(Path file, ModelProto model) {
        AtomicFiles.write(file, model::writeTo);
    }

    private ModelProto build(NetWeights weights, ModelMetadata metadata, boolean dense, Map<String, ByteString> cache) {
        NetDescription net = weights.net();
        ModelMetadata meta = metadata;
        if (meta.net() == null) {
            meta = new ModelMetadata(net, meta.classNames(), meta.preprocessing(), meta.crop(), meta.trainScale(), meta.provenance());
        } else if (!meta.net().equals(net)) {
            throw new UserException("the metadata describes " + meta.net().label() + " but the weights are for " + net.label());
        }
        GraphProto.Builder g = GraphProto.newBuilder()
                .setName("verydeep_" + net.config().label().replace('-', '_') + (dense ? "_dense" : "_classifier"))
                .setDocString((dense ? "Fully convolutional form of " : "Classifier form of ") + net.label());
        Object n = "N";
        g.addInput(valueInfo(INPUT, dense ? new Object[] {n, 3, "H", "W"} : new Object[] {n, 3, net.crop(), net.crop()}));

        String x = INPUT;
        for (Layer l : net.layers()) {
            switch (l.kind()) {
                case CONV -> {
                    String w = initializer(g, weights, NetWeights.weightName(l), NetWeights.weightShape(l), cache);
                    String b = initializer(g, weights, NetWeights.biasName(l), new long[] {l.outChannels()}, cache);
                    int p = l.padding();
                    g.addNode(node("Conv", l.name(), List.of(x, w, b), l.name(),
                            ints("kernel_shape", l.kernel(), l.kernel()), ints("pads", p, p, p, p), ints("strides", 1, 1),
                            ints("dilations", 1, 1), intAttr("group", 1)));
                    x = relu(g, l.name());
                }
                case LRN -> {
                    LrnParams lrn = net.lrn();
                    g.addNode(node("LRN", l.name(), List.of(x), l.name(),
                            intAttr("size", lrn.size()), floatAttr("alpha", lrn.alphaForAverageConvention()),
                            floatAttr("beta", lrn.beta()), floatAttr("bias", lrn.k())));
                    x = l.name();
                }
                case MAXPOOL -> {
                    g.addNode(node("MaxPool", l.name(), List.of(x), l.name(),
                            ints("kernel_shape", 2, 2), ints("strides", 2, 2), ints("pads", 0, 0, 0, 0)));
                    x = l.name();
                }
                case FC -> x = fc(g, weights, l, x, dense, cache);
            }
        }
        if (dense) {
            g.addOutput(valueInfo(lastOutput(net, true), new Object[] {n, net.outputs(), "h", "w"}));
            g.addOutput(valueInfo(PENULTIMATE, new Object[] {n, net.fcWidth(), "h", "w"}));
        } else {
            g.addOutput(valueInfo(lastOutput(net, false), new Object[] {n, net.outputs()}));
            if (probabilities && !net.head().isBox()) {
                g.addNode(node("Softmax", "softmax", List.of(SCORES), PROBABILITIES, intAttr("axis", 1)));
                g.addOutput(valueInfo(PROBABILITIES, new Object[] {n, net.classes()}));
            }
        }

        ModelProto.Builder m = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("verydeep")
                .setProducerVersion(producerVersion())
                .setDomain("dev.verydeep")
                .setModelVersion(1)
                .setDocString(net.label() + ", " + (dense ? FORM_DENSE : FORM_CLASSIFIER) + " form; exported by verydeep")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(g);
        m.addAllMetadataProps(meta.toProtos());
        m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(ModelMetadata.KEY_FORM)
                .setValue(dense ? FORM_DENSE : FORM_CLASSIFIER));
        return m.build();
    }

    /** Name of fc8's output: class scores, or boxes for a localisation net. */
    public static String lastOutput(NetDescription net, boolean dense) {
        if (net.head().isBox()) {
            return dense ? BOXES_MAP : BOXES;
        }
        return dense ? SCORES_MAP : SCORES;
    }

    private static String fc(GraphProto.Builder g, NetWeights weights, Layer l, String x, boolean dense, Map<String, ByteString> cache) {
        List<Layer> fcs = weights.net().fcLayers();
        int index = fcs.indexOf(l);
        boolean last = index == fcs.size() - 1;
        boolean penultimate = index == fcs.size() - 2;
        String b = initializer(g, weights, NetWeights.biasName(l), new long[] {l.outChannels()}, cache);
        String out;
        if (dense) {
            long[] shape = {l.outChannels(), l.inChannels(), l.kernel(), l.kernel()};
            String w = initializer(g, weights, NetWeights.weightName(l), shape, cache);
            out = last ? lastOutput(weights.net(), true) : l.name();
            g.addNode(node("Conv", l.name(), List.of(x, w, b), out,
                    ints("kernel_shape", l.kernel(), l.kernel()), ints("pads", 0, 0, 0, 0), ints("strides", 1, 1),
                    ints("dilations", 1, 1), intAttr("group", 1)));
        } else {
            String in = x;
            if (index == 0) {
                g.addNode(node("Flatten", "flatten", List.of(x), "flatten", intAttr("axis", 1)));
                in = "flatten";
            }
            String w = initializer(g, weights, NetWeights.weightName(l), NetWeights.weightShape(l), cache);
            out = last ? lastOutput(weights.net(), false) : l.name();
            g.addNode(node("Gemm", l.name(), List.of(in, w, b), out,
                    floatAttr("alpha", 1.0), floatAttr("beta", 1.0), intAttr("transA", 0), intAttr("transB", 1)));
        }
        if (last) {
            return out;
        }
        String r = l.name() + "_relu";
        String relu = dense && penultimate ? PENULTIMATE : r;
        g.addNode(node("Relu", r, List.of(out), relu));
        return relu;
    }

    private static String relu(GraphProto.Builder g, String x) {
        String out = x + "_relu";
        g.addNode(node("Relu", out, List.of(x), out));
        return out;
    }

    private static String initializer(GraphProto.Builder g, NetWeights weights, String name, long[] dims, Map<String, ByteString> cache) {
        NetWeights.Tensor t = weights.get(name);
        ByteString raw = cache.computeIfAbsent(name, k -> {
            float[] data = t.data();
            ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(data.length, 4)).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(data);
            return UnsafeByteOperations.unsafeWrap(b.array());
        });
        TensorProto.Builder p = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE).setRawData(raw);
        for (long d : dims) {
            p.addDims(d);
        }
        g.addInitializer(p);
        return name;
    }

    static ValueInfoProto valueInfo(String name, Object[] dims) {
        return valueInfo(name, TensorProto.DataType.FLOAT_VALUE, dims);
    }

    /** A tensor value's declaration; a String dimension is symbolic (dynamic), a number fixed. */
    static ValueInfoProto valueInfo(String name, int elemType, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (d instanceof String s) {
                dim.setDimParam(s);
            } else {
                dim.setDimValue(((Number) d).longValue());
            }
            shape.addDim(dim);
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(elemType).setShape(shape)))
                .build();
    }

    static NodeProto node(String op, String name, List<String> inputs, String output, AttributeProto... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(output);
        for (AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        return n.build();
    }

    static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    static AttributeProto intAttr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    static AttributeProto floatAttr(String name, double value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF((float) value).build();
    }

    private static String producerVersion() {
        String v = OnnxExporter.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** set/opt builder. */
    public static final class Builder {
        private boolean probabilities;

        /** Also output {@value #PROBABILITIES} (softmax of the scores) from the classifier. Default: off. */
        public Builder optProbabilities(boolean probabilities) {
            this.probabilities = probabilities;
            return this;
        }

        public OnnxExporter build() {
            return new OnnxExporter(this);
        }
    }
}
