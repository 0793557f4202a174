package dev.verydeep.golden;

import dev.verydeep.core.UserException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The placeholders of a golden entry's command words: {@code {out}} (the entry's fresh folder),
 * {@code {resource:PATH}} (a file shipped in golden-data under {@link GoldenFile#RESOURCE_DIR}, such as a fixed
 * trained net, copied out of the class path into the work folder) and {@code {repo}} (the verydeep checkout:
 * system property {@code verydeep.repo}, where the reference nets live).
 */
final class Placeholders {
    private static final Pattern RESOURCE = Pattern.compile("\\{resource:([A-Za-z0-9._/-]+)}");

    private Placeholders() {
    }

    static String expand(String word, Path out, Path work) {
        String w = word.replace("{out}", out.toString()).replace("{repo}", repo().toString());
        Matcher m = RESOURCE.matcher(w);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(extract(m.group(1), work.resolve("resources")).toString()));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    static Path repo() {
        return Path.of(System.getProperty("verydeep.repo", ".")).toAbsolutePath().normalize();
    }

    /** The file a {@code {repo}/PATH} word names (a golden entry's {@code modelSha256} key). */
    static Path repoFile(String word) {
        if (!word.startsWith("{repo}/")) {
            throw new UserException("modelSha256 key " + word + ": not a {repo}/PATH file");
        }
        return repo().resolve(word.substring("{repo}/".length())).normalize();
    }

    /** Copies the golden-data resource {@code name} to {@code dir/name} (once; the same bytes every time). */
    static Path extract(String name, Path dir) {
        Path target = dir.resolve(name).normalize();
        if (!target.startsWith(dir.normalize()) || name.contains("..")) {
            throw new UserException("{resource:" + name + "}: a resource path must stay inside golden-data");
        }
        if (Files.isRegularFile(target)) {
            return target;
        }
        try (InputStream in = Placeholders.class.getResourceAsStream(GoldenFile.RESOURCE_DIR + name)) {
            if (in == null) {
                throw new UserException("{resource:" + name + "}: golden-data ships no such file (under " + GoldenFile.RESOURCE_DIR + ")");
            }
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), ".resource", ".tmp");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UserException("cannot copy golden-data resource " + name + " to " + target + ": " + e.getMessage(), e);
        }
    }
}
