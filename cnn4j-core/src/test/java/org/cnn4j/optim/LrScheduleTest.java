package org.cnn4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.cnn4j.nn.Parameter;
import org.cnn4j.tensor.Shape;
import org.junit.jupiter.api.Test;

/** Learning-rate schedules at several steps, computed by hand from their closed forms. */
class LrScheduleTest {
    private static final double EPS = 1e-12;

    @Test
    void stepLR() {
        StepLR s = new StepLR(3, 0.1);
        double[] expected = {1, 1, 1, 0.1, 0.1, 0.1, 0.01, 0.01};
        for (int step = 0; step < expected.length; step++) {
            assertEquals(expected[step], s.lr(1.0, step), EPS, "step " + step);
        }
        assertEquals(0.05 * 0.5 * 0.5, new StepLR(10, 0.5).lr(0.05, 25), EPS);
        assertThrows(IllegalArgumentException.class, () -> new StepLR(0, 0.1));
    }

    @Test
    void cosineAnnealing() {
        CosineAnnealingLR s = new CosineAnnealingLR(4, 0.01);
        assertEquals(0.1, s.lr(0.1, 0), EPS);
        // cos(pi/4) = sqrt(2)/2
        assertEquals(0.01 + 0.09 * (1 + Math.sqrt(0.5)) / 2, s.lr(0.1, 1), EPS);
        assertEquals(0.01 + 0.09 / 2, s.lr(0.1, 2), EPS);
        assertEquals(0.01 + 0.09 * (1 - Math.sqrt(0.5)) / 2, s.lr(0.1, 3), EPS);
        assertEquals(0.01, s.lr(0.1, 4), EPS);
        assertEquals(s.lr(0.1, 3), s.lr(0.1, 5), EPS, "periodic past tMax, as PyTorch's closed form");
        assertEquals(0.0, new CosineAnnealingLR(10).lr(0.1, 10), EPS);
    }

    @Test
    void linearWarmupThenSchedule() {
        LinearWarmup s = new LinearWarmup(4, 0.2, new StepLR(2, 0.5));
        assertEquals(0.2, s.lr(1.0, 0), EPS);
        assertEquals(0.4, s.lr(1.0, 1), EPS);
        assertEquals(0.6, s.lr(1.0, 2), EPS);
        assertEquals(0.8, s.lr(1.0, 3), EPS);
        assertEquals(1.0, s.lr(1.0, 4), EPS);
        assertEquals(1.0, s.lr(1.0, 5), EPS);
        assertEquals(0.5, s.lr(1.0, 6), EPS);
        assertThrows(IllegalArgumentException.class, () -> new LinearWarmup(4, 0, LrSchedule.constant()));
    }

    /** Rates printed by PyTorch 1.13 for an optimizer with lr 0.1, stepping the scheduler after each step. */
    private static void assertRates(double[] torch, LrSchedule s) {
        for (int step = 0; step < torch.length; step++) {
            assertEquals(torch[step], s.lr(0.1, step), 1e-15, "step " + step);
        }
    }

    @Test
    void oneCycle() {
        // by hand, 10 steps: up from 0.1 / 25 to 0.1 over steps 0..2 (0.3 * 10 - 1), down to 0.004 / 1e4 at step 9
        OneCycleLR s = new OneCycleLR(10);
        assertEquals(0.004, s.lr(0.1, 0), EPS);
        assertEquals(0.1 + (0.004 - 0.1) / 2, s.lr(0.1, 1), EPS);
        assertEquals(0.1, s.lr(0.1, 2), EPS);
        assertEquals(4e-7 + (0.1 - 4e-7) * (1 + Math.cos(Math.PI * 3 / 7)) / 2, s.lr(0.1, 5), EPS);
        assertEquals(4e-7, s.lr(0.1, 9), EPS);
        // OneCycleLR(max_lr=0.1, total_steps=10, cycle_momentum=False)
        assertRates(new double[] {0.0040000000000000036, 0.052000000000000005, 0.1, 0.09504846320134738,
                0.0811745653949763, 0.06112620219362893, 0.03887419780637107, 0.0188258346050237, 0.004951936798652629,
                4e-07}, s);
        // ... three_phase=True, pct_start=0.25, div_factor=10, final_div_factor=100: the peak at step 1.5
        assertRates(new double[] {0.009999999999999995, 0.07749999999999999, 0.0775, 0.01, 0.009336825748732971,
                0.007525000000000001, 0.005050000000000001, 0.0025750000000000013, 0.0007631742512670285, 0.0001},
                new OneCycleLR(10, 0.25, 10, 100, true));
        assertThrows(IllegalArgumentException.class, () -> s.lr(0.1, 10));
        assertThrows(IllegalArgumentException.class, () -> new OneCycleLR(10, 1.0, 25, 1e4, false));
    }

    @Test
    void warmupThenCosine() {
        LinearWarmup s = LinearWarmup.thenCosine(3, 8, 0.1, 0.001);
        assertEquals(0.01, s.lr(0.1, 0), EPS);
        assertEquals(0.1, s.lr(0.1, 3), EPS);
        assertEquals(0.001 + 0.099 * (1 + Math.cos(Math.PI / 5)) / 2, s.lr(0.1, 4), EPS);
        // SequentialLR([LinearLR(start_factor=0.1, total_iters=3), CosineAnnealingLR(T_max=5, eta_min=0.001)],
        // milestones=[3])
        assertRates(new double[] {0.010000000000000002, 0.04, 0.07, 0.1, 0.0905463412215599, 0.06579634122155989,
                0.035203658778440096, 0.010453658778440105}, s);
        assertThrows(IllegalArgumentException.class, () -> LinearWarmup.thenCosine(5, 5, 0.1, 0));
    }

    @Test
    void applySetsTheOptimizerRate() {
        SGD sgd = new SGD(List.of(Parameter.trainable("w", Shape.of(1))), 0.1);
        LrSchedule s = new StepLR(1, 0.5);
        s.apply(sgd, 0.1, 2);
        assertEquals(0.025, sgd.learningRate(), EPS);
        LrSchedule.constant().apply(sgd, 0.1, 7);
        assertEquals(0.1, sgd.learningRate(), EPS);
    }
}
