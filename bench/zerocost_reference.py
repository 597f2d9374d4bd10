"""SynFlow on NAS-Bench-201's full-size network in PyTorch, the reference implementation's framework:
the baseline of `npm run bench` zerocost. Reads {"cells": [...], "repeats": r} on stdin; builds each
cell's network as NAS-Bench-201 does (stem, 3 stages of 5 cells, residual reductions, every edge
computed), initialises it (kaiming-normal convolutions, PyTorch's default linear), and scores SynFlow
as zero-cost-nas does: float64, batch norm left out, |θ|, an all-ones input of batch 1, Σ|θ ⊙ ∂R/∂θ|
over convolution and linear weights. One thread. Prints per-cell seconds (build+init, score) and
ln SynFlow as JSON.
"""
import json, math, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
OPS = ['none', 'skip', 'conv1x1', 'conv3x3', 'avgpool3x3']
EDGES = [(0, 1), (0, 2), (1, 2), (0, 3), (1, 3), (2, 3)]


class ReLUConv(nn.Module):  # batch norm is the identity for SynFlow
    def __init__(self, c_in, c_out, k, stride=1):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, k, stride, padding=k // 2, bias=False)

    def forward(self, x):
        return self.conv(F.relu(x))


class Cell(nn.Module):
    def __init__(self, ops, c):
        super().__init__()
        self.ops = ops
        self.edges = nn.ModuleList()
        for op in ops:
            if op == 'conv1x1':
                self.edges.append(ReLUConv(c, c, 1))
            elif op == 'conv3x3':
                self.edges.append(ReLUConv(c, c, 3))
            else:
                self.edges.append(nn.Identity())

    def forward(self, x):
        nodes = [x]
        for j in (1, 2, 3):
            total = 0
            for e, (a, b) in enumerate(EDGES):
                if b != j or self.ops[e] == 'none':
                    continue
                h = nodes[a]
                if self.ops[e] == 'avgpool3x3':
                    h = F.avg_pool2d(h, 3, 1, 1, count_include_pad=False)
                else:
                    h = self.edges[e](h)
                total = total + h
            nodes.append(total if torch.is_tensor(total) else torch.zeros_like(x))
        return nodes[3]


class Reduction(nn.Module):
    def __init__(self, c_in, c_out):
        super().__init__()
        self.a = ReLUConv(c_in, c_out, 3, 2)
        self.b = ReLUConv(c_out, c_out, 3)
        self.shortcut = nn.Conv2d(c_in, c_out, 1, bias=False)

    def forward(self, x):
        return self.b(self.a(x)) + self.shortcut(F.avg_pool2d(x, 2, 2))


class Network(nn.Module):
    def __init__(self, ops, c=16, n=5, classes=10):
        super().__init__()
        layers = [nn.Conv2d(3, c, 3, padding=1, bias=False)]
        for stage in range(3):
            if stage > 0:
                layers.append(Reduction(c, 2 * c))
                c *= 2
            layers += [Cell(ops, c) for _ in range(n)]
        self.body = nn.Sequential(*layers)
        self.classifier = nn.Linear(c, classes)

    def forward(self, x):
        return self.classifier(F.relu(self.body(x)).mean(dim=(2, 3)))


def synflow(ops):
    t0 = time.process_time()
    net = Network(ops)
    for m in net.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight)
    net = net.double()
    with torch.no_grad():
        for p in net.parameters():
            p.abs_()
        net.classifier.bias.zero_()
    t1 = time.process_time()
    net.zero_grad()
    out = net(torch.ones(1, 3, 32, 32, dtype=torch.float64))
    torch.sum(out).backward()
    score = sum(torch.sum(torch.abs(p * p.grad)).item() for n, p in net.named_parameters() if p.grad is not None and 'bias' not in n)
    t2 = time.process_time()
    return t1 - t0, t2 - t1, math.log(score) if score > 0 else None


def main():
    d = json.load(sys.stdin)
    torch.manual_seed(0)
    rows = []
    for r in range(d['repeats']):
        for cell in d['cells']:
            build, score, log_score = synflow(cell)
            rows.append({'build': build, 'score': score, 'log': log_score})
    print(json.dumps({'torch': torch.__version__, 'rows': rows}))


if __name__ == '__main__':
    main()
