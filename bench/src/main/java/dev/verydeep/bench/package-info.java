/**
 * JMH benchmarks (the golden harness and the report live in their own modules, {@code golden/} and {@code report/}).
 *
 * <p>Benchmarks, in the JMH samples' style (settings at class level, {@code @Param} state, results sunk in a
 * Blackhole): {@link dev.verydeep.bench.OrtSessionBench} (ORT classifier and dense graphs, batch 1 and batched),
 * {@link dev.verydeep.bench.ProtocolCostBench} (dense 3 scales x 2 flips vs 150 crops per image),
 * {@link dev.verydeep.bench.DjlVsOrtBench}, {@link dev.verydeep.bench.TrainStepBench} (a DJL SGD step),
 * {@link dev.verydeep.bench.SvmTrainBench} (LIBLINEAR, two feeds) and {@link dev.verydeep.bench.SgemmBench} (the
 * machine's measured peak). Run them with {@code verydeep bench [PATTERN] [--quick]}
 * ({@link dev.verydeep.bench.BenchRunner}: JMH JSON plus a summary with GFLOP/s from the net description's
 * multiply-adds and the share of the SGEMM peak), or with JMH's own command line
 * ({@link dev.verydeep.bench.BenchMain}).
 */
package dev.verydeep.bench;
