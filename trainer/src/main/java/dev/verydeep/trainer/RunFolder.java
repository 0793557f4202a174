package dev.verydeep.trainer;

import dev.verydeep.core.UserException;
import dev.verydeep.core.io.Hashes;
import dev.verydeep.core.io.Json;
import dev.verydeep.core.io.TensorFile;
import dev.verydeep.core.io.WritableFolder;
import dev.verydeep.core.net.NetWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The layout of a training run folder:
 * <pre>
 * run.json              settings, classes, colour statistics, provenance ({@link RunInfo})
 * checkpoint.json       newest complete checkpoint ({@link CheckpointState})
 * checkpoint-NNNN/      weights.vdw, momentum.vdw of that checkpoint
 * log.jsonl             one {@link EpochLog} per completed epoch
 * curves.png            loss and accuracy curves
 * weights.vdw           final weights (when training has finished)
 * </pre>
 */
public final class RunFolder {
    public static final String RUN_JSON = "run.json";
    public static final String CHECKPOINT_JSON = "checkpoint.json";
    public static final String LOG = "log.jsonl";
    public static final String CURVES = "curves.png";
    public static final String WEIGHTS = "weights.vdw";

    private final Path dir;

    public RunFolder(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    /** Opens an existing run folder, saying what is missing when it is not one. */
    public static RunFolder existing(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserException(dir + ": no such run folder");
        }
        if (!Files.isRegularFile(dir.resolve(RUN_JSON))) {
            throw new UserException(dir + ": not a verydeep run folder (no " + RUN_JSON + ")");
        }
        return new RunFolder(dir);
    }

    /**
     * Makes an empty folder for a new run. An existing non-empty folder is an error unless
     * {@code force}, and even then only a run folder (one holding run.json) is deleted.
     */
    public static RunFolder fresh(Path dir, boolean force) {
        return fresh(dir, force, 0);
    }

    /**
     * Bytes a run of this net writes at most: two checkpoints (weights and momentum) while the newer replaces the
     * older, the final weights, logs and curves.
     */
    public static long estimateBytes(dev.verydeep.core.net.NetDescription net) {
        return 5 * 4 * net.parameterCount() + (4L << 20);
    }

    /** {@link #fresh(Path, boolean)}, also checking the file system has {@code estimateBytes} free. */
    public static RunFolder fresh(Path dir, boolean force, long estimateBytes) {
        if (occupied(dir)) {
            if (!force) {
                throw new SettingException(SettingException.RUN_FOLDER, dir + " already exists; resume it, or start with force to replace it");
            }
            if (!Files.isRegularFile(dir.resolve(RUN_JSON))) {
                throw new SettingException(SettingException.FORCE, ": " + dir + " is not a verydeep run folder (no run.json); refusing to delete it");
            }
            try {
                dev.verydeep.core.io.AtomicFiles.deleteRecursively(dir);
            } catch (IOException e) {
                throw new SettingException(SettingException.RUN_FOLDER, dir + ": cannot replace it: " + e.getMessage(), e);
            }
        }
        checkWritable(dir, estimateBytes);
        return new RunFolder(dir);
    }

    /**
     * True when {@code dir} exists and is not an empty folder: a new run there needs force.
     *
     * @throws SettingException when it exists and is not a folder
     */
    public static boolean occupied(Path dir) {
        if (!Files.exists(dir)) {
            return false;
        }
        if (!Files.isDirectory(dir)) {
            throw new SettingException(SettingException.RUN_FOLDER, dir + " exists and is not a folder");
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isPresent();
        } catch (IOException e) {
            throw new SettingException(SettingException.RUN_FOLDER, dir + ": cannot list it: " + e.getMessage(), e);
        }
    }

    /** Creates {@code dir} if needed and checks it is writable with {@code estimateBytes} free ({@link WritableFolder}). */
    static void checkWritable(Path dir, long estimateBytes) {
        try {
            WritableFolder.check(dir, null, estimateBytes);
        } catch (SettingException e) {
            throw e;
        } catch (UserException e) {
            throw new SettingException(SettingException.RUN_FOLDER, e.getMessage(), e);
        }
    }

    public RunInfo info() {
        return Json.read(file(RUN_JSON), RunInfo.class);
    }

    /** The newest checkpoint, or {@code null} when none was completed. */
    public CheckpointState checkpoint() {
        return Files.exists(file(CHECKPOINT_JSON)) ? Json.read(file(CHECKPOINT_JSON), CheckpointState.class) : null;
    }

    /** Reads a tensor file of a checkpoint after checking its hash against the checkpoint record. */
    public Map<String, NetWeights.Tensor> checkpointTensors(CheckpointState cp, String name, String sha256) {
        Path f = dir.resolve(cp.folder()).resolve(name);
        if (!Files.isRegularFile(f)) {
            throw new UserException(f + ": missing (checkpoint.json names it)");
        }
        String actual = Hashes.sha256(f);
        if (!actual.equals(sha256)) {
            throw new UserException(f + ": damaged (SHA-256 " + actual + ", checkpoint.json expects " + sha256 + ")");
        }
        return TensorFile.read(f);
    }

    /** The trained weights: the final file when training finished, else the newest checkpoint's. */
    public NetWeights weights() {
        RunInfo info = info();
        Path f = file(WEIGHTS);
        if (Files.isRegularFile(f)) {
            return new NetWeights(info.settings().net(), TensorFile.read(f));
        }
        CheckpointState cp = checkpoint();
        if (cp == null) {
            throw new UserException(dir + ": has no trained weights yet (no " + WEIGHTS + " and no checkpoint)");
        }
        return new NetWeights(info.settings().net(), checkpointTensors(cp, "weights.vdw", cp.weightsSha256()));
    }

    /** The file {@link #weights()} reads (for hashes in provenance). */
    public Path weightsFile() {
        if (Files.isRegularFile(file(WEIGHTS))) {
            return file(WEIGHTS);
        }
        CheckpointState cp = checkpoint();
        return cp == null ? file(WEIGHTS) : dir.resolve(cp.folder()).resolve("weights.vdw");
    }

    /** Removes checkpoint folders other than {@code keep}. */
    void pruneCheckpoints(String keep) {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith("checkpoint-")
                    && !p.getFileName().toString().equals(keep)).toList()) {
                dev.verydeep.core.io.AtomicFiles.deleteRecursively(p);
            }
        } catch (IOException e) {
            throw new UserException("cannot clean old checkpoints in " + dir + ": " + e.getMessage(), e);
        }
    }
}
