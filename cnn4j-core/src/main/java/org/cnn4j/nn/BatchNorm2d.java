package org.cnn4j.nn;

import org.cnn4j.tensor.Shape;

/** Batch normalization per channel of images (N, C, H, W): statistics over the batch and all pixels of a channel. */
public final class BatchNorm2d extends BatchNorm {

    /** PyTorch's defaults: eps 1e-5, momentum 0.1. */
    public BatchNorm2d(int channels) {
        this(channels, 1e-5, 0.1);
    }

    public BatchNorm2d(int channels, double eps, double momentum) {
        super(channels, eps, momentum);
    }

    @Override
    protected void checkRank(Shape s) {
        s.requireRank(4, "BatchNorm2d", "N, C, H, W");
    }

    static BatchNorm2d fromSpec(LayerSpec s) {
        return new BatchNorm2d(s.getInt("channels"), s.getDouble("eps"), s.getDouble("momentum"));
    }
}
