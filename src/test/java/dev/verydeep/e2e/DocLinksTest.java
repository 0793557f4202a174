package dev.verydeep.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in the repository's Markdown (the root's *.md, docs/, and each module's folder, target/ left
 * out) names a file or folder that exists, and a {@code #anchor} into a Markdown file names one of its headings
 * (GitHub's rule: lower case, punctuation dropped, spaces to hyphens). Web links are not fetched.
 */
class DocLinksTest {
    static final Pattern INLINE = Pattern.compile("!?\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    static final Pattern REFERENCE = Pattern.compile("(?m)^\\s{0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(?:\\s+\"[^\"]*\")?\\s*$");
    static final Pattern FENCE = Pattern.compile("(?ms)^\\s*```.*?^\\s*```");
    static final Pattern CODE = Pattern.compile("`[^`\\n]*`");

    static Path repo() {
        String p = System.getProperty("verydeep.repo");
        return Path.of(p != null ? p : "..").toAbsolutePath().normalize();
    }

    static List<Path> markdownFiles(Path repo) throws IOException {
        List<Path> roots = new ArrayList<>();
        try (Stream<Path> top = Files.list(repo)) {
            top.filter(p -> p.toString().endsWith(".md") || p.getFileName().toString().equals("docs")
                    || Files.isDirectory(p) && Files.exists(p.resolve("pom.xml"))).forEach(roots::add);
        }
        List<Path> out = new ArrayList<>();
        for (Path root : roots) {
            try (Stream<Path> s = Files.walk(root)) {
                s.filter(p -> p.toString().endsWith(".md") && Files.isRegularFile(p) && !generatedOrHidden(repo.relativize(p)))
                        .forEach(out::add);
            }
        }
        return out;
    }

    static boolean generatedOrHidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().equals("target") || part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** The link targets of a Markdown text, code spans and fenced blocks left out. */
    static List<String> targets(String md) {
        String text = CODE.matcher(FENCE.matcher(md).replaceAll("")).replaceAll("");
        List<String> out = new ArrayList<>();
        for (Pattern p : List.of(INLINE, REFERENCE)) {
            Matcher m = p.matcher(text);
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /** GitHub's heading anchor. */
    static String slug(String heading) {
        return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    static List<String> anchors(Path md) {
        try {
            return Files.readAllLines(md).stream().filter(l -> l.matches("^#{1,6}\\s.*")).map(l -> slug(l.replaceFirst("^#+\\s", ""))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Null when the link resolves, else why not. */
    static String broken(Path from, String target) {
        if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            return null; // http:, https:, mailto: ...
        }
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path p = file.isEmpty() ? from : from.getParent().resolve(file).normalize();
        if (!Files.exists(p)) {
            return "no such file " + p;
        }
        if (anchor != null && p.toString().endsWith(".md") && !anchors(p).contains(anchor.toLowerCase(Locale.ROOT))) {
            return "no heading #" + anchor + " in " + p.getFileName();
        }
        return null;
    }

    @Test
    void relativeLinksResolve() throws IOException {
        Path repo = repo();
        List<Path> files = markdownFiles(repo);
        assertTrue(files.contains(repo.resolve("README.md")), "README.md found under " + repo);
        assertTrue(files.contains(repo.resolve("docs/STATUS.md")), "docs/ scanned");
        List<String> bad = new ArrayList<>();
        int links = 0;
        for (Path md : files) {
            for (String t : targets(Files.readString(md))) {
                links++;
                String why = broken(md, t);
                if (why != null) {
                    bad.add(repo.relativize(md) + ": (" + t + ") " + why);
                }
            }
        }
        System.out.printf(Locale.ROOT, "DocLinksTest: %d Markdown files, %d links%n", files.size(), links);
        assertEquals(List.of(), bad, "broken relative links");
    }

    @Test
    void theCheckerSeesBrokenLinks() throws IOException {
        Path dir = Files.createTempDirectory("doclinks");
        Path md = Files.writeString(dir.resolve("a.md"), "# Title here\n\nsee [b](b.md), [t](#title-here), [x](#nope), `[c](c.md)`\n"
                + "[ref]: missing/file.txt\n[web](https://example.org/x)\n");
        Files.writeString(dir.resolve("b.md"), "## Part 2: the end\n");
        assertEquals(List.of("b.md", "#title-here", "#nope", "https://example.org/x", "missing/file.txt"), targets(Files.readString(md)));
        assertEquals(null, broken(md, "b.md"));
        assertEquals(null, broken(md, "#title-here"));
        assertEquals(null, broken(md, "b.md#part-2-the-end"));
        assertTrue(broken(md, "#nope").startsWith("no heading #nope"));
        assertTrue(broken(md, "missing/file.txt").startsWith("no such file"));
        assertEquals(null, broken(md, "https://example.org/x"));
    }
}
