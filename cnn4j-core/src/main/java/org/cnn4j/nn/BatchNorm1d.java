package org.cnn4j.nn;

import org.cnn4j.tensor.Shape;

/** Batch normalization of features (N, C), as after a Linear layer in an MLP: Linear -> BatchNorm1d -> ReLU. */
public final class BatchNorm1d extends BatchNorm {

    /** PyTorch's defaults: eps 1e-5, momentum 0.1. */
    public BatchNorm1d(int features) {
        this(features, 1e-5, 0.1);
    }

    public BatchNorm1d(int features, double eps, double momentum) {
        super(features, eps, momentum);
    }

    @Override
    protected void checkRank(Shape s) {
        s.requireRank(2, "BatchNorm1d", "N, C");
    }

    static BatchNorm1d fromSpec(LayerSpec s) {
        return new BatchNorm1d(s.getInt("channels"), s.getDouble("eps"), s.getDouble("momentum"));
    }
}
