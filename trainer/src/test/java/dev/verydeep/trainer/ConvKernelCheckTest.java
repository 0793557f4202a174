package dev.verydeep.trainer;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
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
    void theRefusalNamesTheLayerTheSettingsAndTheWayOut() {
        Layer conv21 = NET.convLayers().get(1);
        assertEquals("this machine's convolution kernels are not repeatable: conv2_1 (24 to 48 channels, 3x3 at 16x16, 2 threads, "
                + "ONEDNN_MAX_CPU_ISA=unset) gave different gradients for the same batch. Training here would not be reproducible "
                + "and can reach NaN. Run with ONEDNN_MAX_CPU_ISA=AVX2 (./verydeep sets it unless it is set) or another level, "
                + "e.g. SSE41; -Dverydeep.kernelCheck=false skips this check.",
                ConvKernelCheck.message(conv21, 2, "unset", "gave different gradients"));
    }

    @Test
    void thisMachinesKernelsAsTheBuildConfiguresThemAreRepeatable() {
        // The build runs the tests under ./verydeep's setting (ONEDNN_MAX_CPU_ISA=AVX2 unless set): a machine whose
        // kernels are not repeatable there fails here, before any training test.
        ai.djl.engine.Engine.getInstance(); // loads PyTorch, which setNumThreads needs
        for (int threads : new int[] {1, 2}) {
            ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
            long t0 = System.nanoTime();
            assertDoesNotThrow(() -> ConvKernelCheck.verify(NET, 128, Device.cpu(), threads));
            System.out.printf("kernel check, A w0.375 batch 128, %d thread(s): %.2f s%n", threads, (System.nanoTime() - t0) / 1e9);
        }
    }
}
