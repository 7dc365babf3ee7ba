package org.cnn4j.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.cnn4j.nn.AvgPool2d;
import org.cnn4j.nn.BatchNorm1d;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Concat;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.GlobalAvgPool2d;
import org.cnn4j.nn.Layer;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Residual;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Shape;

/**
 * The reference models of the design notes, built for a given input sample shape (C, H, W) and class count.
 * Weights are drawn from the global generator: call {@code Init.manualSeed} first for a reproducible model.
 * Convolutions start He-normal, batch norm at gamma = 1 and beta = 0 (the layers' own defaults); a convolution
 * followed by batch norm has no bias, since the norm's beta would cancel it.
 *
 * <p>The deeper models are made of residual blocks ({@link #basicBlock}, {@link #bottleneckBlock}) and dense
 * layers ({@link #denseLayer}, {@link #transition}); see {@link Residual} and {@link Concat} for how the parameter
 * names nest ("3.body.0.weight", "1.0.body.2.weight"). All of them end in global average pooling, so they work for
 * any image size the downsampling leaves at least one pixel of: 1x28x28 and 3x32x32 alike.
 */
public final class Zoo {
    /** Output channels of a {@link #bottleneckBlock} per channel of its width. */
    public static final int BOTTLENECK_EXPANSION = 4;

    private static final Map<String, BiFunction<Shape, Integer, Sequential>> MODELS = new java.util.LinkedHashMap<>();

    static {
        MODELS.put("mlp", Zoo::mlp);
        MODELS.put("lenet5", Zoo::lenet5);
        MODELS.put("seed-cnn", Zoo::seedCnn);
        MODELS.put("seed-cnn-bn", Zoo::seedCnnBn);
        MODELS.put("resnet20", (s, k) -> resnet(s, k, 20));
        MODELS.put("resnet32", (s, k) -> resnet(s, k, 32));
        MODELS.put("resnet56", (s, k) -> resnet(s, k, 56));
        MODELS.put("resnet18", Zoo::resnet18);
        MODELS.put("resnet50", Zoo::resnet50);
        MODELS.put("densenet-bc22", (s, k) -> densenetBc(s, k, 22, 12));
        MODELS.put("densenet-bc40", (s, k) -> densenetBc(s, k, 40, 12));
    }

    private Zoo() {
    }

    public static List<String> names() {
        return List.copyOf(MODELS.keySet());
    }

    public static Sequential create(String name, Shape sample, int numClasses) {
        BiFunction<Shape, Integer, Sequential> f = MODELS.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown model '" + name + "' (choose from " + String.join(", ", names()) + ")");
        }
        return f.apply(sample, numClasses);
    }

    /** The baseline: every pixel is an input feature; Flatten, (Linear, BatchNorm1d, ReLU) x2, Linear. */
    public static Sequential mlp(Shape sample, int numClasses) {
        return new Sequential(sample, new Flatten(),
                new Linear(sample.size(), 256), new BatchNorm1d(256), new ReLU(),
                new Linear(256, 256), new BatchNorm1d(256), new ReLU(),
                new Linear(256, numClasses));
    }

    /** LeNet-5 as in the design notes (ReLU and max pooling instead of the original tanh and subsampling). */
    public static Sequential lenet5(Shape sample, int numClasses) {
        List<Layer> l = new ArrayList<>(List.of(
                new Conv2d(sample.dim(0), 6, 5, 1, 2), new ReLU(), new MaxPool2d(2),
                new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2), new Flatten()));
        int flat = flatSize(sample, l);
        l.addAll(List.of(new Linear(flat, 120), new ReLU(), new Linear(120, 84), new ReLU(), new Linear(84, numClasses)));
        return new Sequential(sample, l);
    }

    /** The outline's pipeline: ((Conv -> ReLU) x2 -> MaxPool) x2 -> Flatten -> Linear (softmax in the loss). */
    public static Sequential seedCnn(Shape sample, int numClasses) {
        List<Layer> l = new ArrayList<>(List.of(
                new Conv2d(sample.dim(0), 32, 3, 1, 1), new ReLU(), new Conv2d(32, 32, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                new Conv2d(32, 64, 3, 1, 1), new ReLU(), new Conv2d(64, 64, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                new Flatten()));
        l.add(new Linear(flatSize(sample, l), numClasses));
        return new Sequential(sample, l);
    }

    /** seed-cnn with BatchNorm2d after each convolution (whose bias it makes redundant): Conv, BN, ReLU each time. */
    public static Sequential seedCnnBn(Shape sample, int numClasses) {
        List<Layer> l = new ArrayList<>();
        int in = sample.dim(0);
        for (int out : new int[] {32, 32, 0, 64, 64, 0}) {
            if (out == 0) {
                l.add(new MaxPool2d(2));
                continue;
            }
            l.addAll(List.of(conv(in, out, 3, 1), new BatchNorm2d(out), new ReLU()));
            in = out;
        }
        l.add(new Flatten());
        l.add(new Linear(flatSize(sample, l), numClasses));
        return new Sequential(sample, l);
    }

    /**
     * ResNet for small images (He et al. 2015, section 4.2), depth = 6n + 2: a 3x3 convolution to 16 channels, three
     * stages of n {@link #basicBlock basic blocks} with 16, 32 and 64 channels (stride 2 at the first block of the
     * second and third), each block followed by a ReLU; global average pooling and a Linear layer. Shortcuts are
     * projections (1x1 convolution and batch norm, the paper's option B) where the shape changes, identities
     * elsewhere. resnet20 has n = 3 and 272,474 parameters for 3x32x32 inputs and 10 classes.
     */
    public static Sequential resnet(Shape sample, int numClasses, int depth) {
        if (depth < 8 || (depth - 2) % 6 != 0) {
            throw new IllegalArgumentException("resnet depth must be 6n + 2 (20, 32, 44, 56, 110, ...), got " + depth);
        }
        int n = (depth - 2) / 6;
        return resnet(sample, numClasses, 16, new int[] {n, n, n}, new int[] {16, 32, 64}, false);
    }

    /**
     * A ResNet-18 for small images (as commonly used for CIFAR-10): the ImageNet model's four stages of two basic
     * blocks (64, 128, 256, 512 channels, stride 2 from the second stage on), with a 3x3 stride-1 stem and no max
     * pooling in place of the 7x7 stride-2 convolution and pooling meant for 224x224 images.
     */
    public static Sequential resnet18(Shape sample, int numClasses) {
        return resnet(sample, numClasses, 64, new int[] {2, 2, 2, 2}, new int[] {64, 128, 256, 512}, false);
    }

    /** Like {@link #resnet18}, with ResNet-50's {@link #bottleneckBlock bottleneck blocks}: 3, 4, 6, 3 of them. */
    public static Sequential resnet50(Shape sample, int numClasses) {
        return resnet(sample, numClasses, 64, new int[] {3, 4, 6, 3}, new int[] {64, 128, 256, 512}, true);
    }

    /**
     * The common ResNet layout: stem (3x3 convolution, batch norm, ReLU), then per stage {@code blocks[i]} residual
     * blocks of width {@code widths[i]} (the first with stride 2, except in the first stage), each followed by a
     * ReLU; global average pooling; Linear. A bottleneck block's output has 4 times its width.
     */
    private static Sequential resnet(Shape sample, int numClasses, int stem, int[] blocks, int[] widths,
            boolean bottleneck) {
        List<Layer> l = new ArrayList<>(List.of(conv(sample.dim(0), stem, 3, 1), new BatchNorm2d(stem), new ReLU()));
        int in = stem;
        for (int stage = 0; stage < blocks.length; stage++) {
            for (int b = 0; b < blocks[stage]; b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                l.add(bottleneck ? bottleneckBlock(in, widths[stage], stride) : basicBlock(in, widths[stage], stride));
                l.add(new ReLU());
                in = bottleneck ? BOTTLENECK_EXPANSION * widths[stage] : widths[stage];
            }
        }
        l.add(new GlobalAvgPool2d());
        l.add(new Linear(in, numClasses));
        return new Sequential(sample, l);
    }

    /**
     * The basic residual block of ResNet-18/34 and the CIFAR ResNets: body = 3x3 convolution (with the stride), batch
     * norm, ReLU, 3x3 convolution, batch norm; shortcut = {@link #projection} when the stride or channels change,
     * identity otherwise. The ReLU after the addition is left to the caller.
     */
    public static Residual basicBlock(int in, int out, int stride) {
        Sequential body = new Sequential(conv(in, out, 3, stride), new BatchNorm2d(out), new ReLU(),
                conv(out, out, 3, 1), new BatchNorm2d(out));
        return new Residual(body, projection(in, out, stride));
    }

    /**
     * The bottleneck block of ResNet-50/101/152: body = 1x1 convolution down to {@code width} channels, batch norm,
     * ReLU, 3x3 convolution (with the stride), batch norm, ReLU, 1x1 convolution up to 4 x width, batch norm (the
     * stride on the 3x3 convolution, as torchvision's "ResNet v1.5"); shortcut as in {@link #basicBlock}.
     */
    public static Residual bottleneckBlock(int in, int width, int stride) {
        int out = BOTTLENECK_EXPANSION * width;
        Sequential body = new Sequential(conv(in, width, 1, 1), new BatchNorm2d(width), new ReLU(),
                conv(width, width, 3, stride), new BatchNorm2d(width), new ReLU(),
                conv(width, out, 1, 1), new BatchNorm2d(out));
        return new Residual(body, projection(in, out, stride));
    }

    /** A 1x1 convolution with the given stride and batch norm, or null (identity) when the shape does not change. */
    private static Sequential projection(int in, int out, int stride) {
        return stride == 1 && in == out ? null : new Sequential(conv(in, out, 1, stride), new BatchNorm2d(out));
    }

    /**
     * DenseNet-BC for small images (Huang et al. 2017), depth = 6n + 4 with growth rate k: a 3x3 convolution to 2k
     * channels; three dense blocks of n {@link #denseLayer dense layers} each, with a {@link #transition} halving
     * the channels and the image between them; batch norm, ReLU, global average pooling, Linear. densenet-bc40
     * (n = 6, k = 12) goes 24 -> 96 -> 48 -> 120 -> 60 -> 132 channels. Each dense block and each transition is a
     * Sequential, so the names go "1.0.body.2.weight" (block 1, layer 0, its first convolution), "2.2.weight".
     */
    public static Sequential densenetBc(Shape sample, int numClasses, int depth, int growth) {
        if (depth < 10 || (depth - 4) % 6 != 0 || growth <= 0) {
            throw new IllegalArgumentException("DenseNet-BC depth must be 6n + 4 (22, 40, 100, ...) and the growth rate"
                    + " positive, got depth " + depth + ", growth " + growth);
        }
        int n = (depth - 4) / 6;
        int c = 2 * growth;
        List<Layer> l = new ArrayList<>(List.of(conv(sample.dim(0), c, 3, 1)));
        for (int block = 0; block < 3; block++) {
            List<Layer> dense = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                dense.add(denseLayer(c, growth));
                c += growth;
            }
            l.add(new Sequential(dense));
            if (block < 2) {
                l.add(transition(c, c / 2));
                c /= 2;
            }
        }
        l.addAll(List.of(new BatchNorm2d(c), new ReLU(), new GlobalAvgPool2d(), new Linear(c, numClasses)));
        return new Sequential(sample, l);
    }

    /**
     * DenseNet-BC's bottleneck layer with its dense connection: concat(x, f(x)) with f = batch norm, ReLU, 1x1
     * convolution to 4 x growth channels, batch norm, ReLU, 3x3 convolution to {@code growth} channels.
     */
    public static Concat denseLayer(int in, int growth) {
        return new Concat(new Sequential(new BatchNorm2d(in), new ReLU(), conv(in, 4 * growth, 1, 1),
                new BatchNorm2d(4 * growth), new ReLU(), conv(4 * growth, growth, 3, 1)));
    }

    /** DenseNet's transition between dense blocks: batch norm, ReLU, 1x1 convolution to {@code out}, AvgPool2d(2). */
    public static Sequential transition(int in, int out) {
        return new Sequential(new BatchNorm2d(in), new ReLU(), conv(in, out, 1, 1), new AvgPool2d(2));
    }

    /** A convolution without bias, padded to keep the image size at stride 1 (padding k/2). */
    private static Conv2d conv(int in, int out, int kernel, int stride) {
        return new Conv2d(in, out, kernel, stride, kernel / 2, 1, false);
    }

    /** Number of features after the given layers for one sample: the input size of the first Linear layer. */
    private static int flatSize(Shape sample, List<Layer> layers) {
        Shape s = sample.prepend(1);
        for (Layer layer : layers) {
            s = layer.outputShape(s);
        }
        return s.size();
    }
}
