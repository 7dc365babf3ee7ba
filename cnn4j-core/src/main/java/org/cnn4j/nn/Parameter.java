package org.cnn4j.nn;

import java.util.Arrays;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * A tensor a layer owns, with the gradient that backward accumulates into it.
 * Trainable parameters (weights, biases) are updated by optimizers; the others are state saved
 * with the model but not trained (PyTorch's buffers, such as batch norm's running mean).
 */
public final class Parameter {
    /** Values the parameters made on this thread may still take, or null for no limit (see {@link #withinBudget}). */
    private static final ThreadLocal<long[]> BUDGET = new ThreadLocal<>();

    private final String name;
    private final Tensor value;
    private final Tensor grad;
    private final boolean trainable;

    public Parameter(String name, Tensor value, boolean trainable) {
        long[] left = budget(name, value.shape());
        if (left != null) {
            left[0] -= value.size();
        }
        this.name = name;
        this.value = value;
        this.grad = Tensor.zeros(value.shape());
        this.trainable = trainable;
    }

    public static Parameter trainable(String name, Shape shape) {
        budget(name, shape); // checked before the value is allocated
        return new Parameter(name, Tensor.zeros(shape), true);
    }

    /**
     * Runs {@code build} allowing the parameters it makes on this thread at most {@code values} values in all; a
     * parameter beyond that throws IllegalArgumentException before its weights are allocated. A model file's reader
     * rebuilds the architecture this way, so that a file cannot make it allocate more than the weights it holds.
     */
    public static <T> T withinBudget(long values, java.util.function.Supplier<T> build) {
        long[] outer = BUDGET.get();
        BUDGET.set(new long[] {values});
        try {
            return build.get();
        } finally {
            BUDGET.set(outer);
        }
    }

    /** This thread's budget (null: none), after checking that a parameter of this shape fits in it. */
    private static long[] budget(String name, Shape shape) {
        long[] left = BUDGET.get();
        if (left != null && shape.size() > left[0]) {
            throw new IllegalArgumentException("parameter " + name + " " + Arrays.toString(shape.dims())
                    + " needs more values than the model's data holds");
        }
        return left;
    }

    public static Parameter buffer(String name, Tensor value) {
        return new Parameter(name, value, false);
    }

    public String name() {
        return name;
    }

    public Tensor value() {
        return value;
    }

    public Tensor grad() {
        return grad;
    }

    public boolean isTrainable() {
        return trainable;
    }

    public Shape shape() {
        return value.shape();
    }

    /** Number of trainable values among {@code params} (weights and biases, not buffers). */
    public static long trainableCount(java.util.List<Parameter> params) {
        long n = 0;
        for (Parameter p : params) {
            n += p.isTrainable() ? p.value().size() : 0;
        }
        return n;
    }

    public void zeroGrad() {
        grad.fill(0f);
    }

    @Override
    public String toString() {
        return name + value.shape();
    }
}
