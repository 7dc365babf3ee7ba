package org.cnn4j.nn;

import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * Flattens each sample into a vector, (N, d1, d2, ...) -> (N, d1*d2*...), as PyTorch's Flatten() does between
 * the convolutional part of a network and its Linear layers. Only the shape changes (the output is a view sharing
 * the input's data, in row-major order), so backward reshapes the gradient back to the input's shape.
 */
public final class Flatten implements Layer {
    private Shape inputShape;

    @Override
    public Shape outputShape(Shape s) {
        if (s.rank() < 2) {
            throw new IllegalArgumentException("Flatten: expected an input with a batch dimension (N, ...) but got"
                    + " shape " + s);
        }
        return Shape.of(s.dim(0), s.dropFirst().size());
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Shape os = outputShape(x.shape());
        inputShape = x.shape();
        return x.reshape(os);
    }

    @Override
    public Tensor backward(Tensor g) {
        g.shape().require(outputShape(inputShape), "Flatten backward gradient");
        return g.reshape(inputShape);
    }

    @Override
    public LayerSpec spec() {
        return LayerSpec.of("Flatten");
    }
}
