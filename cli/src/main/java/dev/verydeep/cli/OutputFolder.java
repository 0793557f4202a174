package dev.verydeep.cli;

import dev.verydeep.core.UserException;
import dev.verydeep.core.io.WritableFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The folder a run writes into: {@code --out DIR}, or a fresh {@code eval-runs/YYYYMMDD-HHMMSS-KIND}. Files of
 * an earlier run there are never replaced silently: {@code --force} overwrites them (only the files this run
 * writes; nothing else in the folder is touched). Checked before the long work starts, with the space the run
 * is expected to write ({@link WritableFolder}). A mixin of the verbs that write result folders (eval, localize,
 * fuse).
 */
final class OutputFolder {
    static final Path DEFAULT_PARENT = Path.of("eval-runs");

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for the files of the run (default: a new eval-runs/TIMESTAMP-KIND, "
            + "KIND being eval's method or the verb).")
    Path out;

    @Option(names = "--force", description = "Overwrite the result files of an earlier run in --out.")
    boolean force;

    /** The checked folder, {@code kind} naming a fresh one; {@code files} of an earlier run there need --force. */
    Path prepare(String kind, List<String> files, long estimateBytes) {
        return prepare(kind, files, estimateBytes, false);
    }

    /** As above; {@code ours}: the files there are this command's own (an interrupted run), replaced without --force. */
    Path prepare(String kind, List<String> files, long estimateBytes, boolean ours) {
        Path dir = out;
        if (dir == null) {
            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            dir = DEFAULT_PARENT.resolve(stamp + "-" + kind);
            for (int i = 2; Files.exists(dir); i++) {
                dir = DEFAULT_PARENT.resolve(stamp + "-" + kind + "-" + i);
            }
        } else if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                throw new UserException("--out " + dir + " is a file, not a folder");
            }
            List<String> present = files.stream().filter(f -> Files.exists(out.resolve(f))).toList();
            if (!present.isEmpty() && !force && !ours) {
                throw new UserException("--out " + dir + " already holds " + String.join(", ", present)
                        + " of an earlier run; choose another folder or add --force to overwrite them");
            }
        }
        return WritableFolder.check(dir, "--out", estimateBytes);
    }
}
