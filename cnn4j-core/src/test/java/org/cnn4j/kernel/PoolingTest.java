package org.cnn4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fast max pooling against the reference on odd sizes, strides, paddings, dilations and ceil mode; the 2x2 average
 * pooling kernels against the general loop.
 */
class PoolingTest {

    @Test
    void maxPoolAgreesWithTheReference() {
        SplittableRandom r = new SplittableRandom(5);
        int cases = 0;
        for (int[] hw : new int[][] {{1, 1}, {7, 5}, {9, 13}, {33, 6}, {65, 3}}) {
            for (int k = 1; k <= 4; k++) {
                for (int s = 1; s <= 3; s++) {
                    for (int pad = 0; pad <= k / 2; pad++) {
                        for (int d = 1; d <= 2; d++) {
                            for (boolean ceil : new boolean[] {false, true}) {
                                int oh = Pooling.outSize(hw[0], k, s, pad, d, ceil);
                                int ow = Pooling.outSize(hw[1], k, s, pad, d, ceil);
                                if (oh > 0 && ow > 0) {
                                    check(r, 3, hw[0], hw[1], k, s, pad, d, oh, ow);
                                    cases++;
                                }
                            }
                        }
                    }
                }
            }
        }
        assertTrue(cases > 200, "cases: " + cases);
    }

    /**
     * The 2x2 stride-2 windows by both kernels, on widths around the vector length (and odd ones, whose last column no
     * window covers), in two plane ranges; the vector kernel also once the JIT has compiled it.
     */
    @Test
    void bothTwoByTwoKernelsAgreeWithTheReference() {
        SplittableRandom r = new SplittableRandom(8);
        for (Pooling.Kernel kernel : new Pooling.Kernel[] {new Pooling.Scalar(), new VectorPooling()}) {
            for (int[] hw : new int[][] {{2, 2}, {3, 3}, {4, 33}, {28, 28}, {14, 14}, {7, 40}, {9, 65}, {2, 70}}) {
                checkTwoByTwo(kernel, r, hw[0], hw[1], 1);
            }
        }
        VectorPooling kernel = new VectorPooling();
        for (int call = 0; call < 3_000; call++) {
            checkTwoByTwo(kernel, r, 6, 28, call);
        }
    }

    private static void checkTwoByTwo(Pooling.Kernel kernel, SplittableRandom r, int h, int w, int call) {
        int planes = 3;
        int oh = h / 2;
        int ow = w / 2;
        float[] x = values(r, planes * h * w);
        float[] yRef = new float[planes * oh * ow];
        int[] aRef = new int[yRef.length];
        ReferencePooling.maxPool(x, planes, h, w, 2, 2, 2, 2, 0, 0, 1, 1, oh, ow, yRef, aRef);
        float[] y = new float[yRef.length];
        int[] a = new int[yRef.length];
        Arrays.fill(y, 42f);
        Arrays.fill(a, 42);
        kernel.maxPool2x2(x, 0, 1, h, w, oh, ow, y, a);
        kernel.maxPool2x2(x, 1, planes, h, w, oh, ow, y, a);
        String what = kernel.getClass().getSimpleName() + String.format(" h=%d w=%d, call %d", h, w, call);
        assertArrayEquals(aRef, a, what);
        assertArrayEquals(yRef, y, what);
    }

    /**
     * 2x2 stride-2 average pooling, forward and backward, by both kernels against the general loop: the same sums in
     * the same order, so the same floats (and the same infinities and NaNs); the vector kernel also once compiled.
     */
    @Test
    void bothTwoByTwoAverageKernelsAgreeWithTheGeneralLoop() {
        SplittableRandom r = new SplittableRandom(9);
        for (Pooling.Kernel kernel : new Pooling.Kernel[] {new Pooling.Scalar(), new VectorPooling()}) {
            for (int[] hw : new int[][] {{2, 2}, {3, 3}, {4, 33}, {32, 32}, {16, 16}, {7, 40}, {9, 65}, {2, 70}}) {
                for (boolean backward : new boolean[] {false, true}) {
                    checkAverage(kernel, backward, r, hw[0], hw[1], 1);
                }
            }
        }
        VectorPooling kernel = new VectorPooling();
        for (int call = 0; call < 3_000; call++) {
            checkAverage(kernel, call % 2 == 1, r, 6, 28, call);
        }
    }

    /**
     * Pooling.avgPool, which sends 2x2 stride-2 unpadded windows that all lie inside the image to the kernel, against
     * the general loop on the same windows: floor and ceil mode (a ceil-mode last window of an odd size runs past
     * the image and must take the general loop), both divisor rules, forward and backward.
     */
    @Test
    void averagePoolingChoosesItsPathAndAgreesWithTheGeneralLoop() {
        SplittableRandom r = new SplittableRandom(10);
        for (int[] hw : new int[][] {{7, 7}, {8, 9}, {9, 8}, {32, 33}, {2, 2}}) {
            for (boolean ceil : new boolean[] {false, true}) {
                for (boolean countPad : new boolean[] {false, true}) {
                    for (boolean backward : new boolean[] {false, true}) {
                        int h = hw[0];
                        int w = hw[1];
                        int oh = Pooling.outSize(h, 2, 2, 0, 1, ceil);
                        int ow = Pooling.outSize(w, 2, 2, 0, 1, ceil);
                        int planes = 3;
                        float[] in = values(r, backward ? planes * oh * ow : planes * h * w);
                        float[] start = backward ? values(r, planes * h * w) : new float[planes * oh * ow];
                        float[] want = start.clone();
                        Pooling.avgPoolWindows(backward, in, want, 0, planes, h, w, 2, 2, 2, 2, 0, 0, oh, ow, countPad);
                        float[] got = start.clone();
                        Pooling.avgPool(backward, in, got, 0, planes, h, w, 2, 2, 2, 2, 0, 0, oh, ow, countPad);
                        assertArrayEquals(want, got, String.format("h=%d w=%d ceil=%b countIncludePad=%b %s", h, w,
                                ceil, countPad, backward ? "backward" : "forward"));
                    }
                }
            }
        }
    }

    private static void checkAverage(Pooling.Kernel kernel, boolean backward, SplittableRandom r, int h, int w,
                                     int call) {
        int planes = 3;
        int oh = h / 2;
        int ow = w / 2;
        float[] in = values(r, backward ? planes * oh * ow : planes * h * w);
        float[] start = backward ? values(r, planes * h * w) : new float[planes * oh * ow]; // dx accumulates
        float[] want = start.clone();
        Pooling.avgPoolWindows(backward, in, want, 0, planes, h, w, 2, 2, 2, 2, 0, 0, oh, ow, true);
        float[] got = start.clone();
        if (!backward) {
            Arrays.fill(got, 42f); // every output must be written
        }
        kernel.avgPool2x2(backward, in, got, 0, 1, h, w, oh, ow); // in two plane ranges
        kernel.avgPool2x2(backward, in, got, 1, planes, h, w, oh, ow);
        assertArrayEquals(want, got, kernel.getClass().getSimpleName()
                + String.format(" %s h=%d w=%d, call %d", backward ? "backward" : "forward", h, w, call));
    }

    /** Ties, NaN and -infinity test the rules for which pixel wins. */
    private static float[] values(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < x.length; i++) {
            int kind = r.nextInt(20);
            x[i] = kind == 0 ? Float.NaN : kind == 1 ? Float.NEGATIVE_INFINITY : kind < 5 ? 0.5f
                    : (float) r.nextGaussian();
        }
        return x;
    }

    private static void check(SplittableRandom r, int planes, int h, int w, int k, int s, int pad, int d, int oh,
                              int ow) {
        float[] x = values(r, planes * h * w);
        int outs = planes * oh * ow;
        float[] yRef = new float[outs];
        int[] aRef = new int[outs];
        ReferencePooling.maxPool(x, planes, h, w, k, k, s, s, pad, pad, d, d, oh, ow, yRef, aRef);
        float[] y = new float[outs];
        int[] a = new int[outs];
        Arrays.fill(y, 42f); // every output must be written
        Arrays.fill(a, 42);
        Pooling.maxPool(x, 0, 1, h, w, k, k, s, s, pad, pad, d, d, oh, ow, y, a); // in two plane ranges
        Pooling.maxPool(x, 1, planes, h, w, k, k, s, s, pad, pad, d, d, oh, ow, y, a);
        String what = String.format("h=%d w=%d k=%d s=%d p=%d d=%d", h, w, k, s, pad, d);
        assertArrayEquals(aRef, a, what);
        assertArrayEquals(yRef, y, what);
    }
}
