package dev.verydeep.onnx;

import dev.verydeep.core.io.AtomicFiles;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.verydeep.core.UserException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code TensorProto} files ({@code .pb}, as in ONNX's test data sets) to and from {@link TensorData}.
 * Reading accepts both {@code raw_data} (little-endian) and the typed fields ({@code float_data},
 * {@code int32_data} for the 8/16-bit and bool types, {@code int64_data}, {@code double_data},
 * {@code uint64_data}); writing uses {@code raw_data} unless asked for typed fields. String tensors,
 * segments and external data are refused with a {@link UserException}.
 */
public final class TensorProtos {
    /** Largest {@code .pb} file read (protobuf's own limit is 2 GB). */
    public static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 64;

    private TensorProtos() {
    }

    /** Reads a TensorProto file; every problem is a {@link UserException} naming the file. */
    public static TensorData read(Path file) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new UserException(file + ": " + size + " bytes is more than a TensorProto file can hold");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserException(file + ": no such file", e);
        } catch (IOException e) {
            throw new UserException(file + ": cannot read: " + e, e);
        }
        if (bytes.length == 0) {
            throw new UserException(file + ": empty file, expected a TensorProto");
        }
        TensorProto t;
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.enableAliasing(true);
            t = TensorProto.parseFrom(in);
            in.checkLastTagWas(0);
        } catch (InvalidProtocolBufferException e) {
            throw new UserException(file + ": not a TensorProto (" + e.getMessage() + ")", e);
        } catch (IOException | RuntimeException e) {
            throw new UserException(file + ": not a TensorProto (" + e + ")", e);
        }
        try {
            return fromProto(t);
        } catch (UserException | IllegalArgumentException e) {
            throw new UserException(file + ": " + e.getMessage(), e);
        }
    }

    /** Converts a TensorProto with its data inside the message. */
    public static TensorData fromProto(TensorProto t) {
        DataType type = supportedType(t);
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0) {
            throw new UserException("tensor '" + t.getName() + "' keeps its data in an external file, which is not supported here");
        }
        if (t.hasSegment()) {
            throw new UserException("tensor '" + t.getName() + "' is segmented, which is not supported");
        }
        long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        long n;
        try {
            n = TensorData.elementCount(shape);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new UserException("tensor '" + t.getName() + "': " + e.getMessage());
        }
        int size = TensorData.elementSize(type);
        if (t.hasRawData()) {
            ByteString raw = t.getRawData();
            if (raw.size() != n * size) {
                throw new UserException("tensor '" + t.getName() + "' of shape " + Arrays.toString(shape) + " and type "
                        + TensorData.typeName(type) + " needs " + n * size + " bytes of raw_data, has " + raw.size());
            }
            return TensorData.wrapRaw(t.getName(), type, shape, raw.toByteArray());
        }
        return TensorData.wrapRaw(t.getName(), type, shape, typedData(t, type, n, size));
    }

    /** The tensor's element type, which must be set, known and one {@link TensorData} holds. */
    private static DataType supportedType(TensorProto t) {
        if (!t.hasDataType() || t.getDataType() == DataType.UNDEFINED_VALUE) {
            throw new UserException("tensor '" + t.getName() + "' has no data type");
        }
        DataType type = DataType.forNumber(t.getDataType());
        if (type == null) {
            throw new UserException("tensor '" + t.getName() + "' has unknown data type " + t.getDataType());
        }
        if (type == DataType.STRING) {
            throw new UserException("tensor '" + t.getName() + "' holds strings, which are not supported");
        }
        if (!TensorData.supports(type)) {
            throw new UserException("tensor '" + t.getName() + "' has unsupported element type " + type);
        }
        return type;
    }

    /** The {@code n} elements of the typed field ONNX assigns to {@code type}, little-endian, {@code size} bytes each. */
    private static byte[] typedData(TensorProto t, DataType type, long n, int size) {
        ByteBuffer b = ByteBuffer.allocate((int) (n * size)).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case FLOAT -> {
                check(t, n, t.getFloatDataCount(), "float_data");
                t.getFloatDataList().forEach(b::putFloat);
            }
            case DOUBLE -> {
                check(t, n, t.getDoubleDataCount(), "double_data");
                t.getDoubleDataList().forEach(b::putDouble);
            }
            case INT64 -> {
                check(t, n, t.getInt64DataCount(), "int64_data");
                t.getInt64DataList().forEach(b::putLong);
            }
            case UINT64 -> {
                check(t, n, t.getUint64DataCount(), "uint64_data");
                t.getUint64DataList().forEach(b::putLong);
            }
            case UINT32 -> {
                check(t, n, t.getUint64DataCount(), "uint64_data");
                t.getUint64DataList().forEach(v -> b.putInt((int) (long) v));
            }
            case INT32 -> {
                check(t, n, t.getInt32DataCount(), "int32_data");
                t.getInt32DataList().forEach(b::putInt);
            }
            case INT16, UINT16, FLOAT16, BFLOAT16 -> {
                check(t, n, t.getInt32DataCount(), "int32_data");
                t.getInt32DataList().forEach(v -> b.putShort((short) (int) v));
            }
            case INT8, UINT8, BOOL -> {
                check(t, n, t.getInt32DataCount(), "int32_data");
                t.getInt32DataList().forEach(v -> b.put((byte) (int) v));
            }
            default -> throw new UserException("tensor '" + t.getName() + "' has unsupported element type " + type);
        }
        return b.array();
    }

    private static void check(TensorProto t, long n, int have, String field) {
        if (have != n) {
            throw new UserException("tensor '" + t.getName() + "' of shape " + t.getDimsList() + " needs " + n
                    + " values, its " + field + " has " + have);
        }
    }

    /** A TensorProto with the elements in {@code raw_data} (what ONNX's own tools write). */
    public static TensorProto toProto(TensorData t) {
        return TensorProto.newBuilder()
                .setName(t.name())
                .setDataType(t.type().getNumber())
                .addAllDims(boxed(t.shape()))
                .setRawData(ByteString.copyFrom(t.buffer()))
                .build();
    }

    /** A TensorProto with the elements in the typed field ONNX assigns to the type (no raw_data). */
    public static TensorProto toTypedProto(TensorData t) {
        TensorProto.Builder p = TensorProto.newBuilder()
                .setName(t.name())
                .setDataType(t.type().getNumber())
                .addAllDims(boxed(t.shape()));
        ByteBuffer b = t.buffer();
        int n = t.size();
        for (int i = 0; i < n; i++) {
            switch (t.type()) {
                case FLOAT -> p.addFloatData(b.getFloat(i * 4));
                case DOUBLE -> p.addDoubleData(b.getDouble(i * 8));
                case INT64 -> p.addInt64Data(b.getLong(i * 8));
                case UINT64 -> p.addUint64Data(b.getLong(i * 8));
                case UINT32 -> p.addUint64Data(Integer.toUnsignedLong(b.getInt(i * 4)));
                case INT32 -> p.addInt32Data(b.getInt(i * 4));
                case INT16 -> p.addInt32Data(b.getShort(i * 2));
                case UINT16, FLOAT16, BFLOAT16 -> p.addInt32Data(Short.toUnsignedInt(b.getShort(i * 2)));
                case INT8 -> p.addInt32Data(b.get(i));
                case UINT8, BOOL -> p.addInt32Data(Byte.toUnsignedInt(b.get(i)));
                default -> throw new IllegalArgumentException("unsupported type " + t.type());
            }
        }
        return p.build();
    }

    /** Writes a tensor as a TensorProto file with {@code raw_data}, atomically. */
    public static void write(Path file, TensorData t) {
        write(file, toProto(t));
    }

    /** Writes a TensorProto file atomically. */
    public static void write(Path file, TensorProto t) {
        AtomicFiles.write(file, t::writeTo);
    }

    private static List<Long> boxed(long[] v) {
        return Arrays.stream(v).boxed().toList();
    }
}
