/**
 * {@code verydeep spark eval|extract|transfer}: the test protocol, descriptor extraction and transfer's SVMs as Spark
 * jobs. For eval and extract each Spark partition is one chunk of the in-process resumable output ({@code --checkpoint-every} images of eval's {@code partial/}, one
 * {@code --chunk-size} chunk of extract's descriptor store), computed in {@code mapPartitions} by one ONNX Runtime
 * session per executor JVM ({@link dev.verydeep.spark.ExecutorModels}) and committed atomically (temp file, rename), so a
 * retried task rewrites the same file and a rerun skips what is there. The driver then assembles the same
 * {@code results.json} / {@code posteriors.bin} / descriptor store as the in-process verbs, plus Parquet copies.
 * {@code --data} may be a Hadoop file system URI ({@link dev.verydeep.spark.hadoop}). {@code spark transfer} broadcasts
 * the descriptors and trains transfer's SVM units ({@link dev.verydeep.transfer.protocol.OneVsRest}) as tasks
 * ({@link dev.verydeep.spark.SvmTasks}).
 */
package dev.verydeep.spark;
