package dev.verydeep.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verydeep.core.UserException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A model file that passed {@link OnnxModels#load}'s guard: its path, parsed protobuf and the exact bytes
 * that were checked (hand these, not the path, to a runtime when {@link #hasExternalData()} is false, so
 * what runs is what was checked).
 */
public final class OnnxModel {
    private final Path path;
    private final ModelProto proto;
    private final byte[] bytes;
    private final boolean externalData;

    OnnxModel(Path path, ModelProto proto, byte[] bytes, boolean externalData) {
        this.path = path;
        this.proto = proto;
        this.bytes = bytes;
        this.externalData = externalData;
    }

    public Path path() {
        return path;
    }

    public ModelProto proto() {
        return proto;
    }

    /** The checked file content. Not copied: do not modify. */
    public byte[] bytes() {
        return bytes;
    }

    /** Whether some tensors keep their data in (checked) files next to the model. */
    public boolean hasExternalData() {
        return externalData;
    }

    /** The verydeep metadata, if the model has any; bad metadata is a {@link UserException} naming the file. */
    public Optional<ModelMetadata> metadata() {
        try {
            return ModelMetadata.readOptional(proto);
        } catch (UserException e) {
            throw new UserException(path + ": " + e.getMessage(), e);
        }
    }

    /** What {@code verydeep inspect} prints. */
    public ModelReport report() {
        return ModelReport.of(this);
    }
}
