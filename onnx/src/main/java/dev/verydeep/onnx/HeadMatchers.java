package dev.verydeep.onnx;

import static dev.verydeep.onnx.GraphIndex.floatAttr;
import static dev.verydeep.onnx.GraphIndex.intAttr;
import static dev.verydeep.onnx.GraphIndex.ints;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.verydeep.core.UserException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The classifier heads {@link DenseConverter} understands, as a table: one entry per dialect, keyed by the op the
 * walk meets going back from the graph's output to the last {@code MaxPool}. Each entry's step takes its node (and
 * any nodes that belong to it, such as a bias {@code Add}'s {@code MatMul} or the shape computation of a
 * {@code Reshape}), records what it found in the {@link Head}, and returns the tensor the walk goes on from.
 * A new dialect is a new entry and a short step; nothing else changes.
 */
final class HeadMatchers {
    /** One dialect: the op it starts at, what it is, its role in the FC stack ("" when it is not part of it), its step. */
    record Matcher(String op, String dialect, String role, Step step) {
    }

    /** Consumes node {@code n} (whose output {@code out} the walk reached) and returns the tensor to walk back to. */
    interface Step {
        String apply(Head h, NodeProto n, String out);
    }

    static final List<Matcher> TABLE = List.of(
            new Matcher("Softmax", "a final softmax over the classes (removed: scores_map holds the logits)", "", HeadMatchers::softmax),
            new Matcher("Gemm", "FC as Gemm with a constant W or Transpose(W) (torchvision, MXNet, Caffe2)", "Gemm", HeadMatchers::gemm),
            new Matcher("Add", "FC as MatMul(x, W) + a constant bias (tf2onnx, Keras)", "Gemm", HeadMatchers::matMulAdd),
            new Matcher("MatMul", "FC as MatMul(x, W) without a bias", "Gemm", HeadMatchers::matMulAdd),
            new Matcher("Relu", "ReLU", "Relu", HeadMatchers::passThrough),
            new Matcher("Dropout", "inference-mode Dropout (dropped)", "", HeadMatchers::dropped),
            new Matcher("Identity", "Identity (dropped)", "", HeadMatchers::dropped),
            new Matcher("Transpose", "NCHW -> NHWC before the flatten (tf2onnx, Keras; FC1 reordered)", "", HeadMatchers::nhwcFlatten),
            new Matcher("Flatten", "Flatten(axis=1) (torchvision, MXNet)", "Flatten", HeadMatchers::flatten),
            new Matcher("Reshape", "Reshape to [N, -1]: a constant shape, or x.view(x.size(0), -1) (torch.onnx)", "Flatten",
                    HeadMatchers::reshape),
            new Matcher("AveragePool", "AveragePool(1x1): AdaptiveAvgPool2d((7,7)) at 224 (torchvision), removed", "",
                    HeadMatchers::averagePool1x1),
            new Matcher("GlobalAveragePool", "GlobalAveragePool: AdaptiveAvgPool2d((1,1)) seeing one cell at the crop (torchvision, "
                    + "small images), removed", "", HeadMatchers::globalAveragePool),
            new Matcher("MaxPool", "the last MaxPool: the trunk ends here", "", HeadMatchers::lastMaxPool));

    private static final Map<String, Matcher> BY_OP = TABLE.stream().collect(Collectors.toMap(Matcher::op, Function.identity()));

    /** The FC stack the roles must spell, trunk side first. */
    static final List<String> EXPECTED = List.of("Flatten", "Gemm", "Relu", "Gemm", "Relu", "Gemm");

    private HeadMatchers() {
    }

    /** An FC layer: weight [out, in] row-major, bias [out]. */
    record Fc(NodeProto node, float[] weight, int out, int in, float[] bias) {
    }

    /** What the walk found, trunk side first. */
    static final class Head {
        final GraphIndex g;
        final ModelProto model;
        final Consts consts;
        final List<String> found = new ArrayList<>();
        final List<String> roles = new ArrayList<>();
        final List<String> pattern = new ArrayList<>();
        final List<Fc> fcs = new ArrayList<>();
        final Set<NodeProto> nodes = Collections.newSetFromMap(new IdentityHashMap<>());
        boolean flattened;
        boolean softmax;
        boolean nhwcFlatten;
        boolean globalPool;
        String trunkOut;

        Head(GraphIndex g, ModelProto model) {
            this.g = g;
            this.model = model;
            this.consts = new Consts(g, nodes);
        }

        String patternText() {
            return String.join(" -> ", pattern);
        }
    }

    /** Walks back from the single output to the last MaxPool, then checks the head is a VGG FC stack that can be cut out. */
    static Head walk(GraphIndex g, ModelProto model) {
        Head h = new Head(g, model);
        String cur = g.graph().getOutput(0).getName();
        while (h.trunkOut == null) {
            NodeProto n = g.producer().get(cur);
            if (n == null) {
                throw new UserException("reached '" + cur + "' (" + (g.init().containsKey(cur) ? "a constant" : "a graph input")
                        + ") before a MaxPool; expected a VGG classifier head after the last max-pool, found " + describe(h.found));
            }
            if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
                throw new UserException("found " + n.getDomain() + ":" + n.getOpType() + " in the head; expected ONNX standard ops");
            }
            Matcher m = BY_OP.get(n.getOpType());
            if (!n.getOpType().equals("MaxPool")) {
                h.nodes.add(n);
                h.found.add(0, n.getOpType());
                h.roles.add(0, m == null ? "?" : m.role());
            }
            if (m == null) {
                throw new UserException("found " + n.getOpType() + " ('" + n.getName() + "') in the classifier head; expected only "
                        + "Gemm, MatMul(+Add), Relu, Dropout, Identity, Flatten or Reshape to [N, -1], AveragePool(1x1) or "
                        + "GlobalAveragePool after the last MaxPool and an optional final Softmax (head so far: " + describe(h.found) + ")");
            }
            cur = m.step().apply(h, n, cur);
        }
        requireFcStack(h);
        requireDetachable(h);
        return h;
    }

    private static void requireFcStack(Head h) {
        if (!h.roles.stream().filter(r -> !r.isEmpty()).toList().equals(EXPECTED)) {
            throw new UserException("found the head " + describe(h.found) + "; expected a VGG-style FC stack "
                    + String.join(" -> ", EXPECTED) + " (Flatten or Reshape to [N, -1]; each FC a Gemm or MatMul + Add; "
                    + "Dropout/Identity anywhere, AveragePool(1x1) or GlobalAveragePool before Flatten, an optional Softmax at the end)");
        }
    }

    /** Constant nodes the head shares with the rest of the graph stay; nothing else outside it may read its tensors. */
    private static void requireDetachable(Head h) {
        h.nodes.removeIf(n -> n.getOpType().equals("Constant") && n.getOutputList().stream()
                .anyMatch(o -> h.g.readers(o).stream().anyMatch(c -> !h.nodes.contains(c))));
        for (NodeProto n : h.nodes) {
            for (String o : n.getOutputList()) {
                for (NodeProto c : h.g.readers(o)) {
                    if (!h.nodes.contains(c)) {
                        throw new UserException("head tensor '" + o + "' is also used by " + c.getOpType() + " '" + c.getName()
                                + "'; cannot rewrite the head alone");
                    }
                }
            }
        }
    }

    static String describe(List<String> ops) {
        return ops.isEmpty() ? "nothing" : String.join(" -> ", ops);
    }

    // ---- the steps, one per table entry ----

    private static String softmax(Head h, NodeProto n, String out) {
        if (!h.found.equals(List.of("Softmax"))) {
            throw new UserException("found Softmax ('" + n.getName() + "') inside the head (head so far: " + describe(h.found)
                    + "); expected it only as the last node, after the last FC layer");
        }
        boolean before13 = h.model.getOpsetImportList().stream()
                .anyMatch(o -> (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) && o.getVersion() < 13);
        long axis = intAttr(n, "axis", before13 ? 1 : -1);
        if (axis != 1 && axis != -1) {
            throw new UserException("found Softmax(axis=" + axis + ") at the output; expected a softmax over the classes (axis 1)");
        }
        h.softmax = true;
        h.pattern.add(0, "Softmax(removed: scores_map holds the logits)");
        return n.getInput(0);
    }

    private static String gemm(Head h, NodeProto n, String out) {
        requireNotFlattened(h, n);
        double alpha = floatAttr(n, "alpha", 1);
        double beta = floatAttr(n, "beta", 1);
        long transA = intAttr(n, "transA", 0);
        long transB = intAttr(n, "transB", 0);
        if (alpha != 1 || beta != 1 || transA != 0) {
            throw new UserException("found Gemm '" + n.getName() + "' with alpha " + alpha + ", beta " + beta + ", transA " + transA
                    + "; expected alpha = beta = 1, transA = 0");
        }
        if (n.getInputCount() < 2 || !h.consts.has(n.getInput(1))) {
            throw new UserException("Gemm '" + n.getName() + "' has no constant weight (initializer, Constant or Transpose of one) "
                    + "as its second input");
        }
        TensorData w = h.consts.get(n.getInput(1), "weight of Gemm '" + n.getName() + "'");
        String bias = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? n.getInput(2) : null;
        h.fcs.add(0, fc(n, "Gemm", w, transB == 1, bias, h.consts));
        h.pattern.add(0, "Gemm(transB=" + transB + (h.consts.transposed(n.getInput(1)) ? ", W=Transpose(B)" : "") + ")");
        return n.getInput(0);
    }

    /** MatMul(x, W) with W [in, out], optionally under an Add of a constant bias. */
    private static String matMulAdd(Head h, NodeProto n, String out) {
        requireNotFlattened(h, n);
        NodeProto matmul = n;
        String bias = null;
        boolean add = n.getOpType().equals("Add");
        if (add) {
            int constIn = h.consts.has(n.getInput(1)) ? 1 : h.consts.has(n.getInput(0)) ? 0 : -1;
            NodeProto mm = constIn < 0 ? null : h.g.producer().get(n.getInput(1 - constIn));
            if (mm == null || !mm.getOpType().equals("MatMul")) {
                throw new UserException("found Add ('" + n.getName() + "') in the head that is not a constant bias added to a "
                        + "MatMul; expected MatMul + Add (an FC layer) or Gemm");
            }
            bias = n.getInput(constIn);
            matmul = mm;
            h.nodes.add(mm);
        }
        if (matmul.getInputCount() != 2 || !h.consts.has(matmul.getInput(1))) {
            throw new UserException("MatMul '" + matmul.getName() + "' has no constant weight as its second input; expected x @ W");
        }
        TensorData w = h.consts.get(matmul.getInput(1), "weight of MatMul '" + matmul.getName() + "'");
        h.fcs.add(0, fc(matmul, "MatMul", w, false, bias, h.consts));
        String label = add ? "MatMul+Add" : "MatMul";
        h.found.set(0, label);
        h.pattern.add(0, label + (h.consts.transposed(matmul.getInput(1)) ? "(W=Transpose(B))" : ""));
        return matmul.getInput(0);
    }

    private static String passThrough(Head h, NodeProto n, String out) {
        h.pattern.add(0, n.getOpType());
        return n.getInput(0);
    }

    private static String dropped(Head h, NodeProto n, String out) {
        for (int i = 1; i < n.getOutputCount(); i++) {
            if (!n.getOutput(i).isEmpty() && h.g.consumers().containsKey(n.getOutput(i))) {
                throw new UserException("Dropout node '" + n.getName() + "' has its mask used; expected inference-mode dropout");
            }
        }
        return passThrough(h, n, out);
    }

    private static String nhwcFlatten(Head h, NodeProto n, String out) {
        List<Long> perm = ints(n, "perm");
        if (!h.flattened || h.nhwcFlatten || !perm.equals(List.of(0L, 2L, 3L, 1L))) {
            throw new UserException("found Transpose(perm " + perm + ") ('" + n.getName() + "') in the head; expected at most "
                    + "one, NCHW -> NHWC (perm [0, 2, 3, 1]), just before the flatten (Keras via tf2onnx)");
        }
        h.nhwcFlatten = true;
        h.pattern.add(0, "Transpose(NCHW->NHWC)");
        return n.getInput(0);
    }

    private static String flatten(Head h, NodeProto n, String out) {
        requireFirstFlatten(h);
        long axis = intAttr(n, "axis", 1);
        if (axis != 1) {
            throw new UserException("found Flatten(axis=" + axis + "); expected Flatten(axis=1)");
        }
        h.pattern.add(0, "Flatten");
        return n.getInput(0);
    }

    private static String reshape(Head h, NodeProto n, String out) {
        requireFirstFlatten(h);
        h.pattern.add(0, FlattenReshape.match(n, h));
        return n.getInput(0);
    }

    private static String averagePool1x1(Head h, NodeProto n, String out) {
        requirePoolBeforeFlatten(h, n);
        List<Long> k = ints(n, "kernel_shape");
        List<Long> s = ints(n, "strides");
        boolean identity = k.equals(List.of(1L, 1L)) && (s.isEmpty() || s.equals(List.of(1L, 1L)))
                && ints(n, "pads").stream().allMatch(p -> p == 0);
        if (!identity) {
            throw new UserException("found AveragePool(kernel " + k + ", strides " + s + ") before Flatten; "
                    + "only the 1x1/1 pooling that torchvision's AdaptiveAvgPool2d((7,7)) becomes at 224 can be removed. "
                    + "Export the model at the crop size its classifier expects (7x7 maps, e.g. 224)");
        }
        h.pattern.add(0, "AveragePool(1x1, removed)");
        return n.getInput(0);
    }

    /** Removed: at the training crop it sees one cell, so FC1 reads the last conv's channels and becomes a 1x1 conv. */
    private static String globalAveragePool(Head h, NodeProto n, String out) {
        requirePoolBeforeFlatten(h, n);
        h.globalPool = true;
        h.pattern.add(0, "GlobalAveragePool(one cell at the crop, removed)");
        return n.getInput(0);
    }

    private static String lastMaxPool(Head h, NodeProto n, String out) {
        if (!h.flattened) {
            throw new UserException("reached MaxPool '" + n.getName() + "' without a Flatten; expected Flatten(axis=1) before the FC layers");
        }
        h.trunkOut = out;
        h.pattern.add(0, "MaxPool");
        return out;
    }

    private static void requireNotFlattened(Head h, NodeProto n) {
        if (h.flattened) {
            throw new UserException("found Gemm '" + n.getName() + "' before Flatten; expected the FC layers after it");
        }
    }

    private static void requireFirstFlatten(Head h) {
        if (h.flattened) {
            throw new UserException("found a second Flatten/Reshape in the head");
        }
        h.flattened = true;
    }

    private static void requirePoolBeforeFlatten(Head h, NodeProto n) {
        if (!h.flattened) {
            throw new UserException("found " + n.getOpType() + " after the FC layers; expected it before Flatten");
        }
    }

    /** An FC layer from a weight ([out, in] when {@code outFirst}, else [in, out]) and an optional bias. */
    private static Fc fc(NodeProto n, String op, TensorData w, boolean outFirst, String biasName, Consts consts) {
        if (w.rank() != 2) {
            throw new UserException(op + " '" + n.getName() + "' weight has rank " + w.rank() + "; expected 2");
        }
        long[] s = w.shape();
        int out = (int) (outFirst ? s[0] : s[1]);
        int in = (int) (outFirst ? s[1] : s[0]);
        float[] data = outFirst ? w.toFloats() : transpose(w.toFloats(), in, out);
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
                Arrays.fill(bias, bv[0]);
            } else {
                throw new UserException(op + " '" + n.getName() + "' bias has shape " + Arrays.toString(b.shape()) + " for "
                        + out + " outputs; expected [" + out + "]");
            }
        }
        return new Fc(n, data, out, in, bias);
    }

    /** A row-major [rows, cols] matrix transposed to [cols, rows]. */
    static float[] transpose(float[] v, int rows, int cols) {
        float[] t = new float[v.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = v[i * cols + j];
            }
        }
        return t;
    }

    /**
     * Constant tensors of the graph: initializers, outputs of {@code Constant} nodes, and {@code Transpose} of a
     * constant 2-D weight (perm [1, 0]). Constant and Transpose nodes that are read become part of the head
     * (removed with it).
     */
    static final class Consts {
        private final GraphIndex g;
        private final Set<NodeProto> head;

        Consts(GraphIndex g, Set<NodeProto> head) {
            this.g = g;
            this.head = head;
        }

        boolean has(String name) {
            if (g.init().containsKey(name)) {
                return true;
            }
            NodeProto p = g.producer().get(name);
            return p != null && (p.getOpType().equals("Constant") && constantAttr(p) != null
                    || p.getOpType().equals("Transpose") && has(p.getInput(0)));
        }

        boolean transposed(String name) {
            NodeProto p = g.init().containsKey(name) ? null : g.producer().get(name);
            return p != null && p.getOpType().equals("Transpose");
        }

        /** The constant's value; {@code what} names it in errors. */
        TensorData get(String name, String what) {
            TensorProto t = g.init().get(name);
            if (t != null) {
                return floats(t, what);
            }
            NodeProto p = g.producer().get(name);
            if (p != null && p.getOpType().equals("Constant") && constantAttr(p) != null) {
                head.add(p);
                return floats(constantAttr(p), what);
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
                return TensorData.ofFloats(d.name(), new long[] {c, r}, transpose(d.toFloats(), r, c));
            }
            throw new UserException("the " + what + " ('" + name + "') is not a constant (initializer, Constant node or "
                    + "Transpose of one)" + (p != null ? "; it is computed by " + p.getOpType() + " '" + p.getName() + "'" : ""));
        }

        /** Integer values of a constant (shape and index tensors), or null when it is not one. */
        long[] longs(String name, String what) {
            TensorProto t = g.init().get(name);
            NodeProto p = g.producer().get(name);
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
            var a = GraphIndex.attr(n, "value");
            return a != null && a.hasT() ? a.getT() : null;
        }

        private static TensorData floats(TensorProto t, String what) {
            if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
                throw new UserException("the " + what + " is stored as external data, which convert does not read yet");
            }
            TensorData d = TensorProtos.fromProto(t);
            if (d.type() != TensorProto.DataType.FLOAT) {
                throw new UserException("the " + what + " is " + TensorData.typeName(d.type()) + "; expected float32");
            }
            return d;
        }
    }
}
