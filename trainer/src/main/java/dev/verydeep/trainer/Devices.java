package dev.verydeep.trainer;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the requested devices ({@code cpu} or {@code gpu0,gpu1,...}) into DJL devices. When GPUs are asked
 * for but PyTorch sees fewer (the CPU build of the natives, no driver, no GPU), training goes to the
 * CPU and the reason is logged and returned, never silently.
 */
public final class Devices {
    private static final Logger LOG = LoggerFactory.getLogger(Devices.class);

    /** The devices used and, when they differ from the request, why. */
    public record Selection(List<Device> devices, String fallbackReason) {
        public Device[] array() {
            return devices.toArray(new Device[0]);
        }

        public List<String> names() {
            return devices.stream().map(Device::toString).toList();
        }
    }

    private Devices() {
    }

    public static Selection select(List<String> requested) {
        return select(requested, Engine.getInstance().getGpuCount());
    }

    static Selection select(List<String> requested, int gpusAvailable) {
        List<Integer> gpus = new ArrayList<>();
        for (String r : requested) {
            String s = r.trim().toLowerCase(Locale.ROOT);
            if (s.equals("cpu")) {
                if (requested.size() > 1) {
                    throw new SettingException("devices", ": cpu cannot be combined with other devices");
                }
                return new Selection(List.of(Device.cpu()), null);
            }
            if (!s.matches("gpu\\d+")) {
                throw new SettingException("devices", ": '" + r + "' is not a device (expected cpu or gpu0,gpu1,...)");
            }
            gpus.add(Integer.parseInt(s.substring(3)));
        }
        int needed = gpus.stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        if (needed > gpusAvailable) {
            String reason = "requested " + String.join(",", requested) + " but PyTorch sees " + gpusAvailable
                    + " GPU(s) (CPU build of the PyTorch natives, or no CUDA driver/GPU); training on the CPU";
            LOG.warn(reason);
            return new Selection(List.of(Device.cpu()), reason);
        }
        return new Selection(gpus.stream().map(Device::gpu).toList(), null);
    }
}
