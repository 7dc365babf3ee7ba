package org.cnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Forward values against PyTorch: the expected numbers were printed by torch.nn (1.13) for the same inputs. */
class LayerForwardTest {
    private static final float[] V = {-2f, -0.5f, 0f, 0.5f, 3f};

    private static float[] run(Layer layer, Tensor x) {
        return layer.forward(x, Mode.EVAL).data();
    }

    @Test
    void activations() {
        Tensor x = Tensor.of(V, 5);
        assertArrayEquals(new float[] {0f, 0f, 0f, 0.5f, 3f}, run(new ReLU(), x));
        assertArrayEquals(new float[] {-0.02f, -0.005f, 0f, 0.5f, 3f}, run(new LeakyReLU(), x), 1e-7f);
        assertArrayEquals(new float[] {0.11920292f, 0.37754068f, 0.5f, 0.62245935f, 0.95257413f}, run(new Sigmoid(), x),
                1e-6f);
        assertArrayEquals(new float[] {-0.96402758f, -0.46211717f, 0f, 0.46211717f, 0.99505478f}, run(new Tanh(), x),
                1e-6f);
    }

    @Test
    void sigmoidAndTanhSaturateWithoutNaN() {
        Tensor x = Tensor.of(new float[] {-1e4f, 1e4f}, 2);
        assertArrayEquals(new float[] {0f, 1f}, run(new Sigmoid(), x));
        assertArrayEquals(new float[] {-1f, 1f}, run(new Tanh(), x));
    }

    /** 6x6 plane x[i] = (7i mod 13) - 6: distinct-ish values with ties, so window placement matters. */
    private static Tensor plane6() {
        float[] v = new float[36];
        for (int i = 0; i < 36; i++) {
            v[i] = (7 * i % 13) - 6;
        }
        return Tensor.of(v, 1, 1, 6, 6);
    }

    private static Tensor plane5() {
        float[] v = new float[25];
        for (int i = 0; i < 25; i++) {
            v[i] = i;
        }
        return Tensor.of(v, 1, 1, 5, 5);
    }

    @Test
    void maxPoolCeilModeAndDilation() {
        assertArrayEquals(new float[] {4, 5, 6, 6, 4, 5, 6, 6, 6, 4, 5, 5, 3, 4, 5, 5},
                run(new MaxPool2d(3, 2, 1, 1, true), plane6()));
        assertArrayEquals(new float[] {4, 5, 6, 6, 4, 5, 6, 6, 3, 4, 5, 5, 3, 4, 5, 5},
                run(new MaxPool2d(2, 2, 1, 2, true), plane6()));
    }

    @Test
    void avgPoolDivisorsWithCeilModeAndPadding() {
        assertArrayEquals(new float[] {-0.44444445f, 0.5555556f, 1.2222222f, 1.5f, -0.5555556f, -0.44444445f,
                0.5555556f, 0.16666667f, 0.5555556f, -0.22222222f, 0.7777778f, 1f, -0.16666667f, 0.6666667f,
                1.1666666f, 1.25f}, run(new AvgPool2d(3, 2, 1, true, true), plane6()), 1e-6f);
        assertArrayEquals(new float[] {-1f, 0.8333333f, 1.8333334f, 4.5f, -0.8333333f, -0.44444445f, 0.5555556f,
                0.33333334f, 0.8333333f, -0.22222222f, 0.7777778f, 2f, -0.5f, 1.3333334f, 2.3333333f, 5f},
                run(new AvgPool2d(3, 2, 1, true, false), plane6()), 1e-6f);
        assertArrayEquals(new float[] {0f, 0.75f, 1.75f, 3.75f, 9f, 11f, 8.75f, 19f, 21f},
                run(new AvgPool2d(2, 2, 1, true, true), plane5()), 1e-6f);
        assertArrayEquals(new float[] {0f, 1.5f, 3.5f, 7.5f, 9f, 11f, 17.5f, 19f, 21f},
                run(new AvgPool2d(2, 2, 1, true, false), plane5()), 1e-6f);
        // without padding, a ceil-mode window past the input is cut there, whatever countIncludePad says
        assertArrayEquals(new float[] {3f, 5f, 6.5f, 13f, 15f, 16.5f, 20.5f, 22.5f, 24f},
                run(new AvgPool2d(2, 2, 0, true, true), plane5()), 1e-6f);
    }

    @Test
    void poolingOutputShapes() {
        assertEquals(Shape.of(2, 3, 14, 14), new MaxPool2d(2).outputShape(Shape.of(2, 3, 28, 28)));
        assertEquals(Shape.of(1, 1, 2, 2), new MaxPool2d(2).outputShape(Shape.of(1, 1, 5, 5)));
        assertEquals(Shape.of(1, 1, 3, 3), new MaxPool2d(2, 2, 0, 1, true).outputShape(Shape.of(1, 1, 5, 5)));
        // ceil mode would give 4, but the 4th window would start in the right padding: dropped
        assertEquals(Shape.of(1, 1, 3, 3), new AvgPool2d(2, 2, 1, true, true).outputShape(Shape.of(1, 1, 4, 4)));
    }

    @Test
    void maxPoolBackwardGoesToTheFirstMaximumOnTies() {
        MaxPool2d pool = new MaxPool2d(2, 1);
        pool.forward(Tensor.full(Shape.of(1, 1, 3, 3), 1f), Mode.TRAIN);
        Tensor dx = pool.backward(Tensor.full(Shape.of(1, 1, 2, 2), 1f));
        assertArrayEquals(new float[] {1, 1, 0, 1, 1, 0, 0, 0, 0}, dx.data());
    }

    @Test
    void flattenKeepsTheBatchAndRowMajorOrder() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 1, 2);
        Tensor y = new Flatten().forward(x, Mode.TRAIN);
        assertEquals(Shape.of(2, 4), y.shape());
        assertArrayEquals(x.data(), y.data());
    }

    /** The branch-free ReLU against its definition, on sizes that split between threads or not, with -0 and NaN. */
    @Test
    void reluAgreesWithTheDefinition() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        for (int n : new int[] {1, 7, 33, 65, 200_003}) {
            float[] x = new float[n];
            float[] g = new float[n];
            for (int i = 0; i < n; i++) {
                int kind = r.nextInt(10);
                x[i] = kind == 0 ? 0f : kind == 1 ? -0f : kind == 2 ? Float.NaN : (float) r.nextGaussian();
                g[i] = (float) r.nextGaussian();
            }
            ReLU relu = new ReLU();
            float[] y = relu.forward(Tensor.of(x, n), Mode.TRAIN).data();
            float[] dx = relu.backward(Tensor.of(g, n)).data();
            for (int i = 0; i < n; i++) {
                float want = Float.isNaN(x[i]) ? Float.NaN : x[i] > 0f ? x[i] : 0f;
                assertEquals(want, y[i], "relu(" + x[i] + ")");
                if (!Float.isNaN(x[i])) {
                    assertEquals(x[i] > 0f ? g[i] : 0f, dx[i], "relu'(" + x[i] + ") * " + g[i]);
                }
            }
        }
    }

    /** Layers write into the same output tensor while the shape stays, and make a new one when it changes. */
    @Test
    void outputTensorsAreReusedForTheSameShape() {
        Conv2d conv = new Conv2d(2, 3, 3, 1, 1);
        Tensor a = Tensor.randn(Shape.of(2, 2, 5, 5), 1f, 1);
        Tensor y1 = conv.forward(a, Mode.TRAIN);
        float[] first = y1.data().clone();
        Tensor y2 = conv.forward(Tensor.randn(Shape.of(2, 2, 5, 5), 1f, 2), Mode.TRAIN);
        assertSame(y1, y2);
        Tensor y3 = conv.forward(Tensor.randn(Shape.of(1, 2, 5, 5), 1f, 3), Mode.TRAIN);
        assertEquals(Shape.of(1, 3, 5, 5), y3.shape());
        assertArrayEquals(first, conv.forward(a, Mode.TRAIN).data());
    }
}
