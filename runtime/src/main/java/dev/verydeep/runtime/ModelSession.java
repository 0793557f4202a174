package dev.verydeep.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.verydeep.core.UserException;
import dev.verydeep.onnx.OnnxModel;
import dev.verydeep.onnx.TensorData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX Runtime session over a checked model, with the device it actually runs on. Close it (it owns
 * native memory); {@link #run} closes every tensor it creates.
 */
public final class ModelSession implements AutoCloseable {
    private final OnnxModel model;
    private final OrtSession session;
    private final DeviceSelection device;

    ModelSession(OnnxModel model, OrtSession session, DeviceSelection device) {
        this.model = model;
        this.session = session;
        this.device = device;
    }

    public OnnxModel model() {
        return model;
    }

    /** The underlying ORT session, for callers that manage tensors themselves. */
    public OrtSession session() {
        return session;
    }

    /** Requested and actually used device (record it in result files). */
    public DeviceSelection device() {
        return device;
    }

    /** Graph inputs (without initializers) in model order. */
    public List<String> inputNames() {
        return new ArrayList<>(inputInfo().keySet());
    }

    /** Graph outputs in model order. */
    public List<String> outputNames() {
        try {
            return new ArrayList<>(session.getOutputInfo().keySet());
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, NodeInfo> inputInfo() {
        try {
            return session.getInputInfo();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs the model on named inputs and returns every output by name, in model order. ORT failures
     * (wrong shapes, types) become a {@link UserException} naming the model.
     */
    public Map<String, TensorData> run(Map<String, TensorData> inputs) {
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, TensorData> e : inputs.entrySet()) {
                feed.put(e.getKey(), OrtTensors.toOnnx(Sessions.environment(), e.getValue()));
            }
            try (OrtSession.Result r = session.run(feed)) {
                Map<String, TensorData> out = new LinkedHashMap<>();
                for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : r) {
                    out.put(e.getKey(), OrtTensors.fromOnnx(e.getKey(), e.getValue()));
                }
                return out;
            }
        } catch (OrtException e) {
            throw new UserException(model.path() + ": ONNX Runtime failed to run the model: " + e.getMessage(), e);
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing the ONNX Runtime session of " + model.path(), e);
        }
    }
}
