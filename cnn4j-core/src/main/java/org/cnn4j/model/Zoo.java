package org.cnn4j.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.cnn4j.nn.BatchNorm1d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.Layer;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Shape;

/**
 * The reference models of the design notes, built for a given input sample shape (C, H, W) and class count.
 * Weights are drawn from the global generator: call {@code Init.manualSeed} first for a reproducible model.
 */
public final class Zoo {
    private static final Map<String, BiFunction<Shape, Integer, Sequential>> MODELS = new java.util.LinkedHashMap<>();

    static {
        MODELS.put("mlp", Zoo::mlp);
        MODELS.put("lenet5", Zoo::lenet5);
        MODELS.put("seed-cnn", Zoo::seedCnn);
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

    /** Number of features after the given layers for one sample: the input size of the first Linear layer. */
    private static int flatSize(Shape sample, List<Layer> layers) {
        Shape s = sample.prepend(1);
        for (Layer layer : layers) {
            s = layer.outputShape(s);
        }
        return s.size();
    }
}
