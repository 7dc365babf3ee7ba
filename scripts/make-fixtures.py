#!/usr/bin/python3
"""Writes the PyTorch reference fixtures that cnn4j's tests compare against (no Python is needed to run the tests).

Run with Debian's python3-torch:  /usr/bin/python3 scripts/make-fixtures.py
Output: cnn4j-core/src/test/resources/fixtures/*.fix, one file per case, in this layout:

    CNN4J-FIXTURE 1            first line: format name and version
    key=value                  settings of the case (layer type and its arguments)
    tensor NAME d0,d1,...      one line per tensor, in data order (a scalar has the shape "-")
    end
    <float32 little-endian values of every tensor, in the order listed>

For a layer: x (input), the parameters as PyTorch names them, g (a random dL/dy), y (output), grad_x and
grad_<param>; batch norm also stores running statistics after the forward pass. For the optimizer cases:
the initial state_dict, the batch, the loss at each step and the state_dict after the steps.
"""
import os
import struct
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
from cnn4j_torch import Concat, GlobalAvgPool2d, Residual

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cnn4j-core", "src", "test", "resources", "fixtures")


def write(name, settings, tensors):
    path = os.path.join(OUT, name + ".fix")
    head = ["CNN4J-FIXTURE 1"]
    head += ["%s=%s" % (k, v) for k, v in settings.items()]
    blobs = []
    for tname, t in tensors:
        t = t.detach().to(torch.float32).contiguous()
        shape = ",".join(str(d) for d in t.shape) if t.dim() > 0 else "-"
        head.append("tensor %s %s" % (tname, shape))
        blobs.append(struct.pack("<%df" % t.numel(), *t.flatten().tolist()))
    head.append("end")
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(("\n".join(head) + "\n").encode("utf-8"))
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


def layer_case(name, settings, module, x, mode="train", distinct=False):
    """Runs module forward and backward on x with a random upstream gradient and records everything."""
    if distinct:  # distinct values keep max pooling away from ties, where the routed gradient is arbitrary
        x = (torch.randperm(x.numel()).reshape(x.shape).float() / x.numel() - 0.5) * 4
    module.train(mode == "train")
    x = x.clone().requires_grad_(True)
    params = list(module.named_parameters())
    tensors = [("x", x)] + [(n, p) for n, p in params]
    tensors += [(n, b.clone()) for n, b in module.named_buffers() if b.dtype.is_floating_point]
    y = module(x)
    g = torch.randn_like(y)
    y.backward(g)
    tensors += [("g", g), ("y", y), ("grad_x", x.grad)] + [("grad_" + n, p.grad) for n, p in params]
    after = [(n + "_after", b) for n, b in module.named_buffers() if b.dtype.is_floating_point]
    write(name, dict(settings, mode=mode), tensors + after)


def randomize_bn(bn):
    with torch.no_grad():
        bn.weight.uniform_(0.5, 1.5)
        bn.bias.uniform_(-0.5, 0.5)
        bn.running_mean.uniform_(-0.5, 0.5)
        bn.running_var.uniform_(0.5, 2.0)


def layers():
    r = torch.randn
    for (cin, cout, k, s, p, d, bias, hw) in [(3, 4, 3, 1, 1, 1, True, 7), (2, 5, 3, 2, 0, 1, True, 9),
                                               (3, 2, 3, 2, 2, 2, False, 8), (4, 6, 1, 1, 0, 1, True, 5),
                                               (3, 4, 5, 1, 2, 1, True, 6), (2, 3, 1, 2, 1, 1, True, 7)]:
        conv = nn.Conv2d(cin, cout, k, stride=s, padding=p, dilation=d, bias=bias)
        layer_case("conv2d_k%d_s%d_p%d_d%d%s" % (k, s, p, d, "" if bias else "_nobias"),
                   dict(layer="Conv2d", **{"in": cin}, out=cout, kernel=k, stride=s, padding=p, dilation=d,
                        bias=str(bias).lower()), conv, r(2, cin, hw, hw))
    layer_case("linear", dict(layer="Linear", **{"in": 7}, out=5, bias="true"), nn.Linear(7, 5), r(3, 7))
    layer_case("linear_nobias", dict(layer="Linear", **{"in": 4}, out=6, bias="false"), nn.Linear(4, 6, bias=False), r(5, 4))
    layer_case("relu", dict(layer="ReLU"), nn.ReLU(), r(2, 3, 4, 5))
    layer_case("leakyrelu", dict(layer="LeakyReLU", negative_slope=0.1), nn.LeakyReLU(0.1), r(2, 3, 4))
    layer_case("sigmoid", dict(layer="Sigmoid"), nn.Sigmoid(), r(3, 5))
    layer_case("tanh", dict(layer="Tanh"), nn.Tanh(), r(3, 5))
    layer_case("softmax", dict(layer="Softmax"), nn.Softmax(dim=1), r(4, 6) * 3)
    layer_case("flatten", dict(layer="Flatten"), nn.Flatten(), r(2, 3, 4, 5))
    for (k, s, p, ceil, hw) in [(2, 2, 0, False, 8), (3, 2, 1, False, 7), (3, 2, 0, True, 8), (2, 1, 1, True, 5),
                                (3, 3, 1, True, 10)]:
        tag = "k%d_s%d_p%d%s" % (k, s, p, "_ceil" if ceil else "")
        layer_case("maxpool2d_" + tag, dict(layer="MaxPool2d", kernel=k, stride=s, padding=p, ceil_mode=str(ceil).lower()),
                   nn.MaxPool2d(k, s, p, ceil_mode=ceil), r(2, 3, hw, hw), distinct=True)
        for cip in (True, False):
            layer_case("avgpool2d_%s%s" % (tag, "" if cip else "_nopad"),
                       dict(layer="AvgPool2d", kernel=k, stride=s, padding=p, ceil_mode=str(ceil).lower(),
                            count_include_pad=str(cip).lower()),
                       nn.AvgPool2d(k, s, p, ceil_mode=ceil, count_include_pad=cip), r(2, 3, hw, hw))
    for mode in ("train", "eval"):
        bn1 = nn.BatchNorm1d(5)
        randomize_bn(bn1)
        layer_case("batchnorm1d_" + mode, dict(layer="BatchNorm1d", channels=5), bn1, r(6, 5) * 2 + 1, mode)
        bn2 = nn.BatchNorm2d(3)
        randomize_bn(bn2)
        layer_case("batchnorm2d_" + mode, dict(layer="BatchNorm2d", channels=3), bn2, r(4, 3, 5, 5) * 2 + 1, mode)


def losses():
    logits = (torch.randn(5, 7) * 3).requires_grad_(True)
    labels = torch.tensor([0, 6, 3, 3, 1])
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    write("crossentropy", dict(loss="CrossEntropyLoss"),
          [("x", logits), ("labels", labels.float()), ("loss", loss), ("grad_x", logits.grad)])
    big = torch.tensor([[1e4, -1e4, 0.0], [-1e4, 1e4, 5e3]], requires_grad=True)
    lbl = torch.tensor([1, 1])
    loss = F.cross_entropy(big, lbl)
    loss.backward()
    write("crossentropy_large", dict(loss="CrossEntropyLoss"),
          [("x", big), ("labels", lbl.float()), ("loss", loss), ("grad_x", big.grad)])
    pred = torch.randn(4, 3, requires_grad=True)
    target = torch.randn(4, 3)
    loss = F.mse_loss(pred, target)
    loss.backward()
    write("mse", dict(loss="MSELoss"), [("x", pred), ("target", target), ("loss", loss), ("grad_x", pred.grad)])


def small_seed_cnn():
    """seed-cnn's pipeline, ((Conv -> ReLU) x2 -> Pool) x2 -> Flatten -> Linear, at a small width and image size."""
    return nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.Conv2d(4, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(4, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(8 * 3 * 3, 10))


def optimizers():
    x = torch.randn(6, 1, 12, 12)
    labels = torch.tensor([0, 3, 9, 3, 5, 1])
    for name, make, settings in [
            ("sgd_momentum", lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, weight_decay=1e-3),
             dict(optimizer="SGD", lr=0.05, momentum=0.9, weight_decay=1e-3, nesterov="false")),
            ("sgd_nesterov", lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True),
             dict(optimizer="SGD", lr=0.05, momentum=0.9, weight_decay=0.0, nesterov="true")),
            ("adam", lambda p: torch.optim.Adam(p, lr=1e-2, weight_decay=1e-3),
             dict(optimizer="Adam", lr=1e-2, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=1e-3))]:
        model = small_seed_cnn()
        opt = make(model.parameters())
        tensors = [("x", x), ("labels", labels.float())]
        tensors += [("init." + n, t.clone()) for n, t in model.state_dict().items()]
        for step in range(3):
            opt.zero_grad()
            loss = F.cross_entropy(model(x), labels)
            loss.backward()
            opt.step()
            tensors.append(("loss%d" % step, loss.detach()))
        tensors += [("final." + n, t.clone()) for n, t in model.state_dict().items()]
        write("optim_" + name, dict(settings, model="small-seed-cnn", steps=3), tensors)


def conv(cin, cout, k, stride=1):
    return nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2, bias=False)


def projection(cin, cout, stride):
    return None if stride == 1 and cin == cout else nn.Sequential(conv(cin, cout, 1, stride), nn.BatchNorm2d(cout))


def basic_block(cin, cout, stride):
    """ResNet's basic block with the ReLU after the addition, as Zoo.basicBlock followed by a ReLU."""
    body = nn.Sequential(conv(cin, cout, 3, stride), nn.BatchNorm2d(cout), nn.ReLU(), conv(cout, cout, 3),
                         nn.BatchNorm2d(cout))
    return nn.Sequential(Residual(body, projection(cin, cout, stride)), nn.ReLU())


def bottleneck_block(cin, width, stride):
    """ResNet-50's bottleneck block (stride on the 3x3 convolution) and the ReLU after it, as Zoo.bottleneckBlock."""
    body = nn.Sequential(conv(cin, width, 1), nn.BatchNorm2d(width), nn.ReLU(), conv(width, width, 3, stride),
                         nn.BatchNorm2d(width), nn.ReLU(), conv(width, 4 * width, 1), nn.BatchNorm2d(4 * width))
    return nn.Sequential(Residual(body, projection(cin, 4 * width, stride)), nn.ReLU())


def dense_layer(cin, growth):
    """DenseNet-BC's bottleneck layer with its dense connection, as Zoo.denseLayer."""
    return Concat(nn.Sequential(nn.BatchNorm2d(cin), nn.ReLU(), conv(cin, 4 * growth, 1), nn.BatchNorm2d(4 * growth),
                                nn.ReLU(), conv(4 * growth, growth, 3)))


def randomize_bns(module):
    for m in module.modules():
        if isinstance(m, nn.BatchNorm2d):
            randomize_bn(m)


def blocks():
    """Residual and dense blocks of the deeper zoo models, in TRAIN mode (batch statistics) and one in EVAL."""
    r = torch.randn
    for name, settings, module, x, mode in [
            ("block_basic_projection", dict(layer="BasicBlock", **{"in": 3}, out=4, stride=2),
             basic_block(3, 4, 2), r(2, 3, 6, 6), "train"),
            ("block_basic_identity_eval", dict(layer="BasicBlock", **{"in": 4}, out=4, stride=1),
             basic_block(4, 4, 1), r(2, 4, 5, 5), "eval"),
            ("block_bottleneck", dict(layer="BottleneckBlock", **{"in": 8}, width=2, stride=1),
             bottleneck_block(8, 2, 1), r(2, 8, 5, 5), "train"),
            ("block_bottleneck_projection", dict(layer="BottleneckBlock", **{"in": 4}, width=3, stride=2),
             bottleneck_block(4, 3, 2), r(2, 4, 7, 7), "train"),
            ("block_dense_layer", dict(layer="DenseLayer", **{"in": 5}, growth=3), dense_layer(5, 3),
             r(2, 5, 5, 5), "train")]:
        randomize_bns(module)
        layer_case(name, settings, module, x, mode)


def adamw():
    """torch.optim.AdamW (decoupled weight decay) on the optimizer cases' model, appended after them."""
    x = torch.randn(6, 1, 12, 12)
    labels = torch.tensor([2, 7, 1, 1, 0, 8])
    model = small_seed_cnn()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=0.1)
    tensors = [("x", x), ("labels", labels.float())]
    tensors += [("init." + n, t.clone()) for n, t in model.state_dict().items()]
    for step in range(3):
        opt.zero_grad()
        loss = F.cross_entropy(model(x), labels)
        loss.backward()
        opt.step()
        tensors.append(("loss%d" % step, loss.detach()))
    tensors += [("final." + n, t.clone()) for n, t in model.state_dict().items()]
    write("optim_adamw", dict(optimizer="AdamW", lr=1e-2, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.1,
                              model="small-seed-cnn", steps=3), tensors)


def more_layers():
    layer_case("globalavgpool2d", dict(layer="GlobalAvgPool2d"), GlobalAvgPool2d(), torch.randn(3, 4, 5, 6))
    layer_case("maxpool2d_k2_s2_p1_d2_ceil", dict(layer="MaxPool2d", kernel=2, stride=2, padding=1, dilation=2,
                                                   ceil_mode="true"),
               nn.MaxPool2d(2, 2, 1, dilation=2, ceil_mode=True), torch.randn(2, 3, 7, 6), distinct=True)
    layer_case("maxpool2d_k3_s1_p1_d2", dict(layer="MaxPool2d", kernel=3, stride=1, padding=1, dilation=2,
                                              ceil_mode="false"),
               nn.MaxPool2d(3, 1, 1, dilation=2), torch.randn(2, 2, 8, 8), distinct=True)


if __name__ == "__main__":
    torch.manual_seed(20261127)
    torch.set_num_threads(1)
    os.makedirs(OUT, exist_ok=True)
    layers()
    losses()
    optimizers()
    # new cases go after this line, so the earlier ones keep their random draws
    blocks()
    adamw()
    more_layers()
    print("wrote fixtures to", os.path.normpath(OUT), file=sys.stderr)
