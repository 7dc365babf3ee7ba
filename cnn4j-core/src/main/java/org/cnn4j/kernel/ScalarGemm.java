package org.cnn4j.kernel;

import java.util.Arrays;

/**
 * Plain-Java SGEMM for JVMs without the Vector API, in i-k-j order so the JIT can vectorise the inner loop itself.
 *
 * <p>C is first scaled by beta. Then k and n are blocked: a KC x NC block of op(B) (512 KB, stays in L2) is copied into
 * per-thread row arrays, and every row of C in turn is copied into a row buffer, accumulates
 * {@code alpha * A[i, p] * op(B)[p, :]} for the block's p (four p at a time, so each pass over the row buffer does four
 * multiply-adds per element) and is copied back. The copies are there for the JIT: its auto-vectoriser (JDK 25) only
 * proves that a load and a store do not overlap when both index the same position of arrays starting at 0, so the
 * inner loops index the row buffer and the B rows with the same plain {@code j}.
 */
final class ScalarGemm implements GemmKernel {
    private static final int KC = 256;
    private static final int NC = 512;

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private static final class Buffers {
        final float[][] bRows = new float[KC][NC];
        final float[] cRow = new float[NC];
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (beta == 0f) {
                Arrays.fill(c, ci, ci + n, 0f);
            } else if (beta != 1f) {
                for (int j = 0; j < n; j++) {
                    c[ci + j] *= beta;
                }
            }
        }
        Buffers buf = BUFFERS.get();
        float[][] bRows = buf.bRows;
        float[] cRow = buf.cRow;
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            for (int jc = 0; jc < n; jc += NC) {
                int nc = Math.min(NC, n - jc);
                for (int p = 0; p < kc; p++) {
                    if (transB) {
                        float[] row = bRows[p];
                        for (int j = 0; j < nc; j++) {
                            row[j] = b[bOff + (jc + j) * ldb + pc + p];
                        }
                    } else {
                        System.arraycopy(b, bOff + (pc + p) * ldb + jc, bRows[p], 0, nc);
                    }
                }
                for (int i = 0; i < m; i++) {
                    int ci = cOff + i * ldc + jc;
                    int ai = transA ? aOff + pc * lda + i : aOff + i * lda + pc;
                    int aStep = transA ? lda : 1;
                    System.arraycopy(c, ci, cRow, 0, nc);
                    int p = 0;
                    for (; p + 4 <= kc; p += 4) {
                        float a0 = alpha * a[ai + p * aStep];
                        float a1 = alpha * a[ai + (p + 1) * aStep];
                        float a2 = alpha * a[ai + (p + 2) * aStep];
                        float a3 = alpha * a[ai + (p + 3) * aStep];
                        axpy4(nc, a0, bRows[p], a1, bRows[p + 1], a2, bRows[p + 2], a3, bRows[p + 3], cRow);
                    }
                    for (; p < kc; p++) {
                        axpy(nc, alpha * a[ai + p * aStep], bRows[p], cRow);
                    }
                    System.arraycopy(cRow, 0, c, ci, nc);
                }
            }
        }
    }

    /** y[0:n] += a0 * x0[0:n] + a1 * x1[0:n] + a2 * x2[0:n] + a3 * x3[0:n]. */
    private static void axpy4(int n, float a0, float[] x0, float a1, float[] x1, float a2, float[] x2, float a3,
                              float[] x3, float[] y) {
        for (int j = 0; j < n; j++) {
            y[j] += a0 * x0[j] + a1 * x1[j] + a2 * x2[j] + a3 * x3[j];
        }
    }

    /** y[0:n] += a * x[0:n]. */
    private static void axpy(int n, float a, float[] x, float[] y) {
        for (int j = 0; j < n; j++) {
            y[j] += a * x[j];
        }
    }
}
