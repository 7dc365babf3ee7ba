package org.cnn4j.loss;

import org.cnn4j.tensor.Tensor;

/**
 * A training objective: one number saying how far a batch of predictions is from its targets, and its gradient
 * with respect to the predictions, which is where backpropagation through the network starts.
 *
 * @param <T> what the targets are: class labels ({@code int[]}) for {@link CrossEntropyLoss}, a tensor shaped like
 *            the predictions for {@link MSELoss}
 */
public interface Loss<T> {

    /** The loss of a batch (a mean, as PyTorch's default reduction); caches what backward needs. */
    float forward(Tensor prediction, T target);

    /**
     * dL/dprediction for the most recent forward, shaped like the prediction. The tensor belongs to the loss and is
     * rewritten by its next backward, as a layer's results are (see {@link org.cnn4j.nn.Layer}).
     */
    Tensor backward();
}
