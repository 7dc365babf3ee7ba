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
    /** Every array made by {@link #newState()}, in order: what a checkpoint saves. */
    private final List<float[]> state = new ArrayList<>();
    private double lr;
    private long steps;

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
    public final void step() {
        steps++;
        update(steps);
    }

    /** The update rule: one step, the t-th (counted from 1), from the parameters' current gradients. */
    protected abstract void update(long t);

    /** Number of steps taken so far. */
    public final long steps() {
        return steps;
    }

    /**
     * The optimizer's state arrays (momentum buffers, moment estimates), in a fixed order; the live arrays, not
     * copies. With {@link #steps()}, this is everything a checkpoint needs to continue training exactly.
     */
    public final List<float[]> state() {
        return Collections.unmodifiableList(state);
    }

    /** Restores what {@link #state()} and {@link #steps()} returned, from an optimizer of the same kind. */
    public final void restoreState(List<float[]> saved, long steps) {
        if (saved.size() != state.size() || steps < 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " keeps " + state.size()
                    + " state arrays, not " + saved.size() + (steps < 0 ? " (and steps " + steps + ")" : ""));
        }
        for (int i = 0; i < saved.size(); i++) {
            if (saved.get(i).length != state.get(i).length) {
                throw new IllegalArgumentException(getClass().getSimpleName() + " state array " + i + " holds "
                        + state.get(i).length + " values, not " + saved.get(i).length);
            }
        }
        for (int i = 0; i < saved.size(); i++) {
            System.arraycopy(saved.get(i), 0, state.get(i), 0, saved.get(i).length);
        }
        this.steps = steps;
    }

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
            this.state.add(state[i]);
        }
        return state;
    }
}
