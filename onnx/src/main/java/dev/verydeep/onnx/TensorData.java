package dev.verydeep.onnx;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;

/**
 * A named dense tensor in ONNX's own representation: element type, shape, and the elements packed
 * little-endian exactly as a {@code TensorProto.raw_data} holds them (bool and 8-bit types one byte per
 * element, float16/bfloat16 as their 16-bit patterns). It is the one in-memory form that test data
 * sets, the verifier and the ONNX Runtime bridge share. Instances are immutable: the factories copy.
 */
public final class TensorData {
    private final String name;
    private final DataType type;
    private final long[] shape;
    private final byte[] data;

    private TensorData(String name, DataType type, long[] shape, byte[] data, boolean copy) {
        this.name = name == null ? "" : name;
        this.type = type;
        this.shape = shape.clone();
        long n = elementCount(this.shape);
        int size = elementSize(type);
        if (n * size != data.length) {
            throw new IllegalArgumentException("tensor '" + this.name + "' of type " + type + " and shape "
                    + Arrays.toString(shape) + " needs " + n * size + " bytes, got " + data.length);
        }
        this.data = copy ? data.clone() : data;
    }

    /** A tensor from little-endian element bytes (copied). */
    public static TensorData ofRaw(String name, DataType type, long[] shape, byte[] littleEndian) {
        return new TensorData(name, type, shape, littleEndian, true);
    }

    static TensorData wrapRaw(String name, DataType type, long[] shape, byte[] littleEndian) {
        return new TensorData(name, type, shape, littleEndian, false);
    }

    public static TensorData ofFloats(String name, long[] shape, float[] values) {
        ByteBuffer b = le(values.length * 4L);
        b.asFloatBuffer().put(values);
        return new TensorData(name, DataType.FLOAT, shape, b.array(), false);
    }

    public static TensorData ofDoubles(String name, long[] shape, double[] values) {
        ByteBuffer b = le(values.length * 8L);
        b.asDoubleBuffer().put(values);
        return new TensorData(name, DataType.DOUBLE, shape, b.array(), false);
    }

    public static TensorData ofLongs(String name, long[] shape, long[] values) {
        ByteBuffer b = le(values.length * 8L);
        b.asLongBuffer().put(values);
        return new TensorData(name, DataType.INT64, shape, b.array(), false);
    }

    public static TensorData ofInts(String name, long[] shape, int[] values) {
        ByteBuffer b = le(values.length * 4L);
        b.asIntBuffer().put(values);
        return new TensorData(name, DataType.INT32, shape, b.array(), false);
    }

    public static TensorData ofBools(String name, long[] shape, boolean[] values) {
        byte[] d = new byte[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte) (values[i] ? 1 : 0);
        }
        return new TensorData(name, DataType.BOOL, shape, d, false);
    }

    /** UINT8 or INT8 elements, one byte each. */
    public static TensorData ofBytes(String name, DataType type, long[] shape, byte[] values) {
        if (elementSize(type) != 1) {
            throw new IllegalArgumentException("ofBytes is for 1-byte types, not " + type);
        }
        return new TensorData(name, type, shape, values, true);
    }

    private static ByteBuffer le(long bytes) {
        if (bytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("tensor too large: " + bytes + " bytes");
        }
        return ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    public String name() {
        return name;
    }

    /** The same data under another name. */
    public TensorData withName(String newName) {
        return new TensorData(newName, type, shape, data, false);
    }

    public DataType type() {
        return type;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Number of elements (1 for a scalar). */
    public int size() {
        return (int) elementCount(shape);
    }

    /** The elements, little-endian (a copy). */
    public byte[] rawData() {
        return data.clone();
    }

    /** A read-only little-endian view of the elements, without copying. */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(data).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Element {@code i} (row-major) as a double; integers and booleans convert exactly up to 2^53. */
    public double getDouble(int i) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        return switch (type) {
            case FLOAT -> b.getFloat(i * 4);
            case DOUBLE -> b.getDouble(i * 8);
            case INT64 -> b.getLong(i * 8);
            case UINT64 -> unsignedLongToDouble(b.getLong(i * 8));
            case INT32 -> b.getInt(i * 4);
            case UINT32 -> Integer.toUnsignedLong(b.getInt(i * 4));
            case INT16 -> b.getShort(i * 2);
            case UINT16 -> Short.toUnsignedInt(b.getShort(i * 2));
            case INT8 -> data[i];
            case UINT8, BOOL -> Byte.toUnsignedInt(data[i]);
            case FLOAT16 -> halfToFloat(b.getShort(i * 2));
            case BFLOAT16 -> Float.intBitsToFloat((b.getShort(i * 2) & 0xffff) << 16);
            default -> throw new IllegalStateException("no numeric view of " + type);
        };
    }

    /** IEEE 754 binary16 to float (Java 17 has no {@code Float.float16ToFloat}). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** float to IEEE 754 binary16, rounding to nearest even (exact for values that came from binary16). */
    public static short floatToHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7fffffff;
        if (abs >= 0x7f800000) {
            return (short) (sign | (abs > 0x7f800000 ? 0x7e00 | ((abs >>> 13) & 0x3ff) : 0x7c00));
        }
        if (abs >= 0x477ff000) {
            return (short) (sign | 0x7c00);
        }
        if (abs < 0x38800000) {
            // subnormal half (or zero): value / 2^-24, rounded to nearest even
            float scaled = Float.intBitsToFloat(abs) * 0x1p24f;
            return (short) (sign | (int) Math.rint(scaled));
        }
        int exp = (abs >>> 23) - 127 + 15;
        int mant = abs & 0x7fffff;
        int half = (exp << 10) | (mant >>> 13);
        int rest = mant & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
            half++;
        }
        return (short) (sign | half);
    }

    private static double unsignedLongToDouble(long v) {
        double d = (double) (v >>> 1) * 2.0;
        return d + (v & 1);
    }

    /** All elements as doubles. */
    public double[] toDoubles() {
        double[] out = new double[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = getDouble(i);
        }
        return out;
    }

    /** The elements of a FLOAT tensor. */
    public float[] toFloats() {
        requireType(DataType.FLOAT);
        float[] out = new float[size()];
        buffer().asFloatBuffer().get(out);
        return out;
    }

    /** The elements of an INT64 tensor. */
    public long[] toLongs() {
        requireType(DataType.INT64);
        long[] out = new long[size()];
        buffer().asLongBuffer().get(out);
        return out;
    }

    private void requireType(DataType t) {
        if (type != t) {
            throw new IllegalStateException("tensor '" + name + "' is " + type + ", not " + t);
        }
    }

    /** The row-major multi-index of flat element {@code i}, e.g. {@code [0, 3, 1, 2]}. */
    public long[] index(int i) {
        long[] idx = new long[shape.length];
        long rest = i;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] > 0) {
                idx[d] = rest % shape[d];
                rest /= shape[d];
            }
        }
        return idx;
    }

    /** Bytes per element in the packed little-endian form. */
    public static int elementSize(DataType type) {
        return switch (type) {
            case FLOAT, INT32, UINT32 -> 4;
            case DOUBLE, INT64, UINT64 -> 8;
            case INT16, UINT16, FLOAT16, BFLOAT16 -> 2;
            case INT8, UINT8, BOOL -> 1;
            default -> throw new IllegalArgumentException("unsupported tensor element type " + type);
        };
    }

    /** Whether this class can hold elements of the type. */
    public static boolean supports(DataType type) {
        try {
            elementSize(type);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Product of the dims (1 for a scalar); refuses negative dims and more than 2^31 - 1 elements. */
    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more than 2^31 elements");
        }
        return n;
    }

    /** ONNX's short name of a type, e.g. {@code float32}, {@code int64}. */
    public static String typeName(DataType type) {
        return switch (type) {
            case FLOAT -> "float32";
            case DOUBLE -> "float64";
            case FLOAT16 -> "float16";
            case BFLOAT16 -> "bfloat16";
            default -> type.name().toLowerCase(Locale.ROOT);
        };
    }

    @Override
    public String toString() {
        return (name.isEmpty() ? "<unnamed>" : name) + " " + typeName(type) + Arrays.toString(shape);
    }
}
