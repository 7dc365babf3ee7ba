package org.cnn4j.loss;

import static org.cnn4j.nn.GradAssertions.assertPassed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cnn4j.nn.GradCheck;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Values against PyTorch (printed by torch.nn 1.13 for the same inputs), gradient checks, stability, errors. */
class LossTest {
    private final GradCheck check = new GradCheck();

    @Test
    void crossEntropyMatchesPyTorch() {
        CrossEntropyLoss ce = new CrossEntropyLoss();
        Tensor logits = Tensor.of(new float[] {1, 2, 3, 1000, -1000, 0}, 2, 3);
        assertEquals(1000.2037963867188, ce.forward(logits, new int[] {2, 1}), 1e-3);
        // (softmax - onehot) / N
        assertArrayEquals(new float[] {0.04501529f, 0.12236424f, -0.16737952f, 0.5f, -0.5f, 0f},
                ce.backward().data(), 1e-6f);
    }

    @Test
    void crossEntropyIsStableForHugeLogits() {
        CrossEntropyLoss ce = new CrossEntropyLoss();
        Tensor logits = Tensor.of(new float[] {1e4f, -1e4f, 0, -1e4f, -1e4f, -1e4f, 1e4f, 1e4f, -1e4f}, 3, 3);
        float loss = ce.forward(logits, new int[] {1, 0, 0});
        // PyTorch: (2e4 + ln 3 + ln 2) / 3
        assertEquals((2e4 + Math.log(3) + Math.log(2)) / 3, loss, 1e-2);
        for (float g : ce.backward().data()) {
            assertTrue(Float.isFinite(g));
        }
        assertEquals(0f, ce.forward(Tensor.of(new float[] {1e4f, -1e4f}, 1, 2), new int[] {0}));
    }

    @Test
    void crossEntropyGradient() {
        Tensor logits = Tensor.randn(Shape.of(4, 5), 2f, 1);
        assertPassed(check.checkLoss(new CrossEntropyLoss(), logits, new int[] {0, 4, 2, 2}));
    }

    @Test
    void crossEntropyRejectsBadLabels() {
        CrossEntropyLoss ce = new CrossEntropyLoss();
        Tensor logits = Tensor.zeros(2, 10);
        String msg = assertThrows(IllegalArgumentException.class, () -> ce.forward(logits, new int[] {3, 10}))
                .getMessage();
        assertTrue(msg.contains("label 10") && msg.contains("10 classes"), msg);
        assertThrows(IllegalArgumentException.class, () -> ce.forward(logits, new int[] {-1, 0}));
        msg = assertThrows(IllegalArgumentException.class, () -> ce.forward(logits, new int[] {1})).getMessage();
        assertTrue(msg.contains("1 labels") && msg.contains("[2, 10]"), msg);
        msg = assertThrows(IllegalArgumentException.class, () -> ce.forward(Tensor.zeros(2, 1, 10), new int[] {1, 2}))
                .getMessage();
        assertTrue(msg.contains("[2, 1, 10]"), msg);
    }

    @Test
    void mseMatchesPyTorchAndChecksShapes() {
        MSELoss mse = new MSELoss();
        Tensor target = Tensor.of(new float[] {0, 2, 5}, 3);
        assertEquals(1.6666666f, mse.forward(Tensor.of(new float[] {1, 2, 3}, 3), target), 1e-6f);
        assertArrayEquals(new float[] {2f / 3, 0f, -4f / 3}, mse.backward().data(), 1e-6f);
        String msg = assertThrows(IllegalArgumentException.class,
                () -> mse.forward(Tensor.zeros(3, 1), target)).getMessage();
        assertTrue(msg.contains("[3, 1]") && msg.contains("[3]"), msg);
    }

    @Test
    void mseGradient() {
        Shape s = Shape.of(3, 4);
        assertPassed(check.checkLoss(new MSELoss(), Tensor.randn(s, 1f, 2), Tensor.randn(s, 1f, 3)));
    }
}
