package org.cnn4j.loss;

import org.cnn4j.kernel.SoftmaxRows;
import org.cnn4j.tensor.Tensor;

/**
 * Cross-entropy of raw scores (logits, N x K) against class labels, averaged over the batch, as PyTorch's
 * CrossEntropyLoss: softmax turns each row into probabilities p and the loss of a row is -log p[label].
 *
 * <p>Softmax and log are fused: -log p[label] = logSumExp(row) - x[label], with the log-sum-exp computed after
 * subtracting the row maximum, so logits of ±1e4 give a finite loss (a separate softmax would round tiny
 * probabilities to 0 and take log 0). The gradient is the famously simple dL/dx = (p - onehot(label)) / N.
 */
public final class CrossEntropyLoss implements Loss<int[]> {
    private Tensor probabilities;
    private Tensor gradient;
    private int[] labels;

    @Override
    public float forward(Tensor logits, int[] labels) {
        logits.shape().requireRank(2, "CrossEntropyLoss", "N, K");
        int n = logits.dim(0);
        int k = logits.dim(1);
        if (labels.length != n) {
            throw new IllegalArgumentException("CrossEntropyLoss: " + labels.length + " labels for a batch of " + n
                    + " rows (logits shape " + logits.shape() + ")");
        }
        Tensor p = Tensor.reuse(probabilities, logits.shape());
        float[] x = logits.data();
        double total = 0;
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException("CrossEntropyLoss: label " + labels[i] + " of sample " + i
                        + " is out of range for " + k + " classes (0.." + (k - 1) + ")");
            }
            double logSumExp = SoftmaxRows.softmax(x, i * k, k, p.data(), i * k);
            total += logSumExp - x[i * k + labels[i]];
        }
        this.probabilities = p;
        if (this.labels == null || this.labels.length != n) {
            this.labels = new int[n];
        }
        System.arraycopy(labels, 0, this.labels, 0, n);
        return (float) (total / n);
    }

    @Override
    public Tensor backward() {
        Tensor g = Tensor.reuse(gradient, probabilities.shape());
        g.copyFrom(probabilities);
        gradient = g;
        int n = g.dim(0);
        int k = g.dim(1);
        float[] d = g.data();
        for (int i = 0; i < n; i++) {
            d[i * k + labels[i]] -= 1f;
        }
        for (int i = 0; i < d.length; i++) {
            d[i] /= n;
        }
        return g;
    }
}
