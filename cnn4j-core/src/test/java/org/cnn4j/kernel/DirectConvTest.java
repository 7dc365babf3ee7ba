package org.cnn4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * DirectConv, on both kernels (Vector API and plain loops), against the reference convolution (ReferenceIm2col and
 * ReferenceGemm) on odd sizes: channel counts that fill no tile (and 32 and 64 output channels, which take the
 * transposed weight-gradient tile when k is a multiple of 8, the dot products otherwise), images of 1 to 33 pixels a side, rectangular kernels both ways, paddings up to
 * the kernel's extent and different per axis (as the input gradient of a rectangular kernel uses them), dilation 1
 * and 2, strides 1, 2 and 3, with and without bias, and 1, 2 or 5 images per call.
 */
class DirectConvTest {
    private static final List<ShiftedRowsKernel> KERNELS = List.of(new VectorShiftedRows(), new ScalarShiftedRows());

    @Test
    void agreesWithTheReferenceConvolution() {
        SplittableRandom r = new SplittableRandom(5);
        int cases = 0;
        int[][] sizes = {{1, 1}, {7, 5}, {8, 8}, {13, 9}, {33, 6}, {17, 33}};
        int[][] channels = {{1, 1}, {3, 4}, {5, 7}, {2, 8}, {6, 12}, {4, 13}, {3, 16}, {9, 33}, {8, 32}, {8, 64}, {3, 32}};
        int[][] kernelSizes = {{1, 1}, {3, 3}, {2, 3}, {3, 2}, {3, 1}, {5, 5}};
        for (int[] hw : sizes) {
            for (int[] ch : channels) {
                for (int[] k : kernelSizes) {
                    for (int d = 1; d <= 2; d++) {
                        int reachH = d * (k[0] - 1);
                        int reachW = d * (k[1] - 1);
                        for (int[] pad : new int[][] {{0, 0}, {1, 1}, {reachH, reachW}, {1, 0}, {0, reachW}}) {
                            int stride = new int[] {1, 2, 1, 3}[cases % 4];
                            int oh = hw[0] + 2 * pad[0] - reachH;
                            int ow = hw[1] + 2 * pad[1] - reachW;
                            if (oh <= 0 || ow <= 0) {
                                continue;
                            }
                            int images = new int[] {1, 2, 5}[cases % 3];
                            boolean bias = cases / 4 % 2 == 0; // every stride with and without
                            for (ShiftedRowsKernel kernel : KERNELS) {
                                check(r, kernel, images, ch[0], ch[1], hw[0], hw[1], k[0], k[1], pad[0], pad[1],
                                        stride, d, (oh - 1) / stride + 1, (ow - 1) / stride + 1, bias);
                            }
                            cases++;
                        }
                    }
                }
            }
        }
        assertTrue(cases > 1000, "cases: " + cases);
    }

    private static void check(SplittableRandom r, ShiftedRowsKernel kernel, int images, int c, int m, int h, int w,
                              int kh, int kw, int ph, int pw, int s, int d, int oh, int ow, boolean withBias) {
        String what = String.format("%s images=%d c=%d m=%d h=%d w=%d k=%dx%d p=%dx%d s=%d d=%d bias=%b",
                kernel.getClass().getSimpleName(), images, c, m, h, w, kh, kw, ph, pw, s, d, withBias);
        int off = 3;
        int k = c * kh * kw;
        int p = oh * ow;
        float[] x = random(r, off + images * c * h * w);
        float[] weights = random(r, m * k);
        float[] g = random(r, off + images * m * p);
        float[] bias = withBias ? random(r, m) : null;

        float[] yRef = new float[images * m * p];
        float[] dwRef = new float[m * k];
        float[] col = new float[k * p];
        for (int t = 0; t < images; t++) {
            ReferenceIm2col.im2col(x, off + t * c * h * w, c, h, w, kh, kw, s, s, ph, pw, d, d, col, 0);
            ReferenceGemm.sgemm(false, false, m, p, k, 1f, weights, 0, k, col, 0, p, 0f, yRef, t * m * p, p);
            for (int i = 0; i < m * p && withBias; i++) {
                yRef[t * m * p + i] += bias[i / p];
            }
            ReferenceGemm.sgemm(false, true, m, k, p, 1f, g, off + t * m * p, p, col, 0, p, 1f, dwRef, 0, k);
        }

        float[] y = new float[off + yRef.length + off];
        Arrays.fill(y, Float.NaN); // every output must be written, and nothing around it
        DirectConv.forward(kernel, x, off, images, c, h, w, weights, bias, m, kh, kw, ph, pw, s, d, y, off);
        for (int i = 0; i < yRef.length; i++) {
            assertEquals(yRef[i], y[off + i], 1e-4f * (1 + Math.abs(yRef[i])), what + " forward at " + i);
        }
        for (int i = 0; i < off; i++) {
            assertTrue(Float.isNaN(y[i]) && Float.isNaN(y[off + yRef.length + i]), what + ": wrote outside the output");
        }

        float[] dw = new float[m * k];
        Arrays.fill(dw, 1f); // the gradient is added to what is there
        DirectConv.weightGradient(kernel, x, off, images, c, h, w, g, off, m, kh, kw, ph, pw, s, d, dw);
        for (int i = 0; i < m * k; i++) {
            assertEquals(dwRef[i] + 1f, dw[i], 1e-4f * (1 + Math.abs(dwRef[i])), what + " weight gradient at " + i);
        }
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }
}
