package org.cnn4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Winograd F(4x4, 3x3), forward and weight gradient, with the Vector API's kernels and transforms and with the
 * plain-Java ones, against the reference convolution (ReferenceIm2col and ReferenceGemm): channel counts that fill
 * no tile and ones that do, images whose outputs are not whole tiles
 * (1 to 13 pixels a side, rectangular), paddings 0, 1 and 2 and different per axis, with and without bias, 1, 3 or
 * 7 images per call, and enough images of one size to be transformed in several groups.
 */
class WinogradTest {
    private record Kernels(ShiftedRowsKernel product, Winograd.Transforms transforms) {
    }

    private static final List<Kernels> KERNELS = List.of(
            new Kernels(new VectorShiftedRows(), new VectorWinograd()),
            new Kernels(new ScalarShiftedRows(), new Winograd.ScalarTransforms()));

    @Test
    void agreesWithTheReferenceConvolution() {
        SplittableRandom r = new SplittableRandom(11);
        int cases = 0;
        int[][] sizes = {{1, 1}, {3, 3}, {4, 4}, {5, 7}, {8, 8}, {13, 6}, {9, 12}};
        int[][] channels = {{1, 1}, {3, 5}, {16, 12}, {17, 16}, {8, 33}, {32, 32}};
        int[][] paddings = {{1, 1}, {0, 0}, {2, 2}, {1, 0}, {0, 2}};
        for (int[] hw : sizes) {
            for (int[] ch : channels) {
                for (int[] pad : paddings) {
                    int oh = hw[0] + 2 * pad[0] - 2;
                    int ow = hw[1] + 2 * pad[1] - 2;
                    if (oh <= 0 || ow <= 0) {
                        continue;
                    }
                    int images = new int[] {1, 3, 7}[cases % 3];
                    boolean bias = cases / 3 % 2 == 0;
                    for (Kernels kernel : KERNELS) {
                        check(r, kernel, images, ch[0], ch[1], hw[0], hw[1], pad[0], pad[1], oh, ow, bias);
                    }
                    cases++;
                }
            }
        }
        assertTrue(cases > 150, "cases: " + cases);
    }

    @Test
    void manyImagesGoInSeveralGroups() {
        SplittableRandom r = new SplittableRandom(12);
        for (Kernels kernel : KERNELS) {
            check(r, kernel, 70, 64, 64, 8, 8, 1, 1, 8, 8, true); // 16 images per group of 8x8, 64 channels
        }
    }

    @Test
    void suitsOnly3x3AtStride1() {
        assertTrue(Winograd.suits(3, 3, 1, 1, 1, 1));
        assertTrue(Winograd.suits(3, 3, 1, 1, 0, 2));
        assertFalse(Winograd.suits(3, 3, 2, 1, 1, 1));
        assertFalse(Winograd.suits(3, 3, 1, 2, 1, 1));
        assertFalse(Winograd.suits(5, 5, 1, 1, 2, 2));
        assertFalse(Winograd.suits(3, 1, 1, 1, 1, 0));
        assertFalse(Winograd.suits(3, 3, 1, 1, 3, 3));
    }

    @Test
    void rejectsAFilterLargerThanThePaddedImage() {
        float[][] u = Winograd.transformWeights(new float[9], 1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Winograd.forward(new float[4], 0, 1, 1, 2, 2, u, null, 1, 0, 0, new float[4], 0));
        assertTrue(e.getMessage().contains("2x2"), e.getMessage());
    }

    private static void check(SplittableRandom r, Kernels kernel, int images, int c, int m, int h, int w,
                              int ph, int pw, int oh, int ow, boolean withBias) {
        String what = String.format("%s images=%d c=%d m=%d h=%d w=%d p=%dx%d bias=%b",
                kernel.transforms().getClass().getSimpleName(), images, c, m, h, w, ph, pw, withBias);
        int off = 3;
        int k = c * 9;
        int p = oh * ow;
        float[] x = random(r, off + images * c * h * w);
        float[] weights = random(r, m * k);
        float[] bias = withBias ? random(r, m) : null;
        float[] g = random(r, off + images * m * p);
        float[] yRef = new float[images * m * p];
        float[] dwRef = new float[m * k];
        float[] col = new float[k * p];
        for (int t = 0; t < images; t++) {
            ReferenceIm2col.im2col(x, off + t * c * h * w, c, h, w, 3, 3, 1, 1, ph, pw, 1, 1, col, 0);
            ReferenceGemm.sgemm(false, false, m, p, k, 1f, weights, 0, k, col, 0, p, 0f, yRef, t * m * p, p);
            for (int i = 0; i < m * p && withBias; i++) {
                yRef[t * m * p + i] += bias[i / p];
            }
            ReferenceGemm.sgemm(false, true, m, k, p, 1f, g, off + t * m * p, p, col, 0, p, 1f, dwRef, 0, k);
        }
        float[] y = new float[off + yRef.length + off];
        java.util.Arrays.fill(y, Float.NaN); // every output is written, and nothing beyond
        float[][] u = Winograd.transformWeights(kernel.product(), kernel.transforms(), weights, m, c);
        Winograd.forward(kernel.product(), kernel.transforms(), x, off, images, c, h, w, u, bias, m, ph, pw, y, off);
        float scale = (float) Math.sqrt(k); // the outputs' typical size: sums of k products of N(0, 1) values
        for (int i = 0; i < yRef.length; i++) {
            assertEquals(yRef[i], y[off + i], 1e-4f * scale, what + " at " + i);
        }
        for (int i = 0; i < off; i++) {
            assertTrue(Float.isNaN(y[i]) && Float.isNaN(y[off + yRef.length + i]), what + ": wrote outside y");
        }
        float[] dw = new float[m * k];
        java.util.Arrays.fill(dw, 1f); // added to
        Winograd.weightGradient(kernel.product(), kernel.transforms(), x, off, images, c, h, w, g, off, m, ph, pw, dw);
        float dwScale = (float) Math.sqrt(images * p); // sums of images * p products of N(0, 1) values
        for (int i = 0; i < dw.length; i++) {
            assertEquals(dwRef[i] + 1f, dw[i], 1e-4f * dwScale + 1e-6f, what + " weight gradient at " + i);
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
