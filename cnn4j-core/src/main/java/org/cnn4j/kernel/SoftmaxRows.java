package org.cnn4j.kernel;

/**
 * Softmax of one row, p_j = e^(x_j) / sum_k e^(x_k), computed stably: subtracting the row maximum m first gives
 * the same p (the factor e^-m cancels) but every exponent is at most 0, so nothing overflows even for logits of
 * 1e4, and the largest term is exactly 1, so the sum never underflows to 0.
 */
public final class SoftmaxRows {
    private SoftmaxRows() {
    }

    /**
     * Writes the softmax of {@code x[xOff .. xOff+k)} into {@code p[pOff .. pOff+k)} and returns the row's
     * log-sum-exp, log(sum_k e^(x_k)) = m + log(sum_k e^(x_k - m)), so log p_j = x_j - logSumExp.
     */
    public static double softmax(float[] x, int xOff, int k, float[] p, int pOff) {
        float m = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            m = Math.max(m, x[xOff + j]);
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
            sum += Math.exp(x[xOff + j] - m);
        }
        double logSum = Math.log(sum);
        for (int j = 0; j < k; j++) {
            p[pOff + j] = (float) Math.exp(x[xOff + j] - m - logSum);
        }
        return m + logSum;
    }
}
