package org.cnn4j.nn;

import org.cnn4j.kernel.Parallel;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * An element-wise function y = f(x) on a tensor of any shape. Its derivative is element-wise too, so backward is
 * dL/dx = g * f'(x), written by each subclass from whichever of x and y makes f' cheapest. Large tensors are cut
 * into contiguous ranges that run on {@link Parallel}'s threads.
 */
abstract class Activation implements Layer {
    /** The input and output of the last forward pass, which backward uses. */
    private Tensor input;
    private Tensor output;
    /** This layer's own output and input gradient tensors, reused from call to call. */
    private Tensor ownOutput;
    private Tensor gradInput;

    /** y[i] = f(x[i]) for i in [from, to). */
    abstract void apply(float[] x, float[] y, int from, int to);

    /** dx[i] = g[i] * f'(x[i]) for i in [from, to), given the input x and the output y of the forward pass. */
    abstract void gradient(float[] x, float[] y, float[] g, float[] dx, int from, int to);

    @Override
    public Shape outputShape(Shape input) {
        return input;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = Tensor.reuse(ownOutput, x.shape());
        float[] xd = x.data();
        float[] yd = y.data();
        Parallel.forRange(xd.length, Parallel.MIN_ELEMENTS, (from, to) -> apply(xd, yd, from, to));
        input = x;
        output = y;
        ownOutput = y;
        return y;
    }

    /**
     * Takes y as the output of a forward pass that another layer computed for this one ({@link Sequential} runs a
     * ReLU fused into the layer before it, see {@link FusesRelu}), with y also standing for the input: only for
     * activations whose gradient reads y alone.
     */
    void remember(Tensor y) {
        input = y;
        output = y;
    }

    @Override
    public Tensor backward(Tensor g) {
        g.shape().require(input.shape(), spec().type() + " backward gradient");
        Tensor dx = Tensor.reuse(gradInput, input.shape());
        float[] xd = input.data();
        float[] yd = output.data();
        float[] gd = g.data();
        float[] dxd = dx.data();
        Parallel.forRange(xd.length, Parallel.MIN_ELEMENTS, (from, to) -> gradient(xd, yd, gd, dxd, from, to));
        gradInput = dx;
        return dx;
    }
}
