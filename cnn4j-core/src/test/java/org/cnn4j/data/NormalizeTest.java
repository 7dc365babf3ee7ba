package org.cnn4j.data;

import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NormalizeTest {
    @Test
    void oneValueForAllChannels() {
        Tensor t = Tensor.of(new float[] {0f, 0.1307f, 0.4388f, 1f}, 1, 1, 2, 2);
        Normalize.MNIST.apply(t);
        assertArrayEquals(new float[] {-0.1307f / 0.3081f, 0f, 1f, (1 - 0.1307f) / 0.3081f}, t.data(), 1e-5f);
    }

    @Test
    void perChannelOnBatchAndSingleImage() {
        Normalize n = Normalize.perChannel(new float[] {1f, 2f}, new float[] {1f, 0.5f});
        Tensor batch = Tensor.of(new float[] {1, 1, 3, 3, 2, 2, 4, 4}, 2, 2, 1, 2);
        n.apply(batch);
        assertArrayEquals(new float[] {0, 0, 2, 2, 1, 1, 4, 4}, batch.data());
        Tensor image = Tensor.of(new float[] {2, 2}, 2, 1, 1);
        assertArrayEquals(new float[] {1, 0}, n.apply(image).data());
        assertThrows(IllegalArgumentException.class, () -> n.apply(Tensor.zeros(1, 3, 1, 1)));
        assertThrows(IllegalArgumentException.class, () -> Normalize.of(0f, 0f));
    }
}
