package dev.verydeep.onnx;

import dev.verydeep.core.net.Layer;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.core.net.NetWeights;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded random weights for a net description: He-normal weights (std sqrt(2 / fan-in)), so activations
 * keep their scale through 19 layers, and small random biases. For tests, smoke runs and benchmarks of
 * the export and runtime paths; same seed, same weights.
 */
public final class RandomWeights {
    private RandomWeights() {
    }

    public static NetWeights of(NetDescription net, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, NetWeights.Tensor> t = new LinkedHashMap<>();
        for (Layer l : net.layers()) {
            if (l.kind() != Layer.Kind.CONV && l.kind() != Layer.Kind.FC) {
                continue;
            }
            long[] shape = NetWeights.weightShape(l);
            long fanIn = shape[1] * (shape.length == 4 ? shape[2] * shape[3] : 1);
            double std = Math.sqrt(2.0 / fanIn);
            float[] w = new float[Math.toIntExact(shape[0] * fanIn)];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (gaussian(rnd) * std);
            }
            float[] b = new float[l.outChannels()];
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) (rnd.nextDouble(-0.1, 0.1));
            }
            t.put(NetWeights.weightName(l), new NetWeights.Tensor(shape, w));
            t.put(NetWeights.biasName(l), new NetWeights.Tensor(new long[] {l.outChannels()}, b));
        }
        return new NetWeights(net, t);
    }

    private static double gaussian(SplittableRandom rnd) {
        // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
        double u = 1.0 - rnd.nextDouble();
        double v = rnd.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
