package dev.verydeep.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.verydeep.core.UserException;
import dev.verydeep.core.io.Hashes;
import dev.verydeep.onnx.HeadMatchers.Fc;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Rewrites a foreign VGG-style classifier graph into the fully convolutional form the paper's dense
 * evaluation needs: the FC head after the last max-pool becomes a (crop/32)x(crop/32) conv and two 1x1
 * convs, the input gets dynamic N, H, W, and the outputs are {@code scores_map [N,K,h,w]} and
 * {@code penultimate [N,F,h,w]} (FC2 after ReLU), as {@link OnnxExporter}'s dense form.
 *
 * <p>Head patterns understood (walking back from the graph's single output to the last {@code MaxPool}) are the
 * entries of {@link HeadMatchers#TABLE}, one per dialect:
 * <ul>
 *   <li>FC layers as {@code Gemm} (alpha = beta = 1, transA = 0, transB 0 or 1) whose weight is a constant
 *       (initializer or {@code Constant} node) or a {@code Transpose(perm [1, 0])} of one, or as
 *       {@code MatMul(x, W)} with W [in, out] followed by {@code Add} of a constant bias (tf2onnx, Keras);</li>
 *   <li>{@code Relu}; {@code Dropout}/{@code Identity} (dropped);</li>
 *   <li>the flatten as {@code Flatten(axis=1)} (torchvision, MXNet/model zoo), {@code Reshape} to a constant
 *       {@code [-1, F]}, {@code [0, -1]} or {@code [N, F]}, or {@code Reshape(x, Concat(Unsqueeze(Gather(Shape(x), 0)), [-1]))}
 *       as torch.onnx writes {@code x.view(x.size(0), -1)} (the shape nodes go with the head);</li>
 *   <li>{@code AveragePool} with a 1x1 kernel and stride 1 before the flatten, which is what torchvision's
 *       {@code AdaptiveAvgPool2d((7,7))} becomes when exported at 224 (torch.onnx, opset 13). That pooling is
 *       removed, not kept: pooling a larger map to a fixed size is not the paper's dense evaluation;</li>
 *   <li>{@code GlobalAveragePool} before the flatten, which is what {@code AdaptiveAvgPool2d((1,1))} becomes (a common
 *       head for small images). At the training crop (32 for a VGG trunk) it sees one cell, so it is removed and FC1
 *       becomes a 1x1 conv; on a larger image the dense form averages the FC outputs of the cells where the pooled
 *       net averaged the cells before its FC layers, so the two differ there (the ReLUs between the FC layers);</li>
 *   <li>Keras via tf2onnx: an NHWC input read only by {@code Transpose(perm [0, 3, 1, 2])} (the Transpose is
 *       removed and the converted input is NCHW, {@code [N,3,H,W]}), and {@code Transpose(perm [0, 2, 3, 1])}
 *       before the flatten (removed; FC1's weight is reordered from (h, w, c) to (c, h, w));</li>
 *   <li>a final {@code Softmax} over the classes: removed, so that {@code scores_map} holds logits as in
 *       verydeep's own dense export (the runtime averages the map and then applies the softmax; a per-cell softmax
 *       would be applied twice). The metadata's {@code source_output} says so.</li>
 * </ul>
 * The head must be flatten, FC, ReLU, FC, ReLU, FC. Anything else is refused with what was found and what was
 * expected; a wrong graph is never written. The file is loaded through {@link OnnxModels}' guard first.
 */
public final class DenseConverter {
    private final Integer crop;
    private final Preprocessing preprocessing;
    private final List<String> classNames;

    private DenseConverter(Builder b) {
        this.crop = b.crop;
        this.preprocessing = b.preprocessing;
        this.classNames = b.classNames;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The converted model and what was found. */
    public record Result(ModelProto model, String pattern, int crop, int fcKernel, int trunkChannels, int penultimateWidth,
                         int classes) {
    }

    /** Converts the model at {@code in} and writes the dense form to {@code out} atomically. */
    public Result convert(Path in, Path out) {
        OnnxModel m = OnnxModels.load(in);
        Result r;
        try {
            r = convert(m);
        } catch (UserException e) {
            throw new UserException(in + ": " + e.getMessage(), e);
        }
        OnnxExporter.write(out, r.model());
        return r;
    }

    /** Converts a checked model: index the graph, match the head, size the convs, rewrite, label. */
    public Result convert(OnnxModel source) {
        ModelProto model = source.proto();
        GraphIndex g = GraphIndex.of(model.getGraph());
        ValueInfoProto input = imageInput(g, model);
        NodeProto inputTranspose = nhwcInputTranspose(g, input);
        HeadMatchers.Head head = HeadMatchers.walk(g, model);
        Geometry geo = geometry(g, head, input, inputTranspose != null);
        GraphProto dense = rewrite(g, head, geo, input, inputTranspose);
        ModelProto out = labelled(source, dense, head, geo, inputTranspose != null);
        return new Result(out, head.patternText(), geo.crop(), geo.k(), geo.channels(), geo.fc2().out(), geo.fc3().out());
    }

    /** The single image input of a classifier with one output that is not already in the dense form. */
    private static ValueInfoProto imageInput(GraphIndex g, ModelProto model) {
        List<ValueInfoProto> dataInputs = g.dataInputs();
        if (dataInputs.size() != 1) {
            throw new UserException("expected one image input, found " + dataInputs.size() + " graph inputs "
                    + dataInputs.stream().map(ValueInfoProto::getName).toList());
        }
        if (model.getMetadataPropsList().stream().anyMatch(e -> e.getKey().equals(ModelMetadata.KEY_FORM)
                && e.getValue().equals(OnnxExporter.FORM_DENSE))) {
            throw new UserException("already the fully convolutional form (" + ModelMetadata.KEY_FORM + " = " + OnnxExporter.FORM_DENSE
                    + "); expected a classifier with an FC head");
        }
        if (g.graph().getOutputCount() != 1) {
            throw new UserException("expected one output (class scores), found " + g.graph().getOutputCount() + " "
                    + g.graph().getOutputList().stream().map(ValueInfoProto::getName).toList());
        }
        return dataInputs.get(0);
    }

    /**
     * An NHWC input (Keras via tf2onnx) goes straight into Transpose(perm [0, 3, 1, 2]): that node is removed and the
     * converted input is NCHW like every other dense model here. Null when the input is NCHW.
     */
    private static NodeProto nhwcInputTranspose(GraphIndex g, ValueInfoProto input) {
        List<NodeProto> readers = g.readers(input.getName());
        return readers.size() == 1 && readers.get(0).getOpType().equals("Transpose")
                && GraphIndex.ints(readers.get(0), "perm").equals(List.of(0L, 3L, 1L, 2L)) ? readers.get(0) : null;
    }

    /** The conv sizes: FC1 as a k x k conv over the trunk's channels (weights in (c, h, w) order), FC2 and FC3 as 1x1. */
    private record Geometry(int channels, int k, int crop, Fc fc1, Fc fc2, Fc fc3) {
    }

    private Geometry geometry(GraphIndex g, HeadMatchers.Head head, ValueInfoProto input, boolean nhwcInput) {
        int channels = trunkChannels(g, head.trunkOut);
        Fc fc1 = head.fcs.get(0);
        Fc fc2 = head.fcs.get(1);
        Fc fc3 = head.fcs.get(2);
        if (fc1.in() % channels != 0) {
            throw new UserException("FC1 takes " + fc1.in() + " inputs, not a multiple of the " + channels + " channels of the last conv");
        }
        int k = (int) Math.round(Math.sqrt(fc1.in() / (double) channels));
        if ((long) k * k * channels != fc1.in()) {
            throw new UserException("FC1 takes " + fc1.in() + " inputs = " + channels + " channels x " + (fc1.in() / channels)
                    + ", which is not a square map");
        }
        if (head.globalPool && k != 1) {
            throw new UserException("FC1 takes " + fc1.in() + " inputs after GlobalAveragePool; expected the " + channels
                    + " channels of the last conv");
        }
        if (fc2.in() != fc1.out() || fc3.in() != fc2.out()) {
            throw new UserException("FC sizes do not chain: " + fc1.in() + "->" + fc1.out() + ", " + fc2.in() + "->" + fc2.out() + ", "
                    + fc3.in() + "->" + fc3.out());
        }
        int cropSize = 32 * k;
        if (crop != null && crop != cropSize) {
            throw new UserException("--crop " + crop + " needs FC1 over a " + crop / 32 + "x" + crop / 32 + " map, but FC1 takes "
                    + channels + "x" + k + "x" + k + " (crop " + cropSize + ")");
        }
        long[] inDims = staticDims(input);
        int hAxis = nhwcInput ? 1 : 2;
        if (inDims != null && inDims.length == 4 && inDims[hAxis] > 0 && inDims[hAxis] != cropSize) {
            String size = inDims[hAxis] + "x" + inDims[hAxis + 1];
            throw new UserException(head.globalPool
                    ? "the input is " + size + ", where GlobalAveragePool averages a " + inDims[hAxis] / 32 + "x" + inDims[hAxis + 1] / 32
                            + " map; it can be removed only where it sees one cell (input " + cropSize + "x" + cropSize
                            + "): export the model at that size or with dynamic H and W"
                    : "the input is " + size + " but FC1 takes a " + k + "x" + k + " map (crop " + cropSize
                            + "); the trunk does not divide by 32 as a VGG's does");
        }
        return new Geometry(channels, k, cropSize, head.nhwcFlatten ? hwcToChw(fc1, channels, k) : fc1, fc2, fc3);
    }

    /** FC1's inputs in (h, w, c) order, as a flatten of NHWC gives them, reordered to the (c, h, w) a conv weight wants. */
    private static Fc hwcToChw(Fc fc1, int channels, int k) {
        float[] chw = new float[fc1.weight().length];
        int per = channels * k * k;
        for (int o = 0; o < fc1.out(); o++) {
            for (int h = 0; h < k; h++) {
                for (int w = 0; w < k; w++) {
                    for (int c = 0; c < channels; c++) {
                        chw[o * per + (c * k + h) * k + w] = fc1.weight()[o * per + (h * k + w) * channels + c];
                    }
                }
            }
        }
        return new Fc(fc1.node(), chw, fc1.out(), fc1.in(), fc1.bias());
    }

    /** The trunk as it was (without the head and an NHWC input's Transpose), then the FC layers as convs. */
    private static GraphProto rewrite(GraphIndex g, HeadMatchers.Head head, Geometry geo, ValueInfoProto input, NodeProto inputTranspose) {
        GraphProto src = g.graph();
        Set<String> used = new HashSet<>();
        src.getNodeList().forEach(n -> {
            used.addAll(n.getOutputList());
            used.add(n.getName());
        });
        used.addAll(g.init().keySet());
        GraphProto.Builder ng = src.toBuilder().clearNode().clearInitializer().clearOutput().clearValueInfo().clearInput();
        for (NodeProto n : src.getNodeList()) {
            if (n != inputTranspose && !head.nodes.contains(n)) {
                ng.addNode(inputTranspose == null ? n : renameInput(n, inputTranspose.getOutput(0), input.getName()));
            }
        }
        Set<String> stillUsed = new HashSet<>();
        ng.getNodeList().forEach(n -> stillUsed.addAll(n.getInputList()));
        src.getInitializerList().stream().filter(t -> stillUsed.contains(t.getName())).forEach(ng::addInitializer);
        for (ValueInfoProto v : src.getInputList()) {
            if (v.getName().equals(input.getName())) {
                ng.addInput(dynamicInput(v, inputTranspose != null));
            } else if (stillUsed.contains(v.getName())) {
                ng.addInput(v);
            }
        }
        String x = convFc(ng, used, "fc6", head.trunkOut, geo.fc1(), geo.channels(), geo.k());
        x = relu(ng, used, "fc6", x, fresh(used, "fc6_relu"));
        x = convFc(ng, used, "fc7", x, geo.fc2(), geo.fc2().in(), 1);
        String penultimate = fresh(used, OnnxExporter.PENULTIMATE);
        relu(ng, used, "fc7", x, penultimate);
        String scores = fresh(used, OnnxExporter.SCORES_MAP);
        convFcTo(ng, used, "fc8", penultimate, geo.fc3(), geo.fc3().in(), 1, scores);
        int elem = input.getType().getTensorType().getElemType();
        ng.addOutput(OnnxExporter.valueInfo(scores, elem, "N", geo.fc3().out(), "h", "w"));
        ng.addOutput(OnnxExporter.valueInfo(penultimate, elem, "N", geo.fc2().out(), "h", "w"));
        return ng.build();
    }

    private static NodeProto renameInput(NodeProto n, String from, String to) {
        if (!n.getInputList().contains(from)) {
            return n;
        }
        NodeProto.Builder b = n.toBuilder().clearInput();
        n.getInputList().forEach(i -> b.addInput(i.equals(from) ? to : i));
        return b.build();
    }

    /** The dense graph in the source model, with verydeep's metadata (class names, preprocessing, crop, provenance). */
    private ModelProto labelled(OnnxModel source, GraphProto dense, HeadMatchers.Head head, Geometry geo, boolean nhwcInput) {
        ModelProto model = source.proto();
        int classes = geo.fc3().out();
        List<String> names = classNames != null ? classNames : IntStream.range(0, classes).mapToObj(i -> "class_" + i).toList();
        if (names.size() != classes) {
            throw new UserException(names.size() + " class names given for " + classes + " classes");
        }
        String patternText = head.patternText();
        ModelMetadata meta = ModelMetadata.builder().setClassNames(names)
                .setPreprocessing(preprocessing != null ? preprocessing : Preprocessing.torchvision())
                .optCrop(geo.crop())
                .optProvenance("converted_from", source.path().getFileName().toString())
                .optProvenance("source_sha256", Hashes.sha256(source.bytes()))
                .optProvenance("source_producer", (model.getProducerName() + " " + model.getProducerVersion()).trim())
                .optProvenance("head_pattern", patternText)
                .optProvenance("source_input_layout", nhwcInput
                        ? "NHWC (its Transpose to NCHW removed: the converted input is [N,3,H,W])" : "NCHW")
                .optProvenance("source_output", head.softmax
                        ? "probabilities (a Softmax, removed: scores_map holds the logits, the runtime applies the softmax)" : "scores")
                .build();
        ModelProto.Builder nm = model.toBuilder().setGraph(dense).clearMetadataProps();
        model.getMetadataPropsList().stream().filter(e -> !e.getKey().startsWith("verydeep.")).forEach(nm::addMetadataProps);
        nm.addAllMetadataProps(meta.toProtos());
        nm.addMetadataProps(StringStringEntryProto.newBuilder().setKey(ModelMetadata.KEY_FORM).setValue(OnnxExporter.FORM_DENSE));
        nm.setDocString((model.getDocString().isEmpty() ? "" : model.getDocString() + "\n")
                + "Converted to the fully convolutional form by verydeep (head: " + patternText + ")");
        return nm.build();
    }

    /** Output channels of the conv that feeds the last max-pool (through ReLU/LRN and friends). */
    private static int trunkChannels(GraphIndex g, String trunkOut) {
        NodeProto pool = g.producer().get(trunkOut);
        String cur = pool.getInput(0);
        for (int steps = 0; steps < 16; steps++) {
            NodeProto n = g.producer().get(cur);
            if (n == null) {
                break;
            }
            if (n.getOpType().equals("Conv")) {
                TensorProto w = g.init().get(n.getInput(1));
                if (w == null || w.getDimsCount() != 4) {
                    throw new UserException("the last Conv '" + n.getName() + "' has no constant 4-D weight");
                }
                return (int) w.getDims(0);
            }
            if (!List.of("Relu", "LRN", "BatchNormalization", "Dropout", "Identity", "Clip", "LeakyRelu").contains(n.getOpType())) {
                break;
            }
            cur = n.getInput(0);
        }
        throw new UserException("cannot find the Conv before the last MaxPool to learn its channel count");
    }

    private static String convFc(GraphProto.Builder g, Set<String> used, String layer, String x, Fc fc, int channels, int k) {
        String out = fresh(used, layer);
        convFcTo(g, used, layer, x, fc, channels, k, out);
        return out;
    }

    private static void convFcTo(GraphProto.Builder g, Set<String> used, String layer, String x, Fc fc, int channels, int k,
                                 String out) {
        if ((long) channels * k * k != fc.in()) {
            throw new IllegalStateException("FC " + layer + " input " + fc.in() + " != " + channels + "x" + k + "x" + k);
        }
        String w = fresh(used, "dense." + layer + ".weight");
        String b = fresh(used, "dense." + layer + ".bias");
        g.addInitializer(TensorProtos.toProto(TensorData.ofFloats(w, new long[] {fc.out(), channels, k, k}, fc.weight())));
        g.addInitializer(TensorProtos.toProto(TensorData.ofFloats(b, new long[] {fc.out()}, fc.bias())));
        g.addNode(OnnxExporter.node("Conv", fresh(used, "dense_" + layer), List.of(x, w, b), out,
                OnnxExporter.ints("kernel_shape", k, k), OnnxExporter.ints("pads", 0, 0, 0, 0), OnnxExporter.ints("strides", 1, 1)));
    }

    private static String relu(GraphProto.Builder g, Set<String> used, String layer, String x, String out) {
        g.addNode(OnnxExporter.node("Relu", fresh(used, "dense_" + layer + "_relu"), List.of(x), out));
        return out;
    }

    private static String fresh(Set<String> used, String name) {
        String n = name;
        for (int i = 1; used.contains(n); i++) {
            n = name + "_" + i;
        }
        used.add(n);
        return n;
    }

    private static ValueInfoProto dynamicInput(ValueInfoProto v, boolean nhwc) {
        TypeProto.Tensor t = v.getType().getTensorType();
        if (t.hasShape() && t.getShape().getDimCount() != 4) {
            throw new UserException("the input '" + v.getName() + "' has rank " + t.getShape().getDimCount() + "; expected [N,3,H,W]"
                    + " or [N,H,W,3]");
        }
        int c = nhwc ? 3 : 1;
        Object channels = t.hasShape() && t.getShape().getDim(c).hasDimValue() ? (Object) t.getShape().getDim(c).getDimValue() : "C";
        return OnnxExporter.valueInfo(v.getName(), t.getElemType(), "N", channels, "H", "W");
    }

    private static long[] staticDims(ValueInfoProto v) {
        if (!v.getType().hasTensorType() || !v.getType().getTensorType().hasShape()) {
            return null;
        }
        return v.getType().getTensorType().getShape().getDimList().stream()
                .mapToLong(d -> d.hasDimValue() ? d.getDimValue() : -1).toArray();
    }

    /** set/opt builder. */
    public static final class Builder {
        private Integer crop;
        private Preprocessing preprocessing;
        private List<String> classNames;

        /** The crop the classifier was exported at; checked against FC1's input size (default: inferred). */
        public Builder optCrop(int crop) {
            this.crop = crop;
            return this;
        }

        /** Preprocessing profile stored in the output's metadata (default: torchvision). */
        public Builder optPreprocessing(Preprocessing preprocessing) {
            this.preprocessing = preprocessing;
            return this;
        }

        /** Class names stored in the metadata (default: class_0, class_1, ...). */
        public Builder optClassNames(List<String> classNames) {
            this.classNames = List.copyOf(classNames);
            return this;
        }

        public DenseConverter build() {
            return new DenseConverter(this);
        }
    }
}
