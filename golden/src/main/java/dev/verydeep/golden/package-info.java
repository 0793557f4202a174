/**
 * The golden-number regression harness: {@link dev.verydeep.golden.GoldenFile} reads the golden tables of
 * golden-data, {@link dev.verydeep.golden.GoldenCheck} reruns our own entries and compares them within their
 * tolerance ({@code verydeep golden check}), {@link dev.verydeep.golden.PaperComparison} compares a user's
 * full-scale results with the paper's tables ({@code verydeep golden check --against-paper}).
 */
package dev.verydeep.golden;
