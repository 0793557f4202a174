#!/usr/bin/python3
"""PyTorch eager training step on the paper's configs, for comparison with the trainer's (TrainStepBench / DjlTrainStep).

    /usr/bin/python3 bench/scripts/pytorch_train_step.py --config A --width 0.25 --batch 128 --threads 2
    /usr/bin/python3 bench/scripts/pytorch_train_step.py --config E --width 0.375 --fc-width 512    # reference nets

Debian's python3-torch (1.13.1, the system Python; PyPI is not reachable here). The same work as DjlTrainStep: the
net of the paper's Table 1 at the given width (FC width 4096 x width or --fc-width, 10 classes, crop 32), Glorot-uniform weights,
dropout 0.5 on FC1-2, softmax cross-entropy (batch mean), backward, SGD momentum 0.9, weight decay 5e-4, on one fixed
random batch. Prints the parameter count (check it against `verydeep describe`) and ms per step / images per second
over --steps steps after --warmup.
"""
import argparse
import time

import torch
from torch import nn

# Table 1 of the paper: conv widths per block (LRN and C's 1x1 layers are not needed for the comparison).
CONFIGS = {
    "A": [[64], [128], [256, 256], [512, 512], [512, 512]],
    "B": [[64, 64], [128, 128], [256, 256], [512, 512], [512, 512]],
    "D": [[64, 64], [128, 128], [256, 256, 256], [512, 512, 512], [512, 512, 512]],
    "E": [[64, 64], [128, 128], [256, 256, 256, 256], [512, 512, 512, 512], [512, 512, 512, 512]],
}


def net(config, width, fc_width, crop, classes):
    layers, channels = [], 3
    for block in CONFIGS[config]:
        for c in block:
            out = max(1, round(c * width))
            layers += [nn.Conv2d(channels, out, 3, padding=1), nn.ReLU(inplace=True)]
            channels = out
        layers.append(nn.MaxPool2d(2))
    side = crop // 32
    fc = fc_width or round(4096 * width)
    layers += [nn.Flatten(), nn.Linear(channels * side * side, fc), nn.ReLU(inplace=True), nn.Dropout(0.5),
               nn.Linear(fc, fc), nn.ReLU(inplace=True), nn.Dropout(0.5), nn.Linear(fc, classes)]
    model = nn.Sequential(*layers)
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return model


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--config", default="A", choices=sorted(CONFIGS))
    p.add_argument("--width", type=float, default=0.25)
    p.add_argument("--fc-width", type=int, default=0, help="0: 4096 x width")
    p.add_argument("--crop", type=int, default=32)
    p.add_argument("--classes", type=int, default=10)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--warmup", type=int, default=10)
    p.add_argument("--steps", type=int, default=40)
    a = p.parse_args()
    torch.manual_seed(1)
    torch.set_num_threads(a.threads)
    model = net(a.config, a.width, a.fc_width, a.crop, a.classes).train()
    params = sum(t.numel() for t in model.parameters())
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
    x = torch.randn(a.batch, 3, a.crop, a.crop)
    y = torch.arange(a.batch) % a.classes
    loss_fn = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(a.warmup):
        step()
    t = time.perf_counter()
    for _ in range(a.steps):
        step()
    ms = (time.perf_counter() - t) * 1000 / a.steps
    print("pytorch %s eager: %s w%g fc%d crop %d batch %d threads %d: %d parameters, %.2f ms/step, %.0f images/s"
          % (torch.__version__, a.config, a.width, model[-1].in_features, a.crop, a.batch, a.threads, params, ms,
             a.batch * 1000 / ms))


if __name__ == "__main__":
    main()
