package dev.verydeep.spark.hadoop;

import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.Set;

/**
 * One Hadoop file system (a scheme and authority: {@code hdfs://nn:8020}, {@code s3a://bucket}, {@code file://}) as a
 * read-only {@code java.nio} file system, so that the data-set readers, which take {@link Path}s, read it unchanged.
 */
final class HadoopNioFileSystem extends FileSystem {
    private final HadoopFileSystems provider;
    private final org.apache.hadoop.fs.FileSystem hadoop;
    private final String scheme;
    private final String authority;

    HadoopNioFileSystem(HadoopFileSystems provider, org.apache.hadoop.fs.FileSystem hadoop, String scheme, String authority) {
        this.provider = provider;
        this.hadoop = hadoop;
        this.scheme = scheme;
        this.authority = authority;
    }

    org.apache.hadoop.fs.FileSystem hadoop() {
        return hadoop;
    }

    String scheme() {
        return scheme;
    }

    String authority() {
        return authority;
    }

    /** {@code scheme://authority}: what absolute paths print before their names. */
    String key() {
        return scheme + "://" + (authority == null ? "" : authority);
    }

    /** Where relative paths start: the Hadoop file system's working directory. */
    String workingDirectory() {
        String w = hadoop.getWorkingDirectory().toUri().getPath();
        return w.endsWith("/") ? w.substring(0, w.length() - 1) : w;
    }

    @Override
    public HadoopFileSystems provider() {
        return provider;
    }

    @Override
    public void close() {
        // The Hadoop file system is shared (Hadoop's cache); it closes with the JVM.
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public boolean isReadOnly() {
        return true;
    }

    @Override
    public String getSeparator() {
        return "/";
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        return List.of(new HadoopPath(this, "/"));
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        return List.of();
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return Set.of("basic");
    }

    @Override
    public Path getPath(String first, String... more) {
        StringBuilder sb = new StringBuilder(first);
        for (String m : more) {
            if (!m.isEmpty()) {
                sb.append(sb.length() == 0 ? "" : "/").append(m);
            }
        }
        return new HadoopPath(this, sb.toString());
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        PathMatcher local = FileSystems.getDefault().getPathMatcher(syntaxAndPattern);
        return p -> local.matches(Path.of(p.isAbsolute() ? p.toUri().getPath() : p.toString()));
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        throw new UnsupportedOperationException("Hadoop file systems: no user principal lookup");
    }

    @Override
    public WatchService newWatchService() {
        throw new UnsupportedOperationException("Hadoop file systems cannot be watched");
    }
}
