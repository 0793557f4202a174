/**
 * verydeep in your own JUnit 5 tests: {@link dev.verydeep.junit.GoldenAssertions} (an entry of a golden file against a
 * {@link dev.verydeep.api.Result}, a result file or a run folder), {@link dev.verydeep.junit.GoldenTest} (entries of a
 * golden file run as tests) and {@link dev.verydeep.junit.GoldenSchema} (the golden file format as a JSON schema, and a
 * check of your own files against it). ONNX Runtime and this project only: no PyTorch on the class path.
 *
 * <pre>{@code
 * class VggFashionTest {
 *     static final Model VGG = Model.convert(VggFashionTest.class.getResource("/models/vgg-fashion.onnx")).setCrop(64).build();
 *
 *     @Test
 *     void denseTop1MatchesTheGoldenNumber() {
 *         Result r = Protocol.builder().setModels(VGG).setData("fashion-mnist-sample:test")
 *                 .setMethod(Method.DENSE).setScales(64).build().evaluate();
 *         GoldenAssertions.assertMatches(r, "golden/vgg-fashion.json", "vgg-fashion-dense-Q64-top1");
 *     }
 * }
 * }</pre>
 */
package dev.verydeep.junit;
