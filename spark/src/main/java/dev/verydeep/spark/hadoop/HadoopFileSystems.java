package dev.verydeep.spark.hadoop;

import dev.verydeep.core.UserException;
import dev.verydeep.core.io.Locations;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import scala.Tuple2;

/**
 * Hadoop's file systems as read-only {@code java.nio} file systems: {@link #install()} makes data-set locations given as
 * URIs ({@code --data caltech:hdfs://nn:8020/caltech101}, {@code s3a://...}, {@code file:///...}) resolve to
 * {@link HadoopPath}s (core's {@link Locations}), which the unchanged data-set readers list, stat and open through
 * this provider, on the driver and inside the partition functions. The Hadoop configuration is the classpath's
 * ({@code core-site.xml}, {@code hdfs-site.xml} from {@code HADOOP_CONF_DIR}) plus every {@code spark.hadoop.*} setting
 * of the Spark configuration (as Spark itself does). Writing is refused: outputs go to a local or shared path.
 */
public final class HadoopFileSystems extends FileSystemProvider {
    private static final HadoopFileSystems PROVIDER = new HadoopFileSystems();
    /** {@code scheme://authority} to the Hadoop class that served it, in this JVM (printed by the spark verbs). */
    private static final Map<String, String> USED = new ConcurrentHashMap<>();

    private HadoopFileSystems() {
    }

    /** Resolves data-set URIs through Hadoop from now on in this JVM (idempotent). */
    public static void install() {
        Locations.resolveUrisWith(PROVIDER::getPath);
    }

    /** The Hadoop file systems opened in this JVM: {@code scheme://authority (class)}, sorted. */
    public static List<String> used() {
        return new TreeMap<>(USED).entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")").toList();
    }

    /** The Hadoop configuration: the classpath's plus the Spark configuration's {@code spark.hadoop.*} entries. */
    static Configuration configuration() {
        Configuration conf = new Configuration();
        SparkConf spark = SparkEnv.get() != null ? SparkEnv.get().conf() : new SparkConf();
        for (Tuple2<String, String> kv : spark.getAll()) {
            if (kv._1().startsWith("spark.hadoop.")) {
                conf.set(kv._1().substring("spark.hadoop.".length()), kv._2());
            }
        }
        return conf;
    }

    @Override
    public String getScheme() {
        return "hadoop";
    }

    @Override
    public HadoopNioFileSystem newFileSystem(URI uri, Map<String, ?> env) {
        return getFileSystem(uri);
    }

    @Override
    public HadoopNioFileSystem getFileSystem(URI uri) {
        try {
            org.apache.hadoop.fs.FileSystem fs = org.apache.hadoop.fs.FileSystem.get(uri, configuration());
            URI id = fs.getUri();
            USED.put(id.getScheme() + "://" + (id.getAuthority() == null ? "" : id.getAuthority()), fs.getClass().getName());
            return new HadoopNioFileSystem(this, fs, id.getScheme(), id.getAuthority());
        } catch (IOException | RuntimeException e) {
            throw new UserException(uri + ": no Hadoop file system for it (" + e.getMessage() + "; a cluster's file systems need its Hadoop "
                    + "configuration: HADOOP_CONF_DIR or --conf spark.hadoop.*)", e);
        }
    }

    @Override
    public Path getPath(URI uri) {
        String p = uri.getPath();
        if (p == null || p.isEmpty()) {
            p = "/";
        }
        return new HadoopPath(getFileSystem(uri), p).normalize();
    }

    private static HadoopPath cast(Path p) {
        if (!(p instanceof HadoopPath h)) {
            throw new ProviderMismatchException(p + " is not a path of a Hadoop file system");
        }
        return h;
    }

    /** The file's status, or NoSuchFileException naming it. */
    FileStatus status(HadoopPath p) throws IOException {
        try {
            return p.getFileSystem().hadoop().getFileStatus(p.hadoop());
        } catch (FileNotFoundException e) {
            throw (NoSuchFileException) new NoSuchFileException(p.toString()).initCause(e);
        }
    }

    @Override
    public InputStream newInputStream(Path path, OpenOption... options) throws IOException {
        HadoopPath p = cast(path);
        for (OpenOption o : options) {
            if (o == StandardOpenOption.WRITE || o == StandardOpenOption.APPEND) {
                throw new ReadOnlyFileSystemException();
            }
        }
        try {
            return p.getFileSystem().hadoop().open(p.hadoop());
        } catch (FileNotFoundException e) {
            throw (NoSuchFileException) new NoSuchFileException(p.toString()).initCause(e);
        }
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
        for (OpenOption o : options) {
            if (o != StandardOpenOption.READ && o != LinkOption.NOFOLLOW_LINKS) {
                throw new ReadOnlyFileSystemException();
            }
        }
        HadoopPath p = cast(path);
        long size = status(p).getLen();
        return new ReadChannel((FSDataInputStream) newInputStream(p), size);
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
        HadoopPath d = cast(dir);
        if (!status(d).isDirectory()) {
            throw new NotDirectoryException(d.toString());
        }
        List<Path> entries = new ArrayList<>();
        for (FileStatus s : d.getFileSystem().hadoop().listStatus(d.hadoop())) {
            Path child = d.resolve(s.getPath().getName());
            if (filter.accept(child)) {
                entries.add(child);
            }
        }
        return new DirectoryStream<>() {
            @Override
            public java.util.Iterator<Path> iterator() {
                return entries.iterator();
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void delete(Path path) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public boolean isSameFile(Path path, Path path2) {
        return path.equals(path2);
    }

    @Override
    public boolean isHidden(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().startsWith(".");
    }

    @Override
    public FileStore getFileStore(Path path) {
        throw new UnsupportedOperationException("Hadoop file systems: no file store");
    }

    /** Existence for any mode; read access is checked when the file is opened; writing is refused. */
    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        HadoopPath p = cast(path);
        status(p);
        for (AccessMode m : modes) {
            if (m == AccessMode.WRITE) {
                throw new AccessDeniedException(p.toString(), null, "read-only (a Hadoop file system read by verydeep)");
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        if (type != BasicFileAttributeView.class) {
            return null;
        }
        HadoopPath p = cast(path);
        return (V) new BasicFileAttributeView() {
            @Override
            public String name() {
                return "basic";
            }

            @Override
            public BasicFileAttributes readAttributes() throws IOException {
                return HadoopFileSystems.this.readAttributes(p, BasicFileAttributes.class);
            }

            @Override
            public void setTimes(FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime) {
                throw new ReadOnlyFileSystemException();
            }
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options) throws IOException {
        if (!type.isAssignableFrom(BasicFileAttributes.class)) {
            throw new UnsupportedOperationException("Hadoop file systems: only basic attributes, not " + type.getSimpleName());
        }
        return (A) new Attributes(status(cast(path)));
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        Attributes a = new Attributes(status(cast(path)));
        Map<String, Object> all = new HashMap<>();
        all.put("size", a.size());
        all.put("isDirectory", a.isDirectory());
        all.put("isRegularFile", a.isRegularFile());
        all.put("isSymbolicLink", a.isSymbolicLink());
        all.put("isOther", a.isOther());
        all.put("lastModifiedTime", a.lastModifiedTime());
        all.put("lastAccessTime", a.lastAccessTime());
        all.put("creationTime", a.creationTime());
        String names = attributes.startsWith("basic:") ? attributes.substring(6) : attributes;
        if (names.equals("*")) {
            return all;
        }
        Map<String, Object> out = new HashMap<>();
        for (String n : names.split(",")) {
            if (all.containsKey(n)) {
                out.put(n, all.get(n));
            }
        }
        return out;
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) {
        throw new ReadOnlyFileSystemException();
    }

    /** A Hadoop file status as basic attributes. */
    private record Attributes(FileStatus s) implements BasicFileAttributes {
        @Override
        public FileTime lastModifiedTime() {
            return FileTime.fromMillis(s.getModificationTime());
        }

        @Override
        public FileTime lastAccessTime() {
            return FileTime.fromMillis(s.getAccessTime());
        }

        @Override
        public FileTime creationTime() {
            return lastModifiedTime();
        }

        @Override
        public boolean isRegularFile() {
            return s.isFile();
        }

        @Override
        public boolean isDirectory() {
            return s.isDirectory();
        }

        @Override
        public boolean isSymbolicLink() {
            return false;
        }

        @Override
        public boolean isOther() {
            return !s.isFile() && !s.isDirectory();
        }

        @Override
        public long size() {
            return s.getLen();
        }

        @Override
        public Object fileKey() {
            return null;
        }
    }

    /** A read-only channel over a Hadoop input stream (seekable: positioned reads for Files.readAllBytes and ImageIO). */
    private static final class ReadChannel implements SeekableByteChannel {
        private final FSDataInputStream in;
        private final long size;
        private boolean open = true;

        ReadChannel(FSDataInputStream in, long size) {
            this.in = in;
            this.size = size;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (!dst.hasRemaining()) {
                return 0;
            }
            byte[] b = new byte[dst.remaining()];
            int n = in.read(b, 0, b.length);
            if (n > 0) {
                dst.put(b, 0, n);
            }
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            throw new NonWritableChannelException();
        }

        @Override
        public long position() throws IOException {
            return in.getPos();
        }

        @Override
        public SeekableByteChannel position(long newPosition) throws IOException {
            in.seek(newPosition);
            return this;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public SeekableByteChannel truncate(long s) {
            throw new NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() throws IOException {
            open = false;
            in.close();
        }
    }
}
