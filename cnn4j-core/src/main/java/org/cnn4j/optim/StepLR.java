package org.cnn4j.optim;

/**
 * Multiplies the learning rate by {@code gamma} every {@code stepSize} steps, as torch.optim.lr_scheduler.StepLR:
 * lr(step) = baseLr * gamma^floor(step / stepSize). For example StepLR(30, 0.1) over epochs gives 0.1 of the base
 * rate from epoch 30, 0.01 from epoch 60.
 */
public record StepLR(int stepSize, double gamma) implements LrSchedule {

    public StepLR {
        if (stepSize <= 0 || !(gamma > 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("StepLR: step size must be positive and gamma positive, got "
                    + stepSize + ", " + gamma);
        }
    }

    @Override
    public double lr(double baseLr, int step) {
        return baseLr * Math.pow(gamma, step / stepSize);
    }
}
