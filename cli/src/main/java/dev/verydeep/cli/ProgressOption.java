package dev.verydeep.cli;

import picocli.CommandLine.Option;

/** {@code --no-progress}, and whether a progress bar is drawn at all. */
final class ProgressOption {
    @Option(names = "--no-progress", description = "No progress bar; also the case when not on a terminal.")
    boolean noProgress;

    /** A bar only on a terminal: redirected output would fill up with its redraws. */
    boolean bar() {
        return !noProgress && System.console() != null;
    }
}
