package org.cnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Batch norm on values far from zero (1000 + N(0, 1)): the normalization must subtract the mean before it scales,
 * or the result cancels away digits (folded into y = a * x + b, b nearly cancels a * x: errors of 3e-4 where the
 * formula as written gives 1e-6).
 */
class BatchNormOffsetTest {

    @Test
    void evalModeNormalizesLargeValuesToFloatPrecision() {
        BatchNorm2d bn = new BatchNorm2d(3);
        Tensor x = Tensor.randn(Shape.of(4, 3, 5, 5), 1f, 7);
        float[] xd = x.data();
        for (int i = 0; i < xd.length; i++) {
            xd[i] += 1000f;
        }
        float[] mean = bn.runningMean().value().data();
        float[] var = bn.runningVar().value().data();
        float[] gamma = bn.parameters().get(0).value().data();
        float[] beta = bn.parameters().get(1).value().data();
        for (int c = 0; c < 3; c++) {
            mean[c] = 1000f + 0.1f * c;
            var[c] = 0.5f + c;
            gamma[c] = 1.5f - c;
            beta[c] = 0.25f * c;
        }
        float[] y = bn.forward(x, Mode.EVAL).data();
        for (int i = 0; i < xd.length; i++) {
            int c = (i / 25) % 3;
            double expected = gamma[c] * ((double) xd[i] - mean[c]) / Math.sqrt(var[c] + 1e-5) + beta[c];
            assertEquals(expected, y[i], 1e-5, "value " + i);
        }
    }
}
