package dev.verydeep.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.Device;
import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.Layer;
import dev.verydeep.core.net.NetDescription;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The check that refuses to train on convolution kernels whose backward pass is not repeatable. */
class ConvKernelCheckTest {
    private static final NetDescription NET = NetDescription.builder().setConfig(Config.A).optWidth(0.375).optFcWidth(512)
            .optClasses(10).optCrop(32).build();

    @Test
    void repeatableFiniteGradientsPassAndAnyDifferenceOrNaNIsNamed() {
        assertNull(ConvKernelCheck.problem(() -> new float[][] {{1f, 2f}, {3f}}));
        AtomicInteger call = new AtomicInteger();
        assertEquals("gave different gradients", ConvKernelCheck.problem(() -> new float[][] {{1f,
                call.getAndIncrement() == ConvKernelCheck.REPEATS - 1 ? 2.0000002f : 2f}, {3f}}), "the last repeat differs in one bit");
        assertEquals("gave non-finite gradients", ConvKernelCheck.problem(() -> new float[][] {{1f}, {Float.NaN}}));
    }

    @Test
    void theWarningNamesTheLayerTheSettingsAndTheWayOut() {
        Layer conv21 = NET.convLayers().get(1);
        assertEquals("warning: this machine's convolution kernels are not repeatable: conv2_1 (24 to 48 channels, 3x3 at 16x16, "
                + "2 threads, ONEDNN_MAX_CPU_ISA=unset) gave different gradients for the same batch; this run may not be "
                + "reproducible and may reach NaN. ONEDNN_MAX_CPU_ISA=AVX2 (which ./verydeep sets unless it is set), or SSE41, "
                + "and --threads 1 were repeatable where this was measured (docs/reliability.md section 7); "
                + "-Dverydeep.kernelCheck=false skips this check.", ConvKernelCheck.message(conv21, 2, "unset", "gave different gradients"));
    }

    @Test
    void thisMachinesKernelsAsTheBuildConfiguresThemAreRepeatableAtOneThread() {
        // The build runs the tests under ./verydeep's setting (ONEDNN_MAX_CPU_ISA=AVX2 unless set). Where oneDNN's
        // AVX-512 backward failed (ONEDNN_MAX_CPU_ISA=ALL there), this warns at conv2_1 in every run measured.
        ai.djl.engine.Engine.getInstance(); // loads PyTorch, which setNumThreads needs
        ai.djl.pytorch.jni.JniUtils.setNumThreads(1);
        long t0 = System.nanoTime();
        assertNull(ConvKernelCheck.check(NET, 128, Device.cpu(), 1));
        System.out.printf("kernel check, A w0.375 batch 128, 1 thread: %.2f s%n", (System.nanoTime() - t0) / 1e9);
    }
}
