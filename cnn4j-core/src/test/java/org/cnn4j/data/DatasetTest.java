package org.cnn4j.data;

import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DatasetTest {
    /** n images of 1 x 2 x 2 whose pixels all equal the sample index, label = index % 3. */
    static Dataset tiny(int n) {
        Tensor images = Tensor.zeros(n, 1, 2, 2);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(images.data(), 4 * i, 4 * i + 4, i);
            labels[i] = i % 3;
        }
        return Dataset.of(images, labels);
    }

    @Test
    void basics() {
        Dataset d = tiny(7);
        assertEquals(7, d.size());
        assertEquals(Shape.of(1, 2, 2), d.sampleShape());
        assertEquals(3, d.numClasses());
        assertArrayEquals(new int[] {3, 2, 2}, d.classCounts());
        assertArrayEquals(new float[] {5, 5, 5, 5}, d.image(5).data());
    }

    @Test
    void subsetPicksInOrderAndKeepsClasses() {
        Dataset s = tiny(7).subset(new int[] {6, 0, 6});
        assertEquals(3, s.size());
        assertEquals(3, s.numClasses());
        assertArrayEquals(new int[] {0, 0, 0}, s.labels());
        assertArrayEquals(new float[] {6, 6, 6, 6}, s.image(2).data());
        assertThrows(IndexOutOfBoundsException.class, () -> tiny(2).subset(new int[] {2}));
    }

    @Test
    void copiesItsInputs() {
        Tensor images = Tensor.zeros(1, 1, 1, 1);
        int[] labels = {0};
        Dataset d = Dataset.of(images, labels);
        images.data()[0] = 9;
        labels[0] = 5;
        assertEquals(0f, d.image(0).data()[0]);
        assertEquals(0, d.label(0));
    }

    @Test
    void rejectsBadLabels() {
        assertThrows(IllegalArgumentException.class, () -> Dataset.of(Tensor.zeros(1, 1, 1, 1), new int[] {-1}));
        assertThrows(IllegalArgumentException.class, () -> Dataset.of(Tensor.zeros(2, 1, 1, 1), new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> Dataset.of(Tensor.zeros(1, 1, 1, 1), new int[] {3}, 3));
    }
}
