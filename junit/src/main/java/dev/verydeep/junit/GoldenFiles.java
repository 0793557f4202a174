package dev.verydeep.junit;

import dev.verydeep.core.UserException;
import dev.verydeep.core.io.Json;
import dev.verydeep.golden.GoldenFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds a golden file by a path on disk, a class-path resource (a test's own, e.g. {@code golden/my.json}) or a golden-data name. */
final class GoldenFiles {
    private GoldenFiles() {
    }

    static GoldenFile load(String name) {
        if (Files.isRegularFile(Path.of(name))) {
            return GoldenFile.load(name);
        }
        String resource = name.startsWith("/") ? name.substring(1) : name;
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        try (InputStream in = (cl != null ? cl : GoldenFiles.class.getClassLoader()).getResourceAsStream(resource)) {
            if (in != null) {
                return new GoldenFile(name, Json.MAPPER.readTree(in));
            }
        } catch (IOException e) {
            throw new UserException("golden file " + name + " (class path): cannot read it: " + e.getMessage(), e);
        }
        return GoldenFile.load(name);
    }
}
