package org.cnn4j.optim;

import java.util.List;
import org.cnn4j.nn.Parameter;

/**
 * Adam (Kingma and Ba, 2015), exactly as torch.optim.Adam (without amsgrad). Each weight gets its own step size
 * from running averages of its gradient (m, the first moment) and squared gradient (v, the second moment).
 * For each weight w with gradient g, at step t = 1, 2, ...:
 *
 * <pre>
 *   g = g + weightDecay * w                      (L2 penalty folded into the gradient, not AdamW's decoupled decay)
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g * g
 *   w = w - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 *
 * m and v start at zero, so early on they are biased towards zero; dividing by (1 - beta^t) corrects that.
 * As in PyTorch, eps is added after the square root of the bias-corrected v. {@link AdamW} differs only in how
 * the weight decay is applied.
 */
public sealed class Adam extends Optimizer permits AdamW {
    private final double beta1;
    private final double beta2;
    private final float eps;
    private final float weightDecay;
    /** AdamW's rule: decay the weights directly instead of adding the decay to the gradient. */
    private final boolean decoupled;
    private final float[][] m;
    private final float[][] v;

    /** Adam with PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay. */
    public Adam(List<Parameter> params) {
        this(params, 1e-3);
    }

    public Adam(List<Parameter> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0);
    }

    public Adam(List<Parameter> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        this(params, lr, beta1, beta2, eps, weightDecay, false);
    }

    /** @param decoupled true for AdamW's decoupled weight decay, false for Adam's L2 penalty */
    Adam(List<Parameter> params, double lr, double beta1, double beta2, double eps, double weightDecay,
            boolean decoupled) {
        super(params, lr);
        String name = getClass().getSimpleName();
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException(name + ": betas must be in [0, 1) but are " + beta1 + ", " + beta2);
        }
        if (!(eps >= 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException(name + ": invalid eps " + eps + " or weight decay " + weightDecay);
        }
        this.decoupled = decoupled;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = (float) eps;
        this.weightDecay = (float) weightDecay;
        this.m = newState();
        this.v = newState();
    }

    @Override
    protected final void update(long t) {
        // the scalars are computed in double, as PyTorch does in Python, then used in float32 arithmetic
        float stepSize = (float) (learningRate() / (1 - Math.pow(beta1, t)));
        float correction2Sqrt = (float) Math.sqrt(1 - Math.pow(beta2, t));
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float oneMinusB1 = (float) (1 - beta1);
        float oneMinusB2 = (float) (1 - beta2);
        float l2 = decoupled ? 0f : weightDecay;
        float keep = decoupled ? (float) (1 - learningRate() * weightDecay) : 1f;
        List<Parameter> params = parameters();
        for (int k = 0; k < params.size(); k++) {
            float[] w = params.get(k).value().data();
            float[] g = params.get(k).grad().data();
            float[] mk = m[k];
            float[] vk = v[k];
            for (int i = 0; i < w.length; i++) {
                w[i] *= keep;
                float gi = g[i] + l2 * w[i];
                mk[i] = b1 * mk[i] + oneMinusB1 * gi;
                vk[i] = b2 * vk[i] + oneMinusB2 * gi * gi;
                float denom = (float) Math.sqrt(vk[i]) / correction2Sqrt + eps;
                w[i] -= stepSize * (mk[i] / denom);
            }
        }
    }

    /** PyTorch-style: Adam(lr=0.002, betas=(0.9, 0.999), eps=1e-08, weight_decay=0). */
    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%s(lr=%.3g, betas=(%s, %s), eps=%s, weight_decay=%s)",
                getClass().getSimpleName(), learningRate(), beta1, beta2, eps, weightDecay);
    }
}
