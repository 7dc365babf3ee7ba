package org.cnn4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cnn4j.init.Init;
import org.cnn4j.nn.Mode;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ZooTest {
    private static final Shape MNIST = Shape.of(1, 28, 28);

    @Test
    void referenceModelsHaveTheDesignedSizes() {
        // counted by hand from the design notes' layer lists (weights + biases, batch norm's gamma and beta)
        assertEquals(784 * 256 + 256 + 512 + 256 * 256 + 256 + 512 + 256 * 10 + 10, Zoo.create("mlp", MNIST, 10).parameterCount());
        assertEquals(156 + 2416 + 48120 + 10164 + 850, Zoo.create("lenet5", MNIST, 10).parameterCount());
        assertEquals(320 + 9248 + 18496 + 36928 + 31370, Zoo.create("seed-cnn", MNIST, 10).parameterCount());
        assertEquals(18_320_512, Zoo.create("seed-cnn", MNIST, 10).multiplyAdds(MNIST.prepend(1)));
    }

    @Test
    void everyModelMapsABatchToLogits() {
        Init.manualSeed(4);
        for (String name : Zoo.names()) {
            Sequential m = Zoo.create(name, MNIST, 10);
            assertEquals(Shape.of(10), m.sampleOutputShape(), name);
            Tensor y = m.forward(Tensor.randn(MNIST.prepend(3), 1f, 1), Mode.EVAL);
            assertEquals(Shape.of(3, 10), y.shape(), name);
        }
        assertEquals(Shape.of(7), Zoo.create("seed-cnn", Shape.of(3, 32, 32), 7).sampleOutputShape());
    }

    @Test
    void unknownNamesAndWrongInputsGiveClearErrors() {
        String msg = assertThrows(IllegalArgumentException.class, () -> Zoo.create("resnet9000", MNIST, 10)).getMessage();
        assertEquals("unknown model 'resnet9000' (choose from mlp, lenet5, seed-cnn)", msg);
        Sequential m = Zoo.create("seed-cnn", MNIST, 10);
        msg = assertThrows(IllegalArgumentException.class,
                () -> m.forward(Tensor.zeros(2, 3, 28, 28), Mode.EVAL)).getMessage();
        assertTrue(msg.contains("[N, 1, 28, 28]") && msg.contains("[2, 3, 28, 28]"), msg);
    }
}
