/**
 * {@code verydeep spark eval|extract}: the test protocol and descriptor extraction as Spark jobs. Each Spark partition
 * is one chunk of the in-process resumable output ({@code --checkpoint-every} images of eval's {@code partial/}, one
 * {@code --chunk-size} chunk of extract's descriptor store), computed in {@code mapPartitions} by one ONNX Runtime
 * session per executor JVM ({@link dev.verydeep.spark.ExecutorModels}) and committed atomically (temp file, rename), so a
 * retried task rewrites the same file and a rerun skips what is there. The driver then assembles the same
 * {@code results.json} / {@code posteriors.bin} / descriptor store as the in-process verbs, plus Parquet copies.
 */
package dev.verydeep.spark;
