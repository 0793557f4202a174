package dev.verydeep.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import dev.verydeep.core.net.Layer;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.core.net.NetWeights;
import java.nio.FloatBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DJL block of a described net (classifier form), and the map from the description's layer
 * names to the blocks holding their weights, so weights move in and out by name
 * ({@link NetWeights} convention: conv {@code [out,in,k,k]}, FC {@code [out,in]}).
 */
public final class VggNet {
    private final NetDescription net;
    private final SequentialBlock block;
    private final Map<String, Block> weightLayers;
    /** For the dense form: number of leading children whose output is the penultimate map (FC2 after ReLU); else -1. */
    private final int penultimateEnd;

    private VggNet(NetDescription net, SequentialBlock block, Map<String, Block> weightLayers, int penultimateEnd) {
        this.net = net;
        this.block = block;
        this.weightLayers = Collections.unmodifiableMap(weightLayers);
        this.penultimateEnd = penultimateEnd;
    }

    /**
     * Builds the fully convolutional form (section 3.2): FC1 as a (crop/32)x(crop/32) conv, FC2 and FC3 as 1x1
     * convs, no dropout. It takes the classifier's {@link NetWeights} unchanged (an FC weight {@code [out, C*k*k]}
     * is the conv kernel {@code [out, C, k, k]} in row-major order) and runs on inputs of any size >= crop.
     */
    public static VggNet buildDense(NetDescription net) {
        SequentialBlock seq = new SequentialBlock();
        Map<String, Block> layers = new LinkedHashMap<>();
        int penultimateEnd = -1;
        for (Layer l : net.layers()) {
            switch (l.kind()) {
                case CONV, FC -> {
                    Block conv = Conv2d.builder().setKernelShape(new Shape(l.kernel(), l.kernel()))
                            .optPadding(new Shape(l.padding(), l.padding())).setFilters(l.outChannels()).build();
                    seq.add(conv);
                    layers.put(l.name(), conv);
                    if (!l.name().equals("fc8")) {
                        seq.add(Activation.reluBlock());
                    }
                    if (l.name().equals("fc7")) {
                        penultimateEnd = seq.getChildren().size();
                    }
                }
                case LRN -> seq.add(Lrn.block(net.lrn()));
                case MAXPOOL -> seq.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
            }
        }
        return new VggNet(net, seq, layers, penultimateEnd);
    }

    /** Dense form only: {score map [N,K,h,w], penultimate map [N,F,h,w]} of an input batch. */
    public NDList forwardDense(ai.djl.training.ParameterStore store, NDArray input) {
        if (penultimateEnd < 0) {
            throw new IllegalStateException("forwardDense needs the net from buildDense");
        }
        NDList x = new NDList(input);
        NDArray penultimate = null;
        int i = 0;
        for (var child : block.getChildren()) {
            x = child.getValue().forward(store, x, false);
            if (++i == penultimateEnd) {
                penultimate = x.singletonOrThrow();
            }
        }
        return new NDList(x.singletonOrThrow(), penultimate);
    }

    /** Builds the classifier: conv stacks with ReLU, LRN where the config has it, 2x2 max-pools, FC-ReLU-dropout x2, FC. */
    public static VggNet build(NetDescription net, float dropout) {
        SequentialBlock seq = new SequentialBlock();
        Map<String, Block> layers = new LinkedHashMap<>();
        List<Layer> all = net.layers();
        for (Layer l : all) {
            switch (l.kind()) {
                case CONV -> {
                    Block conv = Conv2d.builder().setKernelShape(new Shape(l.kernel(), l.kernel()))
                            .optPadding(new Shape(l.padding(), l.padding())).setFilters(l.outChannels()).build();
                    seq.add(conv).add(Activation.reluBlock());
                    layers.put(l.name(), conv);
                }
                case LRN -> seq.add(Lrn.block(net.lrn()));
                case MAXPOOL -> seq.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
                case FC -> {
                    if (l.name().equals("fc6")) {
                        seq.add(Blocks.batchFlattenBlock());
                    }
                    Block fc = Linear.builder().setUnits(l.outChannels()).build();
                    seq.add(fc);
                    layers.put(l.name(), fc);
                    if (!l.name().equals("fc8")) { // no ReLU or dropout on the class scores
                        seq.add(Activation.reluBlock());
                        if (dropout > 0) {
                            seq.add(Dropout.builder().optRate(dropout).build());
                        }
                    }
                }
            }
        }
        return new VggNet(net, seq, layers, -1);
    }

    public NetDescription net() {
        return net;
    }

    public SequentialBlock block() {
        return block;
    }

    /** Input shape for one crop-sized image batch of size n. */
    public Shape inputShape(int n) {
        return new Shape(n, 3, net.crop(), net.crop());
    }

    /** The DJL parameter of a named tensor ({@code conv1_1.weight}, {@code fc8.bias}, ...). */
    public Parameter parameter(String tensorName) {
        int dot = tensorName.lastIndexOf('.');
        Block b = weightLayers.get(tensorName.substring(0, dot));
        if (b == null) {
            throw new IllegalArgumentException("no layer " + tensorName.substring(0, dot) + " in " + net.label());
        }
        return b.getParameters().get(tensorName.substring(dot + 1));
    }

    private Layer layer(String tensorName) {
        String layerName = tensorName.substring(0, tensorName.lastIndexOf('.'));
        return net.layers().stream().filter(l -> l.name().equals(layerName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no layer " + layerName + " in " + net.label()));
    }

    /** Tensor names in description order: conv1_1.weight, conv1_1.bias, ..., fc8.bias. */
    public List<String> tensorNames() {
        return weightLayers.keySet().stream().flatMap(n -> java.util.stream.Stream.of(n + ".weight", n + ".bias")).toList();
    }

    /** Copies the current (initialised) parameters out, in the engine-neutral form. */
    public NetWeights weights() {
        Map<String, NetWeights.Tensor> out = new LinkedHashMap<>();
        for (String name : tensorNames()) {
            NDArray a = parameter(name).getArray();
            Layer layer = layer(name);
            long[] shape = name.endsWith(".weight") ? NetWeights.weightShape(layer) : new long[] {layer.outChannels()};
            out.put(name, new NetWeights.Tensor(shape, a.toFloatArray()));
        }
        return new NetWeights(net, out);
    }

    /** Overwrites the named parameters with the given tensors (shapes must match). */
    public void load(Map<String, NetWeights.Tensor> tensors) {
        for (Map.Entry<String, NetWeights.Tensor> e : tensors.entrySet()) {
            NDArray a = parameter(e.getKey()).getArray();
            // the dense form holds FC weights as conv kernels: same values, same order, other shape
            boolean denseFc = penultimateEnd >= 0 && layer(e.getKey()).kind() == Layer.Kind.FC
                    && a.getShape().size() == e.getValue().data().length;
            if (!denseFc && !java.util.Arrays.equals(a.getShape().getShape(), e.getValue().shape())) {
                throw new IllegalArgumentException(e.getKey() + ": shape " + java.util.Arrays.toString(e.getValue().shape())
                        + " does not fit " + a.getShape());
            }
            a.set(FloatBuffer.wrap(e.getValue().data()));
        }
    }

    /** Total number of parameter values in the DJL block (to check against the description). */
    public long parameterCount() {
        long n = 0;
        for (var p : block.getParameters()) {
            n += p.getValue().getArray().getShape().size();
        }
        return n;
    }
}
