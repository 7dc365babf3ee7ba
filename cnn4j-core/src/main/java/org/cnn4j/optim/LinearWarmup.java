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

    /**
     * Warm-up then cosine annealing, the usual schedule for training with large batches or AdamW: the rate rises
     * linearly from {@code startFactor * baseLr} over {@code warmupSteps} steps, then falls along half a cosine to
     * {@code etaMin} at {@code totalSteps}, PyTorch's SequentialLR([LinearLR(startFactor, total_iters=warmupSteps),
     * CosineAnnealingLR(T_max=totalSteps - warmupSteps, eta_min=etaMin)], milestones=[warmupSteps]).
     */
    public static LinearWarmup thenCosine(int warmupSteps, int totalSteps, double startFactor, double etaMin) {
        if (totalSteps <= warmupSteps) {
            throw new IllegalArgumentException("LinearWarmup.thenCosine: the " + warmupSteps + " warm-up steps leave"
                    + " none of the " + totalSteps + " steps for the cosine");
        }
        return new LinearWarmup(warmupSteps, startFactor, new CosineAnnealingLR(totalSteps - warmupSteps, etaMin));
    }

    @Override
    public double lr(double baseLr, int step) {
        if (step < warmupSteps) {
            return baseLr * (startFactor + (1 - startFactor) * step / warmupSteps);
        }
        return after.lr(baseLr, step - warmupSteps);
    }
}
