package org.cnn4j.optim;

/**
 * Lowers the learning rate from the base rate to {@code etaMin} along half a cosine over {@code tMax} steps, with
 * the closed form of torch.optim.lr_scheduler.CosineAnnealingLR:
 *
 * <pre>
 *   lr(step) = etaMin + (baseLr - etaMin) * (1 + cos(pi * step / tMax)) / 2
 * </pre>
 *
 * The rate falls slowly at first, fastest half way, and slowly again near the end. As in PyTorch, the formula is
 * periodic: past {@code tMax} steps the rate rises again, so set {@code tMax} to the length of training.
 */
public record CosineAnnealingLR(int tMax, double etaMin) implements LrSchedule {

    public CosineAnnealingLR {
        if (tMax <= 0 || !(etaMin >= 0) || Double.isInfinite(etaMin)) {
            throw new IllegalArgumentException("CosineAnnealingLR: tMax must be positive and etaMin non-negative, got "
                    + tMax + ", " + etaMin);
        }
    }

    /** Annealing down to zero. */
    public CosineAnnealingLR(int tMax) {
        this(tMax, 0);
    }

    @Override
    public double lr(double baseLr, int step) {
        return etaMin + (baseLr - etaMin) * (1 + Math.cos(Math.PI * step / tMax)) / 2;
    }
}
