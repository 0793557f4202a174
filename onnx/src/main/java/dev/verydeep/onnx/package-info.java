/**
 * The ONNX format layer: trained weights to ONNX, foreign graphs to the dense form, and the ONNX file formats
 * around them. Depends on core (net description, images) and ONNX's protobuf classes only: no DJL, no ONNX
 * Runtime. Reading a trained DJL run lives in the {@code export} module ({@code dev.verydeep.export}).
 *
 * <ul>
 *   <li>{@link dev.verydeep.onnx.OnnxExporter}: {@code NetWeights} + {@link dev.verydeep.onnx.ModelMetadata}
 *       to {@code model.onnx} (classifier, {@code [N,3,crop,crop] -> scores [N,K]}) and
 *       {@code model-dense.onnx} (fully convolutional, {@code [N,3,H,W] -> scores_map [N,K,h,w]} and
 *       {@code penultimate [N,F,h,w]}); IR 8, opset 13, so Debian's python3-onnx 1.12 full check accepts
 *       them. Protobuf classes: {@code ai.onnx.proto.OnnxMl} from {@code org.tribuo:tribuo-util-onnx},
 *       nodes built with the protobuf builders.</li>
 *   <li>{@link dev.verydeep.onnx.OnnxWeights}: the inverse, an exported model (either form) back to {@code NetWeights}
 *       bit for bit, for a training run that starts from it (the trainer's {@code InitSource}).</li>
 *   <li>{@link dev.verydeep.onnx.ModelMetadata}: everything needed to evaluate a file travels in its
 *       {@code metadata_props} as JSON under {@code verydeep.*} keys, read back with checks.</li>
 *   <li>{@link dev.verydeep.onnx.OnnxModels}: the guard every model passes before a runtime sees it
 *       (not a model, truncated, external data leaving the model's folder), and
 *       {@link dev.verydeep.onnx.ModelReport} for {@code verydeep inspect}.</li>
 *   <li>{@link dev.verydeep.onnx.TensorProtos}, {@link dev.verydeep.onnx.TensorData} and
 *       {@link dev.verydeep.onnx.TestDataSets}: {@code .pb} tensors and the model-zoo
 *       {@code test_data_set_N} layout ({@code model-dense.onnx} owns {@code test_data_set_dense_N}).</li>
 *   <li>{@link dev.verydeep.onnx.DenseConverter} ({@code verydeep convert}): a foreign VGG classifier graph
 *       rewritten to the dense form. Heads, one entry each in {@code HeadMatchers.TABLE}: torchvision via torch.onnx
 *       (AveragePool(1x1) or GlobalAveragePool seeing one cell at the crop, removed, -> Flatten -> Gemm/Relu/Dropout stack), {@code x.view(x.size(0), -1)} (Shape/Gather/Unsqueeze/Concat -> Reshape) and
 *       constant-shape Reshape, Transpose(W) + Gemm(transB=0), MatMul + Add, MXNet/model-zoo Flatten -> Gemm,
 *       Keras/tf2onnx NHWC input and NHWC flatten, Dropout/Identity, a final Softmax (removed: the score map holds logits). Other heads are refused with
 *       what was found and what was expected.</li>
 *   <li>{@link dev.verydeep.core.io.AtomicFiles} (core): every file here is written to a temporary name and renamed.</li>
 * </ul>
 */
package dev.verydeep.onnx;
