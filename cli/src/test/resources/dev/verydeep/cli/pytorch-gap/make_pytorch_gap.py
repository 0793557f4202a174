#!/usr/bin/python3
"""Makes the global-average-pool fixture: a torchvision VGG whose head is AdaptiveAvgPool2d((1, 1)), trained in
PyTorch on Fashion-MNIST at a 32x32 crop, where the pool sees one cell.

Run by a developer to regenerate the fixture, never by CI (a CPU run of a minute or two):

    apt-get install -y python3-torch python3-torchvision dataset-fashion-mnist python3-onnx
    /usr/bin/python3 cli/src/test/resources/dev/verydeep/cli/pytorch-gap/make_pytorch_gap.py

Writes beside itself:

    vgg-gap.onnx        torchvision's VGG class (small features, small classifier), avgpool AdaptiveAvgPool2d((1, 1)),
                        exported with torch.onnx.export(opset_version=13) with dynamic N, H and W: the head is
                        MaxPool -> GlobalAveragePool -> Flatten -> Gemm(transB=1) -> Relu -> Gemm -> Relu -> Gemm
    summary.properties  the exact preprocessing, the net, the training settings, torch version, seed, and the
                        test-set accuracy PyTorch measured at the crop (32) and, pooled as it is, at Q = 64
    predictions.csv     one line per test image (all 10,000, in file order): index, label, PyTorch's top-1 class at the
                        crop, the top-1 minus top-2 logit margin there, and PyTorch's top-1 at Q = 64 (pooled model)
    README.md           how it was made

Preprocessing (the Java test repeats it): each 28x28 grey image (bytes 0..255) is scaled by pixel repetition
(nearest neighbour) by an integer factor f and pasted at (2f, 2f) on a (32f)x(32f) canvas of 0s, copied to the
three channels R, G, B, divided by 255 and normalised with torchvision's mean (0.485, 0.456, 0.406) and std
(0.229, 0.224, 0.225), all in float32. f = 1 is the training crop (32x32: five 2x2 max-pools leave a 1x1 map, so
the global pool sees one cell); f = 2 is Q = 64 (a 2x2 map, averaged by the pool).
"""
import gzip
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torchvision
from torchvision.models.vgg import VGG

SEED = 20150410
EPOCHS = 1
STEPS = 400  # per epoch: 400 batches of 64 = 25,600 shuffled training images
BATCH = 64
LR = 2e-3
CROP = 32
FEATURES = [8, "M", 16, "M", 32, "M", 32, "M", 32, "M"]
FC = 64
CLASSES = 10
MEAN = (0.485, 0.456, 0.406)
STD = (0.229, 0.224, 0.225)
DATA = "/usr/share/datasets/fashion-mnist"
OUT = os.path.dirname(os.path.abspath(__file__))
COMMAND = "/usr/bin/python3 cli/src/test/resources/dev/verydeep/cli/pytorch-gap/make_pytorch_gap.py"


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    assert magic >> 8 == 0x08, path  # unsigned bytes
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def preprocess(images, f=1):
    """uint8 [N,28,28] -> float32 [N,3,32f,32f] exactly as documented above."""
    x = torch.from_numpy(images.copy())
    x = x.repeat_interleave(f, dim=1).repeat_interleave(f, dim=2)          # [N,28f,28f]
    side = CROP * f
    canvas = torch.zeros((x.shape[0], side, side), dtype=torch.uint8)
    canvas[:, 2 * f:2 * f + 28 * f, 2 * f:2 * f + 28 * f] = x
    x = canvas.float().div(255.0).unsqueeze(1).expand(-1, 3, -1, -1)      # [N,3,32f,32f]
    mean = torch.tensor(MEAN, dtype=torch.float32).view(1, 3, 1, 1)
    std = torch.tensor(STD, dtype=torch.float32).view(1, 3, 1, 1)
    return ((x - mean) / std).contiguous()


def make_net():
    layers = []
    c = 3
    for v in FEATURES:
        if v == "M":
            layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
        else:
            layers += [nn.Conv2d(c, v, kernel_size=3, padding=1), nn.ReLU(inplace=True)]
            c = v
    net = VGG(nn.Sequential(*layers), num_classes=CLASSES, init_weights=True)
    # The global-average-pool head, common for small images, and a small classifier in torchvision's shape.
    net.avgpool = nn.AdaptiveAvgPool2d((1, 1))
    net.classifier = nn.Sequential(
        nn.Linear(c, FC), nn.ReLU(True), nn.Dropout(),
        nn.Linear(FC, FC), nn.ReLU(True), nn.Dropout(),
        nn.Linear(FC, CLASSES))
    for m in net.classifier.modules():
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, 0, 0.01)
            nn.init.constant_(m.bias, 0)
    return net


def logits_of(net, images, f):
    out = []
    with torch.no_grad():
        for b in range(0, len(images), 500):
            out.append(net(preprocess(images[b:b + 500], f)))
    return torch.cat(out).numpy()


def main():
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    torch.set_num_threads(2)
    torch.use_deterministic_algorithms(True)
    train_x = idx(os.path.join(DATA, "train-images-idx3-ubyte.gz"))
    train_y = torch.from_numpy(idx(os.path.join(DATA, "train-labels-idx1-ubyte.gz")).astype(np.int64))
    test_x = idx(os.path.join(DATA, "t10k-images-idx3-ubyte.gz"))
    test_y = idx(os.path.join(DATA, "t10k-labels-idx1-ubyte.gz")).astype(np.int64)

    net = make_net()
    opt = torch.optim.Adam(net.parameters(), lr=LR)
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(SEED)
    t0 = time.time()
    for epoch in range(EPOCHS):
        net.train()
        order = torch.randperm(len(train_y), generator=gen)
        total = 0.0
        for b in range(0, min(len(order), STEPS * BATCH), BATCH):
            ids = order[b:b + BATCH]
            loss = loss_fn(net(preprocess(train_x[ids.numpy()])), train_y[ids])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(ids)
            if (b // BATCH) % 100 == 0:
                print(f"  batch {b // BATCH}: loss {loss.item():.4f} ({time.time() - t0:.0f} s)", flush=True)
        seen = min(len(order), STEPS * BATCH)
        print(f"epoch {epoch + 1}: loss {total / seen:.4f} over {seen} images ({time.time() - t0:.0f} s)", flush=True)
    train_seconds = time.time() - t0

    net.eval()
    logits = logits_of(net, test_x, 1)
    pred = logits.argmax(axis=1)
    top2 = np.sort(logits, axis=1)[:, -2:]
    margin = top2[:, 1] - top2[:, 0]
    correct = int((pred == test_y).sum())
    pred64 = logits_of(net, test_x, 2).argmax(axis=1)
    correct64 = int((pred64 == test_y).sum())
    print(f"test accuracy at the crop {correct}/{len(test_y)} = {correct / len(test_y):.4f}; "
          f"pooled at Q = 64 {correct64}/{len(test_y)} = {correct64 / len(test_y):.4f}")

    onnx_path = os.path.join(OUT, "vgg-gap.onnx")
    torch.onnx.export(net, torch.zeros(1, 3, CROP, CROP), onnx_path, opset_version=13,
                      input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "N", 2: "H", 3: "W"}, "logits": {0: "N"}}, do_constant_folding=True)
    with open(os.path.join(OUT, "predictions.csv"), "w") as f:
        f.write("index,label,pytorch_top1,top1_minus_top2_logit,pytorch_top1_q64\n")
        for i in range(len(test_y)):
            f.write(f"{i},{test_y[i]},{pred[i]},{margin[i]:.6g},{pred64[i]}\n")
    props = {
        "torch.version": torch.__version__,
        "torchvision.version": torchvision.__version__,
        "seed": SEED,
        "command": COMMAND,
        "net": f"torchvision.models.vgg.VGG(features={FEATURES}, avgpool=AdaptiveAvgPool2d((1, 1)), "
               f"classifier=Linear({FEATURES[-2]},{FC}) ReLU Dropout Linear({FC},{FC}) ReLU Dropout Linear({FC},{CLASSES}))",
        "training": f"Adam lr {LR}, batch {BATCH}, {EPOCHS} epoch(s) of {STEPS} steps (the first {STEPS * BATCH} of a seeded "
                    f"shuffle of the 60,000 training images), CPU, {torch.get_num_threads()} threads, {train_seconds:.0f} s",
        "export": "torch.onnx.export(opset_version=13, do_constant_folding=True, dynamic N, H, W)",
        "crop": CROP,
        "preprocessing.profile": "torchvision",
        "preprocessing.geometry": "28x28 grey, f x nearest-neighbour (pixel repetition), pasted at (2f,2f) on a 32f x 32f "
                                  "canvas of 0s, copied to R, G, B; f = 1 at the crop, f = 2 at Q = 64",
        "preprocessing.values": "float32: pixel / 255, then (x - mean) / std",
        "preprocessing.mean_rgb": ",".join(str(m) for m in MEAN),
        "preprocessing.std_rgb": ",".join(str(s) for s in STD),
        "test.images": len(test_y),
        "test.correct": correct,
        "test.accuracy": f"{correct / len(test_y):.4f}",
        "test.q64.pooled.correct": correct64,
        "test.q64.pooled.accuracy": f"{correct64 / len(test_y):.4f}",
    }
    with open(os.path.join(OUT, "summary.properties"), "w") as f:
        f.write("# Written by make_pytorch_gap.py (beside this file); do not edit.\n")
        for k, v in props.items():
            f.write(f"{k}={v}\n")
    with open(os.path.join(OUT, "README.md"), "w") as f:
        f.write("# pytorch-gap: a torchvision VGG with a global-average-pool head, trained elsewhere (PyTorch)\n\n"
                f"Made by `{COMMAND}` with torch {torch.__version__} (torchvision {torchvision.__version__}, Debian "
                f"python3-torch), seed {SEED}, CPU; PyTorch test accuracy at the 32x32 crop {correct}/{len(test_y)} = "
                f"{correct / len(test_y):.4f}. `AdaptiveAvgPool2d((1, 1))` exports as `GlobalAveragePool`; at the crop it "
                "sees one cell, so `verydeep convert` removes it and turns the FC layers into 1x1 convs. See "
                "`summary.properties` for the net, training and the exact preprocessing, and the script's docstring for "
                "the files. The script runs only when a developer regenerates the fixture, not in CI; "
                "`ConvertCommandTest` (cli) checks the converted file against `predictions.csv`.\n")
    print("wrote", OUT, os.path.getsize(onnx_path), "bytes of ONNX")


if __name__ == "__main__":
    sys.exit(main())
