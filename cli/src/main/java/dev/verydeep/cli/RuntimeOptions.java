package dev.verydeep.cli;

import dev.verydeep.runtime.Device;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** Where and on how many threads ONNX Runtime runs: shared by every verb that opens ONNX Runtime sessions. */
final class RuntimeOptions {
    // Each verb's strict flag (--strict, verify's --strict-device) says when the fall-back is an error instead.
    @Option(names = "--device", defaultValue = "cpu", converter = DeviceConverter.class,
            description = "cpu, cuda or cuda:N (default: ${DEFAULT-VALUE}); CUDA falls back to CPU when unavailable, saying why.")
    Device device;

    @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime intra-op threads (default: 0 = ORT's choice, one per core).")
    int threads;

    static final class DeviceConverter implements ITypeConverter<Device> {
        @Override
        public Device convert(String value) {
            try {
                return Device.parse(value);
            } catch (RuntimeException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
