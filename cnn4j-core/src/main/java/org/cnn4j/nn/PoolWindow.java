package org.cnn4j.nn;

import org.cnn4j.kernel.Pooling;
import org.cnn4j.tensor.Shape;

/**
 * The window settings the pooling layers share (square kernel, one stride, padding and dilation for both axes),
 * with PyTorch's checks and output shape.
 */
record PoolWindow(String layer, int kernel, int stride, int padding, int dilation, boolean ceilMode) {

    PoolWindow {
        if (kernel <= 0 || stride <= 0 || padding < 0 || dilation <= 0) {
            throw new IllegalArgumentException(String.format("%s(kernel=%d, stride=%d, padding=%d, dilation=%d): kernel,"
                    + " stride and dilation must be positive and padding non-negative", layer, kernel, stride, padding,
                    dilation));
        }
        if (padding > kernel / 2) {
            throw new IllegalArgumentException(layer + ": padding " + padding + " is more than half the kernel size "
                    + kernel + " (PyTorch's limit)");
        }
    }

    /** (N, C, H, W) -> (N, C, outH, outW); throws naming the input shape if it is not 4D or too small. */
    Shape outputShape(Shape s) {
        s.requireRank(4, layer, "N, C, H, W");
        int oh = Pooling.outSize(s.dim(2), kernel, stride, padding, dilation, ceilMode);
        int ow = Pooling.outSize(s.dim(3), kernel, stride, padding, dilation, ceilMode);
        if (oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException(layer + ": input " + s + " is smaller than the kernel " + kernel + "x"
                    + kernel + " (padding " + padding + ", dilation " + dilation + ")");
        }
        return Shape.of(s.dim(0), s.dim(1), oh, ow);
    }
}
