package org.cnn4j.nn;

import org.cnn4j.kernel.SoftmaxRows;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * Softmax over the last dimension (PyTorch's Softmax(dim=-1)): each row of scores (N, K) becomes probabilities
 * that are positive and sum to 1, y_j = e^(x_j) / sum_k e^(x_k), computed stably (see {@link SoftmaxRows}).
 * For prediction; to train a classifier, feed the raw scores to CrossEntropyLoss, which fuses the softmax.
 *
 * <p>Backward: dy_j/dx_i = y_j (δ_ij - y_i), so dL/dx_i = y_i (g_i - sum_j g_j y_j) within each row.
 */
public final class Softmax implements Layer {
    private Tensor output;
    private Tensor gradInput;

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() < 1 || input.dim(-1) == 0) {
            throw new IllegalArgumentException("Softmax: expected an input with a non-empty last dimension (N, K) but"
                    + " got shape " + input);
        }
        return input;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = Tensor.reuse(output, outputShape(x.shape()));
        int k = x.dim(-1);
        for (int off = 0; off < x.size(); off += k) {
            SoftmaxRows.softmax(x.data(), off, k, y.data(), off);
        }
        output = y;
        return y;
    }

    @Override
    public Tensor backward(Tensor g) {
        g.shape().require(output.shape(), "Softmax backward gradient");
        Tensor dx = Tensor.reuse(gradInput, g.shape());
        gradInput = dx;
        float[] y = output.data();
        float[] gd = g.data();
        float[] d = dx.data();
        int k = output.dim(-1);
        for (int off = 0; off < y.length; off += k) {
            double dot = 0;
            for (int j = 0; j < k; j++) {
                dot += gd[off + j] * y[off + j];
            }
            for (int i = 0; i < k; i++) {
                d[off + i] = (float) (y[off + i] * (gd[off + i] - dot));
            }
        }
        return dx;
    }

    @Override
    public LayerSpec spec() {
        return LayerSpec.of("Softmax");
    }
}
