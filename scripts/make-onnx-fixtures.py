#!/usr/bin/python3
"""Exports the reference models of DESIGN.md from PyTorch to ONNX, as test fixtures for cnn4j-onnx.

For each model: random weights (fixed seed), batch norm layers given non-trivial running statistics and affine
parameters, eval mode, torch.onnx.export at opset 13 with a symbolic batch dimension. Next to each model.onnx goes
test_data_set_0 with a batch of 4 random inputs and PyTorch's outputs, as TensorProto files: the layout of ONNX's
backend tests, so the Java tests (and `./cnn4j onnx-test`) run them like the conformance cases.

Needs Debian's python3-torch and python3-onnx. Run from the repository root:
    /usr/bin/python3 scripts/make-onnx-fixtures.py
To add a model (resnet20, densenet-bc40 once cnn4j has their containers), add an entry to MODELS.
"""
import os

import numpy as np
import onnx
from onnx import numpy_helper
import torch
from torch import nn

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


# name -> (constructor, shape of one input sample)
MODELS = {
    "mlp": (mlp, (1, 28, 28)),
    "lenet5": (lenet5, (1, 28, 28)),
    "seed-cnn": (seed_cnn, (1, 28, 28)),
    "bn-cnn": (small_bn_cnn, (1, 28, 28)),
}


def randomize_batch_norm(model, gen):
    for m in model.modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            with torch.no_grad():
                m.running_mean.copy_(torch.randn(m.num_features, generator=gen) * 0.5)
                m.running_var.copy_(torch.rand(m.num_features, generator=gen) * 1.5 + 0.5)
                m.weight.copy_(torch.rand(m.num_features, generator=gen) + 0.5)
                m.bias.copy_(torch.randn(m.num_features, generator=gen) * 0.1)


def export(name, make, sample):
    torch.manual_seed(1234)
    gen = torch.Generator().manual_seed(5678)
    model = make()
    randomize_batch_norm(model, gen)
    model.eval()
    x = torch.randn((4,) + sample, generator=gen)
    with torch.no_grad():
        y = model(x)
    folder = os.path.join(OUT, name)
    os.makedirs(os.path.join(folder, "test_data_set_0"), exist_ok=True)
    path = os.path.join(folder, "model.onnx")
    torch.onnx.export(model, x, path, opset_version=OPSET, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "N"}, "output": {0: "N"}})
    onnx.checker.check_model(onnx.load(path), full_check=True)
    for kind, value in (("input", x), ("output", y)):
        tensor = numpy_helper.from_array(value.numpy().astype(np.float32))
        with open(os.path.join(folder, "test_data_set_0", kind + "_0.pb"), "wb") as f:
            f.write(tensor.SerializeToString())
    print("wrote", folder, os.path.getsize(path), "bytes")


def main():
    for name, (make, sample) in MODELS.items():
        export(name, make, sample)


if __name__ == "__main__":
    main()
