package dev.verydeep.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import com.google.protobuf.ByteString;
import dev.verydeep.core.UserException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorProtosTest {
    @TempDir
    Path tmp;

    /** The 2x3 test values of each type, as Python builds them too. */
    static final Map<String, DataType> TYPES = new LinkedHashMap<>();

    static {
        TYPES.put("float32", DataType.FLOAT);
        TYPES.put("float64", DataType.DOUBLE);
        TYPES.put("float16", DataType.FLOAT16);
        TYPES.put("int64", DataType.INT64);
        TYPES.put("int32", DataType.INT32);
        TYPES.put("int16", DataType.INT16);
        TYPES.put("int8", DataType.INT8);
        TYPES.put("uint8", DataType.UINT8);
        TYPES.put("uint16", DataType.UINT16);
        TYPES.put("bool", DataType.BOOL);
    }

    static double expected(String type, int i) {
        return switch (type) {
            case "float32", "float64", "float16" -> i * 0.5 - 1.25;
            case "bool" -> new int[] {1, 0, 1, 1, 0, 0}[i];
            case "uint8" -> i;
            case "uint16" -> i + 50000;
            default -> i - 2;
        };
    }

    static TensorData javaTensor(String type) {
        DataType dt = TYPES.get(type);
        long[] shape = {2, 3};
        ByteBuffer b = ByteBuffer.allocate(6 * TensorData.elementSize(dt)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 6; i++) {
            double v = expected(type, i);
            switch (dt) {
                case FLOAT -> b.putFloat((float) v);
                case DOUBLE -> b.putDouble(v);
                case FLOAT16 -> b.putShort(floatToHalf((float) v));
                case INT64 -> b.putLong((long) v);
                case INT32 -> b.putInt((int) v);
                case INT16, UINT16 -> b.putShort((short) (int) v);
                default -> b.put((byte) (int) v);
            }
        }
        return TensorData.ofRaw(type, dt, shape, b.array());
    }

    /** Exact for the test values (multiples of 0.25 in [-2, 2]). */
    static short floatToHalf(float f) {
        int bits = Float.floatToIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        if (f == 0) {
            return (short) sign;
        }
        int exp = ((bits >>> 23) & 0xff) - 127 + 15;
        int mant = (bits >>> 13) & 0x3ff;
        return (short) (sign | (exp << 10) | mant);
    }

    @Test
    void readsWhatPythonOnnxWritesRawAndTyped() {
        String script = String.join("\n",
                "import sys, numpy as np",
                "from onnx import numpy_helper, helper, TensorProto, mapping",
                "out = sys.argv[1]",
                "types = " + pyTypes(),
                "for name in types:",
                "    i = np.arange(6)",
                "    if name in ('float32', 'float64', 'float16'): a = i * 0.5 - 1.25",
                "    elif name == 'bool': a = np.array([1, 0, 1, 1, 0, 0])",
                "    elif name == 'uint8': a = i",
                "    elif name == 'uint16': a = i + 50000",
                "    else: a = i - 2",
                "    a = a.astype(name).reshape(2, 3)",
                "    open(out + '/' + name + '_raw.pb', 'wb').write(numpy_helper.from_array(a, name).SerializeToString())",
                "    code = mapping.NP_TYPE_TO_TENSOR_TYPE[a.dtype]",
                "    t = helper.make_tensor(name, code, a.shape, a.flatten().tolist(), raw=False)",
                "    assert not t.HasField('raw_data')",
                "    open(out + '/' + name + '_typed.pb', 'wb').write(t.SerializeToString())",
                "print('written', len(types))");
        String out = PythonOnnx.run(script, List.of(tmp.toString()));
        assertTrue(out.contains("written " + TYPES.size()), out);
        for (String type : TYPES.keySet()) {
            for (String kind : List.of("raw", "typed")) {
                TensorData t = TensorProtos.read(tmp.resolve(type + "_" + kind + ".pb"));
                assertEquals(TYPES.get(type), t.type(), type + " " + kind);
                assertEquals(type, t.name());
                assertArrayEquals(new long[] {2, 3}, t.shape());
                for (int i = 0; i < 6; i++) {
                    assertEquals(expected(type, i), t.getDouble(i), 0.0, type + " " + kind + " element " + i);
                }
            }
        }
    }

    @Test
    void pythonOnnxReadsWhatWeWriteRawAndTyped() {
        List<String> files = new ArrayList<>();
        for (String type : TYPES.keySet()) {
            TensorData t = javaTensor(type);
            Path raw = tmp.resolve(type + "_raw.pb");
            Path typed = tmp.resolve(type + "_typed.pb");
            TensorProtos.write(raw, t);
            TensorProtos.write(typed, TensorProtos.toTypedProto(t));
            files.add(raw.toString());
            files.add(typed.toString());
        }
        String script = String.join("\n",
                "import sys, onnx",
                "from onnx import numpy_helper",
                "for p in sys.argv[1:]:",
                "    t = onnx.load_tensor(p)",
                "    a = numpy_helper.to_array(t)",
                "    print(p.split('/')[-1], t.HasField('raw_data'), str(a.dtype), list(a.shape), [float(x) for x in a.flatten()])");
        String out = PythonOnnx.run(script, files);
        for (String type : TYPES.keySet()) {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                values.add(String.valueOf(expected(type, i)));
            }
            String want = type + " [2, 3] [" + String.join(", ", values) + "]";
            assertTrue(out.contains(type + "_raw.pb True " + want), "raw " + type + " in\n" + out);
            assertTrue(out.contains(type + "_typed.pb False " + want), "typed " + type + " in\n" + out);
        }
    }

    private static String pyTypes() {
        return "[" + String.join(", ", TYPES.keySet().stream().map(s -> "'" + s + "'").toList()) + "]";
    }

    @Test
    void roundTripsEveryTypeInJava() {
        for (String type : TYPES.keySet()) {
            TensorData t = javaTensor(type);
            for (TensorProto p : List.of(TensorProtos.toProto(t), TensorProtos.toTypedProto(t))) {
                TensorData back = TensorProtos.fromProto(p);
                assertEquals(t.type(), back.type());
                assertArrayEquals(t.rawData(), back.rawData(), type);
            }
        }
        TensorData scalar = TensorData.ofFloats("s", new long[0], new float[] {3.5f});
        assertEquals(3.5, TensorProtos.fromProto(TensorProtos.toProto(scalar)).getDouble(0));
        TensorData empty = TensorData.ofFloats("e", new long[] {0, 3}, new float[0]);
        assertEquals(0, TensorProtos.fromProto(TensorProtos.toProto(empty)).size());
    }

    @Test
    void readsTheNodeTestDataOfLibonnxTestdata() {
        Path set = Path.of("/usr/share/libonnx-testdata/data/node/test_maxpool_2d_uint8/test_data_set_0");
        assertTrue(Files.isDirectory(set), "libonnx-testdata missing: run bin/install-test-deps");
        TestDataSets.TestDataSet s = TestDataSets.read(set);
        assertEquals(DataType.UINT8, s.inputs().get(0).type());
        assertArrayEquals(new long[] {1, 1, 5, 5}, s.inputs().get(0).shape());
        assertEquals(1, s.inputs().get(0).getDouble(0));
        assertEquals(25, s.inputs().get(0).getDouble(24));
        assertEquals(DataType.UINT8, s.outputs().get(0).type());
    }

    @Test
    void badTensorFilesAreUserErrorsNamingTheFile() throws IOException {
        Path empty = Files.write(tmp.resolve("empty.pb"), new byte[0]);
        Path garbage = Files.write(tmp.resolve("garbage.pb"), new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02});
        TensorProto shortRaw = TensorProto.newBuilder().setName("x").setDataType(DataType.FLOAT_VALUE).addDims(4)
                .setRawData(ByteString.copyFrom(new byte[12])).build();
        Path shortFile = Files.write(tmp.resolve("short.pb"), shortRaw.toByteArray());
        TensorProto strings = TensorProto.newBuilder().setName("s").setDataType(DataType.STRING_VALUE).addDims(1)
                .addStringData(ByteString.copyFromUtf8("a")).build();
        Path stringFile = Files.write(tmp.resolve("strings.pb"), strings.toByteArray());
        TensorProto external = TensorProto.newBuilder().setName("e").setDataType(DataType.FLOAT_VALUE).addDims(1)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL).build();
        Path externalFile = Files.write(tmp.resolve("external.pb"), external.toByteArray());
        TensorProto fewTyped = TensorProto.newBuilder().setName("f").setDataType(DataType.FLOAT_VALUE).addDims(3)
                .addFloatData(1f).build();
        Path fewFile = Files.write(tmp.resolve("few.pb"), fewTyped.toByteArray());
        Map<Path, String> cases = new LinkedHashMap<>();
        cases.put(empty, "empty");
        cases.put(garbage, "not a TensorProto");
        cases.put(shortFile, "needs 16 bytes");
        cases.put(stringFile, "strings");
        cases.put(externalFile, "external");
        cases.put(fewFile, "needs 3 values");
        cases.put(tmp.resolve("missing.pb"), "no such file");
        cases.forEach((file, words) -> {
            UserException e = assertThrows(UserException.class, () -> TensorProtos.read(file), file.toString());
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            assertTrue(e.getMessage().contains(words), e.getMessage());
        });
    }
}
