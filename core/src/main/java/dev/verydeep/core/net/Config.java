package dev.verydeep.core.net;

import dev.verydeep.core.UserException;
import java.util.List;
import java.util.Locale;

/**
 * The ConvNet configurations of Table 1 of the paper, plus the "shallow" B-5x5 variant of section
 * 4.1 (each pair of stacked 3x3 convs of B replaced by one 5x5 conv). Each block is a list of conv
 * kernel sizes; block widths are 64, 128, 256, 512, 512 at width multiplier 1; every block ends with
 * a 2x2 max-pool.
 */
public enum Config {
    A("A", false, List.of(List.of(3), List.of(3), List.of(3, 3), List.of(3, 3), List.of(3, 3))),
    A_LRN("A-LRN", true, List.of(List.of(3), List.of(3), List.of(3, 3), List.of(3, 3), List.of(3, 3))),
    B("B", false, List.of(List.of(3, 3), List.of(3, 3), List.of(3, 3), List.of(3, 3), List.of(3, 3))),
    B_5X5("B-5x5", false, List.of(List.of(5), List.of(5), List.of(5), List.of(5), List.of(5))),
    C("C", false, List.of(List.of(3, 3), List.of(3, 3), List.of(3, 3, 1), List.of(3, 3, 1), List.of(3, 3, 1))),
    D("D", false, List.of(List.of(3, 3), List.of(3, 3), List.of(3, 3, 3), List.of(3, 3, 3), List.of(3, 3, 3))),
    E("E", false, List.of(List.of(3, 3), List.of(3, 3), List.of(3, 3, 3, 3), List.of(3, 3, 3, 3), List.of(3, 3, 3, 3)));

    /** Output channels of each block at width multiplier 1 (Table 1). */
    public static final List<Integer> PAPER_BLOCK_CHANNELS = List.of(64, 128, 256, 512, 512);

    private final String label;
    private final boolean lrn;
    private final List<List<Integer>> blockKernels;

    Config(String label, boolean lrn, List<List<Integer>> blockKernels) {
        this.label = label;
        this.lrn = lrn;
        this.blockKernels = blockKernels;
    }

    /** The name used in the paper and on the command line, e.g. {@code A-LRN}. */
    public String label() {
        return label;
    }

    /** Whether an LRN layer follows the first conv layer (A-LRN only). */
    public boolean hasLrn() {
        return lrn;
    }

    /** Conv kernel sizes per block (5 blocks). */
    public List<List<Integer>> blockKernels() {
        return blockKernels;
    }

    /** Weight layers: conv layers plus the three FC layers (11 for A, 16 for D, 19 for E). */
    public int weightLayers() {
        return blockKernels.stream().mapToInt(List::size).sum() + 3;
    }

    @Override
    public String toString() {
        return label;
    }

    /** Parses a config letter as written in the paper ({@code A}, {@code A-LRN}, {@code B-5x5}, ...), case-insensitively. */
    public static Config parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT).replace('_', '-');
        for (Config c : values()) {
            if (c.label.toUpperCase(Locale.ROOT).equals(t)) {
                return c;
            }
        }
        throw new UserException("unknown config '" + text + "': expected one of A, A-LRN, B, B-5x5, C, D, E");
    }
}
