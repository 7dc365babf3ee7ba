package org.cnn4j.optim;

/**
 * The one-cycle policy (Smith and Topin, 2019) with the closed form of torch.optim.lr_scheduler.OneCycleLR and
 * cosine annealing: over {@code totalSteps} steps the rate climbs from baseLr / divFactor up to baseLr, then falls
 * to baseLr / (divFactor * finalDivFactor), far below where it started. The optimizer's base rate plays the part of
 * PyTorch's max_lr. The short high-rate phase acts as a regularizer and lets training finish in fewer epochs.
 *
 * <p>Each phase runs between two step numbers s0 and s1 and rates a and b, with
 * lr(step) = b + (a - b) * (1 + cos(pi * (step - s0) / (s1 - s0))) / 2. As in PyTorch, the phases end at steps
 * {@code pctStart * totalSteps - 1} (the peak) and {@code totalSteps - 1} (the minimum); with {@code threePhase}
 * the rate first comes back down to the start at {@code 2 * pctStart * totalSteps - 2} and only then falls to the
 * minimum. Defaults as in PyTorch: pctStart 0.3, divFactor 25, finalDivFactor 1e4, two phases.
 *
 * <p>PyTorch also cycles the momentum (Adam's beta1) against the rate by default; this schedule sets only the rate,
 * as PyTorch's OneCycleLR(cycle_momentum=False). PyTorch refuses to step past totalSteps, and so does this schedule.
 */
public record OneCycleLR(int totalSteps, double pctStart, double divFactor, double finalDivFactor, boolean threePhase)
        implements LrSchedule {

    public OneCycleLR {
        if (totalSteps <= 0 || !(pctStart > 0 && pctStart < 1) || !(divFactor > 0) || !(finalDivFactor > 0)
                || Double.isInfinite(divFactor) || Double.isInfinite(finalDivFactor)) {
            throw new IllegalArgumentException("OneCycleLR: total steps must be positive, pctStart in (0, 1) and the"
                    + " division factors positive, got " + totalSteps + ", " + pctStart + ", " + divFactor + ", "
                    + finalDivFactor);
        }
    }

    /** PyTorch's defaults: 30% of the steps rising, from baseLr / 25 to baseLr, then down to baseLr / 25e4. */
    public OneCycleLR(int totalSteps) {
        this(totalSteps, 0.3, 25, 1e4, false);
    }

    @Override
    public double lr(double baseLr, int step) {
        if (step < 0 || step >= totalSteps) {
            throw new IllegalArgumentException("OneCycleLR: step " + step + " is outside the " + totalSteps
                    + " steps of the cycle");
        }
        double initial = baseLr / divFactor;
        double min = initial / finalDivFactor;
        double peakEnd = pctStart * totalSteps - 1;
        double[] ends = threePhase ? new double[] {peakEnd, 2 * pctStart * totalSteps - 2, totalSteps - 1}
                : new double[] {peakEnd, totalSteps - 1};
        double[] rates = threePhase ? new double[] {initial, baseLr, initial, min} : new double[] {initial, baseLr, min};
        double start = 0;
        for (int i = 0; i < ends.length; i++) {
            if (step <= ends[i] || i == ends.length - 1) {
                double pct = (step - start) / (ends[i] - start);
                return rates[i + 1] + (rates[i] - rates[i + 1]) * (1 + Math.cos(Math.PI * pct)) / 2;
            }
            start = ends[i];
        }
        throw new AssertionError("unreachable: the last phase takes every step");
    }
}
