package org.cnn4j.nn;

import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * An element-wise function y = f(x) on a tensor of any shape. Its derivative is element-wise too, so backward is
 * dL/dx = g * f'(x), written by each subclass from whichever of x and y makes f' cheapest.
 */
abstract class Activation implements Layer {
    private Tensor input;
    private Tensor output;

    /** y[i] = f(x[i]). */
    abstract void apply(float[] x, float[] y);

    /** dx[i] = g[i] * f'(x[i]), given the input x and the output y of the forward pass. */
    abstract void gradient(float[] x, float[] y, float[] g, float[] dx);

    @Override
    public Shape outputShape(Shape input) {
        return input;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = Tensor.zeros(x.shape());
        apply(x.data(), y.data());
        input = x;
        output = y;
        return y;
    }

    @Override
    public Tensor backward(Tensor g) {
        g.shape().require(input.shape(), spec().type() + " backward gradient");
        Tensor dx = Tensor.zeros(input.shape());
        gradient(input.data(), output.data(), g.data(), dx.data());
        return dx;
    }
}
