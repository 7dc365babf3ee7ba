package org.cnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.function.Supplier;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * backwardParameters (backward without the input gradient, as a model's first layers run it) gives exactly the
 * parameter gradients of backward, on each path that skips work: Linear, Conv2d direct at stride 1 and 2, Conv2d by
 * GEMM (1x1, and padding beyond the kernel's reach), and Sequential, which stops at its first layer with parameters.
 */
class BackwardParametersTest {

    @Test
    void sameParameterGradientsAsBackward() {
        check("Linear", () -> new Linear(12, 5), Shape.of(3, 12));
        check("Conv2d stride 1", () -> new Conv2d(3, 8, 3, 1, 1), Shape.of(2, 3, 9, 7));
        check("Conv2d stride 2", () -> new Conv2d(3, 8, 3, 2, 1), Shape.of(2, 3, 9, 7));
        check("Conv2d 1x1", () -> new Conv2d(3, 8, 1), Shape.of(2, 3, 5, 6));
        check("Conv2d padded beyond its reach", () -> new Conv2d(2, 4, 3, 1, 3), Shape.of(2, 2, 5, 5));
        check("Sequential, Flatten first", () -> new Sequential(new Flatten(), new Linear(2 * 4 * 4, 6), new ReLU(),
                new Linear(6, 3)), Shape.of(3, 2, 4, 4));
        check("Sequential CNN", () -> new Sequential(new Conv2d(1, 4, 3, 1, 1), new BatchNorm2d(4), new ReLU(),
                new MaxPool2d(2), new Flatten(), new Linear(4 * 3 * 3, 5)), Shape.of(4, 1, 6, 6));
    }

    /** Two copies of one layer (same seeded initialization), one run with backward, the other with backwardParameters. */
    private static void check(String what, Supplier<Layer> make, Shape input) {
        Layer full = make.get();
        Layer partial = make.get();
        List<Parameter> pf = full.parameters();
        List<Parameter> pp = partial.parameters();
        for (int i = 0; i < pf.size(); i++) { // He initialization draws new weights for each layer: copy them
            System.arraycopy(pf.get(i).value().data(), 0, pp.get(i).value().data(), 0, pf.get(i).value().size());
        }
        Tensor x = Tensor.randn(input, 1f, 3);
        Tensor y = full.forward(x, Mode.TRAIN);
        partial.forward(x, Mode.TRAIN);
        Tensor g = Tensor.randn(y.shape(), 1f, 4);
        full.backward(g);
        partial.backwardParameters(g);
        assertEquals(pf.size(), pp.size(), what);
        for (int i = 0; i < pf.size(); i++) {
            float[] expected = pf.get(i).grad().data();
            if (pf.get(i).isTrainable()) {
                assertNotEquals(0f, sumOfSquares(expected), what + ": " + pf.get(i).name() + " got no gradient");
            }
            assertArrayEquals(expected, pp.get(i).grad().data(), what + ": gradient of " + pf.get(i).name());
        }
    }

    private static float sumOfSquares(float[] a) {
        float s = 0;
        for (float v : a) {
            s += v * v;
        }
        return s;
    }
}
