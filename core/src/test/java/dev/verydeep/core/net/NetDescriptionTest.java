package dev.verydeep.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verydeep.core.UserException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Table 2 of the paper is a golden test of the one net description. */
class NetDescriptionTest {

    @ParameterizedTest
    @CsvSource({
        "A, 132863336, 7.61",
        "A-LRN, 132863336, 7.61",
        "B, 133047848, 11.31",
        "C, 133638952, 11.77",
        "D, 138357544, 15.47",
        "E, 143667240, 19.63"})
    void paperParameterAndMultiplyAddCounts(String config, long params, double gmacs) {
        NetDescription net = NetDescription.paper(Config.parse(config));
        assertEquals(params, net.parameterCount());
        assertEquals(gmacs, Math.round(net.multiplyAdds() / 1e7) / 100.0, 1e-9);
    }

    @Test
    void table2RoundedMillions() {
        assertEquals(List.of(133L, 133L, 133L, 134L, 138L, 144L),
                List.of(Config.A, Config.A_LRN, Config.B, Config.C, Config.D, Config.E).stream()
                        .map(c -> Math.round(NetDescription.paper(c).parameterCount() / 1e6)).toList());
    }

    @Test
    void weightLayerCountsMatchTable1() {
        assertEquals(11, Config.A.weightLayers());
        assertEquals(11, Config.A_LRN.weightLayers());
        assertEquals(13, Config.B.weightLayers());
        assertEquals(16, Config.C.weightLayers());
        assertEquals(16, Config.D.weightLayers());
        assertEquals(19, Config.E.weightLayers());
        assertEquals(8, Config.B_5X5.weightLayers());
    }

    @Test
    void widthScalesEveryLayerAndFcWidth() {
        NetDescription net = NetDescription.builder().setConfig(Config.D).optWidth(0.125).optClasses(10).optCrop(32).build();
        assertEquals(512, net.fcWidth());
        assertEquals(List.of(8, 8, 16, 16, 32, 32, 32, 64, 64, 64, 64, 64, 64),
                net.convLayers().stream().map(Layer::outChannels).toList());
        assertEquals(1, net.fcKernel());
        Layer fc6 = net.fcLayers().get(0);
        assertEquals(64 * 512 + 512, fc6.parameters());
        Layer last = net.layers().get(net.layers().size() - 1);
        assertEquals(10, last.outChannels());
    }

    @Test
    void outputShapesHalveAtEachPool() {
        NetDescription net = NetDescription.paper(Config.E);
        List<Layer> pools = net.layers().stream().filter(l -> l.kind() == Layer.Kind.MAXPOOL).toList();
        assertEquals(List.of(112, 56, 28, 14, 7), pools.stream().map(Layer::outHeight).toList());
        assertEquals(7, net.fcKernel());
    }

    @Test
    void lrnOnlyInALrnAfterFirstConv() {
        List<Layer> layers = NetDescription.paper(Config.A_LRN).layers();
        assertEquals("conv1_1", layers.get(0).name());
        assertEquals(Layer.Kind.LRN, layers.get(1).kind());
        assertTrue(NetDescription.paper(Config.A).layers().stream().noneMatch(l -> l.kind() == Layer.Kind.LRN));
        assertEquals(5e-4, LrnParams.ALEXNET.alphaForAverageConvention(), 1e-12);
    }

    @Test
    void shallowB5x5HasOne5x5PerPairOfB() {
        NetDescription b5 = NetDescription.paper(Config.B_5X5);
        assertEquals(5, b5.convLayers().size());
        assertTrue(b5.convLayers().stream().allMatch(l -> l.kernel() == 5 && l.padding() == 2));
        // 25 C^2 weights against 2 x 9 C^2 = 18 C^2 for the pair it replaces: more parameters than B
        assertTrue(b5.parameterCount() > NetDescription.paper(Config.B).parameterCount());
    }

    @Test
    void conv1x1HasNoPadding() {
        Layer c = NetDescription.paper(Config.C).layers().stream().filter(l -> l.name().equals("conv3_3")).findFirst().orElseThrow();
        assertEquals(1, c.kernel());
        assertEquals(0, c.padding());
    }

    @Test
    void badSettingsAreUserErrors() {
        assertThrows(UserException.class, () -> Config.parse("F"));
        assertThrows(UserException.class, () -> NetDescription.builder().setConfig(Config.A).optCrop(33).build());
        assertThrows(UserException.class, () -> NetDescription.builder().setConfig(Config.A).optWidth(0).build());
        assertThrows(UserException.class, () -> NetDescription.builder().setConfig(Config.A).optClasses(0).build());
        assertEquals(Config.A_LRN, Config.parse("a-lrn"));
        assertEquals(Config.B_5X5, Config.parse("b-5x5"));
    }

    @Test
    void miniatureGeometryForCrop32() {
        assertEquals(37, Geometry.miniature(256, 32));
        assertEquals(55, Geometry.miniature(384, 32));
        assertEquals(73, Geometry.miniature(512, 32));
        assertEquals(List.of(32, 37, 42), Geometry.multiTestScalesFixed(37, 32));
        assertEquals(List.of(37, 55, 73), Geometry.multiTestScalesJittered(37, 73));
        assertEquals(List.of(224, 256, 288), Geometry.multiTestScalesFixed(256, 224));
        assertEquals(List.of(256, 384, 512), Geometry.multiTestScalesJittered(256, 512));
    }

    @Test
    void tableNamesTotals() {
        String t = NetTable.render(NetDescription.paper(Config.D));
        assertTrue(t.contains("138,357,544"), t);
        assertTrue(t.contains("15.47G"), t);
        assertTrue(t.contains("conv5_3"), t);
    }
}
