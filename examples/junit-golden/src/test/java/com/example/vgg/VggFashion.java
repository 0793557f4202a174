package com.example.vgg;

import dev.verydeep.api.Model;
import dev.verydeep.api.Protocol;
import dev.verydeep.onnx.Preprocessing;
import dev.verydeep.runtime.eval.Method;

/**
 * The model under test: a VGG-style classifier trained in PyTorch and exported with torch.onnx (the fixture verydeep
 * ships in golden-data, {@code pytorch-fashion/vgg-fashion.onnx}), converted to the fully convolutional form with its
 * stated crop and preprocessing, and the protocol its golden entries were measured with: dense, Q = 64, on the 500
 * Fashion-MNIST test images shipped in golden-data. Your own project would load its own model file here.
 */
final class VggFashion {
    static final String GOLDEN = "golden/vgg-fashion.json";
    static final String TOP1 = "vgg-fashion-dense-Q64-top1";
    static final String TOP5 = "vgg-fashion-dense-Q64-top5";

    private VggFashion() {
    }

    static Model model() {
        return Model.convert(VggFashion.class.getResource("/dev/verydeep/golden/pytorch-fashion/vgg-fashion.onnx"))
                .setCrop(64)
                .optPreprocessing(Preprocessing.torchvision())
                .build();
    }

    /** The protocol of the golden entries (the same as their stored verydeep eval command line). */
    static Protocol.Builder protocol(Model model) {
        return Protocol.builder()
                .setModels(model)
                .setData("fashion-mnist-sample:test")
                .setMethod(Method.DENSE)
                .setScales(64)
                .optThreads(1);
    }
}
