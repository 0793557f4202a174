/**
 * Hadoop's file systems (HDFS, S3A, the local one...) as read-only {@code java.nio} file systems, so that spark eval and
 * spark extract read data sets where they lie through core's unchanged, {@code Path}-taking readers
 * ({@link dev.verydeep.spark.hadoop.HadoopFileSystems#install()}; core itself stays free of Hadoop).
 */
package dev.verydeep.spark.hadoop;
