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
 * GEMM (1x1, and padding beyond the kernel's reach), Sequential, which stops at its first layer with parameters (the
 * layers before it must run no backward at all), and Residual and Concat, which pass it on to their branches.
 */
class BackwardParametersTest {
    private static boolean inBackwardParameters;

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
        check("Residual first", () -> new Sequential(new NoBackward(), new Residual(new Sequential(
                new Conv2d(2, 4, 3, 1, 1), new ReLU(), new Conv2d(4, 2, 3, 1, 1))), new Flatten(),
                new Linear(2 * 5 * 5, 3)), Shape.of(2, 2, 5, 5));
        check("Residual with a projection first", () -> new Residual(new Conv2d(2, 4, 3, 2, 1),
                new Conv2d(2, 4, 1, 2, 0)), Shape.of(2, 2, 6, 6));
        check("Concat first", () -> new Sequential(new NoBackward(), new Concat(new Sequential(new BatchNorm2d(2),
                new ReLU(), new Conv2d(2, 3, 3, 1, 1))), new Flatten(), new Linear(5 * 4 * 4, 2)), Shape.of(3, 2, 4, 4));
        check("nested Sequential first", () -> new Sequential(new NoBackward(), new Sequential(new NoBackward(),
                new Linear(6, 4)), new ReLU(), new Linear(4, 2)), Shape.of(3, 6));
    }

    /** A Sequential with nothing to learn, or nothing at all, runs no backward. */
    @Test
    void noParametersNoBackward() {
        Sequential none = new Sequential(new NoBackward(), new NoBackward());
        Sequential empty = new Sequential();
        inBackwardParameters = true;
        try {
            none.forward(Tensor.randn(Shape.of(2, 3), 1f, 1), Mode.TRAIN);
            none.backwardParameters(Tensor.randn(Shape.of(2, 3), 1f, 2));
            empty.forward(Tensor.randn(Shape.of(2, 3), 1f, 1), Mode.TRAIN);
            empty.backwardParameters(Tensor.randn(Shape.of(2, 3), 1f, 2));
        } finally {
            inBackwardParameters = false;
        }
        assertEquals(2, none.firstLayerWithParameters());
    }

    /**
     * The identity, whose backward fails the test during backwardParameters (and only then: the copy the gradients
     * are compared with runs the full backward): before the first layer with parameters nothing runs backward.
     */
    private static final class NoBackward implements Layer {
        @Override
        public Tensor forward(Tensor input, Mode mode) {
            return input;
        }

        @Override
        public Tensor backward(Tensor gradOutput) {
            if (inBackwardParameters) {
                throw new AssertionError("backward ran before the first layer with parameters");
            }
            return gradOutput;
        }

        @Override
        public Shape outputShape(Shape input) {
            return input;
        }

        @Override
        public LayerSpec spec() {
            return LayerSpec.of("NoBackward");
        }
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
        inBackwardParameters = true;
        try {
            partial.backwardParameters(g);
        } finally {
            inBackwardParameters = false;
        }
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
