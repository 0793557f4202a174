package dev.verydeep.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.verydeep.core.UserException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DevicesTest {
    @Test
    void gpusWithoutCudaFallBackToCpuWithAReason() {
        Devices.Selection s = Devices.select(List.of("gpu0", "gpu1"));  // the real engine: this machine has no GPU
        assertEquals(List.of(Device.cpu()), s.devices());
        assertTrue(s.fallbackReason().contains("PyTorch sees 0 GPU"), s.fallbackReason());
    }

    @Test
    void enoughGpusAreUsedAsAsked() {
        Devices.Selection s = Devices.select(List.of("gpu0", "gpu1"), 2);
        assertEquals(List.of(Device.gpu(0), Device.gpu(1)), s.devices());
        assertNull(s.fallbackReason());
    }

    @Test
    void badDeviceNamesAreUserErrors() {
        assertThrows(UserException.class, () -> Devices.select(List.of("tpu0"), 0));
        assertThrows(UserException.class, () -> Devices.select(List.of("cpu", "gpu0"), 1));
        assertEquals(List.of(Device.cpu()), Devices.select(List.of("cpu"), 4).devices());
    }
}
