package org.cnn4j.nn;

import java.util.ArrayList;
import java.util.List;
import org.cnn4j.tensor.Shape;

/**
 * Builds a layer from its {@link LayerSpec}: the inverse of {@link Layer#spec()}, used when a model file is read.
 * Only the types listed here can be built, so reading a model file never runs code the file names.
 */
public final class LayerFactory {
    private LayerFactory() {
    }

    public static Layer create(LayerSpec s) {
        return switch (s.type()) {
            case "Sequential" -> {
                List<Layer> kids = new ArrayList<>();
                for (LayerSpec c : s.children()) {
                    kids.add(create(c));
                }
                yield s.attrs().containsKey("input") ? new Sequential(Shape.of(s.getInts("input")), kids)
                        : new Sequential(kids);
            }
            case "Residual" -> Residual.fromSpec(s);
            case "Concat" -> Concat.fromSpec(s);
            case "Linear" -> Linear.fromSpec(s);
            case "Conv2d" -> Conv2d.fromSpec(s);
            case "BatchNorm1d" -> BatchNorm1d.fromSpec(s);
            case "BatchNorm2d" -> BatchNorm2d.fromSpec(s);
            case "ReLU" -> new ReLU();
            case "LeakyReLU" -> LeakyReLU.fromSpec(s);
            case "Sigmoid" -> new Sigmoid();
            case "Tanh" -> new Tanh();
            case "MaxPool2d" -> MaxPool2d.fromSpec(s);
            case "AvgPool2d" -> AvgPool2d.fromSpec(s);
            case "GlobalAvgPool2d" -> new GlobalAvgPool2d();
            case "Flatten" -> new Flatten();
            case "Dropout" -> Dropout.fromSpec(s);
            case "Softmax" -> new Softmax();
            default -> throw new IllegalArgumentException("unknown layer type '" + s.type() + "'");
        };
    }
}
