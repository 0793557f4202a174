package dev.verydeep.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.verydeep.core.UserException;
import dev.verydeep.core.net.Layer;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.core.net.NetWeights;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The trained parameters of a model {@link OnnxExporter} wrote, read back as {@link NetWeights}: the inverse of its
 * initializers. Both forms hold every tensor under its {@code NetWeights} name as little-endian floats; the dense form
 * keeps the FC weights as conv kernels ({@code [out, C, k, k]}, FC1's input flattened in C,H,W order: the same values
 * in the same order), which this reshapes back to {@code [out, C*k*k]}. The values are the exported ones, bit for bit.
 *
 * <p>The net comes from the model's metadata ({@value ModelMetadata#KEY_NET}); a model without it is refused, saying
 * what is missing: a foreign graph has no verydeep metadata at all, and one {@code verydeep convert} rewrote has
 * metadata for evaluation but no net description.
 */
public final class OnnxWeights {
    private OnnxWeights() {
    }

    /** The model's metadata, which must describe its net (as {@code verydeep export} writes it). */
    public static ModelMetadata metadata(OnnxModel model) {
        ModelMetadata meta = model.metadata().orElseThrow(() -> new UserException(model.path() + ": has no verydeep metadata ("
                + ModelMetadata.KEY_FORMAT + ", " + ModelMetadata.KEY_NET + "), so no net description naming its layers; only a model "
                + "written by verydeep export can start a run (verydeep convert makes a foreign VGG evaluable, not trainable)"));
        if (meta.net() == null) {
            throw new UserException(model.path() + ": its verydeep metadata has no net description (" + ModelMetadata.KEY_NET
                    + "), as verydeep convert writes it; only a model written by verydeep export can start a run");
        }
        return meta;
    }

    /** The weights of a model verydeep exported (either form); anything else is a {@link UserException} naming the file. */
    public static NetWeights read(OnnxModel model) {
        NetDescription net = metadata(model).net();
        Map<String, TensorProto> init = new HashMap<>();
        model.proto().getGraph().getInitializerList().forEach(t -> init.put(t.getName(), t));
        Map<String, NetWeights.Tensor> out = new LinkedHashMap<>();
        try {
            for (Layer l : net.layers()) {
                if (l.kind() == Layer.Kind.CONV || l.kind() == Layer.Kind.FC) {
                    out.put(NetWeights.weightName(l), tensor(init, NetWeights.weightName(l), NetWeights.weightShape(l), denseShape(l)));
                    long[] bias = {l.outChannels()};
                    out.put(NetWeights.biasName(l), tensor(init, NetWeights.biasName(l), bias, bias));
                }
            }
        } catch (UserException e) {
            throw new UserException(model.path() + ": " + e.getMessage() + " (" + net.label() + " as verydeep export writes it)", e);
        }
        return new NetWeights(net, out);
    }

    /** How the dense form stores a layer's weight: FC layers as conv kernels. */
    private static long[] denseShape(Layer l) {
        return l.kind() == Layer.Kind.FC ? new long[] {l.outChannels(), l.inChannels(), l.kernel(), l.kernel()} : NetWeights.weightShape(l);
    }

    /** The initializer {@code name} as a tensor of {@code shape}; it must be float and stored as {@code shape} or {@code stored}. */
    private static NetWeights.Tensor tensor(Map<String, TensorProto> init, String name, long[] shape, long[] stored) {
        TensorProto t = init.get(name);
        if (t == null) {
            throw new UserException("no initializer '" + name + "'");
        }
        TensorData d = TensorProtos.fromProto(t);
        if (d.type() != TensorProto.DataType.FLOAT) {
            throw new UserException("initializer '" + name + "' holds " + TensorData.typeName(d.type()) + ", expected float");
        }
        if (!Arrays.equals(d.shape(), shape) && !Arrays.equals(d.shape(), stored)) {
            throw new UserException("initializer '" + name + "' has shape " + Arrays.toString(d.shape()) + ", expected "
                    + Arrays.toString(shape) + (Arrays.equals(shape, stored) ? "" : " or " + Arrays.toString(stored)));
        }
        return new NetWeights.Tensor(shape, d.toFloats());
    }
}
