package dev.verydeep.api;

import dev.verydeep.runtime.Comparison.Tolerance;
import dev.verydeep.runtime.Device;
import dev.verydeep.runtime.Verifier;
import dev.verydeep.runtime.VerifyReport;
import java.nio.file.Path;

/**
 * Verifies a model against its stored test data sets ({@code test_data_set_N/input_*.pb, output_*.pb}, the ONNX model
 * zoo's layout, which {@code verydeep export} writes): ONNX Runtime's outputs must equal the stored ones within numpy's
 * allclose rule. A thin facade over {@link Verifier}, as {@code verydeep verify}.
 *
 * <pre>{@code
 * VerifyReport report = ModelCheck.builder().optTolerance(1e-3, 1e-5).build().verify(Path.of("runs/D/model-dense.onnx"));
 * assertTrue(report.passed(), report.render());
 * }</pre>
 */
public final class ModelCheck {
    private final Verifier verifier;

    private ModelCheck(Verifier verifier) {
        this.verifier = verifier;
    }

    /**
     * A new check (default tolerance rtol 1e-3, atol 1e-5, CPU).
     *
     * <pre>{@code
     * ModelCheck check = ModelCheck.builder().optThreads(1).build();
     * }</pre>
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies a model file (its {@code test_data_set_N} folders beside it; {@code model-dense.onnx} owns
     * {@code test_data_set_dense_N}) or every model of a folder.
     *
     * <pre>{@code
     * VerifyReport r = ModelCheck.builder().build().verify(Path.of("resnet-zoo/"));   // model.onnx + test_data_set_*
     * System.out.print(r.render());                                                // PASS/FAIL per set, worst element
     * }</pre>
     */
    public VerifyReport verify(Path modelOrFolder) {
        return verifier.verify(modelOrFolder);
    }

    /** set/opt builder. */
    public static final class Builder {
        private final Verifier.Builder b = Verifier.builder();

        private Builder() {
        }

        /** {@code |got - expected| <= atol + rtol * |expected|} for every element. */
        public Builder optTolerance(double rtol, double atol) {
            b.optTolerance(new Tolerance(rtol, atol));
            return this;
        }

        /** CPU (default) or CUDA (falls back to CPU unless strict). */
        public Builder optDevice(Device device) {
            b.optDevice(device);
            return this;
        }

        /** ONNX Runtime intra-op threads (0: its default). */
        public Builder optThreads(int threads) {
            b.optIntraOpThreads(threads);
            return this;
        }

        /** Fail instead of falling back to CPU. */
        public Builder optStrictDevice(boolean strict) {
            b.optStrictDevice(strict);
            return this;
        }

        public ModelCheck build() {
            return new ModelCheck(b.build());
        }
    }
}
