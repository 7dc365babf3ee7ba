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
