package dev.verydeep.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.verydeep.core.UserException;
import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.Layer;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.core.net.NetWeights;
import dev.verydeep.onnx.DenseConverter;
import dev.verydeep.onnx.ModelMetadata;
import dev.verydeep.onnx.OnnxExporter;
import dev.verydeep.onnx.OnnxModels;
import dev.verydeep.onnx.Preprocessing;
import dev.verydeep.onnx.RandomWeights;
import dev.verydeep.onnx.TensorData;
import dev.verydeep.onnx.TensorProtos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DenseConverter} on graphs built here in the shape torch.onnx gives torchvision's VGG (opset 13):
 * Conv/Relu/MaxPool trunk, AveragePool(1x1) from AdaptiveAvgPool2d((7,7)) at 224, Flatten, Gemm(transB=1),
 * Relu, Gemm, Relu, Gemm; plus variants (transB=0, Dropout and Identity left in) and refusals.
 */
class DenseConverterTest {
    @TempDir
    static Path tmp;
    static NetDescription net;
    static NetWeights weights;
    static Path ourDense;

    @BeforeAll
    static void setUp() {
        net = ParityTest.small(Config.A, 64);
        weights = RandomWeights.of(net, 31);
        ourDense = OnnxExporter.builder().build().export(tmp.resolve("ours"), weights, ParityTest.metadata(net)).dense();
    }

    /** How the flattening is written. */
    enum Flat { FLATTEN, RESHAPE_SHAPE_OF_X, RESHAPE_CONST }

    /** How each FC layer is written. */
    enum FcOp { GEMM, TRANSPOSE_GEMM, MATMUL_ADD }

    /**
     * Options of the foreign graph: Gemm transB, Dropout and Identity left in, AveragePool kernel (0: none, the
     * MXNet/model-zoo layout), an op in place of the first ReLU, number of FC layers, alpha of the second Gemm,
     * flattening, FC form, a final Softmax.
     */
    record Style(boolean transB, boolean dropout, boolean identity, int avgKernel, String extraOp, int gemms, double alpha,
                 Flat flat, FcOp fc, boolean softmax, boolean nhwc) {
        Style(boolean transB, boolean dropout, boolean identity, int avgKernel, String extraOp, int gemms, double alpha) {
            this(transB, dropout, identity, avgKernel, extraOp, gemms, alpha, Flat.FLATTEN, FcOp.GEMM, false, false);
        }

        static Style torchvision() {
            return new Style(true, false, false, 1, null, 3, 1);
        }

        Style with(UnaryOperator<Style> f) {
            return f.apply(this);
        }

        Style flat(Flat f) {
            return new Style(transB, dropout, identity, avgKernel, extraOp, gemms, alpha, f, fc, softmax, nhwc);
        }

        Style fc(FcOp f) {
            return new Style(transB, dropout, identity, avgKernel, extraOp, gemms, alpha, flat, f, softmax, nhwc);
        }

        Style softmax(boolean s) {
            return new Style(transB, dropout, identity, avgKernel, extraOp, gemms, alpha, flat, fc, s, nhwc);
        }

        /** Keras via tf2onnx: NHWC input and an NCHW -> NHWC Transpose before the flatten. */
        Style withNhwc() {
            return new Style(transB, dropout, identity, avgKernel, extraOp, gemms, alpha, flat, fc, softmax, true);
        }

        Style avgKernel(int k) {
            return new Style(transB, dropout, identity, k, extraOp, gemms, alpha, flat, fc, softmax, nhwc);
        }
    }

    static NodeProto constant(String out, TensorData t) {
        return NodeProto.newBuilder().setOpType("Constant").setName(out).addOutput(out).addAttribute(AttributeProto.newBuilder()
                .setName("value").setType(AttributeProto.AttributeType.TENSOR).setT(TensorProtos.toProto(t.withName(out)))).build();
    }

    static ModelProto foreign(NetWeights w, Style st) {
        NetDescription d = w.net();
        GraphProto.Builder g = GraphProto.newBuilder().setName("main_graph");
        String x = "input.1";
        if (st.nhwc) {
            g.addInput(vi("input.1", 1, d.crop(), d.crop(), 3));
            g.addNode(node("Transpose", "input_to_nchw", List.of("input.1"), "input_nchw", ints("perm", 0, 3, 1, 2)));
            x = "input_nchw";
        } else {
            g.addInput(vi("input.1", 1, 3, d.crop(), d.crop()));
        }
        int idx = 0;
        int counter = 0;
        for (Layer l : d.layers()) {
            switch (l.kind()) {
                case CONV -> {
                    String wn = "features." + idx + ".weight";
                    String bn = "features." + idx + ".bias";
                    g.addInitializer(init(wn, w.get(NetWeights.weightName(l))));
                    g.addInitializer(init(bn, w.get(NetWeights.biasName(l))));
                    String y = "/features/features." + idx + "/Conv_output_0";
                    g.addNode(node("Conv", "/features/features." + idx + "/Conv", List.of(x, wn, bn), y,
                            ints("dilations", 1, 1), intAttr("group", 1), ints("kernel_shape", l.kernel(), l.kernel()),
                            ints("pads", l.padding(), l.padding(), l.padding(), l.padding()), ints("strides", 1, 1)));
                    String r = "/features/features." + (idx + 1) + "/Relu_output_0";
                    g.addNode(node("Relu", "/features/features." + (idx + 1) + "/Relu", List.of(y), r));
                    x = r;
                    idx += 2;
                }
                case MAXPOOL -> {
                    String y = "/features/features." + idx + "/MaxPool_output_0";
                    g.addNode(node("MaxPool", "/features/features." + idx + "/MaxPool", List.of(x), y,
                            intAttr("ceil_mode", 0), ints("kernel_shape", 2, 2), ints("pads", 0, 0, 0, 0), ints("strides", 2, 2)));
                    x = y;
                    idx++;
                }
                default -> {
                }
            }
        }
        if (st.avgKernel > 0) {
            g.addNode(node("AveragePool", "/avgpool/AveragePool", List.of(x), "/avgpool/AveragePool_output_0",
                    intAttr("ceil_mode", 0), ints("kernel_shape", st.avgKernel, st.avgKernel), ints("pads", 0, 0, 0, 0), ints("strides", 1, 1)));
            x = "/avgpool/AveragePool_output_0";
        }
        if (st.nhwc) {
            g.addNode(node("Transpose", "to_nhwc", List.of(x), "nhwc_output", ints("perm", 0, 2, 3, 1)));
            x = "nhwc_output";
        }
        switch (st.flat) {
            case FLATTEN -> g.addNode(node("Flatten", "/Flatten", List.of(x), "/Flatten_output_0", intAttr("axis", 1)));
            case RESHAPE_CONST -> {
                g.addInitializer(TensorProtos.toProto(TensorData.ofLongs("flat_shape", new long[] {2},
                        new long[] {-1, (long) d.lastConvChannels() * d.fcKernel() * d.fcKernel()})));
                g.addNode(node("Reshape", "/Reshape", List.of(x, "flat_shape"), "/Flatten_output_0"));
            }
            case RESHAPE_SHAPE_OF_X -> {
                // x.view(x.size(0), -1) through torch.onnx, opset 13 (Unsqueeze takes its axes as an input).
                g.addNode(node("Shape", "/Shape", List.of(x), "/Shape_output_0"));
                g.addNode(constant("/Constant_output_0", TensorData.ofLongs("", new long[0], new long[] {0})));
                g.addNode(node("Gather", "/Gather", List.of("/Shape_output_0", "/Constant_output_0"), "/Gather_output_0",
                        intAttr("axis", 0)));
                g.addNode(constant("onnx::Unsqueeze_axes", TensorData.ofLongs("", new long[] {1}, new long[] {0})));
                g.addNode(node("Unsqueeze", "/Unsqueeze", List.of("/Gather_output_0", "onnx::Unsqueeze_axes"), "/Unsqueeze_output_0"));
                g.addNode(constant("/Constant_1_output_0", TensorData.ofLongs("", new long[] {1}, new long[] {-1})));
                g.addNode(node("Concat", "/Concat", List.of("/Unsqueeze_output_0", "/Constant_1_output_0"), "/Concat_output_0",
                        intAttr("axis", 0)));
                g.addNode(node("Reshape", "/Reshape", List.of(x, "/Concat_output_0"), "/Flatten_output_0"));
            }
            default -> throw new IllegalStateException();
        }
        x = "/Flatten_output_0";
        List<Layer> fcs = d.fcLayers();
        int[] torchIndex = {0, 3, 6};
        for (int i = 0; i < st.gemms; i++) {
            Layer l = fcs.get(i);
            NetWeights.Tensor wt = w.get(NetWeights.weightName(l));
            if (st.nhwc && i == 0) {
                wt = chwToHwc(wt, d.lastConvChannels(), d.fcKernel());
            }
            String wn = "classifier." + torchIndex[i] + ".weight";
            String bn = "classifier." + torchIndex[i] + ".bias";
            g.addInitializer(init(bn, w.get(NetWeights.biasName(l))));
            boolean last = i == st.gemms - 1;
            String y = last && !st.softmax ? "output" : "/classifier/classifier." + torchIndex[i] + "/Gemm_output_0";
            String name = "/classifier/classifier." + torchIndex[i];
            switch (st.fc) {
                case GEMM -> {
                    g.addInitializer(init(wn, st.transB ? wt : transpose(wt)));
                    g.addNode(node("Gemm", name + "/Gemm", List.of(x, wn, bn), y,
                            floatAttr("alpha", i == 1 ? st.alpha : 1), floatAttr("beta", 1), intAttr("transB", st.transB ? 1 : 0)));
                }
                case TRANSPOSE_GEMM -> {
                    // W [out, in] stored as is, transposed by a node, used with transB = 0.
                    g.addInitializer(init(wn, wt));
                    g.addNode(node("Transpose", name + "/Transpose", List.of(wn), wn + "_T", ints("perm", 1, 0)));
                    g.addNode(node("Gemm", name + "/Gemm", List.of(x, wn + "_T", bn), y,
                            floatAttr("alpha", i == 1 ? st.alpha : 1), floatAttr("beta", 1), intAttr("transB", 0)));
                }
                case MATMUL_ADD -> {
                    // tf2onnx/Keras: x @ W with W [in, out], then + b (bias first in the Add for one layer).
                    g.addInitializer(init(wn, transpose(wt)));
                    g.addNode(node("MatMul", name + "/MatMul", List.of(x, wn), name + "/MatMul_output_0"));
                    g.addNode(node("Add", name + "/Add", i == 1 ? List.of(bn, name + "/MatMul_output_0")
                            : List.of(name + "/MatMul_output_0", bn), y));
                }
                default -> throw new IllegalStateException();
            }
            x = y;
            if (!last) {
                String op = i == 0 && st.extraOp != null ? st.extraOp : "Relu";
                String r = "/classifier/classifier." + (torchIndex[i] + 1) + "/" + op + "_output_0";
                g.addNode(node(op, "/classifier/classifier." + (torchIndex[i] + 1) + "/" + op, List.of(x), r));
                x = r;
                if (st.dropout) {
                    String dr = x + "_dropout";
                    g.addNode(node("Dropout", "/classifier/classifier." + (torchIndex[i] + 2) + "/Dropout", List.of(x), dr));
                    x = dr;
                }
                if (st.identity) {
                    String id = x + "_identity";
                    g.addNode(node("Identity", "identity" + counter++, List.of(x), id));
                    x = id;
                }
            }
        }
        if (st.softmax) {
            g.addNode(node("Softmax", "/Softmax", List.of(x), "output", intAttr("axis", 1)));
            x = "output";
        }
        g.addOutput(vi(x, 1, d.classes()));
        return ModelProto.newBuilder().setIrVersion(7).setProducerName("pytorch").setProducerVersion("1.13.1")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(g).build();
    }

    /** FC1 weight [out, C*k*k] with inputs in (c, h, w) order to (h, w, c) order, as a Keras Flatten of NHWC sees them. */
    static NetWeights.Tensor chwToHwc(NetWeights.Tensor t, int channels, int k) {
        int out = (int) t.shape()[0];
        int per = channels * k * k;
        float[] d = new float[t.data().length];
        for (int o = 0; o < out; o++) {
            for (int c = 0; c < channels; c++) {
                for (int h = 0; h < k; h++) {
                    for (int x = 0; x < k; x++) {
                        d[o * per + (h * k + x) * channels + c] = t.data()[o * per + (c * k + h) * k + x];
                    }
                }
            }
        }
        return new NetWeights.Tensor(t.shape(), d);
    }

    static NetWeights.Tensor transpose(NetWeights.Tensor t) {
        int out = (int) t.shape()[0];
        int in = (int) t.shape()[1];
        float[] d = new float[t.data().length];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                d[i * out + o] = t.data()[o * in + i];
            }
        }
        return new NetWeights.Tensor(new long[] {in, out}, d);
    }

    static TensorProto init(String name, NetWeights.Tensor t) {
        return TensorProtos.toProto(TensorData.ofFloats(name, t.shape(), t.data()));
    }

    static ValueInfoProto vi(String name, long... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : dims) {
            s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(s))).build();
    }

    static NodeProto node(String op, String name, List<String> in, String out, AttributeProto... attrs) {
        return NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(in).addOutput(out).addAllAttribute(List.of(attrs)).build();
    }

    static AttributeProto ints(String n, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(n).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    static AttributeProto intAttr(String n, long v) {
        return AttributeProto.newBuilder().setName(n).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    static AttributeProto floatAttr(String n, double v) {
        return AttributeProto.newBuilder().setName(n).setType(AttributeProto.AttributeType.FLOAT).setF((float) v).build();
    }

    static Path write(String name, ModelProto m) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        return Files.write(dir.resolve(name + ".onnx"), m.toByteArray());
    }

    static Map<String, TensorData> run(Path model, TensorData input, String inputName) {
        try (ModelSession s = Sessions.open(model, Device.CPU, 1)) {
            return s.run(Map.of(inputName, input));
        }
    }

    /**
     * Converts, then checks the dense form against our own export of the same weights and the foreign classifier
     * (through a softmax when the foreign graph ends with one), and runs python3-onnx's full check on the output.
     * Returns the head pattern the converter reports.
     */
    String convertsAndMatches(String name, Style style) throws IOException {
        Path src = write(name, foreign(weights, style));
        Path out = src.resolveSibling(name + "-dense.onnx");
        DenseConverter.Result r = DenseConverter.builder().optCrop(64).build().convert(src, out);
        assertEquals(64, r.crop());
        assertEquals(2, r.fcKernel());
        assertEquals(net.lastConvChannels(), r.trunkChannels());
        assertEquals(net.fcWidth(), r.penultimateWidth());
        assertEquals(10, r.classes());

        // Larger non-square image: identical to verydeep's own dense export of the same weights.
        TensorData big = ParityTest.tensor(ParityTest.images(2, 96, 128, 4));
        Map<String, TensorData> converted = run(out, big, "input.1");
        Map<String, TensorData> ours = run(ourDense, big, "input");
        assertArrayEquals(new long[] {2, 10, 2, 3}, converted.get("scores_map").shape());
        assertTrue(ParityTest.relErr(converted.get("scores_map").toDoubles(), ours.get("scores_map").toDoubles()) <= 1e-6);
        assertTrue(ParityTest.relErr(converted.get("penultimate").toDoubles(), ours.get("penultimate").toDoubles()) <= 1e-6);

        // Crop-sized image: the 1x1 score map is the foreign classifier's output.
        TensorData crop = ParityTest.tensor(ParityTest.images(1, 64, 64, 5));
        double[] cls = run(src, style.nhwc() ? nhwc(crop) : crop, "input.1").get("output").toDoubles();
        double[] dense = run(out, crop, "input.1").get("scores_map").toDoubles();
        if (style.softmax()) {
            dense = ParityTest.softmax(dense, 10);
        }
        double err = ParityTest.relErr(dense, cls);
        System.out.printf(java.util.Locale.ROOT, "convert %-16s dense@crop vs foreign classifier: %.3g  (%s)%n", name, err, r.pattern());
        assertTrue(err <= 1e-5, "dense@crop vs foreign classifier: " + err);
        String check = fullCheck(out);
        assertTrue(check.contains("OK"), check);
        return r.pattern();
    }

    static TensorData nhwc(TensorData t) {
        long[] s = t.shape();
        int n = (int) s[0];
        int c = (int) s[1];
        int h = (int) s[2];
        int w = (int) s[3];
        float[] v = t.toFloats();
        float[] o = new float[v.length];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        o[((i * h + y) * w + x) * c + ch] = v[((i * c + ch) * h + y) * w + x];
                    }
                }
            }
        }
        return TensorData.ofFloats(t.name(), new long[] {n, h, w, c}, o);
    }

    /** python3-onnx's {@code check_model(full_check=True)}; fails the test when the checker does. */
    static String fullCheck(Path file) throws IOException {
        String py = "import sys, onnx\nm = onnx.load(sys.argv[1])\nonnx.checker.check_model(m, full_check=True)\nprint('OK')";
        Process p = new ProcessBuilder(python(), "-c", py, file.toString()).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes());
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertEquals(0, p.exitValue(), file + ": " + text);
        return text;
    }

    @Test
    void torchvisionPattern() throws IOException {
        convertsAndMatches("torchvision", Style.torchvision());
        ModelProto m = OnnxModels.load(tmp.resolve("torchvision/torchvision-dense.onnx")).proto();
        assertTrue(m.getGraph().getNodeList().stream().noneMatch(n -> List.of("AveragePool", "Flatten", "Gemm").contains(n.getOpType())),
                "adaptive pooling removed, FC layers are convs");
        assertEquals(List.of("N", "3", "H", "W"), m.getGraph().getInput(0).getType().getTensorType().getShape().getDimList().stream()
                .map(d -> d.hasDimValue() ? String.valueOf(d.getDimValue()) : d.getDimParam()).toList());
        assertTrue(m.getGraph().getInitializerList().stream().noneMatch(t -> t.getName().startsWith("classifier.")),
                "the old FC weights are gone");
        ModelMetadata meta = ModelMetadata.read(m);
        assertEquals(64, meta.crop());
        assertEquals(Preprocessing.torchvision(), meta.preprocessing());
        assertEquals("class_9", meta.classNames().get(9));
        assertTrue(meta.provenance().get("head_pattern").startsWith("MaxPool -> AveragePool(1x1, removed) -> Flatten -> Gemm(transB=1)"),
                meta.provenance().toString());
        assertEquals(64, meta.provenance().get("source_sha256").length());
        assertEquals(13, m.getOpsetImport(0).getVersion());
    }

    @Test
    void transposedWeightsDropoutAndIdentity() throws IOException {
        convertsAndMatches("transB0", Style.torchvision().with(s -> new Style(false, true, true, 1, null, 3, 1)));
    }

    @Test
    void reshapeFromShapeGatherUnsqueezeConcat() throws IOException {
        String p = convertsAndMatches("view", Style.torchvision().flat(Flat.RESHAPE_SHAPE_OF_X));
        assertTrue(p.contains("Shape/Gather/Unsqueeze/Concat -> Reshape([N, -1]) -> Gemm(transB=1)"), p);
        ModelProto m = OnnxModels.load(tmp.resolve("view/view-dense.onnx")).proto();
        assertTrue(m.getGraph().getNodeList().stream().noneMatch(n -> List.of("Shape", "Gather", "Unsqueeze", "Concat", "Reshape",
                "Constant").contains(n.getOpType())), "the shape computation is gone with the head");
    }

    @Test
    void reshapeToAConstantShape() throws IOException {
        String p = convertsAndMatches("reshape", Style.torchvision().flat(Flat.RESHAPE_CONST));
        assertTrue(p.contains("Reshape([-1, 128])"), p);
    }

    @Test
    void transposeNodeBeforeGemm() throws IOException {
        String p = convertsAndMatches("transpose", Style.torchvision().fc(FcOp.TRANSPOSE_GEMM));
        assertTrue(p.contains("Gemm(transB=0, W=Transpose(B))"), p);
        ModelProto m = OnnxModels.load(tmp.resolve("transpose/transpose-dense.onnx")).proto();
        assertTrue(m.getGraph().getNodeList().stream().noneMatch(n -> n.getOpType().equals("Transpose")));
    }

    @Test
    void matMulPlusAdd() throws IOException {
        String p = convertsAndMatches("matmul", Style.torchvision().fc(FcOp.MATMUL_ADD).flat(Flat.RESHAPE_CONST).avgKernel(0));
        assertTrue(p.startsWith("MaxPool -> Reshape([-1, 128]) -> MatMul+Add -> Relu -> MatMul+Add"), p);
    }

    @Test
    void kerasViaTf2onnxNhwcInputAndFlatten() throws IOException {
        String p = convertsAndMatches("keras", Style.torchvision().withNhwc().fc(FcOp.MATMUL_ADD).flat(Flat.RESHAPE_CONST).avgKernel(0)
                .softmax(true));
        assertTrue(p.startsWith("MaxPool -> Transpose(NCHW->NHWC) -> Reshape([-1, 128]) -> MatMul+Add"), p);
        ModelProto m = OnnxModels.load(tmp.resolve("keras/keras-dense.onnx")).proto();
        assertTrue(m.getGraph().getNodeList().stream().noneMatch(n -> n.getOpType().equals("Transpose")), "both Transposes removed");
        assertEquals(List.of("N", "3", "H", "W"), m.getGraph().getInput(0).getType().getTensorType().getShape().getDimList().stream()
                .map(d -> d.hasDimValue() ? String.valueOf(d.getDimValue()) : d.getDimParam()).toList());
        assertTrue(ModelMetadata.read(m).provenance().get("source_input_layout").startsWith("NHWC"));
    }

    @Test
    void mxnetModelZooFlattenGemmWithoutPooling() throws IOException {
        String p = convertsAndMatches("mxnet", Style.torchvision().avgKernel(0).with(s -> new Style(true, true, false, 0, null, 3, 1)));
        assertTrue(p.startsWith("MaxPool -> Flatten -> Gemm(transB=1) -> Relu -> Dropout -> Gemm"), p);
    }

    @Test
    void trailingSoftmaxIsKeptOutOfTheScoreMap() throws IOException {
        String p = convertsAndMatches("softmax", Style.torchvision().softmax(true));
        assertTrue(p.endsWith("Gemm(transB=1) -> Softmax(removed: scores_map holds the logits)"), p);
        ModelMetadata meta = ModelMetadata.read(OnnxModels.load(tmp.resolve("softmax/softmax-dense.onnx")).proto());
        assertTrue(meta.provenance().get("source_output").startsWith("probabilities"), meta.provenance().toString());
    }

    @Test
    void convertedFilesPassPythonOnnxFullCheck() throws IOException {
        Path src = write("pycheck", foreign(weights, Style.torchvision()));
        Path out = src.resolveSibling("pycheck-dense.onnx");
        DenseConverter.builder().optPreprocessing(Preprocessing.caffe())
                .optClassNames(java.util.stream.IntStream.range(0, 10).mapToObj(i -> "n" + i).toList()).build().convert(src, out);
        assertEquals(Preprocessing.caffe(), ModelMetadata.read(OnnxModels.load(out).proto()).preprocessing());
        String py = "import sys, onnx\nm = onnx.load(sys.argv[1])\nonnx.checker.check_model(m, full_check=True)\nprint('OK')";
        List<String> cmd = new ArrayList<>(List.of(python(), "-c", py, out.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes());
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertEquals(0, p.exitValue(), text);
        assertTrue(text.contains("OK"), text);
    }

    static String python() throws IOException {
        for (String c : List.of("/usr/bin/python3", "python3")) {
            try {
                Process p = new ProcessBuilder(c, "-c", "import onnx").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor() == 0) {
                    return c;
                }
            } catch (IOException | InterruptedException e) {
                // next
            }
        }
        throw new AssertionError("python3-onnx is missing: run bin/install-test-deps");
    }

    void refused(String name, Style style, Integer crop, String... words) throws IOException {
        Path src = write(name, foreign(weights, style));
        Path out = src.resolveSibling(name + "-dense.onnx");
        DenseConverter.Builder b = DenseConverter.builder();
        if (crop != null) {
            b.optCrop(crop);
        }
        UserException e = assertThrows(UserException.class, () -> b.build().convert(src, out));
        assertTrue(e.getMessage().startsWith(src.toString()), e.getMessage());
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "'" + w + "' in: " + e.getMessage());
        }
        assertFalse(Files.exists(out), "nothing written on refusal");
    }

    @Test
    void nonVggHeadsAreRefusedSayingWhatWasFoundAndExpected() throws IOException {
        refused("adaptive", Style.torchvision().with(s -> new Style(true, false, false, 2, null, 3, 1)), null,
                "AveragePool(kernel [2, 2]", "only the 1x1/1 pooling");
        refused("sigmoid", Style.torchvision().with(s -> new Style(true, false, false, 1, "Sigmoid", 3, 1)), null,
                "found Sigmoid", "expected only Gemm, MatMul(+Add), Relu");
        refused("twofc", Style.torchvision().with(s -> new Style(true, false, false, 1, null, 2, 1)), null,
                "found the head AveragePool -> Flatten -> Gemm -> Relu -> Gemm", "expected a VGG-style FC stack");
        refused("alpha", Style.torchvision().with(s -> new Style(true, false, false, 1, null, 3, 2)), null,
                "alpha 2.0", "expected alpha = beta = 1");
        refused("crop", Style.torchvision(), 32, "--crop 32", "crop 64");
        refused("tanh-after-softmax", Style.torchvision().softmax(true).with(s -> new Style(true, false, false, 1, "Softmax", 3, 1,
                Flat.FLATTEN, FcOp.GEMM, false, false)), null, "found Softmax", "expected it only as the last node");
    }
}
