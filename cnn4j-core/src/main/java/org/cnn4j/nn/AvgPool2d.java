package org.cnn4j.nn;

import java.util.Arrays;
import org.cnn4j.kernel.Parallel;
import org.cnn4j.kernel.Pooling;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * Average pooling over each channel of a batch of images (N, C, H, W) -> (N, C, outH, outW), with PyTorch's
 * kernel, stride (default: the kernel), padding (at most half the kernel), ceil mode and count_include_pad.
 *
 * <p>Each output is the sum of its window divided by a divisor: with countIncludePad (the default) the window's
 * size counting padded pixels, but a ceil-mode window that runs past the padded input is cut there first; without
 * it, the number of real input pixels in the window. Backward: the output is linear in the inputs, each with weight
 * 1/divisor, so each output gradient is divided by the same divisor and added to every input pixel of the window.
 */
public final class AvgPool2d implements Layer {
    private final PoolWindow window;
    private final boolean countIncludePad;
    private Shape inputShape;
    private Tensor output;
    private Tensor gradInput;

    public AvgPool2d(int kernel) {
        this(kernel, kernel, 0, false, true);
    }

    public AvgPool2d(int kernel, int stride) {
        this(kernel, stride, 0, false, true);
    }

    public AvgPool2d(int kernel, int stride, int padding) {
        this(kernel, stride, padding, false, true);
    }

    public AvgPool2d(int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        this.window = new PoolWindow("AvgPool2d", kernel, stride, padding, 1, ceilMode);
        this.countIncludePad = countIncludePad;
    }

    @Override
    public Shape outputShape(Shape input) {
        return window.outputShape(input);
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = Tensor.reuse(output, outputShape(x.shape()));
        run(false, x.shape(), x, y);
        inputShape = x.shape();
        output = y;
        return y;
    }

    @Override
    public Tensor backward(Tensor g) {
        g.shape().require(outputShape(inputShape), "AvgPool2d backward gradient");
        Tensor dx = Tensor.reuse(gradInput, inputShape);
        run(true, inputShape, g, dx);
        gradInput = dx;
        return dx;
    }

    /** Forward (in = x, out = y) or backward (in = g, out = dx, cleared first), the planes split between threads. */
    private void run(boolean backward, Shape xs, Tensor in, Tensor out) {
        int k = window.kernel();
        int s = window.stride();
        int p = window.padding();
        Shape os = outputShape(xs);
        int hw = xs.dim(2) * xs.dim(3);
        Parallel.forRange(xs.dim(0) * xs.dim(1), Math.max(1, Parallel.MIN_ELEMENTS / hw), (from, to) -> {
            if (backward) {
                Arrays.fill(out.data(), from * hw, to * hw, 0f);
            }
            Pooling.avgPool(backward, in.data(), out.data(), from, to, xs.dim(2), xs.dim(3), k, k, s, s, p, p,
                    os.dim(2), os.dim(3), countIncludePad);
        });
    }

    @Override
    public LayerSpec spec() {
        return LayerSpec.of("AvgPool2d", "kernel", window.kernel(), "stride", window.stride(), "padding",
                window.padding(), "ceilMode", window.ceilMode(), "countIncludePad", countIncludePad);
    }

    static AvgPool2d fromSpec(LayerSpec s) {
        return new AvgPool2d(s.getInt("kernel"), s.getInt("stride"), s.getInt("padding"), s.getBoolean("ceilMode"),
                s.getBoolean("countIncludePad"));
    }
}
