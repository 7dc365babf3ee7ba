package org.cnn4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The ReLU's backward pass: the plain loop keeps g exactly where y > 0 (NaN and infinity included) and gives +0
 * elsewhere; the vector kernel gives the plain loop's bits on odd ranges, in place too, before and after the JIT has
 * compiled it, and leaves the values outside the range alone.
 */
class ReluTest {
    @Test
    void thePlainLoopKeepsTheGradientWhereTheOutputIsPositive() {
        float[] y = {0f, 2f, Float.NaN, Float.POSITIVE_INFINITY, 1e-45f, 0f, 3f};
        float[] g = {5f, -1.5f, 2f, Float.NaN, -0f, -4f, Float.NEGATIVE_INFINITY};
        float[] dx = new float[y.length];
        new Relu.Scalar().gradient(y, g, dx, 0, y.length);
        assertArrayEquals(new float[] {0f, -1.5f, 2f, Float.NaN, -0f, 0f, Float.NEGATIVE_INFINITY}, dx);
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(dx[5]), "a blocked -4 gives +0");
    }

    @Test
    void theVectorKernelGivesThePlainLoopsBits() {
        SplittableRandom r = new SplittableRandom(3);
        VectorRelu vector = new VectorRelu();
        Relu.Scalar plain = new Relu.Scalar();
        for (int call = 0; call < 2_000; call++) { // the first few interpreted, the last compiled
            for (int len : new int[] {0, 1, 7, 15, 16, 17, 33, 65, 200}) {
                int from = call % 3;
                float[] y = outputs(r, from + len + 2);
                float[] g = gradients(r, y.length);
                float[] want = gradients(r, y.length);
                float[] got = want.clone();
                plain.gradient(y, g, want, from, from + len);
                vector.gradient(y, g, got, from, from + len);
                assertSameBits(want, got, "len " + len + ", from " + from + ", call " + call);
                float[] inPlace = g.clone();
                vector.gradient(y, inPlace, inPlace, from, from + len);
                plain.gradient(y, g, g, from, from + len);
                assertSameBits(g, inPlace, "in place, len " + len + ", from " + from + ", call " + call);
            }
        }
    }

    /** A ReLU's outputs: +0 about half the time, positive values, now and then NaN or infinity. */
    private static float[] outputs(SplittableRandom r, int n) {
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(20);
            y[i] = kind == 0 ? Float.NaN
                    : kind == 1 ? Float.POSITIVE_INFINITY
                    : kind < 11 ? 0f : (float) r.nextDouble();
        }
        return y;
    }

    private static float[] gradients(SplittableRandom r, int n) {
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            g[i] = r.nextInt(10) == 0 ? -0f : (float) r.nextGaussian();
        }
        return g;
    }

    private static void assertSameBits(float[] want, float[] got, String what) {
        for (int i = 0; i < want.length; i++) {
            assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]), what + ", index " + i);
        }
    }
}
