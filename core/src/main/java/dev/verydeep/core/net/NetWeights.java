package dev.verydeep.core.net;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The trained parameters of a described net, in the engine-neutral form every exporter reads.
 * Names are {@code <layer>.weight} and {@code <layer>.bias} with the layer names of
 * {@link NetDescription#layers()}. Shapes follow PyTorch/ONNX: conv weights {@code [out, in, k, k]},
 * FC weights {@code [out, in]} where FC1's input is the last conv map flattened in C,H,W order (so it
 * reshapes to a {@code [out, C, k, k]} conv kernel for the dense form), biases {@code [out]}.
 */
public final class NetWeights {
    /** One parameter tensor, row-major. */
    public record Tensor(long[] shape, float[] data) {
        public Tensor {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            if (n != data.length) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
            }
        }
    }

    private final NetDescription net;
    private final Map<String, Tensor> tensors;

    public NetWeights(NetDescription net, Map<String, Tensor> tensors) {
        this.net = net;
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        for (Layer l : net.layers()) {
            if (l.kind() == Layer.Kind.CONV || l.kind() == Layer.Kind.FC) {
                check(weightName(l), weightShape(l));
                check(biasName(l), new long[] {l.outChannels()});
            }
        }
    }

    private void check(String name, long[] expected) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("missing parameter " + name + " for " + net.label());
        }
        if (!Arrays.equals(t.shape(), expected)) {
            throw new IllegalArgumentException("parameter " + name + " has shape " + Arrays.toString(t.shape())
                    + ", the net description needs " + Arrays.toString(expected));
        }
    }

    public static String weightName(Layer l) {
        return l.name() + ".weight";
    }

    public static String biasName(Layer l) {
        return l.name() + ".bias";
    }

    /** Shape of a conv or FC layer's weight in this class's convention. */
    public static long[] weightShape(Layer l) {
        if (l.kind() == Layer.Kind.CONV) {
            return new long[] {l.outChannels(), l.inChannels(), l.kernel(), l.kernel()};
        }
        return new long[] {l.outChannels(), (long) l.inChannels() * l.kernel() * l.kernel()};
    }

    public NetDescription net() {
        return net;
    }

    public Map<String, Tensor> tensors() {
        return tensors;
    }

    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no parameter named " + name);
        }
        return t;
    }
}
