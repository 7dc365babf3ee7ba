package org.cnn4j.nn;

import static org.cnn4j.nn.GradAssertions.assertPassed;

import org.cnn4j.init.Init;
import org.cnn4j.tensor.Shape;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Gradient checks of every layer, for the input and every trainable parameter, on small random shapes. */
class GradCheckLayersTest {
    private final GradCheck check = new GradCheck();

    @BeforeEach
    void seed() {
        Init.manualSeed(42);
    }

    private void passes(Layer layer, int... inputShape) {
        assertPassed(check.check(layer, Shape.of(inputShape), 7));
    }

    @Test
    void activations() {
        passes(new ReLU(), 2, 3, 4, 5);
        passes(new LeakyReLU(), 3, 7);
        passes(new LeakyReLU(0.2), 2, 3, 5);
        passes(new Sigmoid(), 4, 6);
        passes(new Tanh(), 2, 2, 3, 3);
    }

    @Test
    void linear() {
        passes(new Linear(5, 3), 4, 5);
        passes(new Linear(7, 2, false), 3, 7);
    }

    @Test
    void conv2dPlain() {
        passes(new Conv2d(2, 3, 3), 2, 2, 6, 5);
    }

    @Test
    void conv2dStridePaddingDilation() {
        passes(new Conv2d(2, 3, 3, 2, 1), 2, 2, 7, 6);
        passes(new Conv2d(2, 2, 3, 1, 2, 2, true), 1, 2, 7, 7);
        passes(new Conv2d(3, 2, 2, 3, 1, 2, false), 2, 3, 8, 7);
    }

    @Test
    void conv2dOneByOneAndRectangular() {
        passes(new Conv2d(3, 4, 1), 2, 3, 4, 5);
        passes(new Conv2d(3, 2, 1, 2, 0), 2, 3, 5, 5);
        passes(new Conv2d(2, 3, 2, 3, 1, 1, 1, true), 2, 2, 5, 6);
        passes(new Conv2d(2, 2, 3, 1, 2, 0, 1, false), 1, 2, 7, 5);
    }

    @Test
    void maxPool() {
        passes(new MaxPool2d(2), 2, 3, 6, 6);
        passes(new MaxPool2d(3, 2), 2, 2, 7, 6);
        passes(new MaxPool2d(3, 2, 1), 1, 2, 6, 7);
        passes(new MaxPool2d(2, 1), 1, 2, 5, 5);
        passes(new MaxPool2d(3, 2, 1, 1, true), 2, 2, 6, 6);
        passes(new MaxPool2d(2, 2, 1, 2, true), 1, 2, 7, 6);
        passes(new MaxPool2d(2, 2, 0, 1, true), 1, 2, 5, 5);
    }

    @Test
    void avgPool() {
        passes(new AvgPool2d(2), 2, 3, 6, 6);
        passes(new AvgPool2d(3, 2), 2, 2, 7, 6);
        for (boolean ceil : new boolean[] {false, true}) {
            for (boolean countPad : new boolean[] {false, true}) {
                passes(new AvgPool2d(3, 2, 1, ceil, countPad), 1, 2, 6, 7);
                passes(new AvgPool2d(2, 2, 1, ceil, countPad), 2, 1, 5, 6);
            }
        }
    }

    @Test
    void flattenSoftmax() {
        passes(new Flatten(), 2, 3, 2, 2);
        passes(new Softmax(), 3, 5);
        passes(new Softmax(), 2, 2, 4);
    }

    @Test
    void dropoutWithFrozenMask() {
        Dropout d = new Dropout(0.3, 5);
        d.setMaskFrozen(true);
        passes(d, 4, 6);
    }

    @Test
    void batchNormTrainingUsesBatchStatistics() {
        passes(new BatchNorm1d(3), 5, 3);
        passes(new BatchNorm2d(2), 3, 2, 4, 3);
    }

    @Test
    void batchNormEvaluationUsesRunningStatistics() {
        BatchNorm2d bn = new BatchNorm2d(3);
        bn.runningMean().value().copyFrom(org.cnn4j.tensor.Tensor.of(new float[] {0.2f, -0.3f, 0.1f}, 3));
        bn.runningVar().value().copyFrom(org.cnn4j.tensor.Tensor.of(new float[] {0.5f, 2f, 1.5f}, 3));
        assertPassed(check.check(bn, GradCheck.kinkFreeInput(Shape.of(2, 3, 3, 3), 3), Mode.EVAL, 7));
        BatchNorm1d bn1 = new BatchNorm1d(4);
        assertPassed(check.check(bn1, GradCheck.kinkFreeInput(Shape.of(3, 4), 3), Mode.EVAL, 7));
    }

    @Test
    void sequentialCnn() {
        Sequential model = new Sequential(Shape.of(2, 6, 6),
                new Conv2d(2, 3, 3, 1, 1), new Tanh(), new MaxPool2d(2),
                new Conv2d(3, 4, 2), new LeakyReLU(0.1), new AvgPool2d(2, 1, 1, true, false),
                new Flatten(), new Linear(36, 5), new Sigmoid(), new Linear(5, 3));
        passes(model, 2, 2, 6, 6);
    }
}
