package dev.verydeep.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.verydeep.core.UserException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Rewrites a foreign VGG-style classifier graph into the fully convolutional form the paper's dense
 * evaluation needs: the FC head after the last max-pool becomes a (crop/32)x(crop/32) conv and two 1x1
 * convs, the input gets dynamic N, H, W, and the outputs are {@code scores_map [N,K,h,w]} and
 * {@code penultimate [N,F,h,w]} (FC2 after ReLU), as {@link OnnxExporter}'s dense form.
 *
 * <p>Head patterns understood so far (walking back from the graph's single output to the last
 * {@code MaxPool}): {@code Gemm} (alpha = beta = 1, transA = 0, transB 0 or 1) with constant weight and
 * bias, {@code Relu}, {@code Dropout}/{@code Identity} (dropped), {@code Flatten(axis=1)}, and
 * {@code AveragePool} with a 1x1 kernel and stride 1, which is what torchvision's
 * {@code AdaptiveAvgPool2d((7,7))} becomes when exported at 224 (torch.onnx, opset 13). That pooling is
 * removed, not kept: pooling a larger map to a fixed size is not the paper's dense evaluation. The head
 * must be Flatten, FC, ReLU, FC, ReLU, FC. Anything else is refused with what was found and what was
 * expected; a wrong graph is never written.
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

    private record Fc(NodeProto node, float[] weight, int out, int in, float[] bias) {
    }

    /** Converts a checked model. */
    public Result convert(OnnxModel source) {
        ModelProto model = source.proto();
        GraphProto g = model.getGraph();
        Map<String, TensorProto> init = new HashMap<>();
        g.getInitializerList().forEach(t -> init.put(t.getName(), t));
        Map<String, NodeProto> producer = new HashMap<>();
        Map<String, List<NodeProto>> consumers = new HashMap<>();
        for (NodeProto n : g.getNodeList()) {
            n.getOutputList().forEach(o -> producer.put(o, n));
            n.getInputList().forEach(i -> consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(n));
        }
        List<ValueInfoProto> dataInputs = g.getInputList().stream().filter(v -> !init.containsKey(v.getName())).toList();
        if (dataInputs.size() != 1) {
            throw new UserException("expected one image input, found " + dataInputs.size() + " graph inputs "
                    + dataInputs.stream().map(ValueInfoProto::getName).toList());
        }
        if (g.getOutputCount() != 1) {
            throw new UserException("expected one output (class scores), found " + g.getOutputCount() + " "
                    + g.getOutputList().stream().map(ValueInfoProto::getName).toList());
        }

        // Walk back from the output to the last MaxPool.
        List<String> found = new ArrayList<>();
        List<Fc> fcs = new ArrayList<>();
        List<String> pattern = new ArrayList<>();
        Set<NodeProto> head = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        String cur = g.getOutput(0).getName();
        String trunkOut = null;
        boolean flattened = false;
        while (trunkOut == null) {
            NodeProto n = producer.get(cur);
            if (n == null) {
                throw new UserException("reached '" + cur + "' (" + (init.containsKey(cur) ? "a constant" : "a graph input")
                        + ") before a MaxPool; expected a VGG classifier head after the last max-pool, found " + describe(found));
            }
            if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
                throw new UserException("found " + n.getDomain() + ":" + n.getOpType() + " in the head; expected ONNX standard ops");
            }
            String op = n.getOpType();
            if (!op.equals("MaxPool")) {
                head.add(n);
                found.add(0, op);
            }
            switch (op) {
                case "Gemm" -> {
                    requireFlattenNotYet(flattened, n);
                    fcs.add(0, gemm(n, init));
                    pattern.add(0, "Gemm(transB=" + intAttr(n, "transB", 0) + ")");
                    cur = n.getInput(0);
                }
                case "Relu" -> {
                    pattern.add(0, "Relu");
                    cur = n.getInput(0);
                }
                case "Dropout", "Identity" -> {
                    pattern.add(0, op);
                    for (int i = 1; i < n.getOutputCount(); i++) {
                        if (!n.getOutput(i).isEmpty() && consumers.containsKey(n.getOutput(i))) {
                            throw new UserException("Dropout node '" + n.getName() + "' has its mask used; expected inference-mode dropout");
                        }
                    }
                    cur = n.getInput(0);
                }
                case "Flatten" -> {
                    if (flattened) {
                        throw new UserException("found a second Flatten in the head");
                    }
                    long axis = intAttr(n, "axis", 1);
                    if (axis != 1) {
                        throw new UserException("found Flatten(axis=" + axis + "); expected Flatten(axis=1)");
                    }
                    flattened = true;
                    pattern.add(0, "Flatten");
                    cur = n.getInput(0);
                }
                case "AveragePool" -> {
                    if (!flattened) {
                        throw new UserException("found AveragePool after the FC layers; expected it before Flatten");
                    }
                    List<Long> k = ints(n, "kernel_shape");
                    List<Long> s = ints(n, "strides");
                    List<Long> pads = ints(n, "pads");
                    boolean identity = k.equals(List.of(1L, 1L)) && (s.isEmpty() || s.equals(List.of(1L, 1L)))
                            && pads.stream().allMatch(p -> p == 0);
                    if (!identity) {
                        throw new UserException("found AveragePool(kernel " + k + ", strides " + s + ") before Flatten; "
                                + "only the 1x1/1 pooling that torchvision's AdaptiveAvgPool2d((7,7)) becomes at 224 can be removed. "
                                + "Export the model at the crop size its classifier expects (7x7 maps, e.g. 224)");
                    }
                    pattern.add(0, "AveragePool(1x1, removed)");
                    cur = n.getInput(0);
                }
                case "MaxPool" -> {
                    if (!flattened) {
                        throw new UserException("reached MaxPool '" + n.getName() + "' without a Flatten; expected Flatten(axis=1) before the FC layers");
                    }
                    trunkOut = cur;
                    pattern.add(0, "MaxPool");
                }
                default -> throw new UserException("found " + op + " ('" + n.getName() + "') in the classifier head; expected only "
                        + "Gemm, Relu, Dropout, Identity, Flatten, AveragePool(1x1) after the last MaxPool (head so far: "
                        + describe(found) + ")");
            }
        }
        List<String> expected = List.of("Flatten", "Gemm", "Relu", "Gemm", "Relu", "Gemm");
        List<String> core = found.stream().filter(o -> !o.equals("Dropout") && !o.equals("Identity") && !o.equals("AveragePool")).toList();
        if (!core.equals(expected)) {
            throw new UserException("found the head " + describe(found) + "; expected a VGG-style FC stack "
                    + String.join(" -> ", expected) + " (Dropout/Identity anywhere, AveragePool(1x1) before Flatten)");
        }
        // Nothing outside the head may read its intermediate tensors.
        for (NodeProto n : head) {
            for (String o : n.getOutputList()) {
                for (NodeProto c : consumers.getOrDefault(o, List.of())) {
                    if (!head.contains(c)) {
                        throw new UserException("head tensor '" + o + "' is also used by " + c.getOpType() + " '" + c.getName()
                                + "'; cannot rewrite the head alone");
                    }
                }
            }
        }

        int channels = trunkChannels(producer, init, trunkOut);
        Fc fc1 = fcs.get(0);
        Fc fc2 = fcs.get(1);
        Fc fc3 = fcs.get(2);
        if (fc1.in % channels != 0) {
            throw new UserException("FC1 takes " + fc1.in + " inputs, not a multiple of the " + channels + " channels of the last conv");
        }
        int k = (int) Math.round(Math.sqrt(fc1.in / (double) channels));
        if ((long) k * k * channels != fc1.in) {
            throw new UserException("FC1 takes " + fc1.in + " inputs = " + channels + " channels x " + (fc1.in / channels)
                    + ", which is not a square map");
        }
        if (fc2.in != fc1.out || fc3.in != fc2.out) {
            throw new UserException("FC sizes do not chain: " + fc1.in + "->" + fc1.out + ", " + fc2.in + "->" + fc2.out + ", "
                    + fc3.in + "->" + fc3.out);
        }
        int cropSize = 32 * k;
        if (crop != null && crop != cropSize) {
            throw new UserException("--crop " + crop + " needs FC1 over a " + crop / 32 + "x" + crop / 32 + " map, but FC1 takes "
                    + channels + "x" + k + "x" + k + " (crop " + cropSize + ")");
        }
        long[] inDims = staticDims(dataInputs.get(0));
        if (inDims != null && inDims.length == 4 && inDims[2] > 0 && inDims[2] != cropSize) {
            throw new UserException("the input is " + inDims[2] + "x" + inDims[3] + " but FC1 takes a " + k + "x" + k
                    + " map (crop " + cropSize + "); the trunk does not divide by 32 as a VGG's does");
        }

        // The new graph: the trunk as it was, then the FC layers as convs.
        Set<String> used = new HashSet<>();
        g.getNodeList().forEach(n -> {
            used.addAll(n.getOutputList());
            used.add(n.getName());
        });
        init.keySet().forEach(used::add);
        GraphProto.Builder ng = g.toBuilder().clearNode().clearInitializer().clearOutput().clearValueInfo().clearInput();
        for (NodeProto n : g.getNodeList()) {
            if (!head.contains(n)) {
                ng.addNode(n);
            }
        }
        Set<String> stillUsed = new HashSet<>();
        ng.getNodeList().forEach(n -> stillUsed.addAll(n.getInputList()));
        for (TensorProto t : g.getInitializerList()) {
            if (stillUsed.contains(t.getName())) {
                ng.addInitializer(t);
            }
        }
        for (ValueInfoProto v : g.getInputList()) {
            if (v.getName().equals(dataInputs.get(0).getName())) {
                ng.addInput(dynamicInput(v));
            } else if (stillUsed.contains(v.getName())) {
                ng.addInput(v);
            }
        }
        String x = trunkOut;
        x = convFc(ng, used, "fc6", x, fc1, channels, k);
        x = relu(ng, used, "fc6", x, fresh(used, "fc6_relu"));
        x = convFc(ng, used, "fc7", x, fc2, fc2.in, 1);
        String penultimate = fresh(used, OnnxExporter.PENULTIMATE);
        relu(ng, used, "fc7", x, penultimate);
        String scores = fresh(used, OnnxExporter.SCORES_MAP);
        convFcTo(ng, used, "fc8", penultimate, fc3, fc3.in, 1, scores);
        int elem = dataInputs.get(0).getType().getTensorType().getElemType();
        ng.addOutput(OnnxExporter.valueInfo(scores, elem, "N", fc3.out, "h", "w"));
        ng.addOutput(OnnxExporter.valueInfo(penultimate, elem, "N", fc2.out, "h", "w"));

        List<String> names = classNames != null ? classNames : IntStream.range(0, fc3.out).mapToObj(i -> "class_" + i).toList();
        if (names.size() != fc3.out) {
            throw new UserException(names.size() + " class names given for " + fc3.out + " classes");
        }
        String patternText = String.join(" -> ", pattern);
        ModelMetadata meta = ModelMetadata.builder().setClassNames(names)
                .setPreprocessing(preprocessing != null ? preprocessing : Preprocessing.torchvision())
                .optCrop(cropSize)
                .optProvenance("converted_from", source.path().getFileName().toString())
                .optProvenance("source_sha256", sha256(source.bytes()))
                .optProvenance("source_producer", (model.getProducerName() + " " + model.getProducerVersion()).trim())
                .optProvenance("head_pattern", patternText)
                .build();
        ModelProto.Builder nm = model.toBuilder().setGraph(ng).clearMetadataProps();
        for (StringStringEntryProto e : model.getMetadataPropsList()) {
            if (!e.getKey().startsWith("verydeep.")) {
                nm.addMetadataProps(e);
            }
        }
        nm.addAllMetadataProps(meta.toProtos());
        nm.addMetadataProps(StringStringEntryProto.newBuilder().setKey(ModelMetadata.KEY_FORM).setValue(OnnxExporter.FORM_DENSE));
        nm.setDocString((model.getDocString().isEmpty() ? "" : model.getDocString() + "\n")
                + "Converted to the fully convolutional form by verydeep (head: " + patternText + ")");
        return new Result(nm.build(), patternText, cropSize, k, channels, fc2.out, fc3.out);
    }

    private static void requireFlattenNotYet(boolean flattened, NodeProto n) {
        if (flattened) {
            throw new UserException("found Gemm '" + n.getName() + "' before Flatten; expected the FC layers after it");
        }
    }

    private static String describe(List<String> ops) {
        return ops.isEmpty() ? "nothing" : String.join(" -> ", ops);
    }

    private static Fc gemm(NodeProto n, Map<String, TensorProto> init) {
        double alpha = floatAttr(n, "alpha", 1);
        double beta = floatAttr(n, "beta", 1);
        long transA = intAttr(n, "transA", 0);
        long transB = intAttr(n, "transB", 0);
        if (alpha != 1 || beta != 1 || transA != 0) {
            throw new UserException("found Gemm '" + n.getName() + "' with alpha " + alpha + ", beta " + beta + ", transA " + transA
                    + "; expected alpha = beta = 1, transA = 0");
        }
        if (n.getInputCount() < 2 || !init.containsKey(n.getInput(1))) {
            throw new UserException("Gemm '" + n.getName() + "' has no constant weight (initializer) as its second input");
        }
        TensorData w = constant(init.get(n.getInput(1)), "weight of Gemm '" + n.getName() + "'");
        if (w.rank() != 2) {
            throw new UserException("Gemm '" + n.getName() + "' weight has rank " + w.rank() + "; expected 2");
        }
        long[] s = w.shape();
        int out = (int) (transB == 1 ? s[0] : s[1]);
        int in = (int) (transB == 1 ? s[1] : s[0]);
        float[] data = w.toFloats();
        if (transB != 1) {
            float[] t = new float[data.length];
            for (int i = 0; i < in; i++) {
                for (int o = 0; o < out; o++) {
                    t[o * in + i] = data[i * out + o];
                }
            }
            data = t;
        }
        float[] bias = new float[out];
        if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
            if (!init.containsKey(n.getInput(2))) {
                throw new UserException("Gemm '" + n.getName() + "' has a bias that is not a constant");
            }
            TensorData b = constant(init.get(n.getInput(2)), "bias of Gemm '" + n.getName() + "'");
            float[] bv = b.toFloats();
            if (bv.length == out) {
                bias = bv;
            } else if (bv.length == 1) {
                java.util.Arrays.fill(bias, bv[0]);
            } else {
                throw new UserException("Gemm '" + n.getName() + "' bias has " + bv.length + " values for " + out + " outputs");
            }
        }
        return new Fc(n, data, out, in, bias);
    }

    private static TensorData constant(TensorProto t, String what) {
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw new UserException("the " + what + " is stored as external data, which convert does not read yet");
        }
        TensorData d = TensorProtos.fromProto(t);
        if (d.type() != TensorProto.DataType.FLOAT) {
            throw new UserException("the " + what + " is " + TensorData.typeName(d.type()) + "; expected float32");
        }
        return d;
    }

    /** Output channels of the conv that feeds the last max-pool (through ReLU/LRN and friends). */
    private static int trunkChannels(Map<String, NodeProto> producer, Map<String, TensorProto> init, String trunkOut) {
        NodeProto pool = producer.get(trunkOut);
        String cur = pool.getInput(0);
        for (int steps = 0; steps < 16; steps++) {
            NodeProto n = producer.get(cur);
            if (n == null) {
                break;
            }
            if (n.getOpType().equals("Conv")) {
                TensorProto w = init.get(n.getInput(1));
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
        if ((long) channels * k * k != fc.in) {
            throw new IllegalStateException("FC " + layer + " input " + fc.in + " != " + channels + "x" + k + "x" + k);
        }
        String w = fresh(used, "dense." + layer + ".weight");
        String b = fresh(used, "dense." + layer + ".bias");
        g.addInitializer(TensorProtos.toProto(TensorData.ofFloats(w, new long[] {fc.out, channels, k, k}, fc.weight)));
        g.addInitializer(TensorProtos.toProto(TensorData.ofFloats(b, new long[] {fc.out}, fc.bias)));
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

    private static ValueInfoProto dynamicInput(ValueInfoProto v) {
        TypeProto.Tensor t = v.getType().getTensorType();
        if (t.hasShape() && t.getShape().getDimCount() != 4) {
            throw new UserException("the input '" + v.getName() + "' has rank " + t.getShape().getDimCount() + "; expected [N,3,H,W]");
        }
        Object channels = t.hasShape() && t.getShape().getDim(1).hasDimValue() ? (Object) t.getShape().getDim(1).getDimValue() : "C";
        return OnnxExporter.valueInfo(v.getName(), t.getElemType(), "N", channels, "H", "W");
    }


    private static long[] staticDims(ValueInfoProto v) {
        if (!v.getType().hasTensorType() || !v.getType().getTensorType().hasShape()) {
            return null;
        }
        return v.getType().getTensorType().getShape().getDimList().stream()
                .mapToLong(d -> d.hasDimValue() ? d.getDimValue() : -1).toArray();
    }

    private static long intAttr(NodeProto n, String name, long dflt) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getI();
            }
        }
        return dflt;
    }

    private static double floatAttr(NodeProto n, String name, double dflt) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getF();
            }
        }
        return dflt;
    }

    private static List<Long> ints(NodeProto n, String name) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getIntsList();
            }
        }
        return List.of();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
