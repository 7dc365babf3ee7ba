package org.cnn4j.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.cnn4j.nn.Parameter;

/**
 * Updates the trainable parameters of a model from their gradients, following PyTorch's torch.optim rules so
 * results can be checked against PyTorch. One training iteration is:
 *
 * <pre>
 *   optimizer.zeroGrad();              // gradients accumulate, so clear them first
 *   model.forward(...); model.backward(...);
 *   optimizer.step();                  // move each weight a little against its gradient
 * </pre>
 *
 * Buffers ({@link Parameter#isTrainable()} false, such as batch norm's running mean) are left alone. Subclasses keep
 * their per-parameter state (momentum, moment estimates) in float arrays parallel to each parameter's data, so a
 * step allocates nothing. All parameters are updated with the same learning rate (PyTorch's single param group).
 */
public abstract class Optimizer {
    private final List<Parameter> params;
    private double lr;

    /** @param parameters the parameters to update; buffers among them are skipped */
    protected Optimizer(List<Parameter> parameters, double lr) {
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Parameter> trainable = new ArrayList<>();
        for (Parameter p : parameters) {
            if (!seen.add(p)) {
                throw new IllegalArgumentException("parameter " + p + " is listed twice");
            }
            if (p.isTrainable()) {
                trainable.add(p);
            }
        }
        this.params = List.copyOf(trainable);
        setLearningRate(lr);
    }

    /** Applies one update to every trainable parameter from its current gradient. */
    public abstract void step();

    /** Sets the gradient of every trainable parameter to zero. */
    public void zeroGrad() {
        for (Parameter p : params) {
            p.zeroGrad();
        }
    }

    public final double learningRate() {
        return lr;
    }

    /** Changes the learning rate for the following steps (learning-rate schedules use this). */
    public final void setLearningRate(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("invalid learning rate: " + lr);
        }
        this.lr = lr;
    }

    /** The trainable parameters this optimizer updates, in order. */
    public List<Parameter> parameters() {
        return params;
    }

    /** One zeroed float array per trainable parameter, each as long as the parameter's data: optimizer state. */
    protected final float[][] newState() {
        float[][] state = new float[params.size()][];
        for (int i = 0; i < state.length; i++) {
            state[i] = new float[params.get(i).value().size()];
        }
        return state;
    }
}
