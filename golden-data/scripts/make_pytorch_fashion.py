#!/usr/bin/python3
"""Makes the "trained elsewhere" fixture: a small VGG-style net trained in PyTorch on Fashion-MNIST.

Run by a developer to regenerate the fixture, never by CI:

    apt-get install -y python3-torch python3-torchvision dataset-fashion-mnist python3-onnx
    /usr/bin/python3 golden-data/scripts/make_pytorch_fashion.py

Writes into golden-data/src/main/resources/dev/verydeep/golden/pytorch-fashion/:

    vgg-fashion.onnx    torchvision's VGG class (small features, small classifier), exported with
                        torch.onnx.export(opset_version=13): the torchvision head pattern
                        MaxPool -> AveragePool(1x1) -> Flatten -> Gemm(transB=1) -> Relu -> Gemm -> Relu -> Gemm
    summary.properties  the exact preprocessing, the net, the training settings, torch version, seed, and
                        the test-set accuracy PyTorch measured
    predictions.csv     one line per test image (all 10,000, in file order): index, label, PyTorch's top-1
                        class, and the top-1 minus top-2 logit margin
    README.md           how it was made

Preprocessing (the Java test repeats it): each 28x28 grey image (bytes 0..255) is scaled 2x by pixel
repetition (nearest neighbour) to 56x56 and pasted at (4, 4) on a 64x64 canvas of 0s, copied to the three
channels R, G, B, divided by 255 and normalised with torchvision's mean (0.485, 0.456, 0.406) and std
(0.229, 0.224, 0.225), all in float32. The 64x64 crop gives a 2x2 map after the five 2x2 max-pools, so the
AdaptiveAvgPool2d((2, 2)) exports as AveragePool(kernel 1, stride 1), as a 224 VGG's (7, 7) pooling does.
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
STEPS = 400  # per epoch: 400 batches of 64 = 25,600 shuffled training images (keeps a CPU run to minutes)
BATCH = 64
LR = 2e-3
CROP = 64
FEATURES = [8, "M", 16, "M", 32, "M", 64, "M", 64, "M"]
FC = 128
CLASSES = 10
MEAN = (0.485, 0.456, 0.406)
STD = (0.229, 0.224, 0.225)
DATA = "/usr/share/datasets/fashion-mnist"
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "src", "main", "resources", "dev", "verydeep", "golden", "pytorch-fashion")


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    assert magic >> 8 == 0x08, path  # unsigned bytes
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def preprocess(images):
    """uint8 [N,28,28] -> float32 [N,3,64,64] exactly as documented above."""
    x = torch.from_numpy(images.copy())
    x = x.repeat_interleave(2, dim=1).repeat_interleave(2, dim=2)          # [N,56,56]
    canvas = torch.zeros((x.shape[0], CROP, CROP), dtype=torch.uint8)
    canvas[:, 4:60, 4:60] = x
    x = canvas.float().div(255.0).unsqueeze(1).expand(-1, 3, -1, -1)      # [N,3,64,64]
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
    # A small classifier in torchvision's shape (Linear, ReLU, Dropout, Linear, ReLU, Dropout, Linear).
    k = CROP // 32
    net.avgpool = nn.AdaptiveAvgPool2d((k, k))
    net.classifier = nn.Sequential(
        nn.Linear(c * k * k, FC), nn.ReLU(True), nn.Dropout(),
        nn.Linear(FC, FC), nn.ReLU(True), nn.Dropout(),
        nn.Linear(FC, CLASSES))
    for m in net.classifier.modules():
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, 0, 0.01)
            nn.init.constant_(m.bias, 0)
    return net


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
            x = preprocess(train_x[ids.numpy()])
            loss = loss_fn(net(x), train_y[ids])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(ids)
            if (b // BATCH) % 100 == 0:
                print(f"  batch {b // BATCH}: loss {loss.item():.4f} ({time.time() - t0:.0f} s)", flush=True)
        seen = min(len(order), STEPS * BATCH)
        print(f"epoch {epoch + 1}: loss {total / seen:.4f} over {seen} images ({time.time() - t0:.0f} s)", flush=True)

    net.eval()
    logits = []
    with torch.no_grad():
        for b in range(0, len(test_y), 500):
            logits.append(net(preprocess(test_x[b:b + 500])))
    logits = torch.cat(logits).numpy()
    pred = logits.argmax(axis=1)
    top2 = np.sort(logits, axis=1)[:, -2:]
    margin = top2[:, 1] - top2[:, 0]
    correct = int((pred == test_y).sum())
    print(f"test accuracy {correct}/{len(test_y)} = {correct / len(test_y):.4f}")

    os.makedirs(OUT, exist_ok=True)
    onnx_path = os.path.join(OUT, "vgg-fashion.onnx")
    torch.onnx.export(net, torch.zeros(1, 3, CROP, CROP), onnx_path, opset_version=13,
                      input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}}, do_constant_folding=True)
    with open(os.path.join(OUT, "predictions.csv"), "w") as f:
        f.write("index,label,pytorch_top1,top1_minus_top2_logit\n")
        for i in range(len(test_y)):
            f.write(f"{i},{test_y[i]},{pred[i]},{margin[i]:.9g}\n")
    props = {
        "torch.version": torch.__version__,
        "torchvision.version": torchvision.__version__,
        "seed": SEED,
        "command": "/usr/bin/python3 golden-data/scripts/make_pytorch_fashion.py",
        "net": f"torchvision.models.vgg.VGG(features={FEATURES}, avgpool=AdaptiveAvgPool2d(({CROP // 32}, {CROP // 32})), "
               f"classifier=Linear({FEATURES[-2] * (CROP // 32) ** 2},{FC}) ReLU Dropout Linear({FC},{FC}) ReLU Dropout "
               f"Linear({FC},{CLASSES}))",
        "training": f"Adam lr {LR}, batch {BATCH}, {EPOCHS} epoch(s) of {STEPS} steps (the first {STEPS * BATCH} of a seeded "
                    f"shuffle of the 60,000 training images), CPU, "
                    f"{torch.get_num_threads()} threads, {time.time() - t0:.0f} s",
        "export": "torch.onnx.export(opset_version=13, do_constant_folding=True, dynamic batch)",
        "crop": CROP,
        "preprocessing.profile": "torchvision",
        "preprocessing.geometry": "28x28 grey, 2x nearest-neighbour (pixel repetition) to 56x56, pasted at (4,4) "
                                  "on a 64x64 canvas of 0s, copied to R, G, B",
        "preprocessing.values": "float32: pixel / 255, then (x - mean) / std",
        "preprocessing.mean_rgb": ",".join(str(m) for m in MEAN),
        "preprocessing.std_rgb": ",".join(str(s) for s in STD),
        "test.images": len(test_y),
        "test.correct": correct,
        "test.accuracy": f"{correct / len(test_y):.4f}",
    }
    with open(os.path.join(OUT, "summary.properties"), "w") as f:
        f.write("# Written by golden-data/scripts/make_pytorch_fashion.py; do not edit.\n")
        for k, v in props.items():
            f.write(f"{k}={v}\n")
    with open(os.path.join(OUT, "README.md"), "w") as f:
        f.write("# pytorch-fashion: a VGG-style net trained elsewhere (PyTorch)\n\n"
                f"Made by `/usr/bin/python3 golden-data/scripts/make_pytorch_fashion.py` with torch {torch.__version__} "
                f"(torchvision {torchvision.__version__}, Debian python3-torch), seed {SEED}, CPU; "
                f"PyTorch test accuracy {correct}/{len(test_y)} = {correct / len(test_y):.4f}. "
                "See `summary.properties` for the net, training and the exact preprocessing, and the script's docstring "
                "for the files. The script runs only when a developer regenerates the fixture, not in CI.\n")
    print("wrote", OUT, os.path.getsize(onnx_path), "bytes of ONNX")


if __name__ == "__main__":
    sys.exit(main())
