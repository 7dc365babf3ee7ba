package org.cnn4j.optim;

import java.util.List;
import org.cnn4j.nn.Parameter;

/**
 * AdamW (Loshchilov and Hutter, 2019), exactly as torch.optim.AdamW (without amsgrad): {@link Adam} with the weight
 * decay decoupled from the gradient. At each step, before Adam's update (m, v and the step, from the plain
 * gradient g):
 *
 * <pre>
 *   w = w * (1 - lr * weightDecay)
 * </pre>
 *
 * Adam's L2 penalty adds weightDecay * w to g, so the decay is divided by sqrt(v) like the rest of the gradient,
 * and weights with large gradients are hardly decayed at all; AdamW shrinks every weight by the same fraction.
 * The decay applies to every trainable parameter given (biases and batch norm's gamma and beta too, as PyTorch
 * does when handed model.parameters()).
 */
public final class AdamW extends Adam {

    /** AdamW with PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0.01. */
    public AdamW(List<Parameter> params) {
        this(params, 1e-3);
    }

    /** With PyTorch's default weight decay 0.01. */
    public AdamW(List<Parameter> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0.01);
    }

    public AdamW(List<Parameter> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        super(params, lr, beta1, beta2, eps, weightDecay, true);
    }
}
