package dev.verydeep.spark.hadoop;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A path of a {@link HadoopNioFileSystem}: {@code /}-separated names, absolute when it starts with {@code /}. Prints as
 * its URI when absolute ({@code hdfs://nn:8020/data/x.jpg}, {@code file:///tmp/x.jpg}), so messages name the file as the
 * user gave it. Equal paths have the same file system (scheme and authority) and the same names.
 */
final class HadoopPath implements Path {
    private final HadoopNioFileSystem fs;
    private final String path;

    HadoopPath(HadoopNioFileSystem fs, String path) {
        this.fs = fs;
        this.path = clean(path);
    }

    /** Repeated and trailing slashes dropped ({@code /} stays the root). */
    private static String clean(String p) {
        String s = p.replaceAll("/{2,}", "/");
        return s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private List<String> names() {
        return Arrays.stream(path.split("/")).filter(n -> !n.isEmpty()).toList();
    }

    private HadoopPath of(boolean absolute, List<String> names) {
        return new HadoopPath(fs, (absolute ? "/" : "") + String.join("/", names));
    }

    /** The path Hadoop's file system reads. */
    org.apache.hadoop.fs.Path hadoop() {
        return new org.apache.hadoop.fs.Path(toAbsolutePath().toUri());
    }

    @Override
    public HadoopNioFileSystem getFileSystem() {
        return fs;
    }

    @Override
    public boolean isAbsolute() {
        return path.startsWith("/");
    }

    @Override
    public Path getRoot() {
        return isAbsolute() ? new HadoopPath(fs, "/") : null;
    }

    @Override
    public Path getFileName() {
        List<String> n = names();
        return n.isEmpty() ? (path.isEmpty() ? this : null) : new HadoopPath(fs, n.get(n.size() - 1));
    }

    @Override
    public Path getParent() {
        List<String> n = names();
        if (n.isEmpty() || (n.size() == 1 && !isAbsolute())) {
            return null;
        }
        return of(isAbsolute(), n.subList(0, n.size() - 1));
    }

    @Override
    public int getNameCount() {
        return path.isEmpty() ? 1 : names().size();
    }

    @Override
    public Path getName(int index) {
        return subpath(index, index + 1);
    }

    @Override
    public Path subpath(int beginIndex, int endIndex) {
        List<String> n = names();
        if (beginIndex < 0 || endIndex > n.size() || beginIndex >= endIndex) {
            throw new IllegalArgumentException("subpath(" + beginIndex + ", " + endIndex + ") of " + this);
        }
        return of(false, n.subList(beginIndex, endIndex));
    }

    @Override
    public boolean startsWith(Path other) {
        HadoopPath o = cast(other);
        if (o.isAbsolute() != isAbsolute() || !o.fs.key().equals(fs.key())) {
            return false;
        }
        List<String> a = names();
        List<String> b = o.names();
        return b.size() <= a.size() && a.subList(0, b.size()).equals(b);
    }

    @Override
    public boolean endsWith(Path other) {
        HadoopPath o = cast(other);
        if (o.isAbsolute()) {
            return equals(o);
        }
        List<String> a = names();
        List<String> b = o.names();
        return b.size() <= a.size() && a.subList(a.size() - b.size(), a.size()).equals(b);
    }

    @Override
    public Path normalize() {
        List<String> out = new ArrayList<>();
        for (String n : names()) {
            if (n.equals("..") && !out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
                out.remove(out.size() - 1);
            } else if (!n.equals(".") && !(n.equals("..") && isAbsolute() && out.isEmpty())) {
                out.add(n);
            }
        }
        return of(isAbsolute(), out);
    }

    @Override
    public Path resolve(Path other) {
        HadoopPath o = other instanceof HadoopPath h ? h : (HadoopPath) fs.getPath(other.toString());
        if (o.isAbsolute()) {
            return o;
        }
        if (o.path.isEmpty()) {
            return this;
        }
        return new HadoopPath(fs, path.isEmpty() ? o.path : path + "/" + o.path);
    }

    @Override
    public Path relativize(Path other) {
        HadoopPath o = cast(other);
        if (o.isAbsolute() != isAbsolute()) {
            throw new IllegalArgumentException(other + " and " + this + ": one is absolute, the other not");
        }
        List<String> a = names();
        List<String> b = o.names();
        int common = 0;
        while (common < a.size() && common < b.size() && a.get(common).equals(b.get(common))) {
            common++;
        }
        List<String> rel = new ArrayList<>();
        for (int i = common; i < a.size(); i++) {
            rel.add("..");
        }
        rel.addAll(b.subList(common, b.size()));
        return of(false, rel);
    }

    @Override
    public URI toUri() {
        try {
            return new URI(fs.scheme(), fs.authority(), ((HadoopPath) toAbsolutePath()).path, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(this + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Path toAbsolutePath() {
        return isAbsolute() ? this : new HadoopPath(fs, fs.workingDirectory() + "/" + path);
    }

    @Override
    public Path toRealPath(LinkOption... options) throws IOException {
        Path abs = toAbsolutePath().normalize();
        fs.provider().status((HadoopPath) abs);
        return abs;
    }

    @Override
    public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
        throw new UnsupportedOperationException("Hadoop file systems cannot be watched");
    }

    @Override
    public int compareTo(Path other) {
        return toString().compareTo(other.toString());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HadoopPath p && p.fs.key().equals(fs.key()) && p.path.equals(path);
    }

    @Override
    public int hashCode() {
        return fs.key().hashCode() * 31 + path.hashCode();
    }

    @Override
    public String toString() {
        return isAbsolute() ? fs.key() + path : path;
    }

    private static HadoopPath cast(Path p) {
        if (!(p instanceof HadoopPath h)) {
            throw new ProviderMismatchException(p + " is not a path of a Hadoop file system");
        }
        return h;
    }
}
