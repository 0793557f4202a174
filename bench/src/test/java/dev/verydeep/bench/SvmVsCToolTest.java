package dev.verydeep.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.testing.TestEnvironment;
import dev.verydeep.transfer.svm.Feed;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SvmVsCToolTest {
    @Test
    void libsvmTextGivesBackEveryFloatExactlyIncludingZeros() throws IOException {
        SvmVsCTool.Data data = SvmVsCTool.generate(20, 33, 3, 7);
        float[] v = data.x().data();
        int zeros = 0;
        for (int i = 0; i < 20; i++) {
            StringWriter w = new StringWriter();
            LibsvmText.writeRow(w, data.classes()[i], v, i * 33, 33);
            String line = w.toString();
            assertEquals(34, line.trim().split(" ").length, "label and all 33 values, zeros included");
            double[] back = LibsvmText.parseRow(line, 33);
            for (int j = 0; j < 33; j++) {
                assertEquals((double) v[i * 33 + j], back[j], 0.0);
                zeros += v[i * 33 + j] == 0 ? 1 : 0;
            }
        }
        assertTrue(zeros > 0, "the ReLU-clipped descriptors have zeros");
    }

    @Test
    void modelWeightsFollowTheModelsLabelOrder(@TempDir Path dir) throws IOException {
        Path binary = dir.resolve("b.model");
        Files.writeString(binary, "solver_type L2R_L2LOSS_SVC_DUAL\nnr_class 2\nlabel -1 1\nnr_feature 2\nbias 1\nw\n0.5 \n-2 \n3 \n");
        assertArrayEquals(new double[] {-0.5, 2, -3}, LibsvmText.modelWeights(binary, new int[] {1})[0], 0.0);
        Path multi = dir.resolve("m.model");
        Files.writeString(multi, "solver_type L2R_L2LOSS_SVC_DUAL\nnr_class 3\nlabel 2 0 1\nnr_feature 1\nbias -1\nw\n7 8 9 \n");
        assertEquals(3, LibsvmText.modelClasses(multi));
        double[][] w = LibsvmText.modelWeights(multi, new int[] {0, 1, 2});
        assertArrayEquals(new double[][] {{8}, {9}, {7}}, w);
    }

    @Test
    void weightsRoundTripAndBothFeedsAgreeBitForBit(@TempDir Path dir) throws IOException {
        SvmVsCTool.Data data = SvmVsCTool.generate(60, 16, 3, 3);
        double[][] nodes = SvmVsCTool.train(data, "ovr", Feed.FEATURE_NODES, 0.1);
        double[][] cursor = SvmVsCTool.train(data, "ovr", Feed.SHARED_CURSOR, 0.1);
        assertEquals(3, nodes.length);
        assertEquals(0.0, SvmVsCTool.maxAbsDiff(nodes, cursor));
        Path file = dir.resolve("w.txt");
        try (Writer w = Files.newBufferedWriter(file)) {
            LibsvmText.writeWeights(w, nodes);
        }
        assertEquals(0.0, SvmVsCTool.maxAbsDiff(nodes, LibsvmText.readWeights(file)));
    }

    /** With a tight tolerance the C tool and LIBLINEAR-java reach the same optimum on the same text values. */
    @Test
    void theCToolAgreesWithTheJavaPathAtATightTolerance(@TempDir Path dir) throws Exception {
        TestEnvironment.skipUnless(Files.isExecutable(Path.of("/usr/bin/liblinear-train")),
                "liblinear-tools not installed (an optional cross-check, not in " + TestEnvironment.INSTALLER + "): apt-get install liblinear-tools");
        SvmVsCTool.make(dir, 80, 12, 3, 5);
        for (String problem : new String[] {"binary", "ovr"}) {
            Path model = dir.resolve(problem + ".model");
            Process p = new ProcessBuilder("/usr/bin/liblinear-train", "-q", "-s", "1", "-c", "1", "-e", "1e-8", "-B", "1",
                    dir.resolve(problem + ".libsvm").toString(), model.toString()).inheritIO().start();
            assertEquals(0, p.waitFor());
            double[][] java = SvmVsCTool.train(SvmVsCTool.read(dir.resolve("x.f32")), problem, Feed.SHARED_CURSOR, 1e-8);
            int[] labels = problem.equals("binary") ? new int[] {1} : new int[] {0, 1, 2};
            double diff = SvmVsCTool.maxAbsDiff(java, LibsvmText.modelWeights(model, labels));
            assertTrue(diff < 1e-5, problem + ": max |w_java - w_C| = " + diff);
        }
    }
}
