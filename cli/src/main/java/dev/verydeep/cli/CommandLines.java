package dev.verydeep.cli;

import picocli.CommandLine.Model.CommandSpec;

/** The command line a verb was run with, as recorded in every result file's provenance. */
final class CommandLines {
    private CommandLines() {
    }

    /**
     * {@code verydeep} followed by the original arguments. picocli gives a sub-command the whole argument list,
     * verb included, so nothing is prepended but the program name.
     */
    static String of(CommandSpec spec) {
        String root = spec.root().name();
        return "verydeep " + (root.equals("verydeep") ? "" : root + " ") + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    }
}
