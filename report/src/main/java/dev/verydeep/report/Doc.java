package dev.verydeep.report;

import java.nio.file.Path;
import java.util.List;

/** The report as a list of blocks, rendered by {@link Markdown} and {@link Html} alike (so both hold the same numbers). */
public final class Doc {
    private Doc() {
    }

    /** One part of the report. */
    public sealed interface Block permits Heading, Para, Table, Image {
    }

    public record Heading(int level, String text) implements Block {
    }

    public record Para(String text) implements Block {
    }

    /** A table; every row has as many cells as the header. */
    public record Table(List<String> header, List<List<String>> rows) implements Block {
    }

    /** A PNG file to show (embedded in HTML, copied beside the Markdown). */
    public record Image(Path file, String caption) implements Block {
    }
}
