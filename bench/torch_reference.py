"""PyTorch reference for nasbook's benchmark: the same 2-conv network, data, epochs and batch size
as the tfjs run, on one CPU thread. Not a dependency of nasbook; `npm run bench` runs it only when
`python3` can import torch.

Usage: python3 torch_reference.py SPEC.json, then commands on stdin, one per line:
"warmup" (one epoch), "run" (the full run), "conv" (times one convolution, forward and
forward+backward), "supernet" (times one step of the NAS-Bench-Digits supernet, with a
breakdown), "darts_epoch" (times one first-order DARTS search epoch on that supernet), "quit";
it answers each with one JSON line (the first line it prints says it
is ready).

SPEC.json holds train_x / val_x (flat lists, N*64 values in [0, 1]), train_y / val_y (labels),
epochs, batch_size, lr and seed; the tfjs side writes it so both see identical data.
"""
import json
import math
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


# --- The NAS-Bench-Digits supernet (bench/engine.ts builds the same one with nasbook) -------------
# NAS-Bench-201's cell (4 nodes, 6 edges), every edge a mixed edge over none, skip, conv1x1, conv3x3,
# avgpool3x3 weighted by softmax(alpha) (alpha shared by the cells, as in NAS-Bench-201's DARTS);
# 'none' is not computed (it adds zeros), as in nasbook. Stem conv3x3+BN, one cell per stage, two
# stages with NAS-Bench-201's residual reduction between them, BN-ReLU-global pool-linear head.
CANDIDATES = ["none", "skip", "conv1x1", "conv3x3", "avgpool3x3"]
EDGES = [(0, 1), (0, 2), (1, 2), (0, 3), (1, 3), (2, 3)]


def relu_conv_bn(c_in, c_out, k, stride=1):
    return nn.Sequential(nn.ReLU(), nn.Conv2d(c_in, c_out, k, stride, k // 2, bias=False), nn.BatchNorm2d(c_out, momentum=0.1, eps=1e-5))


class MixedEdge(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.ops = nn.ModuleDict({
            "conv1x1": relu_conv_bn(c, c, 1),
            "conv3x3": relu_conv_bn(c, c, 3),
            "avgpool3x3": nn.AvgPool2d(3, 1, 1, count_include_pad=False),
        })

    def forward(self, x, beta):
        out = x * beta[1]  # skip
        for i, name in enumerate(CANDIDATES[2:], start=2):
            out = out + self.ops[name](x) * beta[i]
        return out


class SuperCell(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.edges = nn.ModuleList([MixedEdge(c) for _ in EDGES])

    def forward(self, x, betas):
        nodes = [x]
        for j in range(1, 4):
            terms = [self.edges[e](nodes[f], betas[e]) for e, (f, t) in enumerate(EDGES) if t == j]
            total = terms[0]
            for t in terms[1:]:
                total = total + t
            nodes.append(total)
        return nodes[3]


class Reduction(nn.Module):
    def __init__(self, c_in, c_out):
        super().__init__()
        self.a = relu_conv_bn(c_in, c_out, 3, 2)
        self.b = relu_conv_bn(c_out, c_out, 3, 1)
        self.pool = nn.AvgPool2d(2, 2)
        self.short = nn.Conv2d(c_in, c_out, 1, bias=False)

    def forward(self, x):
        return self.b(self.a(x)) + self.short(self.pool(x))


class Supernet(nn.Module):
    def __init__(self, c=8, classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, c, 3, 1, 1, bias=False), nn.BatchNorm2d(c, momentum=0.1, eps=1e-5))
        self.cell1 = SuperCell(c)
        self.reduction = Reduction(c, 2 * c)
        self.cell2 = SuperCell(2 * c)
        self.head = nn.Sequential(nn.BatchNorm2d(2 * c, momentum=0.1, eps=1e-5), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.classifier = nn.Linear(2 * c, classes)
        self.alpha = nn.Parameter(1e-3 * torch.randn(len(EDGES), len(CANDIDATES)))

    def weights(self):
        return [p for name, p in self.named_parameters() if name != "alpha"]

    def forward(self, x):
        betas = torch.softmax(self.alpha, dim=-1)
        x = self.stem(x)
        x = self.cell1(x, betas)
        x = self.reduction(x)
        x = self.cell2(x, betas)
        return self.classifier(self.head(x))


def time_supernet(xs, ys, batch=64, repeats=30):
    net = Supernet()
    net.train()
    w_opt = torch.optim.SGD(net.weights(), lr=0.025, momentum=0.9)
    a_opt = torch.optim.Adam([net.alpha], lr=3e-4, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    x, y = xs[:batch], ys[:batch]

    def step(opt):
        opt.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()

    def forward_backward():
        w_opt.zero_grad()
        loss_fn(net(x), y).backward()

    return {
        "weight_step_ms": median_ms(lambda: step(w_opt), repeats),
        "alpha_step_ms": median_ms(lambda: step(a_opt), repeats),
        "forward_ms": median_ms(lambda: loss_fn(net(x), y), repeats),
        "forward_backward_ms": median_ms(forward_backward, repeats),
        "optimizer_ms": median_ms(w_opt.step, repeats),
    }


def time_darts_epoch(xs, ys, vx, vy, batch=64, repeats=3):
    """One first-order DARTS epoch as nasbook's DartsSearch takes it (strategies/darts/search.ts):
    per training batch, an alpha step on a validation batch (Adam, betas (0.5, 0.999), lr 3e-3,
    weight decay 1e-3), then a weight step on the training batch (SGD, momentum 0.9, weight decay
    3e-4, cosine lr from 0.025). Batches are taken in a fixed random order (the search shuffles
    each epoch; the cost does not depend on the order). Median of `repeats` epochs after one."""
    net = Supernet()
    net.train()
    w_opt = torch.optim.SGD(net.weights(), lr=0.025, momentum=0.9, weight_decay=3e-4)
    a_opt = torch.optim.Adam([net.alpha], lr=3e-3, betas=(0.5, 0.999), weight_decay=1e-3, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    n, nv = xs.shape[0], vx.shape[0]
    g = torch.Generator().manual_seed(0)
    order, vorder = torch.randperm(n, generator=g), torch.randperm(nv, generator=g)
    steps = (n + batch - 1) // batch
    planned = 10 * steps

    def epoch(step0):
        for s, i in enumerate(range(0, n, batch)):
            ti = order[i:i + batch]
            vi = vorder[(torch.arange(len(ti)) + i) % nv]
            a_opt.zero_grad()
            loss_fn(net(vx[vi]), vy[vi]).backward()
            a_opt.step()
            t = step0 + s
            for group in w_opt.param_groups:
                group["lr"] = 0.001 + (0.025 - 0.001) * (1 + math.cos(math.pi * t / planned)) / 2
            w_opt.zero_grad()
            loss_fn(net(xs[ti]), ys[ti]).backward()
            w_opt.step()

    epoch(0)
    times = []
    for r in range(repeats):
        start = time.perf_counter()
        epoch((r + 1) * steps)
        times.append(time.perf_counter() - start)
    return {"epoch_ms": 1000 * statistics.median(times), "steps": steps}


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
        if command == "supernet":
            print(json.dumps(time_supernet(xs, ys)), flush=True)
            continue
        if command == "darts_epoch":
            print(json.dumps(time_darts_epoch(xs, ys, vx, vy)), flush=True)
            continue
        epochs = 1 if command == "warmup" else spec["epochs"]
        seconds, net = train_once({**spec, "epochs": epochs}, xs, ys)
        with torch.no_grad():
            acc = float((net(vx).argmax(1) == vy).float().mean())
        print(json.dumps({"seconds": seconds, "val_accuracy": acc}), flush=True)


if __name__ == "__main__":
    main()
