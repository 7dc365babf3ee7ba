package org.cnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SoftmaxDropoutTest {

    @Test
    void softmaxMatchesPyTorchAndRowsSumToOne() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 1000, -1000, 0}, 2, 3);
        Tensor y = new Softmax().forward(x, Mode.EVAL);
        assertArrayEquals(new float[] {0.09003057f, 0.24472847f, 0.66524096f, 1f, 0f, 0f}, y.data(), 1e-6f);
        Tensor r = Tensor.randn(Shape.of(4, 7), 30f, 3);
        Tensor p = new Softmax().forward(r, Mode.EVAL);
        for (int i = 0; i < 4; i++) {
            double sum = 0;
            for (int j = 0; j < 7; j++) {
                assertTrue(p.get(i, j) >= 0f);
                sum += p.get(i, j);
            }
            assertEquals(1.0, sum, 1e-6);
        }
    }

    @Test
    void dropoutZeroesAboutPAndScalesTheRest() {
        Dropout d = new Dropout(0.25, 11);
        Tensor x = Tensor.full(Shape.of(100, 100), 2f);
        Tensor y = d.forward(x, Mode.TRAIN);
        int zeros = 0;
        for (float v : y.data()) {
            if (v == 0f) {
                zeros++;
            } else {
                assertEquals(2f / 0.75f, v, 1e-6f);
            }
        }
        assertEquals(2500, zeros, 200);
        // backward uses the same mask: the gradient is zero exactly where the output was
        Tensor dx = d.backward(Tensor.full(x.shape(), 1f));
        for (int i = 0; i < y.size(); i++) {
            assertEquals(y.data()[i] / 2f, dx.data()[i], 1e-6f);
        }
    }

    @Test
    void dropoutIsTheIdentityInEvalMode() {
        Dropout d = new Dropout(0.5, 1);
        Tensor x = Tensor.randn(Shape.of(3, 4), 1f, 2);
        assertSame(x, d.forward(x, Mode.EVAL));
        Tensor g = Tensor.randn(Shape.of(3, 4), 1f, 3);
        assertSame(g, d.backward(g));
    }

    @Test
    void dropoutMasksAreSeededAndFreezable() {
        Tensor x = Tensor.full(Shape.of(8, 8), 1f);
        assertArrayEquals(new Dropout(0.5, 9).forward(x, Mode.TRAIN).data(),
                new Dropout(0.5, 9).forward(x, Mode.TRAIN).data());
        Dropout d = new Dropout(0.5, 9);
        float[] first = d.forward(x, Mode.TRAIN).data().clone(); // the layer reuses its output tensor
        d.setMaskFrozen(true);
        assertArrayEquals(first, d.forward(x, Mode.TRAIN).data());
        d.setMaskFrozen(false);
        assertTrue(!java.util.Arrays.equals(first, d.forward(x, Mode.TRAIN).data()));
    }

    @Test
    void dropoutEdgeProbabilities() {
        Tensor x = Tensor.full(Shape.of(5, 5), 3f);
        assertArrayEquals(x.data(), new Dropout(0, 1).forward(x, Mode.TRAIN).data());
        assertArrayEquals(new float[25], new Dropout(1, 1).forward(x, Mode.TRAIN).data());
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5));
    }
}
