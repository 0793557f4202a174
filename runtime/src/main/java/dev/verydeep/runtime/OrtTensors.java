package dev.verydeep.runtime;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import dev.verydeep.core.UserException;
import dev.verydeep.onnx.TensorData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Conversions between {@link TensorData} (ONNX's little-endian layout) and ONNX Runtime tensors. */
public final class OrtTensors {
    private OrtTensors() {
    }

    /** A new ORT tensor holding a copy of the data in a direct buffer; the caller closes it. */
    public static OnnxTensor toOnnx(OrtEnvironment env, TensorData t) throws OrtException {
        OnnxJavaType jt = javaType(t.type());
        ByteBuffer direct = ByteBuffer.allocateDirect(Math.max(1, t.size() * TensorData.elementSize(t.type()))).order(ByteOrder.nativeOrder());
        copy(t.buffer(), direct, TensorData.elementSize(t.type()));
        direct.rewind();
        direct.limit(t.size() * TensorData.elementSize(t.type()));
        return OnnxTensor.createTensor(env, direct, t.shape(), jt);
    }

    /** A copy of an ORT output as {@link TensorData}; non-tensor outputs (sequences, maps) are refused. */
    public static TensorData fromOnnx(String name, OnnxValue value) {
        if (!(value instanceof OnnxTensor tensor)) {
            throw new UserException("output '" + name + "' is a " + value.getType() + ", not a tensor");
        }
        TensorInfo info = tensor.getInfo();
        DataType type = dataType(info.onnxType);
        if (type == null || !TensorData.supports(type)) {
            throw new UserException("output '" + name + "' has unsupported element type " + info.onnxType);
        }
        int n = Math.toIntExact(info.getNumElements());
        ByteBuffer le = ByteBuffer.allocate(n * TensorData.elementSize(type)).order(ByteOrder.LITTLE_ENDIAN);
        // Typed views where ORT's Java API has them; getByteBuffer() is the raw copy for the rest.
        // float16/bfloat16 come out widened to float32 (exactly), and are narrowed back to their bits.
        switch (type) {
            case FLOAT -> le.asFloatBuffer().put(tensor.getFloatBuffer());
            case DOUBLE -> le.asDoubleBuffer().put(tensor.getDoubleBuffer());
            case INT64 -> le.asLongBuffer().put(tensor.getLongBuffer());
            case INT32 -> le.asIntBuffer().put(tensor.getIntBuffer());
            case INT16 -> le.asShortBuffer().put(tensor.getShortBuffer());
            case FLOAT16, BFLOAT16 -> {
                java.nio.FloatBuffer f = tensor.getFloatBuffer();
                for (int i = 0; i < n; i++) {
                    float v = f.get(i);
                    le.putShort(i * 2, type == DataType.FLOAT16 ? TensorData.floatToHalf(v) : (short) (Float.floatToRawIntBits(v) >>> 16));
                }
            }
            default -> {
                ByteBuffer raw = tensor.getByteBuffer().order(ByteOrder.nativeOrder());
                raw.rewind();
                if (raw.remaining() != le.capacity()) {
                    throw new UserException("output '" + name + "' (" + info.onnxType + "): ORT returned " + raw.remaining()
                            + " bytes for " + n + " elements");
                }
                copy(raw, le, TensorData.elementSize(type));
            }
        }
        return TensorData.ofRaw(name, type, info.getShape(), le.array());
    }

    /** Copies elements of {@code size} bytes, swapping bytes when the two buffers' orders differ. */
    private static void copy(ByteBuffer from, ByteBuffer to, int size) {
        ByteBuffer src = from.duplicate().order(from.order());
        if (src.order() == to.order() || size == 1) {
            to.put(src);
            return;
        }
        byte[] e = new byte[size];
        while (src.remaining() >= size) {
            src.get(e);
            for (int i = size - 1; i >= 0; i--) {
                to.put(e[i]);
            }
        }
    }

    /**
     * The ONNX element type of an ORT tensor type. By name: ORT's Java enum numbers its constants in its
     * own order ({@code value} 10 is float), not with ONNX's {@code TensorProto.DataType} numbers.
     */
    public static DataType dataType(TensorInfo.OnnxTensorType t) {
        String name = t.name().replace("ONNX_TENSOR_ELEMENT_DATA_TYPE_", "");
        try {
            return DataType.valueOf(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** ORT's Java type for an ONNX element type. */
    public static OnnxJavaType javaType(DataType type) {
        return switch (type) {
            case FLOAT -> OnnxJavaType.FLOAT;
            case DOUBLE -> OnnxJavaType.DOUBLE;
            case INT8 -> OnnxJavaType.INT8;
            case INT16 -> OnnxJavaType.INT16;
            case INT32 -> OnnxJavaType.INT32;
            case INT64 -> OnnxJavaType.INT64;
            case UINT8 -> OnnxJavaType.UINT8;
            case BOOL -> OnnxJavaType.BOOL;
            case FLOAT16 -> OnnxJavaType.FLOAT16;
            case BFLOAT16 -> OnnxJavaType.BFLOAT16;
            default -> throw new UserException("ONNX Runtime's Java API cannot take " + TensorData.typeName(type) + " inputs");
        };
    }
}
