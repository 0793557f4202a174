package dev.verydeep.trainer;

import dev.verydeep.core.UserException;
import dev.verydeep.core.image.ColourStats;
import dev.verydeep.core.io.Hashes;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.core.net.NetWeights;
import dev.verydeep.onnx.ModelMetadata;
import dev.verydeep.onnx.OnnxExporter;
import dev.verydeep.onnx.OnnxModel;
import dev.verydeep.onnx.OnnxModels;
import dev.verydeep.onnx.OnnxWeights;
import dev.verydeep.onnx.Preprocessing;
import dev.verydeep.onnx.TrainScale;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The trained net {@link TrainSettings#initFrom()} names: a run folder (its final weights, else its newest checkpoint's)
 * or a model {@code verydeep export} wrote ({@code model.onnx} or {@code model-dense.onnx}, read by {@link OnnxWeights}
 * bit for bit: the shipped reference nets are ONNX only). Either gives the net, its weights, the hash of the file
 * they came from, its class names, input scale, training scale and training-set mean RGB; only a run folder has
 * the rest of its colour statistics and how it was initialised ({@link #run()}).
 */
public final class InitSource {
    private final Path path;
    private final RunFolder run;
    private final OnnxModel model;
    private final ModelMetadata metadata;

    private InitSource(Path path, RunFolder run, OnnxModel model, ModelMetadata metadata) {
        this.path = path;
        this.run = run;
        this.model = model;
        this.metadata = metadata;
    }

    /**
     * A run folder, or an ONNX model with verydeep's metadata. Anything else is a {@link SettingException} of
     * {@code initFrom} naming the path and the problem ("init from PATH: no such run folder or ONNX model").
     */
    public static InitSource open(Path path) {
        return named(() -> {
            if (Files.isDirectory(path)) {
                return new InitSource(path, RunFolder.existing(path), null, null);
            }
            if (!Files.exists(path)) {
                throw new UserException(path + ": no such run folder or ONNX model");
            }
            OnnxModel m = OnnxModels.load(path);
            return new InitSource(path, null, m, OnnxWeights.metadata(m));
        });
    }

    /** A problem reading the source (each message starts with the path) as one of the setting, so a front end names its flag. */
    private static <T> T named(Supplier<T> read) {
        try {
            return read.get();
        } catch (SettingException e) {
            throw e;
        } catch (UserException e) {
            throw new SettingException("initFrom", e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    /** The run folder's settings and statistics; empty for an ONNX model. */
    public Optional<RunInfo> run() {
        return run == null ? Optional.empty() : Optional.of(run.info());
    }

    public NetDescription net() {
        return run != null ? run.info().settings().net() : metadata.net();
    }

    /**
     * The trained weights (a run without any, or a model missing some, is a {@link SettingException} naming the path; a
     * run folder that holds only its exported model, as the shipped reference nets do, names that model).
     */
    public NetWeights weights() {
        return named(() -> {
            if (run == null) {
                return OnnxWeights.read(model);
            }
            Path exported = path.resolve(OnnxExporter.DENSE_FILE);
            if (!Files.isRegularFile(run.weightsFile()) && Files.isRegularFile(exported)) {
                throw new UserException(path + ": has no trained weights (no " + RunFolder.WEIGHTS + "), only its exported model: start from "
                        + exported);
            }
            return run.weights();
        });
    }

    /** SHA-256 of the file {@link #weights()} reads: the run's {@code weights.vdw} (or checkpoint's), or the ONNX file. */
    public String sha256() {
        return run != null ? Hashes.sha256(run.weightsFile()) : Hashes.sha256(model.bytes());
    }

    public List<String> classNames() {
        return run != null ? run.info().classNames() : metadata.classNames();
    }

    /** The net's input is {@code (pixel - mean RGB) * inputScale}; an export stores {@code 1 / inputScale} as the std. */
    public double inputScale() {
        if (run != null) {
            return run.info().settings().inputScale();
        }
        Preprocessing p = metadata.preprocessing();
        double[] std = p.stdRgb();
        if (p.channelOrder() != Preprocessing.ChannelOrder.RGB || p.valueMax() != 255 || std[0] != std[1] || std[1] != std[2]) {
            throw new SettingException("initFrom", path + ": its preprocessing (" + p + ") is not a verydeep net's (RGB, 0..255, one scale)");
        }
        return 1 / std[0];
    }

    /** The training scale: {@code [min, max]}, equal for a fixed S. */
    public int[] trainScale() {
        if (run != null) {
            return new int[] {run.info().settings().scaleMin(), run.info().settings().scaleMax()};
        }
        TrainScale s = metadata.trainScale();
        if (s == null) {
            throw new SettingException("initFrom", path + ": its metadata has no training scale (" + ModelMetadata.KEY_TRAIN_SCALES + ")");
        }
        return new int[] {s.min(), s.max()};
    }

    /**
     * The input statistics of a net that keeps this one's layers (a box-regression net): a run's own; an ONNX model
     * carries only the mean, so its mean with the covariance (the colour shift's) of {@code trainingData}.
     */
    public ColourStats colourStats(Supplier<ColourStats> trainingData) {
        if (run != null) {
            return run.info().colourStats();
        }
        return ColourStats.of(metadata.preprocessing().meanRgb(), trainingData.get().covariance());
    }
}
