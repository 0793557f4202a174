package dev.verydeep.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import dev.verydeep.core.OrtOptimization;
import dev.verydeep.core.UserException;
import dev.verydeep.onnx.OnnxModel;
import dev.verydeep.onnx.OnnxModels;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens ONNX Runtime sessions: one {@link OrtEnvironment} per process, the model checked by
 * {@link OnnxModels#load} before ORT sees a byte of it, and the device chosen with a fall-back.
 *
 * <p>For {@code cuda[:N]} the CUDA execution provider is added; when that fails (no CUDA build of ORT,
 * no CUDA libraries, no GPU), the session runs on the CPU and a WARN line
 * {@code CUDA requested but unavailable: <ORT's message>; using CPU} is logged once per distinct
 * message, unless {@code strict}, which turns it into a {@link UserException}. The device actually used
 * is in {@link ModelSession#device()}. The graph optimisation level comes from {@link OrtOptimization} (default: all).
 */
public final class Sessions {
    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
    /** Number of fall-back warnings logged (tests check the once-only rule). */
    static final AtomicInteger FALLBACK_WARNINGS = new AtomicInteger();

    private Sessions() {
    }

    /** The process's ORT environment (ORT's own log at WARNING and above). */
    public static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "verydeep");
    }

    /** Opens a session, falling back to CPU when CUDA is unavailable. {@code intraOpThreads <= 0}: ORT's default. */
    public static ModelSession open(Path model, Device device, int intraOpThreads) {
        return open(model, device, intraOpThreads, false);
    }

    /** Opens a session; with {@code strict}, an unavailable CUDA device is an error instead of a fall-back. */
    public static ModelSession open(Path model, Device device, int intraOpThreads, boolean strict) {
        return open(OnnxModels.load(model), device, intraOpThreads, strict);
    }

    /** Opens a session over an already checked model. */
    public static ModelSession open(OnnxModel model, Device device, int intraOpThreads, boolean strict) {
        if (device.isCuda()) {
            String reason;
            boolean providerAdded = false;
            SessionOptions opts = options(model, intraOpThreads);
            try {
                opts.addCUDA(device.index());
                providerAdded = true;
                try {
                    OrtSession s = create(model, opts);
                    return new ModelSession(model, s, new DeviceSelection(device, device, null));
                } catch (OrtException e) {
                    // The provider loaded but the session failed: no GPU, or a model problem. CPU tells which.
                    reason = message(e);
                }
            } catch (OrtException | LinkageError | RuntimeException e) {
                reason = message(e);
            } finally {
                opts.close();
            }
            if (strict) {
                if (providerAdded) {
                    // A model problem must not pass for a missing GPU: a CPU session reports it as such.
                    openCpu(model, intraOpThreads, new DeviceSelection(Device.CPU, Device.CPU, null)).close();
                }
                throw new UserException("CUDA requested but unavailable: " + reason + "; not falling back to CPU (strict)");
            }
            ModelSession cpu = openCpu(model, intraOpThreads, new DeviceSelection(device, Device.CPU, reason));
            if (WARNED.add(reason)) {
                FALLBACK_WARNINGS.incrementAndGet();
                LOG.warn("CUDA requested but unavailable: {}; using CPU", reason);
            }
            return cpu;
        }
        return openCpu(model, intraOpThreads, new DeviceSelection(Device.CPU, Device.CPU, null));
    }

    private static ModelSession openCpu(OnnxModel model, int intraOpThreads, DeviceSelection selection) {
        try (SessionOptions opts = options(model, intraOpThreads)) {
            return new ModelSession(model, create(model, opts), selection);
        } catch (OrtException e) {
            throw new UserException(model.path() + ": ONNX Runtime cannot load the model: " + message(e), e);
        }
    }

    private static SessionOptions options(OnnxModel model, int intraOpThreads) {
        SessionOptions o = new SessionOptions();
        try {
            if (intraOpThreads > 0) {
                o.setIntraOpNumThreads(intraOpThreads);
            }
            o.setOptimizationLevel(optimizationLevel(OrtOptimization.fromEnvironment()));
            return o;
        } catch (OrtException e) {
            o.close();
            throw new UserException(model.path() + ": invalid session options: " + message(e), e);
        }
    }

    static SessionOptions.OptLevel optimizationLevel(OrtOptimization level) {
        return switch (level) {
            case ALL -> SessionOptions.OptLevel.ALL_OPT;
            case EXTENDED -> SessionOptions.OptLevel.EXTENDED_OPT;
            case BASIC -> SessionOptions.OptLevel.BASIC_OPT;
            case NONE -> SessionOptions.OptLevel.NO_OPT;
        };
    }

    private static OrtSession create(OnnxModel model, SessionOptions opts) throws OrtException {
        // Without external data, ORT gets exactly the bytes the guard checked; with it, the checked path.
        return model.hasExternalData()
                ? environment().createSession(model.path().toAbsolutePath().toString(), opts)
                : environment().createSession(model.bytes(), opts);
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return (m == null || m.isBlank() ? e.getClass().getSimpleName() : m).replaceAll("\\s+", " ").trim();
    }
}
