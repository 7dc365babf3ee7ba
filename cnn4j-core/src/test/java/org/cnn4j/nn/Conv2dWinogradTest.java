package org.cnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cnn4j.kernel.Parallel;
import org.cnn4j.kernel.Winograd;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Conv2d's forward, input gradient and weight gradient where {@link Winograd} computes them (3x3, stride 1, at
 * least 12 channels in and out; the weight gradient from 32), against the definitions as plain loops: outputs that are not whole 4x4 tiles, padding 1 (the input
 * gradient's padding 1 too) and 0 (the input gradient's 2), with bias, on one thread and split between two.
 */
class Conv2dWinogradTest {
    private final int threadsBefore = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(threadsBefore);
    }

    @Test
    void forwardAndInputGradientAgreeWithTheDefinitions() {
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            check(new Conv2d(16, 12, 3, 1, 1), 3, 9, 7);
            check(new Conv2d(12, 48, 3, 1, 0), 2, 10, 11);
            check(new Conv2d(32, 33, 3, 1, 1), 3, 6, 9); // the weight gradient too
        }
    }

    private static void check(Conv2d conv, int batch, int h, int w) {
        int c = conv.weight().value().dim(1);
        int m = conv.weight().value().dim(0);
        int pad = conv.outputShape(Shape.of(1, c, h, w)).dim(2) == h ? 1 : 0;
        int oh = h + 2 * pad - 2;
        int ow = w + 2 * pad - 2;
        assertTrue(Winograd.pays(c, m, h, w, 3, 3, 1, 1, pad, pad), "forward by Winograd");
        assertTrue(Winograd.pays(m, c, oh, ow, 3, 3, 1, 1, 2 - pad, 2 - pad), "input gradient by Winograd");
        assertEquals(c >= 32, Winograd.paysForWeights(c, m, 3, 3, 1, 1, pad, pad), "weight gradient by Winograd");
        conv.bias().value().copyFrom(Tensor.randn(Shape.of(m), 1f, 3));
        Tensor x = Tensor.randn(Shape.of(batch, c, h, w), 1f, 1);
        Tensor g = Tensor.randn(Shape.of(batch, m, oh, ow), 1f, 2);
        conv.weight().zeroGrad();
        float[] y = conv.forward(x, Mode.TRAIN).data();
        float[] dx = conv.backward(g).data();
        float[] dw = conv.weight().grad().data();
        float[] wd = conv.weight().value().data();
        float[] b = conv.bias().value().data();
        double[] yRef = new double[y.length];
        double[] dxRef = new double[dx.length];
        double[] dwRef = new double[dw.length];
        for (int n = 0; n < batch; n++) {
            for (int oc = 0; oc < m; oc++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        int o = ((n * m + oc) * oh + oy) * ow + ox;
                        yRef[o] = b[oc];
                        for (int ic = 0; ic < c; ic++) {
                            for (int i = 0; i < 3; i++) {
                                for (int j = 0; j < 3; j++) {
                                    int iy = oy + i - pad;
                                    int ix = ox + j - pad;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                        int xi = ((n * c + ic) * h + iy) * w + ix;
                                        int wi = ((oc * c + ic) * 3 + i) * 3 + j;
                                        yRef[o] += wd[wi] * x.data()[xi];
                                        dxRef[xi] += wd[wi] * g.data()[o];
                                        dwRef[wi] += (double) g.data()[o] * x.data()[xi];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        double scale = Math.sqrt(9.0 * Math.max(c, m)); // the sums' typical size
        for (int i = 0; i < y.length; i++) {
            assertEquals(yRef[i], y[i], 1e-4 * scale, conv.spec() + " forward at " + i);
        }
        for (int i = 0; i < dx.length; i++) {
            assertEquals(dxRef[i], dx[i], 1e-4 * scale, conv.spec() + " input gradient at " + i);
        }
        double dwScale = Math.sqrt((double) batch * oh * ow); // sums over the batch's output pixels
        for (int i = 0; i < dw.length; i++) {
            assertEquals(dwRef[i], dw[i], 1e-4 * dwScale, conv.spec() + " weight gradient at " + i);
        }
    }
}
