/**
 * {@code verydeep report}: a Markdown and a self-contained HTML report rendered only from result files (training
 * run folders, evaluation and fusion folders, transfer results, JMH JSON) and the paper's golden tables. Every
 * number in the report is copied from a file (at most rescaled, e.g. an error fraction shown in percent), and every
 * table row names, by a {@code [n]} reference, the file it came from; the provenance section lists each file's
 * command, git commit and versions.
 */
package dev.verydeep.report;
