/**
 * The Java API of verydeep's test protocol, for a JVM team's own code and tests: ONNX Runtime only, no PyTorch on the
 * class path (the build enforces it).
 *
 * <ul>
 *   <li>{@link dev.verydeep.api.Model}: an ONNX model with verydeep's metadata, our own export or a classifier trained
 *       elsewhere and converted ({@link dev.verydeep.api.Model#convert}) with its stated crop, preprocessing and
 *       classes;</li>
 *   <li>{@link dev.verydeep.api.Protocol}: the paper's test protocol (dense, multi-crop, both; scales; flips; fusion of
 *       several models) on a data set named as the CLI names it or on an {@link dev.verydeep.core.data.ImageSource};</li>
 *   <li>{@link dev.verydeep.api.Result}: top-1, top-5 and per-class errors, every table row, the {@code results.json}
 *       content that golden entries read;</li>
 *   <li>{@link dev.verydeep.api.ModelCheck}: a model against its {@code test_data_set_N} folders.</li>
 * </ul>
 *
 * <pre>{@code
 * Model vgg = Model.convert(Path.of("vgg-fashion.onnx")).setCrop(64).optPreprocessing(Preprocessing.torchvision()).build();
 * Result r = Protocol.builder().setModels(vgg).setData("fashion-mnist-sample:test")
 *         .setMethod(Method.DENSE).setScales(64).optFlip(true).build().evaluate();
 * System.out.print(r.table());
 * }</pre>
 *
 * Why a module and not a package of {@code runtime}: the API spans runtime (evaluation, verification), the ONNX layer
 * (conversion) and core (data specs, provenance), is what users depend on (so its class path is checked to hold no
 * DJL), and stays a facade over runtime's public entry points, so runtime's internals can change under it.
 */
package dev.verydeep.api;
