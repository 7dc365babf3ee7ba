"""PyTorch mirrors of cnn4j's container layers, shared by the scripts that write fixtures
(make-fixtures.py, make-onnx-fixtures.py): the same structure gives the same state_dict names as cnn4j."""
import torch
from torch import nn


class Residual(nn.Module):
    """cnn4j's Residual: body(x) + shortcut(x), the shortcut the identity when None (names: body.*, shortcut.*)."""

    def __init__(self, body, shortcut=None):
        super().__init__()
        self.body = body
        self.shortcut = shortcut

    def forward(self, x):
        return self.body(x) + (x if self.shortcut is None else self.shortcut(x))


class Concat(nn.Module):
    """cnn4j's Concat: torch.cat([x, body(x)], 1), DenseNet's dense connection (names: body.*)."""

    def __init__(self, body):
        super().__init__()
        self.body = body

    def forward(self, x):
        return torch.cat([x, self.body(x)], 1)


class GlobalAvgPool2d(nn.Module):
    """cnn4j's GlobalAvgPool2d: AdaptiveAvgPool2d(1) then flatten, (N, C, H, W) -> (N, C)."""

    def forward(self, x):
        return torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1)
