package org.cnn4j.nn;

import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * A tensor a layer owns, with the gradient that backward accumulates into it.
 * Trainable parameters (weights, biases) are updated by optimizers; the others are state saved
 * with the model but not trained (PyTorch's buffers, such as batch norm's running mean).
 */
public final class Parameter {
    private final String name;
    private final Tensor value;
    private final Tensor grad;
    private final boolean trainable;

    public Parameter(String name, Tensor value, boolean trainable) {
        this.name = name;
        this.value = value;
        this.grad = Tensor.zeros(value.shape());
        this.trainable = trainable;
    }

    public static Parameter trainable(String name, Shape shape) {
        return new Parameter(name, Tensor.zeros(shape), true);
    }

    public static Parameter buffer(String name, Tensor value) {
        return new Parameter(name, value, false);
    }

    public String name() {
        return name;
    }

    public Tensor value() {
        return value;
    }

    public Tensor grad() {
        return grad;
    }

    public boolean isTrainable() {
        return trainable;
    }

    public Shape shape() {
        return value.shape();
    }

    /** Number of trainable values among {@code params} (weights and biases, not buffers). */
    public static long trainableCount(java.util.List<Parameter> params) {
        long n = 0;
        for (Parameter p : params) {
            n += p.isTrainable() ? p.value().size() : 0;
        }
        return n;
    }

    public void zeroGrad() {
        grad.fill(0f);
    }

    @Override
    public String toString() {
        return name + value.shape();
    }
}
