/**
 * Test support shared by every module's tests (published in verydeep-core's test-jar; the CLI's in-process runner
 * is {@code dev.verydeep.cli.testing.CliRun} in verydeep-cli's test-jar, since it needs the CLI and so DJL):
 * <ul>
 *   <li>{@link dev.verydeep.core.testing.FakeImageSource} and {@link dev.verydeep.core.testing.TransformedSource}:
 *       in-memory image sets and a per-image view of another set;</li>
 *   <li>{@link dev.verydeep.core.testing.KillAtFaultPoint}: the kill half of every kill-and-resume test (train,
 *       extract, eval): a child JVM paused at a {@link dev.verydeep.core.io.FaultPoints} point and killed there with
 *       SIGKILL;</li>
 *   <li>{@link dev.verydeep.core.testing.TestEnvironment}: the one policy on skipping.</li>
 * </ul>
 *
 * <h2>When a test may skip</h2>
 * A skipped test checks nothing, and a skip on every machine goes unseen; so:
 * <ol>
 *   <li><b>Skip only when this environment cannot produce the case under test</b>, and say which case and why:
 *       running as root (root reads mode-000 files and writes into mode-555 folders:
 *       {@link dev.verydeep.core.testing.TestEnvironment#skipAsRoot}), a CUDA build of ONNX Runtime (other kernels,
 *       other last bits), a test launched only by another test. An optional tool outside
 *       {@code bin/install-test-deps} (liblinear-tools for a cross-check) may skip too, naming the package.</li>
 *   <li><b>Never skip for what {@code bin/install-test-deps} installs</b> (Fashion-MNIST, python3-onnx,
 *       libonnx-testdata, chromium): the test FAILS, naming what is missing and the script
 *       ({@link dev.verydeep.core.testing.TestEnvironment#requireInstalled},
 *       {@link dev.verydeep.core.testing.TestEnvironment#requireFashionMnist}).</li>
 *   <li>Every skip goes through {@link dev.verydeep.core.testing.TestEnvironment#skipUnless}, whose reason may not be
 *       blank: the surefire report then says what was not tested and why. No silent {@code return}.</li>
 * </ol>
 */
package dev.verydeep.core.testing;
