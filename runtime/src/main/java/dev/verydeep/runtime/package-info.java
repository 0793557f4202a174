/**
 * ONNX Runtime sessions and the paper's test protocol.
 *
 * <ul>
 *   <li>{@link dev.verydeep.runtime.Sessions}: one {@code OrtEnvironment}; sessions over models checked by
 *       {@code OnnxModels.load}; {@link dev.verydeep.runtime.Device} {@code cpu} or {@code cuda[:N]} with
 *       fall-back to CPU (logged once, or refused with {@code strict}); the device actually used is in
 *       {@link dev.verydeep.runtime.DeviceSelection} for result files.</li>
 *   <li>{@link dev.verydeep.runtime.Verifier}: {@code verydeep verify}, ORT against stored test data sets
 *       with numpy's allclose rule ({@link dev.verydeep.runtime.Comparison}), PASS/FAIL per set with the
 *       worst element ({@link dev.verydeep.runtime.VerifyReport}).</li>
 *   <li>{@link dev.verydeep.onnx.Preprocessor}: the one image-to-input path (whole image or a window, optionally
 *       mirrored), used by evaluation and descriptor extraction.</li>
 *   <li>{@link dev.verydeep.runtime.eval}: the test protocol (dense, multi-crop, scales, flips, fusion, top-1/top-5).</li>
 * </ul>
 */
package dev.verydeep.runtime;
