package dev.verydeep.cli;

import picocli.CommandLine.Option;

/** Flags every verb has. {@code --verbose} is read by {@link Main}'s error handler. */
final class CommonOptions {
    @Option(names = "--verbose", description = "Show stack traces and debug logging.")
    boolean verbose;
}
