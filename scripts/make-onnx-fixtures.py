#!/usr/bin/python3
"""Exports the reference models of DESIGN.md from PyTorch to ONNX, as test fixtures for cnn4j-onnx.

For each model: random weights (fixed seed), batch norm layers given non-trivial running statistics and affine
parameters, eval mode, torch.onnx.export at opset 13 with a symbolic batch dimension (and its defaults otherwise:
constant folding on, so a batch norm right after a convolution is folded into the convolution's weights and bias,
and the others stay BatchNormalization nodes). Next to each model.onnx goes test_data_set_0 with a batch of 4 random
inputs and PyTorch's outputs, as TensorProto files: the layout of ONNX's backend tests, so the Java tests (and
`./cnn4j onnx-test`) run them like the conformance cases; and parameters.txt, the model's state_dict names and shapes
(before any folding), which the Java tests compare with cnn4j's zoo model of the same name.

resnet20 and densenet-bc40 are built from the modules Residual, Concat and GlobalAvgPool2d below, which compute what
cnn4j's containers of those names compute and nest their parameters under the same names ("3.body.0.weight").

fashion-cnn is trained here: a small residual CNN, 2 epochs of Fashion-MNIST (Debian's dataset-fashion-mnist), with
the first 16 test images and PyTorch's outputs as its test data and the normalization and class names as ONNX
metadata properties, so that `./cnn4j eval fashion-cnn/model.onnx --data fashion-mnist` evaluates it.

Needs Debian's python3-torch and python3-onnx. Run from the repository root:
    /usr/bin/python3 scripts/make-onnx-fixtures.py [NAME...]
To add a model, add an entry to MODELS.
"""
import gzip
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper
import torch
from torch import nn
from cnn4j_torch import Concat, GlobalAvgPool2d, Residual

OUT = os.path.join("cnn4j-onnx", "src", "test", "resources", "onnx")
OPSET = 13


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.BatchNorm1d(256), nn.ReLU(),
                         nn.Linear(256, 256), nn.BatchNorm1d(256), nn.ReLU(), nn.Linear(256, 10))


def lenet5():
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def seed_cnn():
    return nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(),
                         nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(3136, 10))


def small_bn_cnn():
    """Convolutions with batch norm (which the exporter folds into Conv), average pooling and a softmax."""
    return nn.Sequential(nn.Conv2d(1, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.LeakyReLU(0.1),
                         nn.AvgPool2d(2), nn.Conv2d(8, 16, 3, stride=2, padding=1), nn.BatchNorm2d(16), nn.Tanh(),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.3), nn.Linear(16, 10), nn.Softmax(dim=1))


def conv(cin, cout, kernel, stride=1):
    """As cnn4j's Zoo.conv: no bias, padded to keep the image size at stride 1."""
    return nn.Conv2d(cin, cout, kernel, stride=stride, padding=kernel // 2, bias=False)


def basic_block(cin, cout, stride):
    body = nn.Sequential(conv(cin, cout, 3, stride), nn.BatchNorm2d(cout), nn.ReLU(),
                         conv(cout, cout, 3), nn.BatchNorm2d(cout))
    shortcut = None if stride == 1 and cin == cout else nn.Sequential(conv(cin, cout, 1, stride), nn.BatchNorm2d(cout))
    return Residual(body, shortcut)


def resnet20():
    """cnn4j's Zoo.resnet(sample, 10, 20): stem, 3 stages of 3 basic blocks (16, 32, 64 channels), pool, Linear."""
    layers = [conv(3, 16, 3), nn.BatchNorm2d(16), nn.ReLU()]
    cin = 16
    for stage, width in enumerate((16, 32, 64)):
        for block in range(3):
            layers += [basic_block(cin, width, 2 if stage > 0 and block == 0 else 1), nn.ReLU()]
            cin = width
    return nn.Sequential(*layers, GlobalAvgPool2d(), nn.Linear(64, 10))


def densenet_bc40(growth=12, per_block=6):
    """cnn4j's Zoo.densenetBc(sample, 10, 40, 12): dense blocks of Concat(bottleneck layer), transitions between."""
    channels = 2 * growth
    layers = [conv(3, channels, 3)]
    for block in range(3):
        dense = []
        for _ in range(per_block):
            dense.append(Concat(nn.Sequential(nn.BatchNorm2d(channels), nn.ReLU(), conv(channels, 4 * growth, 1),
                                              nn.BatchNorm2d(4 * growth), nn.ReLU(), conv(4 * growth, growth, 3))))
            channels += growth
        layers.append(nn.Sequential(*dense))
        if block < 2:
            layers.append(nn.Sequential(nn.BatchNorm2d(channels), nn.ReLU(), conv(channels, channels // 2, 1),
                                        nn.AvgPool2d(2)))
            channels //= 2
    return nn.Sequential(*layers, nn.BatchNorm2d(channels), nn.ReLU(), GlobalAvgPool2d(), nn.Linear(channels, 10))


def fashion_cnn():
    """Small enough to train in a minute: two conv stages, one residual block, global average pooling."""
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
                         basic_block(32, 32, 1), nn.ReLU(), GlobalAvgPool2d(), nn.Linear(32, 10))


FASHION = "/usr/share/datasets/fashion-mnist"
FASHION_MEAN, FASHION_STD = 0.2860, 0.3530  # cnn4j's Normalize.FASHION_MNIST
FASHION_CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                   "Ankle boot"]


def read_idx(name):
    with gzip.open(os.path.join(FASHION, name)) as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def fashion_images(split):
    images = read_idx(split + "-images-idx3-ubyte.gz").astype(np.float32) / 255
    labels = read_idx(split + "-labels-idx1-ubyte.gz").astype(np.int64)
    return torch.from_numpy((images[:, None] - FASHION_MEAN) / FASHION_STD), torch.from_numpy(labels)


def train_fashion(model, epochs=2, batch=64):
    """Adam, 2 epochs; prints the test accuracy. Returns the first 16 test images as the fixture's inputs."""
    x, y = fashion_images("train")
    gen = torch.Generator().manual_seed(99)
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    model.train()
    for epoch in range(epochs):
        order = torch.randperm(len(x), generator=gen)
        for start in range(0, len(x), batch):
            idx = order[start:start + batch]
            opt.zero_grad()
            nn.functional.cross_entropy(model(x[idx]), y[idx]).backward()
            opt.step()
    model.eval()
    tx, ty = fashion_images("t10k")
    with torch.no_grad():
        correct = sum((model(tx[i:i + 1000]).argmax(1) == ty[i:i + 1000]).sum().item() for i in range(0, len(tx), 1000))
    print("fashion-cnn: %.2f%% test accuracy after %d epochs" % (100 * correct / len(tx), epochs))
    return tx[:16]


# name -> (constructor, shape of one input sample, trained on Fashion-MNIST)
MODELS = {
    "mlp": (mlp, (1, 28, 28), False),
    "lenet5": (lenet5, (1, 28, 28), False),
    "seed-cnn": (seed_cnn, (1, 28, 28), False),
    "bn-cnn": (small_bn_cnn, (1, 28, 28), False),
    "resnet20": (resnet20, (3, 32, 32), False),
    "densenet-bc40": (densenet_bc40, (3, 32, 32), False),
    "fashion-cnn": (fashion_cnn, (1, 28, 28), True),
}


def randomize_batch_norm(model, gen):
    for m in model.modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            with torch.no_grad():
                m.running_mean.copy_(torch.randn(m.num_features, generator=gen) * 0.5)
                m.running_var.copy_(torch.rand(m.num_features, generator=gen) * 1.5 + 0.5)
                m.weight.copy_(torch.rand(m.num_features, generator=gen) + 0.5)
                m.bias.copy_(torch.randn(m.num_features, generator=gen) * 0.1)


def export(name, make, sample, trained):
    torch.manual_seed(1234)
    gen = torch.Generator().manual_seed(5678)
    model = make()
    if trained:
        x = train_fashion(model)
        metadata = {"normalize.mean": str(FASHION_MEAN), "normalize.std": str(FASHION_STD),
                    "classes": str(len(FASHION_CLASSES)), "class_names": ",".join(FASHION_CLASSES)}
    else:
        randomize_batch_norm(model, gen)
        model.eval()
        x = torch.randn((4,) + sample, generator=gen)
        metadata = {}
    with torch.no_grad():
        y = model(x)
    folder = os.path.join(OUT, name)
    os.makedirs(os.path.join(folder, "test_data_set_0"), exist_ok=True)
    path = os.path.join(folder, "model.onnx")
    torch.onnx.export(model, x, path, opset_version=OPSET, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "N"}, "output": {0: "N"}})
    m = onnx.load(path)
    onnx.helper.set_model_props(m, metadata)
    onnx.checker.check_model(m, full_check=True)
    onnx.save(m, path)
    with open(os.path.join(folder, "parameters.txt"), "w") as f:
        for key, value in model.state_dict().items():
            if not key.endswith("num_batches_tracked"):
                f.write("%s %s\n" % (key, "x".join(str(d) for d in value.shape)))
    for kind, value in (("input", x), ("output", y)):
        tensor = numpy_helper.from_array(value.numpy().astype(np.float32))
        with open(os.path.join(folder, "test_data_set_0", kind + "_0.pb"), "wb") as f:
            f.write(tensor.SerializeToString())
    print("wrote", folder, os.path.getsize(path), "bytes")


def main():
    for name in sys.argv[1:] or MODELS:
        make, sample, trained = MODELS[name]
        export(name, make, sample, trained)


if __name__ == "__main__":
    main()
