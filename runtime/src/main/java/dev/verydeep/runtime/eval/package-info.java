/**
 * The test protocol of the paper (section 3.2, section 4) on ONNX Runtime.
 *
 * <ul>
 *   <li>{@link dev.verydeep.runtime.eval.PartitionEvaluator}: {@code evaluate(session, images, settings)} is the
 *       protocol as a pure function over a partition of images given open sessions, one per worker (design.md
 *       "Scale-out"; Spark's {@code mapPartitions}); {@link dev.verydeep.runtime.eval.PosteriorSet#concat} joins the
 *       partitions' posteriors. {@link dev.verydeep.runtime.eval.Evaluator} is the same work with sessions it opens
 *       itself, chunked and resumable ({@link dev.verydeep.runtime.eval.PartialResults}). Inside: a
 *       {@code DecodePipeline} (decode and rescale on a pool, ahead of inference), a {@code BatchRunner} (inputs
 *       of equal shape batched per ORT call) and a {@code ResumableAccumulator} filling
 *       {@link dev.verydeep.runtime.eval.PosteriorBlocks}. Images are rescaled isotropically to
 *       each Q (PIL-compatible antialiased bilinear, {@code Preprocessor.rescale}), preprocessed per the net's metadata
 *       (or {@link dev.verydeep.runtime.eval.EvalSettings#preprocessing()}), then dense (score map, spatial mean,
 *       soft-max, optional mirror) and/or multi-crop ({@link dev.verydeep.runtime.eval.CropGrid}, 5x5 + mirrors).
 *       Every Q must be at least the crop. Unreadable images are {@link dev.verydeep.runtime.eval.Skipped}
 *       (or stop the run with strict).</li>
 *   <li>{@link dev.verydeep.runtime.eval.PosteriorSet}: posteriors per net, part, scale and image; every combination
 *       (single/multi-scale, dense/multi-crop/both, fusion) is an equal-weight mean formed from it; saved as
 *       {@code posteriors.bin} so that {@code verydeep fuse} recomputes fusion without running a net; that file and
 *       the chunks of partial results share one codec ({@code PosteriorCodec}).</li>
 *   <li>{@link dev.verydeep.runtime.eval.Metrics}: top-1/top-5 error (ties: the lower class index ranks higher),
 *       per-class error, confusion matrix ({@link dev.verydeep.runtime.eval.ConfusionChart}).</li>
 *   <li>{@link dev.verydeep.runtime.eval.EvalReport}: the table rows (paper's Tables 3-6 layout), {@code results.json},
 *       and fusion of saved runs.</li>
 * </ul>
 */
package dev.verydeep.runtime.eval;
