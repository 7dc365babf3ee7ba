package org.cnn4j.optim;

/**
 * Raises the learning rate linearly from {@code startFactor * baseLr} towards the base rate over
 * {@code warmupSteps} steps, then follows {@code after}, started afresh at its own step 0. Large rates at the very
 * start of training, when the weights are random, can make it diverge; a short warm-up avoids that.
 *
 * <p>The same as PyTorch's SequentialLR([LinearLR(start_factor, total_iters=warmupSteps), after],
 * milestones=[warmupSteps]): lr(step) = baseLr * (startFactor + (1 - startFactor) * step / warmupSteps) for
 * step &lt; warmupSteps, then after.lr(baseLr, step - warmupSteps).
 */
public record LinearWarmup(int warmupSteps, double startFactor, LrSchedule after) implements LrSchedule {

    public LinearWarmup {
        if (warmupSteps <= 0 || !(startFactor > 0 && startFactor <= 1) || after == null) {
            throw new IllegalArgumentException("LinearWarmup: warm-up steps must be positive and the start factor in"
                    + " (0, 1], got " + warmupSteps + ", " + startFactor);
        }
    }

    @Override
    public double lr(double baseLr, int step) {
        if (step < warmupSteps) {
            return baseLr * (startFactor + (1 - startFactor) * step / warmupSteps);
        }
        return after.lr(baseLr, step - warmupSteps);
    }
}
