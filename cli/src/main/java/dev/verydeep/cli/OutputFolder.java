package dev.verydeep.cli;

import dev.verydeep.core.UserException;
import dev.verydeep.core.io.WritableFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The folder a run writes into: {@code --out DIR}, or a fresh {@code eval-runs/YYYYMMDD-HHMMSS-KIND}. Files of
 * an earlier run there are never replaced silently: {@code --force} overwrites them (only the files this run
 * writes; nothing else in the folder is touched). Checked before the long work starts, with the space the run
 * is expected to write ({@link WritableFolder}).
 */
final class OutputFolder {
    static final Path DEFAULT_PARENT = Path.of("eval-runs");

    private OutputFolder() {
    }

    static Path prepare(Path out, boolean force, String kind, List<String> files, long estimateBytes) {
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
            if (!present.isEmpty() && !force) {
                throw new UserException("--out " + dir + " already holds " + String.join(", ", present)
                        + " of an earlier run; choose another folder or add --force to overwrite them");
            }
        }
        return WritableFolder.check(dir, "--out", estimateBytes);
    }
}
