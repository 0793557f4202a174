package dev.verydeep.trainer;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import dev.verydeep.core.net.Layer;
import dev.verydeep.core.net.NetDescription;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Before a run trains on the CPU: is this machine's convolution backward pass repeatable? Each conv layer of the net
 * runs forward and backward {@link #REPEATS} times on one random batch of the run's batch size (the kernels measured
 * here failed at 128, not at 32 or 64); the weight and input gradients must be finite and bit-identical every time. Why: PyTorch 2.7.1's oneDNN 3.7.1 on an AMD EPYC with AVX-512 (jit:avx512_core) gave
 * different, and in about half the repeats non-finite, weight gradients for identical inputs in one layer shape
 * (24 to 48 channels, 3x3 at 16x16: conv2_1 at width 3/8; batch 128), while its forward pass was exact; two reference runs there
 * reached NaN in their second epoch. Capped at AVX2 (ONEDNN_MAX_CPU_ISA=AVX2, which ./verydeep sets unless it is set)
 * nearly every repeat was exact (2 of about 2,000 calls at 2 threads were not; none at 1 thread: docs/reliability.md).
 * A run on such kernels starts with a warning that names the layer and the way out (a refusal would make runs fail
 * at random where the kernels fail rarely); {@link DivergenceGuard} stops it if its loss turns NaN.
 */
final class ConvKernelCheck {
    /** Enough to catch the kernels measured here (2 of 9 to 19 of 19 repeats differed), about a second for E at batch 128. */
    static final int REPEATS = 8;
    /** Set to false ({@code -Dverydeep.kernelCheck=false}) to skip the check (3-8 s per run start at batch 128 here). */
    static final String SKIP_PROPERTY = "verydeep.kernelCheck";

    private ConvKernelCheck() {
    }

    /**
     * The warning for the first conv layer whose backward pass is not repeatable here, or null (also on a GPU, or when
     * {@code -Dverydeep.kernelCheck=false}).
     */
    static String check(NetDescription net, int batchSize, Device device, int threads) {
        if (!Device.Type.CPU.equals(device.getDeviceType()) || "false".equals(System.getProperty(SKIP_PROPERTY))) {
            return null;
        }
        try (NDManager m = NDManager.newBaseManager(device)) {
            Engine.getInstance().setRandomSeed(1);
            List<Layer> convs = net.convLayers();
            for (Layer l : convs) {
                NDArray x = m.randomNormal(new Shape(batchSize, l.inChannels(), l.outHeight(), l.outWidth()));
                NDArray w = m.randomNormal(0, 0.05f, new Shape(l.outChannels(), l.inChannels(), l.kernel(), l.kernel()), DataType.FLOAT32);
                NDArray b = m.zeros(new Shape(l.outChannels()));
                // training never asks for the first layer's input gradient (the images), so neither does the check
                boolean inputGradient = l != convs.get(0);
                String problem = problem(() -> gradients(x.duplicate(), w.duplicate(), b, l.padding(), inputGradient));
                if (problem != null) {
                    return message(l, threads, System.getenv().getOrDefault("ONEDNN_MAX_CPU_ISA", "unset"), problem);
                }
            }
        }
        return null;
    }

    /** Null when {@link #REPEATS} calls of {@code repeat} all give the first one's finite gradients; else what went wrong. */
    static String problem(Supplier<float[][]> repeat) {
        float[][] first = null;
        for (int r = 0; r < REPEATS; r++) {
            float[][] g = repeat.get();
            for (float[] t : g) {
                for (float v : t) {
                    if (!Float.isFinite(v)) {
                        return "gave non-finite gradients";
                    }
                }
            }
            if (first == null) {
                first = g;
            } else if (!Arrays.deepEquals(first, g)) {
                return "gave different gradients";
            }
        }
        return null;
    }

    static String message(Layer l, int threads, String onednnIsa, String problem) {
        return String.format(Locale.ROOT, "warning: this machine's convolution kernels are not repeatable: %s (%d to %d channels, "
                + "%dx%d at %dx%d, %d thread%s, ONEDNN_MAX_CPU_ISA=%s) %s for the same batch; this run may not be reproducible "
                + "and may reach NaN. ONEDNN_MAX_CPU_ISA=AVX2 (which ./verydeep sets unless it is set), or SSE41, and --threads 1 "
                + "were repeatable where this was measured (docs/reliability.md section 7); -D%s=false skips this check.",
                l.name(), l.inChannels(), l.outChannels(), l.kernel(), l.kernel(), l.outHeight(), l.outWidth(), threads,
                threads == 1 ? "" : "s", onednnIsa, problem, SKIP_PROPERTY);
    }

    /** Weight gradients of sum(conv(x)^2), and input gradients when asked. */
    private static float[][] gradients(NDArray x, NDArray w, NDArray b, int pad, boolean inputGradient) {
        x.setRequiresGradient(inputGradient);
        w.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = Conv2d.conv2d(x, w, b, new Shape(1, 1), new Shape(pad, pad), new Shape(1, 1), 1).singletonOrThrow();
            gc.backward(y.mul(y).sum());
        }
        float[] weights = w.getGradient().toFloatArray();
        return inputGradient ? new float[][] {weights, x.getGradient().toFloatArray()} : new float[][] {weights};
    }
}
