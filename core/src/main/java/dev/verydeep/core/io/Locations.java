package dev.verydeep.core.io;

import dev.verydeep.core.UserException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Where input data lies, given as text (the directory of a data set in {@code --data}): a local path, or a URI with a
 * scheme ({@code file:/...}, {@code hdfs://...}, {@code s3a://...}). URIs go to the resolver installed with
 * {@link #resolveUrisWith} (the spark module installs Hadoop's file systems, served as {@code java.nio} file systems, so
 * the readers keep taking {@link Path}s); without one, {@code file:} URIs are local paths and other schemes are refused.
 */
public final class Locations {
    /** A scheme of two or more characters before {@code :/} (one letter would be a Windows drive). */
    private static final Pattern URI_FORM = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]+:/.*");
    private static volatile Function<URI, Path> resolver;

    private Locations() {
    }

    /** Makes {@link #of} resolve URIs with {@code r} (any scheme, {@code file:} included), from now on in this JVM. */
    public static void resolveUrisWith(Function<URI, Path> r) {
        resolver = r;
    }

    /** Whether {@code text} is a URI with a scheme rather than a local path. */
    public static boolean isUri(String text) {
        return URI_FORM.matcher(text).matches();
    }

    /**
     * The location {@code text}: a local path made absolute and normalised, or a URI through the installed resolver.
     *
     * @throws UserException when a URI is malformed, or has a scheme nothing here reads
     * @throws java.nio.file.InvalidPathException when a local path is malformed
     */
    public static Path of(String text) {
        if (!isUri(text)) {
            return Path.of(text).toAbsolutePath().normalize();
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new UserException(text + ": not a valid URI (" + e.getReason() + "; percent-encode spaces and other special characters)", e);
        }
        Function<URI, Path> r = resolver;
        if (r != null) {
            return r.apply(uri);
        }
        if (uri.getScheme().toLowerCase(Locale.ROOT).equals("file")) {
            return Path.of(uri).normalize();
        }
        throw new UserException(text + ": " + uri.getScheme() + ": locations are read through Hadoop file systems, by verydeep spark eval "
                + "and spark extract only; here give a local path");
    }
}
