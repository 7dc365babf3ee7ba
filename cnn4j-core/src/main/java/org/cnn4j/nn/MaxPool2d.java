package org.cnn4j.nn;

import java.util.Arrays;
import org.cnn4j.kernel.Parallel;
import org.cnn4j.kernel.Pooling;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * Max pooling over each channel of a batch of images (N, C, H, W) -> (N, C, outH, outW), with PyTorch's kernel,
 * stride (default: the kernel), padding (at most half the kernel; padded pixels count as -infinity), dilation
 * and ceil mode (round the output size up, as long as the last window starts inside the input or its left padding).
 *
 * <p>Forward keeps each window's largest value and remembers where it was (the first one on ties). The output is
 * a piecewise selection of inputs, so backward routes each output gradient to that one input pixel; the other
 * pixels of the window get nothing. Pixels that win several overlapping windows get the sum.
 */
public final class MaxPool2d implements Layer {
    private final PoolWindow window;
    private Shape inputShape;
    private int[] argmax;
    private Tensor output;
    private Tensor gradInput;

    public MaxPool2d(int kernel) {
        this(kernel, kernel, 0, 1, false);
    }

    public MaxPool2d(int kernel, int stride) {
        this(kernel, stride, 0, 1, false);
    }

    public MaxPool2d(int kernel, int stride, int padding) {
        this(kernel, stride, padding, 1, false);
    }

    public MaxPool2d(int kernel, int stride, int padding, int dilation, boolean ceilMode) {
        this.window = new PoolWindow("MaxPool2d", kernel, stride, padding, dilation, ceilMode);
    }

    @Override
    public Shape outputShape(Shape input) {
        return window.outputShape(input);
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Shape os = outputShape(x.shape());
        Tensor y = Tensor.reuse(output, os);
        if (argmax == null || argmax.length != os.size()) {
            argmax = new int[os.size()];
        }
        int k = window.kernel();
        int s = window.stride();
        int p = window.padding();
        int d = window.dilation();
        int h = x.dim(2);
        int w = x.dim(3);
        Parallel.forRange(x.dim(0) * x.dim(1), Math.max(1, Parallel.MIN_ELEMENTS / (h * w)), (from, to) ->
                Pooling.maxPool(x.data(), from, to, h, w, k, k, s, s, p, p, d, d, os.dim(2), os.dim(3), y.data(),
                        argmax));
        inputShape = x.shape();
        output = y;
        return y;
    }

    @Override
    public Tensor backward(Tensor g) {
        Shape os = outputShape(inputShape);
        g.shape().require(os, "MaxPool2d backward gradient");
        Tensor dx = Tensor.reuse(gradInput, inputShape);
        int in = inputShape.dim(2) * inputShape.dim(3);
        int out = os.dim(2) * os.dim(3);
        Parallel.forRange(inputShape.dim(0) * inputShape.dim(1), Math.max(1, Parallel.MIN_ELEMENTS / in),
                (from, to) -> {
                    Arrays.fill(dx.data(), from * in, to * in, 0f);
                    Pooling.maxPoolBackward(g.data(), argmax, from * out, to * out, dx.data());
                });
        gradInput = dx;
        return dx;
    }

    @Override
    public LayerSpec spec() {
        return LayerSpec.of("MaxPool2d", "kernel", window.kernel(), "stride", window.stride(), "padding",
                window.padding(), "dilation", window.dilation(), "ceilMode", window.ceilMode());
    }

    static MaxPool2d fromSpec(LayerSpec s) {
        return new MaxPool2d(s.getInt("kernel"), s.getInt("stride"), s.getInt("padding"), s.getInt("dilation"),
                s.getBoolean("ceilMode"));
    }
}
