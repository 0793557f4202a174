package dev.verydeep.cli;

import picocli.CommandLine.Option;

/**
 * {@code --strict} of the verbs that both read images and open ONNX Runtime sessions: no skipped image, no CPU
 * fall-back. (train's and extract's --strict stop at unreadable images only, so they keep their own.)
 */
final class StrictOption {
    @Option(names = "--strict", description = "Stop at the first unreadable image, and fail instead of falling back to CPU.")
    boolean strict;
}
