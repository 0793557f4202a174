/**
 * A trained run (DJL, {@code trainer}) to ONNX: {@link dev.verydeep.export.RunExporter} ({@code verydeep export
 * RUN}) reads a run folder's weights and settings, writes {@code model.onnx} and {@code model-dense.onnx} with
 * the {@code onnx} module's {@link dev.verydeep.onnx.OnnxExporter}, and the model-zoo test data sets whose
 * expected outputs are DJL's own. This is the only place where DJL and the ONNX format layer meet: the
 * {@code onnx}, {@code runtime} and {@code transfer} modules need no DJL.
 */
package dev.verydeep.export;
