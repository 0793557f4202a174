package dev.verydeep.runtime.eval;

/** An image left out of an evaluation: its index in the data set, its id (file path or split/index) and why. */
public record Skipped(int index, String id, String reason) {
}
