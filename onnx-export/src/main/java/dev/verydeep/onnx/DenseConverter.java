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
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
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
 * <p>Head patterns understood (walking back from the graph's single output to the last {@code MaxPool}):
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
        // An NHWC input (Keras via tf2onnx) goes straight into Transpose(perm [0, 3, 1, 2]): that node is removed and the
        // converted input is NCHW like every other dense model here.
        String inputName = dataInputs.get(0).getName();
        List<NodeProto> inputReaders = consumers.getOrDefault(inputName, List.of());
        NodeProto inputTranspose = inputReaders.size() == 1 && inputReaders.get(0).getOpType().equals("Transpose")
                && ints(inputReaders.get(0), "perm").equals(List.of(0L, 3L, 1L, 2L)) ? inputReaders.get(0) : null;
        if (model.getMetadataPropsList().stream().anyMatch(e -> e.getKey().equals(ModelMetadata.KEY_FORM)
                && e.getValue().equals(OnnxExporter.FORM_DENSE))) {
            throw new UserException("already the fully convolutional form (" + ModelMetadata.KEY_FORM + " = " + OnnxExporter.FORM_DENSE
                    + "); expected a classifier with an FC head");
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
        boolean softmax = false;
        boolean nhwcFlatten = false;
        Consts consts = new Consts(init, producer, head);
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
                case "Softmax" -> {
                    if (!found.equals(List.of("Softmax"))) {
                        throw new UserException("found Softmax ('" + n.getName() + "') inside the head (head so far: " + describe(found)
                                + "); expected it only as the last node, after the last FC layer");
                    }
                    long axis = intAttr(n, "axis", model.getOpsetImportList().stream().anyMatch(o -> (o.getDomain().isEmpty()
                            || o.getDomain().equals("ai.onnx")) && o.getVersion() < 13) ? 1 : -1);
                    if (axis != 1 && axis != -1) {
                        throw new UserException("found Softmax(axis=" + axis + ") at the output; expected a softmax over the classes (axis 1)");
                    }
                    softmax = true;
                    pattern.add(0, "Softmax(removed: scores_map holds the logits)");
                    cur = n.getInput(0);
                }
                case "Gemm" -> {
                    requireFlattenNotYet(flattened, n);
                    fcs.add(0, gemm(n, consts));
                    pattern.add(0, "Gemm(transB=" + intAttr(n, "transB", 0) + (consts.transposed(n.getInput(1)) ? ", W=Transpose(B)" : "")
                            + ")");
                    cur = n.getInput(0);
                }
                case "Add", "MatMul" -> {
                    requireFlattenNotYet(flattened, n);
                    NodeProto matmul = n;
                    String bias = null;
                    if (op.equals("Add")) {
                        int constIn = consts.has(n.getInput(1)) ? 1 : consts.has(n.getInput(0)) ? 0 : -1;
                        NodeProto mm = constIn < 0 ? null : producer.get(n.getInput(1 - constIn));
                        if (mm == null || !mm.getOpType().equals("MatMul")) {
                            throw new UserException("found Add ('" + n.getName() + "') in the head that is not a constant bias added to a "
                                    + "MatMul; expected MatMul + Add (an FC layer) or Gemm");
                        }
                        bias = n.getInput(constIn);
                        matmul = mm;
                        head.add(mm);
                    }
                    fcs.add(0, matMul(matmul, bias, consts));
                    found.set(0, op.equals("Add") ? "MatMul+Add" : "MatMul");
                    pattern.add(0, (op.equals("Add") ? "MatMul+Add" : "MatMul")
                            + (consts.transposed(matmul.getInput(1)) ? "(W=Transpose(B))" : ""));
                    cur = matmul.getInput(0);
                }
                case "Transpose" -> {
                    List<Long> perm = ints(n, "perm");
                    if (!flattened || nhwcFlatten || !perm.equals(List.of(0L, 2L, 3L, 1L))) {
                        throw new UserException("found Transpose(perm " + perm + ") ('" + n.getName() + "') in the head; expected at most "
                                + "one, NCHW -> NHWC (perm [0, 2, 3, 1]), just before the flatten (Keras via tf2onnx)");
                    }
                    nhwcFlatten = true;
                    pattern.add(0, "Transpose(NCHW->NHWC)");
                    cur = n.getInput(0);
                }
                case "Reshape" -> {
                    if (flattened) {
                        throw new UserException("found a second Flatten/Reshape in the head");
                    }
                    flattened = true;
                    pattern.add(0, flattenReshape(n, producer, consts, head));
                    found.set(0, "Reshape");
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
                        throw new UserException("found a second Flatten/Reshape in the head");
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
                        + "Gemm, MatMul(+Add), Relu, Dropout, Identity, Flatten or Reshape to [N, -1], AveragePool(1x1) after the last "
                        + "MaxPool and an optional final Softmax (head so far: "
                        + describe(found) + ")");
            }
        }
        List<String> expected = List.of("Flatten", "Gemm", "Relu", "Gemm", "Relu", "Gemm");
        List<String> core = found.stream().filter(o -> !List.of("Dropout", "Identity", "AveragePool", "Softmax", "Transpose").contains(o))
                .map(o -> switch (o) {
                    case "Reshape" -> "Flatten";
                    case "MatMul", "MatMul+Add" -> "Gemm";
                    default -> o;
                }).toList();
        if (!core.equals(expected)) {
            throw new UserException("found the head " + describe(found) + "; expected a VGG-style FC stack "
                    + String.join(" -> ", expected) + " (Flatten or Reshape to [N, -1]; each FC a Gemm or MatMul + Add; "
                    + "Dropout/Identity anywhere, AveragePool(1x1) before Flatten, an optional Softmax at the end)");
        }
        // Constant nodes the head shares with the rest of the graph stay; nothing else outside the head may
        // read its intermediate tensors.
        head.removeIf(n -> n.getOpType().equals("Constant") && n.getOutputList().stream()
                .anyMatch(o -> consumers.getOrDefault(o, List.of()).stream().anyMatch(c -> !head.contains(c))));
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
        int hAxis = inputTranspose != null ? 1 : 2;
        if (inDims != null && inDims.length == 4 && inDims[hAxis] > 0 && inDims[hAxis] != cropSize) {
            throw new UserException("the input is " + inDims[hAxis] + "x" + inDims[hAxis + 1] + " but FC1 takes a " + k + "x" + k
                    + " map (crop " + cropSize + "); the trunk does not divide by 32 as a VGG's does");
        }
        if (nhwcFlatten) {
            // FC1's inputs are in (h, w, c) order; the conv weight wants (c, h, w).
            float[] chw = new float[fc1.weight.length];
            int per = channels * k * k;
            for (int o = 0; o < fc1.out; o++) {
                for (int h = 0; h < k; h++) {
                    for (int w = 0; w < k; w++) {
                        for (int c = 0; c < channels; c++) {
                            chw[o * per + (c * k + h) * k + w] = fc1.weight[o * per + (h * k + w) * channels + c];
                        }
                    }
                }
            }
            fc1 = new Fc(fc1.node, chw, fc1.out, fc1.in, fc1.bias);
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
            if (n == inputTranspose) {
                continue;
            }
            if (!head.contains(n)) {
                if (inputTranspose != null && n.getInputList().contains(inputTranspose.getOutput(0))) {
                    NodeProto.Builder b = n.toBuilder().clearInput();
                    n.getInputList().forEach(i -> b.addInput(i.equals(inputTranspose.getOutput(0)) ? inputName : i));
                    n = b.build();
                }
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
                ng.addInput(dynamicInput(v, inputTranspose != null));
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
                .optProvenance("source_sha256", dev.verydeep.core.io.Hashes.sha256(source.bytes()))
                .optProvenance("source_producer", (model.getProducerName() + " " + model.getProducerVersion()).trim())
                .optProvenance("head_pattern", patternText)
                .optProvenance("source_input_layout", inputTranspose != null
                        ? "NHWC (its Transpose to NCHW removed: the converted input is [N,3,H,W])" : "NCHW")
                .optProvenance("source_output", softmax
                        ? "probabilities (a Softmax, removed: scores_map holds the logits, the runtime applies the softmax)" : "scores")
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

    /**
     * Constant tensors of the graph: initializers, outputs of {@code Constant} nodes, and {@code Transpose} of
     * a constant 2-D weight (perm [1, 0]). Constant and Transpose nodes that are read become part of the head
     * (removed with it).
     */
    private static final class Consts {
        private final Map<String, TensorProto> init;
        private final Map<String, NodeProto> producer;
        private final Set<NodeProto> head;

        Consts(Map<String, TensorProto> init, Map<String, NodeProto> producer, Set<NodeProto> head) {
            this.init = init;
            this.producer = producer;
            this.head = head;
        }

        boolean has(String name) {
            if (init.containsKey(name)) {
                return true;
            }
            NodeProto p = producer.get(name);
            return p != null && (p.getOpType().equals("Constant") && constantAttr(p) != null
                    || p.getOpType().equals("Transpose") && has(p.getInput(0)));
        }

        boolean transposed(String name) {
            NodeProto p = init.containsKey(name) ? null : producer.get(name);
            return p != null && p.getOpType().equals("Transpose");
        }

        /** The constant's value; {@code what} names it in errors. */
        TensorData get(String name, String what) {
            TensorProto t = init.get(name);
            if (t != null) {
                return constant(t, what);
            }
            NodeProto p = producer.get(name);
            if (p != null && p.getOpType().equals("Constant") && constantAttr(p) != null) {
                head.add(p);
                return constant(constantAttr(p), what);
            }
            if (p != null && p.getOpType().equals("Transpose") && has(p.getInput(0))) {
                TensorData d = get(p.getInput(0), what);
                List<Long> perm = ints(p, "perm");
                if (d.rank() != 2 || !(perm.isEmpty() || perm.equals(List.of(1L, 0L)))) {
                    throw new UserException("the " + what + " is Transpose(perm " + perm + ") of a rank-" + d.rank()
                            + " constant; expected a 2-D weight transposed with perm [1, 0]");
                }
                head.add(p);
                int r = (int) d.shape()[0];
                int c = (int) d.shape()[1];
                float[] v = d.toFloats();
                float[] tv = new float[v.length];
                for (int i = 0; i < r; i++) {
                    for (int j = 0; j < c; j++) {
                        tv[j * r + i] = v[i * c + j];
                    }
                }
                return TensorData.ofFloats(d.name(), new long[] {c, r}, tv);
            }
            throw new UserException("the " + what + " ('" + name + "') is not a constant (initializer, Constant node or "
                    + "Transpose of one)" + (p != null ? "; it is computed by " + p.getOpType() + " '" + p.getName() + "'" : ""));
        }

        /** Integer values of a constant (shape and index tensors). */
        long[] longs(String name, String what) {
            TensorProto t = init.get(name);
            NodeProto p = producer.get(name);
            if (t == null && p != null && p.getOpType().equals("Constant")) {
                t = constantAttr(p);
            }
            if (t == null) {
                return null;
            }
            TensorData d = TensorProtos.fromProto(t);
            if (d.type() != TensorProto.DataType.INT64 && d.type() != TensorProto.DataType.INT32) {
                throw new UserException("the " + what + " is " + TensorData.typeName(d.type()) + "; expected int64");
            }
            return d.toLongs();
        }

        private static TensorProto constantAttr(NodeProto n) {
            for (AttributeProto a : n.getAttributeList()) {
                if (a.getName().equals("value") && a.hasT()) {
                    return a.getT();
                }
            }
            return null;
        }
    }

    private static Fc gemm(NodeProto n, Consts consts) {
        double alpha = floatAttr(n, "alpha", 1);
        double beta = floatAttr(n, "beta", 1);
        long transA = intAttr(n, "transA", 0);
        long transB = intAttr(n, "transB", 0);
        if (alpha != 1 || beta != 1 || transA != 0) {
            throw new UserException("found Gemm '" + n.getName() + "' with alpha " + alpha + ", beta " + beta + ", transA " + transA
                    + "; expected alpha = beta = 1, transA = 0");
        }
        if (n.getInputCount() < 2 || !consts.has(n.getInput(1))) {
            throw new UserException("Gemm '" + n.getName() + "' has no constant weight (initializer, Constant or Transpose of one) "
                    + "as its second input");
        }
        TensorData w = consts.get(n.getInput(1), "weight of Gemm '" + n.getName() + "'");
        String bias = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? n.getInput(2) : null;
        return fc(n, "Gemm", w, transB == 1, bias, consts);
    }

    /** MatMul(x, W) with W [in, out], and an optional constant bias added after it. */
    private static Fc matMul(NodeProto n, String bias, Consts consts) {
        if (n.getInputCount() != 2 || !consts.has(n.getInput(1))) {
            throw new UserException("MatMul '" + n.getName() + "' has no constant weight as its second input; expected x @ W");
        }
        TensorData w = consts.get(n.getInput(1), "weight of MatMul '" + n.getName() + "'");
        return fc(n, "MatMul", w, false, bias, consts);
    }

    /** An FC layer from a weight ([out, in] when {@code outFirst}, else [in, out]) and an optional bias. */
    private static Fc fc(NodeProto n, String op, TensorData w, boolean outFirst, String biasName, Consts consts) {
        if (w.rank() != 2) {
            throw new UserException(op + " '" + n.getName() + "' weight has rank " + w.rank() + "; expected 2");
        }
        long[] s = w.shape();
        int out = (int) (outFirst ? s[0] : s[1]);
        int in = (int) (outFirst ? s[1] : s[0]);
        float[] data = w.toFloats();
        if (!outFirst) {
            float[] t = new float[data.length];
            for (int i = 0; i < in; i++) {
                for (int o = 0; o < out; o++) {
                    t[o * in + i] = data[i * out + o];
                }
            }
            data = t;
        }
        float[] bias = new float[out];
        if (biasName != null) {
            if (!consts.has(biasName)) {
                throw new UserException(op + " '" + n.getName() + "' has a bias that is not a constant");
            }
            TensorData b = consts.get(biasName, "bias of " + op + " '" + n.getName() + "'");
            float[] bv = b.toFloats();
            if (bv.length == out && (b.rank() == 1 || b.rank() == 2 && b.shape()[0] == 1)) {
                bias = bv;
            } else if (bv.length == 1) {
                java.util.Arrays.fill(bias, bv[0]);
            } else {
                throw new UserException(op + " '" + n.getName() + "' bias has shape " + java.util.Arrays.toString(b.shape()) + " for "
                        + out + " outputs; expected [" + out + "]");
            }
        }
        return new Fc(n, data, out, in, bias);
    }

    /**
     * Checks that a Reshape flattens to [N, -1]: either a constant shape {@code [-1 or 0 or a batch size, F]} or
     * {@code x.view(x.size(0), -1)} as torch.onnx writes it:
     * {@code Concat(Unsqueeze(Gather(Shape(x), 0)), [-1])}. The shape nodes join the head.
     */
    private static String flattenReshape(NodeProto n, Map<String, NodeProto> producer, Consts consts, Set<NodeProto> head) {
        if (n.getInputCount() != 2) {
            throw new UserException("Reshape '" + n.getName() + "' has " + n.getInputCount() + " inputs; expected data and shape");
        }
        long allowZero = intAttr(n, "allowzero", 0);
        long[] shape = consts.longs(n.getInput(1), "shape of Reshape '" + n.getName() + "'");
        if (shape != null) {
            if (shape.length != 2 || shape[1] == 0 || (shape[0] == 0 && allowZero != 0) || (shape[0] != -1 && shape[0] != 0 && shape[1] == -1)) {
                throw new UserException("found Reshape '" + n.getName() + "' to " + java.util.Arrays.toString(shape)
                        + "; expected a flatten to [N, -1] (shape [-1, F], [0, -1] or [N, F])");
            }
            NodeProto p = producer.get(n.getInput(1));
            if (p != null) {
                head.add(p);
            }
            return "Reshape(" + java.util.Arrays.toString(shape) + ")";
        }
        // x.view(x.size(0), -1): Concat(axis 0) of Unsqueeze(Gather(Shape(x), 0)) and [-1].
        String why = null;
        Set<NodeProto> shapeNodes = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        NodeProto concat = producer.get(n.getInput(1));
        if (concat == null || !concat.getOpType().equals("Concat") || concat.getInputCount() != 2 || intAttr(concat, "axis", 0) != 0) {
            why = "its shape is " + (concat == null ? "a graph input" : concat.getOpType() + " '" + concat.getName() + "'")
                    + ", not Concat(axis 0) of two parts";
        } else {
            shapeNodes.add(concat);
            long[] rest = consts.longs(concat.getInput(1), "second part of the shape of Reshape '" + n.getName() + "'");
            NodeProto un = producer.get(concat.getInput(0));
            if (rest == null || !java.util.Arrays.equals(rest, new long[] {-1})) {
                why = "the second part of its shape is not the constant [-1]";
            } else if (un == null || !un.getOpType().equals("Unsqueeze")) {
                why = "the first part of its shape is not Unsqueeze(Gather(Shape(x), 0))";
            } else {
                shapeNodes.add(un);
                NodeProto gather = producer.get(un.getInput(0));
                long[] idx = gather == null || gather.getInputCount() != 2 ? null
                        : consts.longs(gather.getInput(1), "index of Gather '" + gather.getName() + "'");
                NodeProto shp = gather == null ? null : producer.get(gather.getInput(0));
                if (gather == null || !gather.getOpType().equals("Gather") || intAttr(gather, "axis", 0) != 0 || idx == null
                        || idx.length != 1 || idx[0] != 0 || shp == null || !shp.getOpType().equals("Shape")
                        || !shp.getInput(0).equals(n.getInput(0)) || shp.getAttributeCount() != 0) {
                    why = "the first part of its shape is not Unsqueeze(Gather(Shape(x), 0)) of the reshaped tensor x";
                } else {
                    shapeNodes.add(gather);
                    shapeNodes.add(shp);
                    for (String c : List.of(concat.getInput(1), gather.getInput(1), un.getInputCount() > 1 ? un.getInput(1) : "")) {
                        NodeProto p = producer.get(c);
                        if (p != null && p.getOpType().equals("Constant")) {
                            shapeNodes.add(p);
                        }
                    }
                }
            }
        }
        if (why != null) {
            throw new UserException("found Reshape '" + n.getName() + "' that is not a flatten to [N, -1]: " + why);
        }
        head.addAll(shapeNodes);
        return "Shape/Gather/Unsqueeze/Concat -> Reshape([N, -1])";
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
