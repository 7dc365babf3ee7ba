package org.cnn4j.optim;

/**
 * A learning rate that changes over training, as a pure function of the step number, in the manner of PyTorch's
 * torch.optim.lr_scheduler (closed forms). A step is whatever the caller counts: an epoch (call
 * {@link #apply} once at the start of each epoch) or an iteration (call it before each batch); the schedule's
 * sizes are in the same unit. Steps count from 0; step 0 gives the base rate, except while warming up
 * ({@link LinearWarmup}) and in {@link OneCycleLR}, where the base rate is the peak.
 */
public interface LrSchedule {

    /** The learning rate at {@code step} (0, 1, 2, ...) for an optimizer whose starting rate is {@code baseLr}. */
    double lr(double baseLr, int step);

    /** Sets the optimizer's learning rate to this schedule's value at {@code step}. */
    default void apply(Optimizer optimizer, double baseLr, int step) {
        optimizer.setLearningRate(lr(baseLr, step));
    }

    /** The base rate at every step. */
    static LrSchedule constant() {
        return (baseLr, step) -> baseLr;
    }
}
