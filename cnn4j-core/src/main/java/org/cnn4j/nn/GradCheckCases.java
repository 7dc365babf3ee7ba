package org.cnn4j.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.cnn4j.tensor.Shape;

/**
 * The standard gradient checks: every layer type on small random shapes, with the settings where backward
 * passes usually go wrong (stride, padding, dilation, 1x1 and rectangular kernels, ceil_mode,
 * count_include_pad, batch norm in both modes). The unit tests and {@code cnn4j gradcheck} both run this list.
 */
public final class GradCheckCases {
    private GradCheckCases() {
    }

    /** One check: a fresh layer, the input shape (N first) and the mode of the forward pass. */
    public record Case(String name, Supplier<Layer> layer, Shape input, Mode mode) {
        public GradCheck.Report run(GradCheck check, long seed) {
            return check.check(layer.get(), input, mode, seed);
        }
    }

    public static List<Case> all() {
        List<Case> c = new ArrayList<>();
        add(c, "ReLU", ReLU::new, 2, 3, 4, 5);
        add(c, "LeakyReLU(0.01)", LeakyReLU::new, 3, 7);
        add(c, "LeakyReLU(0.2)", () -> new LeakyReLU(0.2), 2, 3, 5);
        add(c, "Sigmoid", Sigmoid::new, 4, 6);
        add(c, "Tanh", Tanh::new, 2, 2, 3, 3);
        add(c, "Linear(5, 3)", () -> new Linear(5, 3), 4, 5);
        add(c, "Linear(7, 2, bias=false)", () -> new Linear(7, 2, false), 3, 7);
        add(c, "Conv2d(2, 3, k3)", () -> new Conv2d(2, 3, 3), 2, 2, 6, 5);
        add(c, "Conv2d(k3, stride 2, pad 1)", () -> new Conv2d(2, 3, 3, 2, 1), 2, 2, 7, 6);
        add(c, "Conv2d(k3, pad 2, dilation 2)", () -> new Conv2d(2, 2, 3, 1, 2, 2, true), 1, 2, 7, 7);
        add(c, "Conv2d(k2, stride 3, dilation 2, no bias)", () -> new Conv2d(3, 2, 2, 3, 1, 2, false), 2, 3, 8, 7);
        add(c, "Conv2d(1x1)", () -> new Conv2d(3, 4, 1), 2, 3, 4, 5);
        add(c, "Conv2d(1x1, stride 2)", () -> new Conv2d(3, 2, 1, 2, 0), 2, 3, 5, 5);
        add(c, "Conv2d(2x3, pad 1)", () -> new Conv2d(2, 3, 2, 3, 1, 1, 1, true), 2, 2, 5, 6);
        add(c, "Conv2d(3x1, stride 2, no bias)", () -> new Conv2d(2, 2, 3, 1, 2, 0, 1, false), 1, 2, 7, 5);
        // stride 1 with more padding than the kernel reaches in one axis: im2col and GEMM, not DirectConv
        add(c, "Conv2d(3x1, pad 1, no bias)", () -> new Conv2d(2, 2, 3, 1, 1, 1, 1, false), 2, 2, 5, 4);
        add(c, "Conv2d(1x1, pad 1)", () -> new Conv2d(2, 3, 1, 1, 1, 1, 1, true), 2, 2, 4, 3);
        // fewer outputs than inputs at stride 1 (DenseNet's 3x3 layers)
        add(c, "Conv2d(k3, pad 1, 4 -> 2 channels)", () -> new Conv2d(4, 2, 3, 1, 1), 2, 4, 6, 5);
        add(c, "Conv2d(k3, no padding, 3 -> 1 channel)", () -> new Conv2d(3, 1, 3), 2, 3, 6, 7);
        add(c, "Conv2d(3x2, pad 1, 3 -> 2 channels, no bias)", () -> new Conv2d(3, 2, 3, 2, 1, 1, 1, false), 1, 3, 5, 6);
        add(c, "MaxPool2d(2)", () -> new MaxPool2d(2), 2, 3, 6, 6);
        add(c, "MaxPool2d(3, stride 2)", () -> new MaxPool2d(3, 2), 2, 2, 7, 6);
        add(c, "MaxPool2d(3, stride 2, pad 1)", () -> new MaxPool2d(3, 2, 1), 1, 2, 6, 7);
        add(c, "MaxPool2d(2, stride 1)", () -> new MaxPool2d(2, 1), 1, 2, 5, 5);
        add(c, "MaxPool2d(3, 2, pad 1, ceil)", () -> new MaxPool2d(3, 2, 1, 1, true), 2, 2, 6, 6);
        add(c, "MaxPool2d(2, 2, pad 1, dilation 2, ceil)", () -> new MaxPool2d(2, 2, 1, 2, true), 1, 2, 7, 6);
        add(c, "MaxPool2d(2, ceil)", () -> new MaxPool2d(2, 2, 0, 1, true), 1, 2, 5, 5);
        add(c, "AvgPool2d(2)", () -> new AvgPool2d(2), 2, 3, 6, 6);
        add(c, "AvgPool2d(3, stride 2)", () -> new AvgPool2d(3, 2), 2, 2, 7, 6);
        for (boolean ceil : new boolean[] {false, true}) {
            for (boolean countPad : new boolean[] {false, true}) {
                String opts = (ceil ? ", ceil" : "") + (countPad ? ", count_include_pad" : "");
                add(c, "AvgPool2d(3, 2, pad 1" + opts + ")", () -> new AvgPool2d(3, 2, 1, ceil, countPad), 1, 2, 6, 7);
                add(c, "AvgPool2d(2, 2, pad 1" + opts + ")", () -> new AvgPool2d(2, 2, 1, ceil, countPad), 2, 1, 5, 6);
            }
        }
        add(c, "Flatten", Flatten::new, 2, 3, 2, 2);
        add(c, "Softmax", Softmax::new, 3, 5);
        add(c, "Softmax(3D)", Softmax::new, 2, 2, 4);
        add(c, "Dropout(0.3, frozen mask)", () -> {
            Dropout d = new Dropout(0.3, 5);
            d.setMaskFrozen(true);
            return d;
        }, 4, 6);
        add(c, "BatchNorm1d (train)", () -> new BatchNorm1d(3), 5, 3);
        add(c, "BatchNorm2d (train)", () -> new BatchNorm2d(2), 3, 2, 4, 3);
        c.add(new Case("BatchNorm1d (eval)", () -> withRunningStats(new BatchNorm1d(4)), Shape.of(3, 4), Mode.EVAL));
        c.add(new Case("BatchNorm2d (eval)", () -> withRunningStats(new BatchNorm2d(3)), Shape.of(2, 3, 3, 3), Mode.EVAL));
        add(c, "Sequential CNN", () -> new Sequential(Shape.of(2, 6, 6),
                new Conv2d(2, 3, 3, 1, 1), new Tanh(), new MaxPool2d(2),
                new Conv2d(3, 4, 2), new LeakyReLU(0.1), new AvgPool2d(2, 1, 1, true, false),
                new Flatten(), new Linear(36, 5), new Sigmoid(), new Linear(5, 3)), 2, 2, 6, 6);
        add(c, "GlobalAvgPool2d", GlobalAvgPool2d::new, 2, 3, 3, 4);
        add(c, "Residual (identity shortcut)", () -> new Residual(new Sequential(new Conv2d(2, 2, 3, 1, 1, 1, false),
                new BatchNorm2d(2), new Tanh(), new Conv2d(2, 2, 3, 1, 1, 1, false))), 2, 2, 4, 4);
        add(c, "Residual (projection shortcut, stride 2)", () -> new Residual(
                new Sequential(new Conv2d(2, 3, 3, 2, 1, 1, false), new BatchNorm2d(3), new Tanh(),
                        new Conv2d(3, 3, 3, 1, 1, 1, false), new BatchNorm2d(3)),
                new Sequential(new Conv2d(2, 3, 1, 2, 0, 1, false), new BatchNorm2d(3))), 2, 2, 5, 5);
        add(c, "Concat (dense layer)", () -> new Concat(new Sequential(new BatchNorm2d(2), new Tanh(),
                new Conv2d(2, 4, 1, 1, 0, 1, false), new BatchNorm2d(4), new Tanh(),
                new Conv2d(4, 3, 3, 1, 1, 1, false))), 2, 2, 3, 4);
        add(c, "Dense block (2 layers)", () -> new Sequential(new Concat(new Conv2d(2, 2, 3, 1, 1)),
                new Concat(new Sequential(new Tanh(), new Conv2d(4, 1, 1)))), 2, 2, 3, 3);
        add(c, "Tiny ResNet (train)", GradCheckCases::tinyResNet, 2, 2, 6, 6);
        c.add(new Case("Tiny ResNet (eval)", () -> withRunningStats(tinyResNet()), Shape.of(2, 2, 6, 6), Mode.EVAL));
        return c;
    }

    /**
     * A ResNet in miniature: stem, a block with an identity and one with a projection shortcut (stride 2), each
     * followed by the activation, global average pooling and a Linear layer. Tanh stands in for ReLU throughout:
     * with batch norm centring the hidden values, some always sit near ReLU's kink, where perturbing a weight
     * gives false alarms (ReLU itself is checked on its own). Images are 6x6: at 4x4 batch norm's statistics over
     * only 32 values per channel curve the loss enough that the central difference's own error (it shrinks as
     * ε², so it is no bug) passes 1% for some weights.
     */
    private static Sequential tinyResNet() {
        return new Sequential(Shape.of(2, 6, 6), new Conv2d(2, 3, 3, 1, 1, 1, false), new BatchNorm2d(3), new Tanh(),
                new Residual(new Sequential(new Conv2d(3, 3, 3, 1, 1, 1, false), new BatchNorm2d(3), new Tanh(),
                        new Conv2d(3, 3, 3, 1, 1, 1, false), new BatchNorm2d(3))),
                new Tanh(),
                new Residual(new Sequential(new Conv2d(3, 4, 3, 2, 1, 1, false), new BatchNorm2d(4), new Tanh(),
                        new Conv2d(4, 4, 3, 1, 1, 1, false), new BatchNorm2d(4)),
                        new Sequential(new Conv2d(3, 4, 1, 2, 0, 1, false), new BatchNorm2d(4))),
                new Tanh(), new GlobalAvgPool2d(), new Linear(4, 3));
    }

    private static void add(List<Case> cases, String name, Supplier<Layer> layer, int... input) {
        cases.add(new Case(name, layer, Shape.of(input), Mode.TRAIN));
    }

    /**
     * Running statistics away from the defaults (0 and 1) in every batch norm of {@code layer} (itself or inside it),
     * so evaluation mode is really exercised.
     */
    private static <L extends Layer> L withRunningStats(L layer) {
        if (layer instanceof BatchNorm bn) {
            float[] mean = bn.runningMean().value().data();
            float[] var = bn.runningVar().value().data();
            for (int i = 0; i < mean.length; i++) {
                mean[i] = 0.3f * (i - 1);
                var[i] = 0.5f + 0.4f * i;
            }
        }
        layer.children().values().forEach(GradCheckCases::withRunningStats);
        return layer;
    }
}
