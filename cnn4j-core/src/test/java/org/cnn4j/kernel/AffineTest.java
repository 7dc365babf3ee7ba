package org.cnn4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Batch norm's element-wise passes: the vector kernel gives the plain loops' bits on odd lengths and offsets, with
 * and without the ReLU floor, NaN included, and leaves the values outside the range alone.
 */
class AffineTest {
    @Test
    void vectorNormalizeGivesThePlainLoopsBits() {
        SplittableRandom r = new SplittableRandom(4);
        VectorAffine vector = new VectorAffine();
        Affine.Scalar plain = new Affine.Scalar();
        for (int len : new int[] {0, 1, 7, 15, 16, 17, 33, 64, 65, 1000}) {
            for (int off : new int[] {0, 3}) {
                for (float floor : new float[] {Float.NEGATIVE_INFINITY, 0f}) {
                    float[] x = values(r, off + len + 2);
                    float[] fast = values(r, x.length);
                    float[] ref = fast.clone();
                    vector.normalize(x, off, len, 1.7f, 0.3f, -0.2f, floor, fast);
                    plain.normalize(x, off, len, 1.7f, 0.3f, -0.2f, floor, ref);
                    assertSameBits(ref, fast, "normalize, len " + len + ", offset " + off + ", floor " + floor);
                }
            }
        }
    }

    @Test
    void vectorGradientGivesThePlainLoopsBits() {
        SplittableRandom r = new SplittableRandom(5);
        VectorAffine vector = new VectorAffine();
        Affine.Scalar plain = new Affine.Scalar();
        for (int len : new int[] {0, 1, 7, 15, 16, 17, 33, 64, 65, 1000}) {
            for (int off : new int[] {0, 3}) {
                float[] g = values(r, off + len + 2);
                float[] x = values(r, g.length);
                float[] fast = values(r, g.length);
                float[] ref = fast.clone();
                vector.normalizeGradient(g, x, off, len, 0.9f, -0.05f, 0.3f, 0.01f, fast);
                plain.normalizeGradient(g, x, off, len, 0.9f, -0.05f, 0.3f, 0.01f, ref);
                assertSameBits(ref, fast, "gradient, len " + len + ", offset " + off);
            }
        }
    }

    /**
     * The same once the JIT has compiled the vector loops (the tests above run them a few times, interpreted), with
     * -0 in and out (b = -0: a ReLU's backward keeps the gradient of y = -0, so max(0, -0) must give +0) and NaN.
     */
    @Test
    void vectorLoopsGiveThePlainLoopsBitsOnceCompiled() {
        SplittableRandom r = new SplittableRandom(6);
        float[] x = values(r, 203);
        for (int i = 0; i < x.length; i += 7) {
            x[i] = -0f;
        }
        VectorAffine vector = new VectorAffine();
        Affine.Scalar plain = new Affine.Scalar();
        float[] ref = new float[x.length];
        float[] fast = new float[x.length];
        float[] refGrad = new float[x.length];
        float[] fastGrad = new float[x.length];
        for (int call = 0; call < 30_000; call++) {
            float floor = call % 2 == 0 ? 0f : Float.NEGATIVE_INFINITY;
            vector.normalize(x, 1, 200, -1.3f, 0f, -0f, floor, fast);
            vector.normalizeGradient(x, x, 2, 199, 0.7f, 0f, 0f, -0f, fastGrad);
            if (call % 1000 == 999) {
                plain.normalize(x, 1, 200, -1.3f, 0f, -0f, floor, ref);
                plain.normalizeGradient(x, x, 2, 199, 0.7f, 0f, 0f, -0f, refGrad);
                assertSameBits(ref, fast, "normalize, call " + call);
                assertSameBits(refGrad, fastGrad, "gradient, call " + call);
            }
        }
    }

    @Test
    void plainLoopsComputeTheFormulas() {
        float[] x = {2f, -1f, Float.NaN, 0.5f};
        float[] y = new float[4];
        new Affine.Scalar().normalize(x, 0, 4, 2f, 1f, 0.5f, Float.NEGATIVE_INFINITY, y);
        assertEquals(2.5f, y[0]);
        assertEquals(-3.5f, y[1]);
        assertEquals(Float.NaN, y[2]);
        assertEquals(-0.5f, y[3]);
        new Affine.Scalar().normalize(x, 0, 4, 2f, 1f, 0.5f, 0f, y);
        assertEquals(0f, y[1]);
        assertEquals(Float.NaN, y[2]);
        float[] dx = new float[4];
        new Affine.Scalar().normalizeGradient(new float[] {1f, 1f, 1f, 1f}, x, 1, 2, 3f, 2f, 1f, -1f, dx);
        assertEquals(0f, dx[0]);
        assertEquals(-2f, dx[1]);
        assertEquals(Float.NaN, dx[2]);
        assertEquals(0f, dx[3]);
    }

    /** The column passes (BatchNorm1d) give each value the bits of the per-value passes, on odd matrix sizes. */
    @Test
    void columnPassesGiveThePerValueBits() {
        SplittableRandom r = new SplittableRandom(8);
        for (int[] size : new int[][] {{1, 1}, {7, 33}, {65, 17}, {3, 257}, {4, 256}}) {
            int rows = size[0];
            int ld = size[1];
            int from = ld / 3;
            int to = ld - ld / 5;
            float[] x = values(r, rows * ld);
            float[] g = values(r, rows * ld);
            float[] a = values(r, ld);
            float[] mean = values(r, ld);
            float[] b = values(r, ld);
            float[] t = values(r, ld);
            float[] expected = new float[rows * ld];
            for (int c = from; c < to; c++) {
                for (int i = 0; i < rows; i++) {
                    Affine.normalize(x, i * ld + c, 1, a[c], mean[c], b[c], 0f, expected);
                }
            }
            float[] expectedGradient = new float[rows * ld];
            for (int c = from; c < to; c++) {
                for (int i = 0; i < rows; i++) {
                    Affine.normalizeGradient(g, x, i * ld + c, 1, a[c], t[c], mean[c], b[c], expectedGradient);
                }
            }
            for (Affine.Kernel kernel : new Affine.Kernel[] {new Affine.Scalar(), new VectorAffine()}) {
                String what = kernel.getClass().getSimpleName() + " " + rows + "x" + ld;
                float[] actual = new float[rows * ld];
                kernel.normalizeColumns(x, rows, ld, from, to, a, mean, b, 0f, actual);
                assertSameBits(expected, actual, "normalizeColumns, " + what);
                actual = new float[rows * ld];
                kernel.normalizeGradientColumns(g, x, rows, ld, from, to, a, t, mean, b, actual);
                assertSameBits(expectedGradient, actual, "normalizeGradientColumns, " + what);
            }
        }
    }

    private static float[] values(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(50) == 0 ? Float.NaN : (float) (r.nextGaussian() * 3);
        }
        return v;
    }

    private static void assertSameBits(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]),
                    what + ", index " + i + ": " + expected[i] + " vs " + actual[i]);
        }
    }
}
