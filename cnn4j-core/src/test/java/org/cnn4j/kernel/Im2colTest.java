package org.cnn4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fast im2col/col2im against the reference on odd sizes, strides, paddings and dilations. */
class Im2colTest {

    @Test
    void agreesWithTheReference() {
        SplittableRandom r = new SplittableRandom(3);
        int cases = 0;
        for (int[] hw : new int[][] {{1, 1}, {7, 5}, {9, 13}, {33, 6}}) {
            for (int k = 1; k <= 5; k += 2) {
                for (int kw = 1; kw <= 4; kw += 3) {
                    for (int s = 1; s <= 3; s++) {
                        for (int pad = 0; pad <= 3; pad++) {
                            for (int d = 1; d <= 2; d++) {
                                int h = hw[0];
                                int w = hw[1];
                                int oh = Im2col.outSize(h, k, s, pad, d);
                                int ow = Im2col.outSize(w, kw, s, pad, d);
                                if (oh <= 0 || ow <= 0) {
                                    continue;
                                }
                                check(r, 3, h, w, k, kw, s, pad, d, oh, ow);
                                cases++;
                            }
                        }
                    }
                }
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(cases > 200, "cases: " + cases);
    }

    private static void check(SplittableRandom r, int c, int h, int w, int kh, int kw, int s, int pad, int d,
                              int oh, int ow) {
        int off = 5;
        float[] x = new float[off + c * h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        int rows = c * kh * kw;
        float[] fast = new float[off + rows * oh * ow];
        float[] ref = new float[fast.length];
        java.util.Arrays.fill(fast, Float.NaN); // every entry must be written
        java.util.Arrays.fill(ref, 0, off, Float.NaN);
        Im2col.im2col(x, off, c, h, w, kh, kw, s, s, pad, pad, d, d, fast, off, oh * ow);
        ReferenceIm2col.im2col(x, off, c, h, w, kh, kw, s, s, pad, pad, d, d, ref, off);
        String what = String.format("c=%d h=%d w=%d k=%dx%d s=%d p=%d d=%d", c, h, w, kh, kw, s, pad, d);
        assertArrayEquals(ref, fast, what);

        float[] dxFast = new float[off + c * h * w];
        float[] dxRef = new float[dxFast.length];
        for (int i = 0; i < dxFast.length; i++) {
            dxFast[i] = dxRef[i] = i; // col2im adds to what is there
        }
        Im2col.col2im(ref, off, oh * ow, c, h, w, kh, kw, s, s, pad, pad, d, d, dxFast, off);
        ReferenceIm2col.col2im(ref, off, c, h, w, kh, kw, s, s, pad, pad, d, d, dxRef, off);
        assertArrayEquals(dxRef, dxFast, 1e-5f, what);

        // the same image as the middle one of three unfolded side by side: rows 3 * oh * ow apart
        int p = oh * ow;
        int ld = 3 * p;
        float[] wide = new float[rows * ld];
        java.util.Arrays.fill(wide, Float.NaN);
        Im2col.im2col(x, off, c, h, w, kh, kw, s, s, pad, pad, d, d, wide, p, ld);
        for (int row = 0; row < rows; row++) {
            for (int q = 0; q < p; q++) {
                assertEquals(ref[off + row * p + q], wide[row * ld + p + q], what);
                assertTrue(Float.isNaN(wide[row * ld + q]) && Float.isNaN(wide[row * ld + 2 * p + q]), what);
            }
        }
        float[] dxWide = new float[off + c * h * w];
        for (int i = 0; i < dxWide.length; i++) {
            dxWide[i] = i;
        }
        Im2col.col2im(wide, p, ld, c, h, w, kh, kw, s, s, pad, pad, d, d, dxWide, off);
        assertArrayEquals(dxRef, dxWide, 1e-5f, what);
    }
}
