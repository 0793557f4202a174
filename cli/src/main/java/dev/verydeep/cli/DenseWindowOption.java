package dev.verydeep.cli;

import dev.verydeep.core.net.DenseWindow;
import picocli.CommandLine.Option;

/** {@code --dense-window}: which pixels of a rescaled image a dense (fully convolutional) graph is given. */
final class DenseWindowOption {
    @Option(names = "--dense-window", defaultValue = "centred",
            description = "Dense input: centred (the central floor(side/32)*32 pixels of each side: all of them at the paper's "
                    + "scales, which are multiples of 32) or full (the whole rescaled image; the graph then uses floor(side/32)*32 "
                    + "pixels from the top-left). Default: ${DEFAULT-VALUE}.")
    String denseWindow;

    DenseWindow window() {
        return DenseWindow.parse(denseWindow);
    }

    boolean centred() {
        return window() == DenseWindow.CENTRED;
    }
}
