package org.cnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cnn4j.init.Init;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SequentialTest {

    @Test
    void shapesAreCheckedWhenTheModelIsBuilt() {
        String msg = assertThrows(IllegalArgumentException.class, () -> new Sequential(Shape.of(1, 28, 28),
                new Conv2d(1, 8, 3), new ReLU(), new Flatten(), new Linear(999, 10))).getMessage();
        assertTrue(msg.startsWith("layer 3 (Linear):"), msg);
        assertTrue(msg.contains("(N, 999)") && msg.contains("[1, 5408]"), msg);
        msg = assertThrows(IllegalArgumentException.class,
                () -> new Sequential(Shape.of(3, 8, 8), new Conv2d(1, 4, 3))).getMessage();
        assertTrue(msg.contains("1 input channels but got 3"), msg);
    }

    @Test
    void summaryListsLayersShapesParametersAndMultiplyAdds() {
        Init.manualSeed(0);
        Sequential m = new Sequential(Shape.of(1, 8, 8), new Conv2d(1, 4, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(64, 10));
        String s = m.summary();
        assertTrue(s.contains("Conv2d(1, 4, kernel=3, padding=1)  [N, 4, 8, 8]"), s);
        assertTrue(s.contains("MaxPool2d(kernel=2)"), s);
        assertTrue(s.contains("Linear(64, 10)"), s);
        assertTrue(s.contains("Total params: 690"), s); // 4*9+4 + 64*10+10
        assertTrue(s.contains("Mult-adds per sample: 2,944"), s); // 4*64*9 + 640
        assertEquals(690, m.parameterCount());
    }

    @Test
    void namesParametersLikePyTorchStateDicts() {
        Sequential m = new Sequential(Shape.of(4), new Linear(4, 3), new BatchNorm1d(3), new ReLU(), new Linear(3, 2));
        assertEquals(java.util.List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                "3.weight", "3.bias"), java.util.List.copyOf(m.namedParameters().keySet()));
        Tensor y = m.forward(Tensor.randn(Shape.of(5, 4), 1f, 3), Mode.TRAIN);
        assertEquals(Shape.of(5, 2), y.shape());
        assertEquals(Shape.of(5, 4), m.backward(Tensor.full(y.shape(), 1f)).shape());
    }
}
