package dev.verydeep.trainer;

import ai.djl.ndarray.NDArray;
import dev.verydeep.core.UserException;
import dev.verydeep.core.io.AtomicFiles;
import dev.verydeep.core.io.FaultPoints;
import dev.verydeep.core.io.Hashes;
import dev.verydeep.core.io.Json;
import dev.verydeep.core.io.TensorFile;
import dev.verydeep.core.net.NetWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a checkpoint after every epoch (weights, momentum, schedule state, history; then log.jsonl and the curves),
 * and the final weights when training ends. The checkpoint record is written last, so a kill leaves the previous one.
 */
final class Checkpoints implements TrainingListener {
    private final RunFolder folder;
    private final RunInfo info;
    private final VggNet vgg;
    private final CheckpointableSgd sgd;
    private final PlateauSchedule schedule;
    private final List<EpochLog> history;
    private CheckpointState last;

    /** Continues after {@code state} (null: a fresh run). */
    Checkpoints(RunFolder folder, RunInfo info, VggNet vgg, CheckpointableSgd sgd, PlateauSchedule schedule, CheckpointState state) {
        this.folder = folder;
        this.info = info;
        this.vgg = vgg;
        this.sgd = sgd;
        this.schedule = schedule;
        this.history = new ArrayList<>(state == null ? List.of() : state.history());
        this.last = state;
    }

    /** The newest checkpoint written or resumed from (null before the first). */
    CheckpointState last() {
        return last;
    }

    @Override
    public void onEpochEnd(EpochEnd end) {
        history.add(end.log());
        try {
            last = write(end.log().epoch(), end.finished(), end.stopReason());
        } catch (UserException e) {
            throw new UserException(e.getMessage() + "; " + (last == null ? "no checkpoint was completed yet"
                    : "the checkpoint of epoch " + last.epoch() + " is kept: resuming " + folder.dir() + " continues from it"), e);
        }
        FaultPoints.reached("train.checkpoint-written");
        if (end.finished()) {
            TensorFile.write(folder.file(RunFolder.WEIGHTS), vgg.weights().tensors());
        }
    }

    private CheckpointState write(int epoch, boolean finished, String stop) {
        String name = String.format(Locale.ROOT, "checkpoint-%04d", epoch);
        Path dir = folder.file(name);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        NetWeights w = vgg.weights();
        TensorFile.write(dir.resolve("weights.vdw"), w.tensors());
        TensorFile.write(dir.resolve("momentum.vdw"), momentum(w));
        CheckpointState cp = new CheckpointState(epoch, name, Hashes.sha256(dir.resolve("weights.vdw")),
                Hashes.sha256(dir.resolve("momentum.vdw")), sgd.learningRate(), schedule.best(), schedule.epochsWithoutImprovement(),
                schedule.decreases(), finished, stop, List.copyOf(history));
        Json.write(folder.file(RunFolder.CHECKPOINT_JSON), cp);
        folder.pruneCheckpoints(name);
        StringBuilder lines = new StringBuilder();
        for (EpochLog e : history) {
            lines.append(Json.toLine(e)).append('\n');
        }
        AtomicFiles.writeString(folder.file(RunFolder.LOG), lines.toString());
        Curves.write(folder.file(RunFolder.CURVES), info.settings().net().label() + ", " + info.settings().data(), history);
        return cp;
    }

    /** SGD's momentum buffers by tensor name (zeros for a tensor SGD has not touched yet, e.g. a frozen one). */
    private Map<String, NetWeights.Tensor> momentum(NetWeights w) {
        Map<String, NetWeights.Tensor> mom = new LinkedHashMap<>();
        for (String t : vgg.tensorNames()) {
            NDArray m = sgd.momentumState(vgg.parameter(t).getId());
            NetWeights.Tensor wt = w.get(t);
            mom.put(t, new NetWeights.Tensor(wt.shape(), m == null ? new float[wt.data().length] : m.toFloatArray()));
        }
        return mom;
    }
}
