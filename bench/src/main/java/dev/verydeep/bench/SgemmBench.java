package dev.verydeep.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.verydeep.runtime.Sessions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The machine's measured float32 peak: an n x n by n x n matrix product (SGEMM, 2 n^3 FLOP) in ONNX Runtime
 * (a one-node MatMul graph, MLAS) and in PyTorch through DJL. The summary divides every benchmark's GFLOP/s by
 * the best of these.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-Dai.djl.offline=true"})
@State(Scope.Benchmark)
public class SgemmBench {
    @Param({"2048"})
    public int n;

    @Param({"ort", "djl"})
    public String engine;

    /** Intra-op threads of ORT or PyTorch; 0 = the engine's default (one per core). */
    @Param({"0"})
    public int threads;

    private OrtSession session;
    private OnnxTensor a;
    private OnnxTensor b;
    private NDManager manager;
    private NDArray da;
    private NDArray db;

    @Setup(Level.Trial)
    public void setUp() throws OrtException {
        float[] x = BenchNets.input(1, n, n / 3, 1);
        float[] y = BenchNets.input(1, n, n / 3, 2);
        long[] shape = {n, n};
        int size = n * n;
        if (engine.equals("ort")) {
            try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
                if (threads > 0) {
                    o.setIntraOpNumThreads(threads);
                }
                session = Sessions.environment().createSession(matMul(n).toByteArray(), o);
            }
            a = OnnxTensor.createTensor(Sessions.environment(), BenchNets.direct(java.util.Arrays.copyOf(x, size)), shape);
            b = OnnxTensor.createTensor(Sessions.environment(), BenchNets.direct(java.util.Arrays.copyOf(y, size)), shape);
        } else {
            manager = NDManager.newBaseManager();
            if (threads > 0) {
                ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
            }
            da = manager.create(java.util.Arrays.copyOf(x, size), new Shape(n, n));
            db = manager.create(java.util.Arrays.copyOf(y, size), new Shape(n, n));
        }
    }

    /** A graph {@code C = MatMul(A, B)} with A, B, C of n x n floats. */
    static ModelProto matMul(int n) {
        GraphProto g = GraphProto.newBuilder().setName("sgemm")
                .addInput(square("A", n)).addInput(square("B", n)).addOutput(square("C", n))
                .addNode(NodeProto.newBuilder().setOpType("MatMul").setName("matmul").addInput("A").addInput("B").addOutput("C"))
                .build();
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("verydeep-bench")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13)).setGraph(g).build();
    }

    private static ValueInfoProto square(String name, int n) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(n))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(n));
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(s))).build();
    }

    @Benchmark
    public void matmul(Blackhole bh) throws OrtException {
        if (session != null) {
            try (OrtSession.Result r = session.run(Map.of("A", a, "B", b))) {
                bh.consume(((OnnxTensor) r.get(0)).getFloatBuffer().get(0));
            }
        } else {
            try (NDManager m = manager.newSubManager()) {
                NDArray c = da.matMul(db);
                c.attach(m);
                bh.consume(c.getFloat(0, 0));
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws OrtException {
        if (session != null) {
            a.close();
            b.close();
            session.close();
        }
        if (manager != null) {
            manager.close();
        }
    }
}
