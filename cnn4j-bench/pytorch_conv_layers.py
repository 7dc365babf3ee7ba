#!/usr/bin/python3
"""PyTorch's side of `CompareBuilds conv`: one forward and one backward pass of each convolution layer, one thread.

    flock /tmp/cnn4j-bench.lock /usr/bin/python3 cnn4j-bench/pytorch_conv_layers.py [LAYER ...] [--rounds N]

A layer is described as in cnn4j-bench's ConvCase, "[name:]in-out-kernel-stride-padding-size-bias" (size = input
height and width, bias "b" or "n"); without arguments the list of ConvBench. Batch 64, random input and output
gradient, torch.nn.Conv2d with the input requiring grad (as cnn4j's backward computes dL/dx too); prints the median of
--rounds (11) timed rounds after 5 untimed ones, in milliseconds, forward / backward, and GFLOP/s of both, laid out
as CompareBuilds prints them (but wall time, where CompareBuilds measures the thread's CPU time: on one thread the
two differ by what the host takes away). Debian's python3-torch 1.13 runs convolutions on oneDNN;
OMP_WAIT_POLICY=PASSIVE.
"""
import os
import sys

os.environ["OMP_NUM_THREADS"] = "1"  # before torch loads OpenMP
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import statistics  # noqa: E402
import time  # noqa: E402

import torch  # noqa: E402

# Keep in step with ConvBench's @Param list.
LAYERS = [
    "seed-cnn/conv1:1-32-3-1-1-28-b", "seed-cnn/conv2:32-32-3-1-1-28-b",
    "seed-cnn/conv3:32-64-3-1-1-14-b", "seed-cnn/conv4:64-64-3-1-1-14-b",
    "resnet20/stem:3-16-3-1-1-32-n", "resnet20/stage1:16-16-3-1-1-32-n",
    "resnet20/stage2-down:16-32-3-2-1-32-n", "resnet20/stage2-short:16-32-1-2-0-32-n",
    "resnet20/stage2:32-32-3-1-1-16-n",
    "resnet20/stage3-down:32-64-3-2-1-16-n", "resnet20/stage3-short:32-64-1-2-0-16-n",
    "resnet20/stage3:64-64-3-1-1-8-n",
]
BATCH = 64
WARM_UP = 5


def parse(layer):
    f = layer.split(":")[-1].split("-")
    if len(f) != 7:
        sys.exit("layer %s: expected in-out-kernel-stride-padding-size-bias" % layer)
    cin, cout, k, stride, pad, size = (int(v) for v in f[:6])
    return cin, cout, k, stride, pad, size, f[6] == "b"


def time_layer(layer, rounds):
    cin, cout, k, stride, pad, size, bias = parse(layer)
    conv = torch.nn.Conv2d(cin, cout, k, stride, pad, bias=bias)
    x = torch.randn(BATCH, cin, size, size, requires_grad=True)
    g = torch.randn_like(conv(x))
    fwd, bwd = [], []
    for r in range(WARM_UP + rounds):
        t0 = time.perf_counter()
        y = conv(x)
        t1 = time.perf_counter()
        y.backward(g)
        t2 = time.perf_counter()
        x.grad = None
        if r >= WARM_UP:
            fwd.append(t1 - t0)
            bwd.append(t2 - t1)
    out = (size + 2 * pad - k) // stride + 1
    macs = BATCH * cout * out * out * cin * k * k
    f, b = statistics.median(fwd), statistics.median(bwd)
    return f * 1e3, b * 1e3, 6 * macs / (f + b) / 1e9


def main():
    args = sys.argv[1:]
    rounds = 11
    if "--rounds" in args:
        i = args.index("--rounds")
        if i + 1 >= len(args) or not args[i + 1].isdigit() or int(args[i + 1]) < 1:
            sys.exit("--rounds needs a number of rounds, at least 1")
        rounds = int(args[i + 1])
        del args[i:i + 2]
    torch.set_num_threads(1)
    print("PyTorch %s, 1 thread, batch %d, median of %d rounds: ms (forward / backward, GFLOP/s of both)"
          % (torch.__version__, BATCH, rounds))
    for layer in args or LAYERS:
        f, b, gflops = time_layer(layer, rounds)
        print("%-36s  %8.2f / %8.2f (%5.1f)" % (layer, f, b, gflops), flush=True)


if __name__ == "__main__":
    main()
