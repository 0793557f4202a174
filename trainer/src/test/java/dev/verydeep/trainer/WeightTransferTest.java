package dev.verydeep.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.verydeep.core.UserException;
import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.NetDescription;
import dev.verydeep.core.net.NetWeights;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WeightTransferTest {
    private static NetDescription net(Config c) {
        return NetDescription.builder().setConfig(c).optWidth(0.0625).optClasses(10).optCrop(32).build();
    }

    private static NetWeights randomWeights(NetDescription d, NDManager m) {
        VggNet v = VggNet.build(d, 0.5f);
        v.block().initialize(m, DataType.FLOAT32, v.inputShape(1));
        return v.weights();
    }

    @Test
    void fromAIntoDCopiesExactlyTheFirstFourConvAndTheFcLayers() {
        try (NDManager m = NDManager.newBaseManager()) {
            NetWeights a = randomWeights(net(Config.A), m);
            Map<String, NetWeights.Tensor> sel = WeightTransfer.select(a, net(Config.D));
            assertEquals(List.of("conv1_1.weight", "conv1_1.bias", "conv2_1.weight", "conv2_1.bias", "conv3_1.weight", "conv3_1.bias",
                    "conv3_2.weight", "conv3_2.bias", "fc6.weight", "fc6.bias", "fc7.weight", "fc7.bias", "fc8.weight", "fc8.bias"),
                    List.copyOf(sel.keySet()));
            // loaded into a fresh D: exactly those tensors equal A's, the others keep their own random values
            VggNet d = VggNet.build(net(Config.D), 0.5f);
            d.block().initialize(m, DataType.FLOAT32, d.inputShape(1));
            NetWeights before = d.weights();
            d.load(sel);
            NetWeights after = d.weights();
            for (String name : d.tensorNames()) {
                if (sel.containsKey(name)) {
                    assertArrayEquals(a.get(name).data(), after.get(name).data(), name);
                } else {
                    assertArrayEquals(before.get(name).data(), after.get(name).data(), name);
                }
            }
        }
    }

    @Test
    void sameConfigCopiesEverything() {
        try (NDManager m = NDManager.newBaseManager()) {
            NetWeights e = randomWeights(net(Config.E), m);
            assertEquals(e.tensors().keySet(), WeightTransfer.select(e, net(Config.E)).keySet());
        }
    }

    @Test
    void thePapersLayersGoIntoAItselfForTheControlRun() {
        try (NDManager m = NDManager.newBaseManager()) {
            NetWeights a = randomWeights(net(Config.A), m);
            assertEquals(a.tensors().keySet(), WeightTransfer.select(a, net(Config.A)).keySet(), "auto: fine-tuning takes every layer");
            assertEquals(WeightTransfer.select(a, net(Config.D)).keySet(),
                    WeightTransfer.select(a, net(Config.A), TrainSettings.InitLayers.PAPER).keySet(), "paper: what D takes from A");
            NetWeights d = randomWeights(net(Config.D), m);
            UserException ex = assertThrows(UserException.class, () -> WeightTransfer.select(d, net(Config.D), TrainSettings.InitLayers.PAPER));
            assertTrue(ex.getMessage().contains("come from config A"), ex.getMessage());
        }
    }

    @Test
    void mismatchesAreRefusedWithTheReason() {
        try (NDManager m = NDManager.newBaseManager()) {
            NetWeights b = randomWeights(net(Config.B), m);
            assertThrows(UserException.class, () -> WeightTransfer.select(b, net(Config.D)));
            NetWeights a = randomWeights(net(Config.A), m);
            UserException ex = assertThrows(UserException.class, () -> WeightTransfer.select(a, net(Config.B_5X5)));
            assertEquals(true, ex.getMessage().contains("conv1_1"), ex.getMessage());
            assertThrows(UserException.class, () -> WeightTransfer.select(a, net(Config.D).withClasses(5)));
        }
    }
}
