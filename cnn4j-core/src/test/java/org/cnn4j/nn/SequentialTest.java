package org.cnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cnn4j.init.Init;
import org.cnn4j.kernel.Parallel;
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

    @Test
    void nestedContainersNameTheirParametersLikePyTorch() {
        Sequential m = new Sequential(Shape.of(2, 4, 4), new Conv2d(2, 3, 1, 1, 0, 1, false),
                new Residual(new Sequential(new Conv2d(3, 3, 3, 1, 1, 1, false), new BatchNorm2d(3)),
                        new Conv2d(3, 3, 1)),
                new Concat(new Sequential(new ReLU(), new Conv2d(3, 2, 1))), new GlobalAvgPool2d());
        assertEquals(List.of("0.weight", "1.body.0.weight", "1.body.1.weight", "1.body.1.bias", "1.body.1.running_mean",
                "1.body.1.running_var", "1.shortcut.weight", "1.shortcut.bias", "2.body.1.weight", "2.body.1.bias"),
                List.copyOf(m.namedParameters().keySet()));
        assertEquals(List.copyOf(m.namedParameters().values()), m.parameters());
        assertEquals(Shape.of(5), m.sampleOutputShape());
    }

    @Test
    void summaryShowsOneRowPerBlockOrTheLayersInside() {
        Init.manualSeed(0);
        Sequential m = new Sequential(Shape.of(2, 8, 8),
                new Residual(new Sequential(new Conv2d(2, 4, 3, 2, 1, 1, false), new BatchNorm2d(4)),
                        new Sequential(new Conv2d(2, 4, 1, 2, 0, 1, false), new BatchNorm2d(4))),
                new ReLU(), new Sequential(new Concat(new Conv2d(4, 2, 3, 1, 1)), new Concat(new Conv2d(6, 2, 1))),
                new GlobalAvgPool2d(), new Linear(8, 3));
        String s = m.summary();
        assertTrue(s.contains("0    Residual(Conv3x3/2-BN; shortcut Conv1x1/2-BN)  [N, 4, 4, 4]      96      1,408"), s);
        assertTrue(s.contains("2.0  Concat(Conv3x3)                                [N, 6, 4, 4]      74"), s);
        assertTrue(s.contains("2.1  Concat(Conv1x1)                                [N, 8, 4, 4]      14"), s);
        assertTrue(s.contains("3    GlobalAvgPool2d                                [N, 8]"), s);
        assertFalse(s.contains("0.body"), s);
        assertTrue(s.contains("Total params: 211"), s); // 72 + 8 + 8 + 8, 74, 14, 27
        String deep = m.summary(2);
        assertTrue(deep.contains("0.body.0        Conv2d(2, 4, kernel=3, stride=2, padding=1, bias=false)  [N, 4, 4, 4]"),
                deep);
        assertTrue(deep.contains("0.shortcut.1    BatchNorm2d(4)"), deep);
        assertTrue(deep.contains("2.1.body        Conv2d(6, 2, kernel=1)"), deep);
        assertThrows(IllegalArgumentException.class, () -> m.summary(0));
    }

    @Test
    void aSequentialInsideAContainerNeedsNoInputShape() {
        Sequential body = new Sequential(new Conv2d(1, 2, 3, 1, 1), new ReLU());
        assertEquals(Shape.of(5, 2, 6, 6), body.forward(Tensor.zeros(5, 1, 6, 6), Mode.EVAL).shape());
        String msg = assertThrows(IllegalStateException.class, body::summary).getMessage();
        assertTrue(msg.contains("without an input shape"), msg);
        assertFalse(body.spec().attrs().containsKey("input"));
    }
    /**
     * Sequential runs a batch norm or a residual connection and the ReLU after it as one pass: its outputs, input
     * gradient and parameter gradients must be bit for bit those of the layers run one by one, in training and in
     * evaluation mode, with NaN, zero and -0 inputs.
     */
    @Test
    void layersFusedWithTheReluAfterThemGiveTheUnfusedResultsBitForBit() {
        for (Mode mode : Mode.values()) {
            Init.manualSeed(3);
            BatchNorm2d bn = new BatchNorm2d(3);
            ReLU relu = new ReLU();
            Residual residual = new Residual(new Sequential(List.of(new Conv2d(3, 3, 3, 1, 1))));
            ReLU relu2 = new ReLU();
            Flatten flatten = new Flatten();
            Linear head = new Linear(3 * 4 * 5, 2);
            Sequential model = new Sequential(Shape.of(3, 4, 5), new Conv2d(3, 3, 3, 1, 1), new ReLU(), bn, relu,
                    residual, relu2, flatten, head);
            bn.parameters().get(0).value().copyFrom(Tensor.randn(Shape.of(3), 1f, 7)); // gamma, some negative
            bn.parameters().get(1).value().copyFrom(Tensor.randn(Shape.of(3), 1f, 8)); // beta
            Tensor x = Tensor.randn(Shape.of(2, 3, 4, 5), 2f, 9);
            x.data()[0] = Float.NaN;
            x.data()[1] = -0f;
            x.data()[2] = 0f;
            assertSameAsLayerByLayer(model, x, Tensor.randn(Shape.of(2, 2), 1f, 10), mode, mode + ": ");
        }
    }

    /**
     * In EVAL mode a Conv2d and the BatchNorm2d after it (and a ReLU) run as one layer: the same bits as the layers
     * one by one, on every path of Conv2d (direct, strided, Winograd, 1x1 in place and by im2col), in a Residual's
     * body and at the end of a model, with the batch split into several groups of images; and a backward pass after
     * it gives the unfolded gradients and leaves the output it returned alone.
     */
    @Test
    void batchNormsFoldedIntoConvolutionsGiveTheLayerByLayerResults() {
        onOneAndTwoThreads(t -> {
            Init.manualSeed(5);
            Sequential model = new Sequential(Shape.of(3, 32, 32),
                    new Conv2d(3, 16, 3, 1, 1), new BatchNorm2d(16), new ReLU(),
                    new Conv2d(16, 32, 3, 2, 1), new BatchNorm2d(32), new ReLU(),
                    new Residual(new Sequential(new Conv2d(32, 32, 3, 1, 1), new BatchNorm2d(32))), new ReLU(),
                    new Conv2d(32, 16, 1, 2, 0), new BatchNorm2d(16), new ReLU(),
                    new Conv2d(16, 8, 1, 1, 0), new BatchNorm2d(8));
            randomStatistics(model);
            Tensor x = Tensor.randn(Shape.of(5, 3, 32, 32), 1f, 9);
            model.forward(x, Mode.EVAL);
            assertTrue(model.foldedLastForward(), "folded");
            assertSameAsLayerByLayer(model, x, Tensor.randn(Shape.of(5, 8, 8, 8), 1f, 10), Mode.EVAL,
                    t + " threads: ");
        });
    }

    /**
     * A Conv2d after a ReLU runs the ReLU's backward on its input gradient: the same bits as the layers one by one,
     * through Winograd, direct and strided input gradients, with the batch split into several groups of images.
     */
    @Test
    void convolutionsRunTheReluBackwardBeforeThemBitForBit() {
        onOneAndTwoThreads(t -> {
            Init.manualSeed(6);
            Sequential model = new Sequential(Shape.of(3, 32, 32),
                    new Conv2d(3, 32, 3, 1, 1), new ReLU(), new Conv2d(32, 32, 3, 1, 1), new ReLU(),
                    new Conv2d(32, 8, 3, 1, 1), new ReLU(), new Conv2d(8, 8, 3, 2, 1), new ReLU(),
                    new MaxPool2d(2), new Flatten(), new Linear(8 * 8 * 8, 3));
            Tensor x = Tensor.randn(Shape.of(9, 3, 32, 32), 1f, 11);
            x.data()[5] = Float.NaN;
            assertSameAsLayerByLayer(model, x, Tensor.randn(Shape.of(9, 3), 1f, 12), Mode.TRAIN, t + " threads: ");
        });
    }

    /**
     * In EVAL mode a Residual whose body ends in a Conv2d and a BatchNorm2d adds the shortcut (and applies the ReLU
     * after it) on the body's output while in cache: the same bits as every layer one by one with the sums written
     * out, with an identity and with a projection shortcut; a backward pass leaves the output alone.
     */
    @Test
    void residualSumsFoldedIntoTheBodyGiveTheLayerByLayerResults() {
        onOneAndTwoThreads(t -> {
            Init.manualSeed(7);
            Sequential body = new Sequential(new Conv2d(16, 16, 3, 1, 1), new BatchNorm2d(16), new ReLU(),
                    new Conv2d(16, 16, 3, 1, 1), new BatchNorm2d(16));
            Sequential strided = new Sequential(new Conv2d(16, 32, 3, 2, 1), new BatchNorm2d(32), new ReLU(),
                    new Conv2d(32, 32, 3, 1, 1), new BatchNorm2d(32));
            Sequential projection = new Sequential(new Conv2d(16, 32, 1, 2, 0), new BatchNorm2d(32));
            Sequential model = new Sequential(Shape.of(16, 32, 32), new Residual(body), new ReLU(),
                    new Residual(strided, projection), new ReLU());
            randomStatistics(model);
            Tensor x = Tensor.randn(Shape.of(9, 16, 32, 32), 1f, 13);
            Tensor out = model.forward(x, Mode.EVAL);
            float[] y = out.data().clone();

            float[] h = reluOfSum(oneByOne(body, x), x.data());
            Tensor ht = new Tensor(Shape.of(9, 16, 32, 32), h);
            float[] expected = reluOfSum(oneByOne(strided, ht), oneByOne(projection, ht).data());
            assertArrayEqualsBits(expected, y, t + " threads: output");
            model.backward(Tensor.randn(out.shape(), 1f, 14));
            assertArrayEqualsBits(y, out.data(), t + " threads: output after backward");
        });
    }

    /** The layers of s called one by one in EVAL mode, none fused. */
    private static Tensor oneByOne(Sequential s, Tensor x) {
        Tensor h = x;
        for (Layer layer : s.layers()) {
            h = layer.forward(h, Mode.EVAL);
        }
        return h;
    }

    private static float[] reluOfSum(Tensor a, float[] b) {
        float[] y = new float[b.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.max(a.data()[i] + b[i], 0f);
        }
        return y;
    }

    /** Runs check with Parallel set to 1 thread, then 2, and restores the count. */
    private static void onOneAndTwoThreads(java.util.function.IntConsumer check) {
        int threads = Parallel.threads();
        try {
            for (int t : new int[] {1, 2}) {
                Parallel.setThreads(t);
                check.accept(t);
            }
        } finally {
            Parallel.setThreads(threads);
        }
    }

    /** Folded or not, a batch norm whose channels do not match the convolution's output says so. */
    @Test
    void aFoldedBatchNormChecksItsChannels() {
        Sequential model = new Sequential(new Conv2d(1, 4, 3, 1, 1), new BatchNorm2d(2));
        for (Mode mode : Mode.values()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.forward(Tensor.zeros(3, 1, 5, 5), mode));
            assertTrue(e.getMessage().contains("expects 2 channels but got 4"), mode + ": " + e.getMessage());
        }
    }

    /** Running statistics and affine parameters away from 0 and 1 in every BatchNorm2d, nested ones included. */
    private static void randomStatistics(Layer layer) {
        randomStatistics(layer, 20);
    }

    private static long randomStatistics(Layer layer, long seed) {
        if (layer instanceof BatchNorm2d bn) {
            Shape c = Shape.of(bn.channels());
            bn.runningMean().value().copyFrom(Tensor.randn(c, 0.5f, seed++));
            bn.runningVar().value().copyFrom(Tensor.randn(c, 0.3f, seed++).addInPlace(Tensor.full(c, 1f)));
            bn.parameters().get(0).value().copyFrom(Tensor.randn(c, 1f, seed++));
            bn.parameters().get(1).value().copyFrom(Tensor.randn(c, 1f, seed++));
        }
        for (Layer child : layer.children().values()) {
            seed = randomStatistics(child, seed);
        }
        return seed;
    }

    /**
     * The model's forward and backward pass (output, input gradient, parameter gradients) give the same bits as its
     * layers called one by one.
     */
    private static void assertSameAsLayerByLayer(Sequential model, Tensor x, Tensor g, Mode mode, String what) {
        Tensor out = model.forward(x, mode);
        float[] y = out.data().clone();
        float[] dx = model.backward(g).data().clone();
        assertArrayEqualsBits(y, out.data(), what + "output after backward");
        List<float[]> grads = model.parameters().stream().map(p -> p.grad().data().clone()).toList();
        model.zeroGrad();
        Tensor h = x;
        for (Layer layer : model.layers()) {
            h = layer.forward(h, mode);
        }
        Tensor d = g;
        for (int i = model.layers().size() - 1; i >= 0; i--) {
            d = model.layers().get(i).backward(d);
        }
        assertArrayEqualsBits(h.data(), y, what + "output");
        assertArrayEqualsBits(d.data(), dx, what + "input gradient");
        for (int i = 0; i < grads.size(); i++) {
            assertArrayEqualsBits(model.parameters().get(i).grad().data(), grads.get(i), what + "gradient " + i);
        }
    }

    /** The same bits, except that a NaN may come out with another sign or payload (any NaN matches any NaN). */
    private static void assertArrayEqualsBits(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]), what + " at " + i
                    + ": " + expected[i] + " vs " + actual[i]);
        }
    }
}
