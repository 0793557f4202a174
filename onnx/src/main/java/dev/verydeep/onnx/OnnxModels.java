package dev.verydeep.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.FunctionProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.SparseTensorProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TrainingInfoProto;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.verydeep.core.UserException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Loads ONNX model files behind a guard that runs before anything is handed to ONNX Runtime. Refused,
 * each with a {@link UserException} naming the file:
 * <ul>
 *   <li>a missing, unreadable, empty or over-2-GB file;</li>
 *   <li>bytes that are not a protobuf (truncated files, random bytes);</li>
 *   <li>a valid protobuf that is not a model: no IR version, no graph, no opset import;</li>
 *   <li>a tensor anywhere in the model (initializers, Constant and other tensor attributes, sparse
 *       initializers, subgraphs, functions, training info) whose external data {@code location} is
 *       missing, absolute, contains a {@code ..} component, is not a regular file, or resolves (through
 *       symlinks) outside the model's folder, or whose offset/length run past the file's end. These are
 *       the directory traversals of ONNX CVE-2022-25882 and CVE-2024-27318.</li>
 * </ul>
 */
public final class OnnxModels {
    /** Protobuf cannot hold more than 2 GB; larger models must use external data. */
    public static final long MAX_MODEL_BYTES = Integer.MAX_VALUE - 64;

    private OnnxModels() {
    }

    /** Reads and checks a model file. */
    public static OnnxModel load(Path file) {
        byte[] bytes = readBytes(file);
        ModelProto proto = parse(file, bytes);
        checkIsModel(file, proto);
        boolean external = checkExternalData(file, proto);
        return new OnnxModel(file, proto, bytes, external);
    }

    private static byte[] readBytes(Path file) {
        try {
            if (Files.isDirectory(file)) {
                throw new UserException(file + ": is a folder, expected an .onnx file");
            }
            long size = Files.size(file);
            if (size == 0) {
                throw new UserException(file + ": empty file, expected an ONNX model");
            }
            if (size > MAX_MODEL_BYTES) {
                throw new UserException(file + ": " + size + " bytes; an ONNX protobuf file cannot exceed 2 GB "
                        + "(larger models keep their weights as external data)");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserException(file + ": no such file", e);
        } catch (IOException e) {
            throw new UserException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static ModelProto parse(Path file, byte[] bytes) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.enableAliasing(true);
            in.setSizeLimit(Integer.MAX_VALUE);
            ModelProto m = ModelProto.parseFrom(in);
            in.checkLastTagWas(0);
            return m;
        } catch (InvalidProtocolBufferException e) {
            throw new UserException(file + ": not an ONNX model: the file is not a valid protobuf ("
                    + e.getMessage() + "); truncated or not a model file?", e);
        } catch (IOException e) {
            throw new UserException(file + ": not an ONNX model: " + e.getMessage(), e);
        } catch (RuntimeException | StackOverflowError e) {
            throw new UserException(file + ": not an ONNX model: the protobuf cannot be parsed (" + e + ")", e);
        }
    }

    private static void checkIsModel(Path file, ModelProto m) {
        if (!m.hasGraph()) {
            throw new UserException(file + ": a protobuf but not an ONNX model: it has no graph");
        }
        if (!m.hasIrVersion() || m.getIrVersion() <= 0) {
            throw new UserException(file + ": a protobuf but not an ONNX model: it has no IR version");
        }
        if (m.getOpsetImportCount() == 0) {
            throw new UserException(file + ": not a usable ONNX model: it imports no operator set");
        }
        GraphProto g = m.getGraph();
        if (g.getNodeCount() == 0) {
            throw new UserException(file + ": not a usable ONNX model: its graph has no nodes");
        }
        if (g.getOutputCount() == 0) {
            throw new UserException(file + ": not a usable ONNX model: its graph has no outputs");
        }
    }

    /** Checks every external-data reference; returns whether there are any. */
    private static boolean checkExternalData(Path file, ModelProto m) {
        List<TensorProto> external = new ArrayList<>();
        forEachTensor(m, t -> {
            if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0) {
                external.add(t);
            }
        });
        if (external.isEmpty()) {
            return false;
        }
        Path dir = file.toAbsolutePath().getParent();
        Path realDir;
        try {
            realDir = dir.toRealPath();
        } catch (IOException e) {
            throw new UserException(file + ": cannot resolve the model's folder: " + e.getMessage(), e);
        }
        for (TensorProto t : external) {
            checkExternal(file, realDir, t);
        }
        return true;
    }

    private static void checkExternal(Path file, Path realDir, TensorProto t) {
        String what = file + ": tensor '" + t.getName() + "' refers to external data";
        String location = null;
        long offset = 0;
        long length = -1;
        for (StringStringEntryProto e : t.getExternalDataList()) {
            switch (e.getKey()) {
                case "location" -> location = e.getValue();
                case "offset" -> offset = number(what, "offset", e.getValue());
                case "length" -> length = number(what, "length", e.getValue());
                default -> {
                    // checksum and unknown keys carry no path
                }
            }
        }
        if (location == null || location.isEmpty()) {
            throw new UserException(what + " without a location; refused");
        }
        if (location.indexOf('\0') >= 0) {
            throw new UserException(what + " with a NUL byte in its location; refused");
        }
        if (location.startsWith("/") || location.startsWith("\\") || location.matches("^[A-Za-z]:.*") || location.startsWith("~")) {
            throw new UserException(what + " at absolute path '" + location + "'; refused (external data must be inside the model's folder)");
        }
        for (String part : location.split("[/\\\\]")) {
            if (part.equals("..")) {
                throw new UserException(what + " at '" + location + "', which contains '..'; refused (external data must be inside the model's folder)");
            }
        }
        Path target = realDir.resolve(location).normalize();
        if (!target.startsWith(realDir)) {
            throw new UserException(what + " at '" + location + "' outside the model's folder; refused");
        }
        Path real;
        try {
            real = target.toRealPath();
        } catch (NoSuchFileException e) {
            throw new UserException(what + " at '" + location + "', which does not exist");
        } catch (IOException e) {
            throw new UserException(what + " at '" + location + "', which cannot be resolved: " + e.getMessage(), e);
        }
        if (!real.startsWith(realDir)) {
            throw new UserException(what + " at '" + location + "', a symlink that resolves to " + real
                    + " outside the model's folder " + realDir + "; refused");
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new UserException(what + " at '" + location + "', which is not a regular file; refused");
        }
        try {
            long size = Files.size(real);
            if (offset < 0 || offset > size || (length >= 0 && offset + length > size)) {
                throw new UserException(what + " at '" + location + "' with offset " + offset + " and length " + length
                        + " past the end of the " + size + "-byte file");
            }
        } catch (IOException e) {
            throw new UserException(what + " at '" + location + "', which cannot be read: " + e.getMessage(), e);
        }
    }

    private static long number(String what, String key, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new UserException(what + " with a non-numeric " + key + " '" + value + "'");
        }
    }

    /** Visits every tensor in a model: graph and subgraphs, attributes, sparse tensors, functions, training info. */
    public static void forEachTensor(ModelProto m, Consumer<TensorProto> visitor) {
        if (m.hasGraph()) {
            forEachTensor(m.getGraph(), visitor, 0);
        }
        for (TrainingInfoProto ti : m.getTrainingInfoList()) {
            forEachTensor(ti.getInitialization(), visitor, 0);
            forEachTensor(ti.getAlgorithm(), visitor, 0);
        }
        for (FunctionProto f : m.getFunctionsList()) {
            for (NodeProto n : f.getNodeList()) {
                forEachTensor(n, visitor, 0);
            }
        }
    }

    private static void forEachTensor(GraphProto g, Consumer<TensorProto> visitor, int depth) {
        if (depth > 64) {
            throw new UserException("graph nesting deeper than 64 levels");
        }
        g.getInitializerList().forEach(visitor);
        for (SparseTensorProto s : g.getSparseInitializerList()) {
            visitor.accept(s.getValues());
            visitor.accept(s.getIndices());
        }
        for (NodeProto n : g.getNodeList()) {
            forEachTensor(n, visitor, depth);
        }
    }

    private static void forEachTensor(NodeProto n, Consumer<TensorProto> visitor, int depth) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.hasT()) {
                visitor.accept(a.getT());
            }
            a.getTensorsList().forEach(visitor);
            if (a.hasSparseTensor()) {
                visitor.accept(a.getSparseTensor().getValues());
                visitor.accept(a.getSparseTensor().getIndices());
            }
            for (SparseTensorProto s : a.getSparseTensorsList()) {
                visitor.accept(s.getValues());
                visitor.accept(s.getIndices());
            }
            if (a.hasG()) {
                forEachTensor(a.getG(), visitor, depth + 1);
            }
            for (GraphProto sub : a.getGraphsList()) {
                forEachTensor(sub, visitor, depth + 1);
            }
        }
    }
}
