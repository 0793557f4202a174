package dev.verydeep.cli;

import dev.verydeep.core.UserException;
import dev.verydeep.core.data.DatasetSpec;
import dev.verydeep.core.net.Geometry;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.trainer.TrainSettings;
import dev.verydeep.trainer.TrainingRun;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code verydeep train}: the paper's training recipe in DJL, resumable. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a net with the paper's recipe (section 3.1) on the CPU or GPUs, checkpointing every epoch.",
            "Defaults are the paper's except the batch (64 on CPU; the paper used 256): S = 256 x crop/224, learning rate 1e-2 "
                    + "(1e-3 when --init-from a net of the same config)."})
final class TrainCommand implements Callable<Integer> {
    @Mixin
    NetOptions net;

    @Mixin
    TrainFlags train;

    @Option(names = "--init", description = "Random initialisation: glorot (Xavier uniform), normal (zero mean, --init-std; the paper's) or he (Kaiming). Default: ${DEFAULT-VALUE}.")
    String init = TrainSettings.DEFAULT_INIT.toString();

    @Option(names = "--init-std", description = "Standard deviation for --init normal (the paper's 'variance 1e-2'). Default: ${DEFAULT-VALUE}.")
    double initStd = TrainSettings.DEFAULT_INIT_STD;

    @Option(names = "--init-from", paramLabel = "RUN", description = "Initialise from a trained net: a run folder, or the model.onnx or "
            + "model-dense.onnx verydeep export wrote (e.g. reference/A-37/model-dense.onnx; read back bit for bit). All layers of the "
            + "same config, or (from config A) the first four conv and the three FC layers.")
    Path initFrom;

    @Option(names = "--init-layers", description = "Which layers --init-from gives: auto (all of a net of the same config at lr "
            + TrainSettings.DEFAULT_FINE_TUNE_LEARNING_RATE + "; the paper's subset from config A into another), or paper (the first "
            + "four conv and the three FC layers of A into any config, A included, at lr " + TrainSettings.DEFAULT_LEARNING_RATE
            + ": the control of a finding that compares nets started from A with A). Default: ${DEFAULT-VALUE}.")
    String initLayers = TrainSettings.DEFAULT_INIT_LAYERS.toString();

    @Option(names = "--input-scale", description = "The net sees (pixel - mean RGB) x this, pixels in 0..255. Default: ${DEFAULT-VALUE} (the paper's).")
    double inputScale = TrainSettings.DEFAULT_INPUT_SCALE;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        String command = CommandLines.of(spec);
        TrainingRun run = train.startOrResume(spec, command, this::settings, stored -> {
            if (net.config != null) {
                TrainSettings asked = settings().withEpochs(stored.settings().epochs());
                String diff = firstDifference(stored.settings(), asked);
                if (diff != null) {
                    throw new UserException("--resume " + train.resume + ": " + diff + " differs from the run's settings; drop the flag or start a new run");
                }
            }
        });
        return train.train(run, spec, command);
    }

    private TrainSettings settings() {
        String data = train.dataSpec();
        int classes = net.classes != null ? net.classes : DatasetSpec.parse(data).open().classNames().size();
        NetDescription d = net.description(classes, net.crop != null ? net.crop : Geometry.PAPER_CROP);
        TrainSettings.Builder b = train.builder(d, data).optInputScale(inputScale).optInit(TrainSettings.Init.parse(init)).optInitStd(initStd);
        if (initFrom != null) {
            b.optInitFrom(initFrom.toString());
        }
        return b.optInitLayers(TrainSettings.InitLayers.parse(initLayers)).build();
    }

    static String firstDifference(TrainSettings a, TrainSettings b) {
        var components = TrainSettings.class.getRecordComponents();
        for (var c : components) {
            try {
                Object x = c.getAccessor().invoke(a);
                Object y = c.getAccessor().invoke(b);
                if (!java.util.Objects.equals(x, y)) {
                    return c.getName() + " (" + y + " vs " + x + ")";
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return null;
    }
}
