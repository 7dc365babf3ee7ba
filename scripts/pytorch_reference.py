#!/usr/bin/env python3
"""PyTorch side of `cnn4j bench --compare-pytorch`: the reference models built with torch.nn exactly as
cnn4j's zoo (org.cnn4j.model.Zoo) builds them (densenet-bc40's convolutions have no bias there), timed the way cnn4j's
bench times its own: random data, a batch of --batch, SGD with momentum 0.9, at least --warmup untimed batches and
--seconds / 2, then at least --iterations batches and --seconds seconds.

Prints one JSON line: {"model": ..., "train": images/s, "infer": images/s, "torch": version, "threads": n,
"blas": OpenBLAS's kernel}; with --describe instead, one JSON line {"torch": version, "blas": the BLAS in use}.
The thread count is set before torch is imported (OMP_NUM_THREADS, OPENBLAS_NUM_THREADS, MKL_NUM_THREADS) and with
torch.set_num_threads; OMP_WAIT_POLICY=PASSIVE keeps idle OpenMP threads from spinning, which costs a lot on a
shared machine. Unless OPENBLAS_CORETYPE is set, it is set to the newest OpenBLAS kernel the CPU's instructions allow
(see newest_openblas_kernel). Run standalone: /usr/bin/python3 scripts/pytorch_reference.py --model seed-cnn --threads 1
"""
import argparse
import ctypes
import json
import os
import re
import sys
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", choices=["mlp", "lenet5", "seed-cnn", "resnet20", "densenet-bc40"])
    p.add_argument("--describe", action="store_true", help="print PyTorch's version and BLAS, then exit")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--iterations", type=int, default=5)
    p.add_argument("--seconds", type=float, default=2.0)
    args = p.parse_args()
    if args.model is None and not args.describe:
        p.error("--model is required")
    return args


def newest_openblas_kernel():
    """The OpenBLAS kernel (an OPENBLAS_CORETYPE value) for the newest instructions this CPU has, or None. Debian's
    OpenBLAS 0.3.21 picks its kernel from the CPU's model number and takes the generic Prescott (SSE3) one for CPUs
    newer than it, such as family 6 model 207 here: mlp's first Linear layer then ran at 14 GFLOP/s against 56 with
    SkylakeX. PyTorch is compared at its best."""
    try:
        with open("/proc/cpuinfo") as f:
            flags = next((set(line.split(":", 1)[1].split()) for line in f if line.startswith("flags")), set())
    except OSError:
        return None
    if {"avx512f", "avx512bw", "avx512dq", "avx512vl"} <= flags:
        return "SkylakeX"
    if {"avx2", "fma"} <= flags:
        return "Haswell"
    return None


def openblas_kernel():
    """The kernel the OpenBLAS loaded in this process runs, or None when PyTorch did not load OpenBLAS."""
    try:
        with open("/proc/self/maps") as f:
            libraries = sorted(set(re.findall(r"(/\S*openblas\S*\.so\S*)", f.read())))
    except OSError:
        return None
    for library in libraries:
        try:
            corename = ctypes.CDLL(library).openblas_get_corename
        except (OSError, AttributeError):
            continue
        corename.restype = ctypes.c_char_p
        return corename().decode()
    return None


ARGS = parse_args()
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(ARGS.threads)
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
if "OPENBLAS_CORETYPE" not in os.environ:
    KERNEL = newest_openblas_kernel()
    if KERNEL:
        os.environ["OPENBLAS_CORETYPE"] = KERNEL

import torch  # noqa: E402  (after the thread settings, which OpenMP and OpenBLAS read at load time)
from torch import nn  # noqa: E402


def mlp(c, h, w):
    return nn.Sequential(nn.Flatten(), nn.Linear(c * h * w, 256), nn.BatchNorm1d(256), nn.ReLU(),
                         nn.Linear(256, 256), nn.BatchNorm1d(256), nn.ReLU(), nn.Linear(256, 10))


def lenet5(c, h, w):
    return nn.Sequential(nn.Conv2d(c, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(16 * ((h // 2 - 4) // 2) * ((w // 2 - 4) // 2), 120), nn.ReLU(),
                         nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def seed_cnn(c, h, w):
    return nn.Sequential(nn.Conv2d(c, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(),
                         nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(64 * (h // 4) * (w // 4), 10))


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
                                  nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout))
        self.shortcut = None
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        return self.body(x) + (x if self.shortcut is None else self.shortcut(x))


def resnet20(c, h, w):
    layers = [nn.Conv2d(c, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU()]
    cin = 16
    for stage, cout in enumerate((16, 32, 64)):
        for block in range(3):
            layers += [BasicBlock(cin, cout, 2 if stage > 0 and block == 0 else 1), nn.ReLU()]
            cin = cout
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10)]
    return nn.Sequential(*layers)


class DenseLayer(nn.Module):
    def __init__(self, cin, growth):
        super().__init__()
        self.body = nn.Sequential(nn.BatchNorm2d(cin), nn.ReLU(), nn.Conv2d(cin, 4 * growth, 1, bias=False),
                                  nn.BatchNorm2d(4 * growth), nn.ReLU(), nn.Conv2d(4 * growth, growth, 3, padding=1, bias=False))

    def forward(self, x):
        return torch.cat((x, self.body(x)), 1)


def densenet_bc40(c, h, w, growth=12, per_block=6):
    layers = [nn.Conv2d(c, 2 * growth, 3, padding=1, bias=False)]
    ch = 2 * growth
    for block in range(3):
        for _ in range(per_block):
            layers.append(DenseLayer(ch, growth))
            ch += growth
        if block < 2:
            layers += [nn.BatchNorm2d(ch), nn.ReLU(), nn.Conv2d(ch, ch // 2, 1, bias=False), nn.AvgPool2d(2)]
            ch //= 2
    layers += [nn.BatchNorm2d(ch), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(ch, 10)]
    return nn.Sequential(*layers)


MODELS = {"mlp": (mlp, (1, 28, 28)), "lenet5": (lenet5, (1, 28, 28)), "seed-cnn": (seed_cnn, (1, 28, 28)),
          "resnet20": (resnet20, (3, 32, 32)), "densenet-bc40": (densenet_bc40, (3, 32, 32))}


def rate(step, batch):
    """Images per second of step() after at least ARGS.warmup untimed calls and ARGS.seconds / 2."""
    n = 0
    start = time.perf_counter()
    while n < ARGS.warmup or time.perf_counter() - start < ARGS.seconds / 2:
        step()
        n += 1
    n = 0
    start = time.perf_counter()
    while n < ARGS.iterations or time.perf_counter() - start < ARGS.seconds:
        step()
        n += 1
    return n * batch / (time.perf_counter() - start)


def main():
    if ARGS.describe:
        kernel = openblas_kernel()
        if kernel:
            blas = "OpenBLAS " + kernel
        elif torch.backends.mkl.is_available():
            blas = "MKL"
        else:
            blas = ("no OpenBLAS: with Debian's torch the reference BLAS, Linear layers about 18x slower; apt-get"
                    " install libopenblas0-pthread")
        print(json.dumps({"torch": torch.__version__, "blas": blas}))
        return 0
    torch.set_num_threads(ARGS.threads)
    torch.manual_seed(0)
    build, shape = MODELS[ARGS.model]
    model = build(*shape)
    x = torch.randn(ARGS.batch, *shape)
    y = torch.randint(0, 10, (ARGS.batch,))
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

    def train_step():
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()

    def infer_step():
        with torch.no_grad():
            model(x)

    model.train()
    train = rate(train_step, ARGS.batch)
    model.eval()
    infer = rate(infer_step, ARGS.batch)
    print(json.dumps({"model": ARGS.model, "train": train, "infer": infer, "torch": torch.__version__,
                      "threads": torch.get_num_threads(), "blas": openblas_kernel()}))


if __name__ == "__main__":
    sys.exit(main())
