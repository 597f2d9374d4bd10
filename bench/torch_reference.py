"""PyTorch reference for nasbook's benchmark: the same 2-conv network, data, epochs and batch size
as the tfjs run, on one CPU thread. Not a dependency of nasbook; `npm run bench` runs it only when
`python3` can import torch.

Usage: python3 torch_reference.py SPEC.json, then commands on stdin, one per line:
"warmup" (one epoch), "run" (the full run), "conv" (times one convolution, forward and
forward+backward), "quit"; it answers each with one JSON line (the first line it prints says it
is ready).

SPEC.json holds train_x / val_x (flat lists, N*64 values in [0, 1]), train_y / val_y (labels),
epochs, batch_size, lr and seed; the tfjs side writes it so both see identical data.
"""
import json
import statistics
import sys
import time

import torch
from torch import nn


def make_net() -> nn.Module:
    # Mirrors bench/kernels.ts referenceModel(): conv 3x3 'same' 1->16, relu, conv 3x3 'same'
    # 16->16, relu, flatten, dense 10 (softmax is inside the loss).
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(),
        nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(),
        nn.Flatten(), nn.Linear(16 * 8 * 8, 10),
    )


def train_once(spec, xs, ys):
    net = make_net()
    opt = torch.optim.Adam(net.parameters(), lr=spec["lr"], eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    batch = spec["batch_size"]
    n = xs.shape[0]
    start = time.perf_counter()
    for _ in range(spec["epochs"]):
        # No shuffling, as in the tfjs run (the data arrive shuffled once, from nasbook's Rng).
        for i in range(0, n, batch):
            opt.zero_grad()
            loss = loss_fn(net(xs[i:i + batch]), ys[i:i + batch])
            loss.backward()
            opt.step()
    return time.perf_counter() - start, net


def median_ms(fn, repeats=50):
    for _ in range(5):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def time_conv():
    # The reference net's second convolution: batch 64, 16 -> 16 channels, 8x8, 3x3, 'same'.
    x = torch.randn(64, 16, 8, 8, requires_grad=True)
    w = torch.randn(16, 16, 3, 3, requires_grad=True)
    g = torch.randn(64, 16, 8, 8)
    forward = median_ms(lambda: nn.functional.conv2d(x.detach(), w.detach(), padding=1))
    both = median_ms(lambda: torch.autograd.grad(nn.functional.conv2d(x, w, padding=1), [x, w], g))
    return {"forward_ms": forward, "forward_backward_ms": both}


def main() -> None:
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    torch.set_num_threads(1)
    torch.manual_seed(spec["seed"])
    # NHWC from the tfjs side -> NCHW for torch (one channel, so a reshape suffices).
    xs = torch.tensor(spec["train_x"], dtype=torch.float32).reshape(-1, 1, 8, 8)
    ys = torch.tensor(spec["train_y"], dtype=torch.long)
    vx = torch.tensor(spec["val_x"], dtype=torch.float32).reshape(-1, 1, 8, 8)
    vy = torch.tensor(spec["val_y"], dtype=torch.long)
    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
    # One command per line, so the caller can interleave these runs with its own (both then see
    # the same machine load): "warmup" (one epoch), "run" (the full run), "conv", "quit".
    for line in sys.stdin:
        command = line.strip()
        if command == "quit":
            break
        if command == "conv":
            print(json.dumps(time_conv()), flush=True)
            continue
        epochs = 1 if command == "warmup" else spec["epochs"]
        seconds, net = train_once({**spec, "epochs": epochs}, xs, ys)
        with torch.no_grad():
            acc = float((net(vx).argmax(1) == vy).float().mean())
        print(json.dumps({"seconds": seconds, "val_accuracy": acc}), flush=True)


if __name__ == "__main__":
    main()
