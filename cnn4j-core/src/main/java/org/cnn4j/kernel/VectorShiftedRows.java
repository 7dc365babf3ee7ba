package org.cnn4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ShiftedRowsKernel} with the Vector API. The product works like {@link VectorGemm}'s micro-kernel with the
 * packing of B left out: a register tile of C is summed over k, each step loading vectors of B straight from the
 * image at {@code off[q] + o} (unaligned, mostly from L1: the rows of one channel overlap) and broadcasting the
 * weights of the tile's rows, which are packed k-major first (the q-th weights of the tile's rows side by side). Two
 * tiles, 16 accumulators each: 8 rows x 2 vectors when m is a multiple of 8, otherwise 4 rows x 4 vectors (DenseNet's
 * 12 output channels would leave a third of an 8-row tile empty). The dot products use {@link VectorGemm#dot4x4},
 * or for m a multiple of two vectors and k of 8 the product's tile on g transposed (see transposedDots).
 */
final class VectorShiftedRows implements ShiftedRowsKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final VectorMask<Float> EVEN = VectorMask.fromLong(S, 0x5555_5555_5555_5555L);
    private static final VectorMask<Float> ODD = EVEN.not();

    /** Per thread: packed weights, a tile of sums, g transposed. */
    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[][] {
        new float[0], new float[16 * L], new float[0]});

    @Override
    public int rowTile() {
        return 8;
    }

    @Override
    public int columnTile() {
        return 4 * L;
    }

    @Override
    public int vectorLength() {
        return L;
    }

    /** Rows per register tile for m rows (see the class comment). */
    private static int tileRows(int m) {
        return m % 8 == 0 ? 8 : 4;
    }

    /** The weights of each block of rows, k-major: block b's q-th weight of row r at (b * k + q) * rows + r. */
    @Override
    public float[] pack(int m, int k, float[] w) {
        int rows = tileRows(m);
        int blocks = (m + rows - 1) / rows;
        float[][] buffers = BUFFERS.get();
        if (buffers[0].length < blocks * rows * k) {
            buffers[0] = new float[blocks * rows * k];
        }
        float[] wp = buffers[0];
        for (int b = 0; b < blocks; b++) {
            for (int r = 0; r < rows; r++) {
                int i = b * rows + r;
                int dst = b * rows * k + r;
                for (int q = 0; q < k; q++) {
                    wp[dst + q * rows] = i < m ? w[i * k + q] : 0f;
                }
            }
        }
        return wp;
    }

    @Override
    public int packedLength(int m, int k) {
        int rows = tileRows(m);
        return (m + rows - 1) / rows * rows * k;
    }

    @Override
    public void product(int m, int n, int k, float[] wp, float[] p, int[] off, float[] out, int ldo) {
        int rows = tileRows(m);
        int cols = rows == 8 ? 2 * L : 4 * L;
        for (int b = 0; b < (m + rows - 1) / rows; b++) {
            for (int o = 0; o < n; o += cols) {
                if (rows == 8) {
                    tile8x2(k, wp, b * 8 * k, p, o, off, out, b * 8 * ldo + o, ldo);
                } else {
                    tile4x4(k, wp, b * 4 * k, p, o, off, out, b * 4 * ldo + o, ldo);
                }
            }
        }
    }

    /**
     * out[8 rows from ci, 2L columns] = the packed weights from wi times the image's shifted rows from o. The weights
     * keep a running index (wi += 16): read at wi + 8q instead, as in VectorGemm's kernels (where that took the bounds
     * checks out of the loop), seed-cnn's conv3 and resnet20's stage1 and stage3 ran mostly slower, by up to 20%
     * (CompareBuilds conv, twice, 2026-11-29).
     */
    private static void tile8x2(int k, float[] wp, int wi, float[] p, int o, int[] off, float[] out, int ci, int ldo) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        int q = 0;
        for (; q + 2 <= k; q += 2, wi += 16) { // two steps per iteration: measured 25-30% faster than one
            int bi = off[q] + o;
            FloatVector b0 = FloatVector.fromArray(S, p, bi);
            FloatVector b1 = FloatVector.fromArray(S, p, bi + L);
            FloatVector a = FloatVector.broadcast(S, wp[wi]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, wp[wi + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, wp[wi + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, wp[wi + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, wp[wi + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, wp[wi + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(S, wp[wi + 6]);
            c60 = a.fma(b0, c60);
            c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(S, wp[wi + 7]);
            c70 = a.fma(b0, c70);
            c71 = a.fma(b1, c71);
            bi = off[q + 1] + o;
            b0 = FloatVector.fromArray(S, p, bi);
            b1 = FloatVector.fromArray(S, p, bi + L);
            a = FloatVector.broadcast(S, wp[wi + 8]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, wp[wi + 9]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, wp[wi + 10]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, wp[wi + 11]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, wp[wi + 12]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, wp[wi + 13]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(S, wp[wi + 14]);
            c60 = a.fma(b0, c60);
            c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(S, wp[wi + 15]);
            c70 = a.fma(b0, c70);
            c71 = a.fma(b1, c71);
        }
        if (q < k) {
            int bi = off[q] + o;
            FloatVector b0 = FloatVector.fromArray(S, p, bi);
            FloatVector b1 = FloatVector.fromArray(S, p, bi + L);
            FloatVector a = FloatVector.broadcast(S, wp[wi]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, wp[wi + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, wp[wi + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, wp[wi + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, wp[wi + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, wp[wi + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(S, wp[wi + 6]);
            c60 = a.fma(b0, c60);
            c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(S, wp[wi + 7]);
            c70 = a.fma(b0, c70);
            c71 = a.fma(b1, c71);
        }
        c00.intoArray(out, ci);
        c01.intoArray(out, ci + L);
        c10.intoArray(out, ci += ldo);
        c11.intoArray(out, ci + L);
        c20.intoArray(out, ci += ldo);
        c21.intoArray(out, ci + L);
        c30.intoArray(out, ci += ldo);
        c31.intoArray(out, ci + L);
        c40.intoArray(out, ci += ldo);
        c41.intoArray(out, ci + L);
        c50.intoArray(out, ci += ldo);
        c51.intoArray(out, ci + L);
        c60.intoArray(out, ci += ldo);
        c61.intoArray(out, ci + L);
        c70.intoArray(out, ci += ldo);
        c71.intoArray(out, ci + L);
    }

    /** out[4 rows from ci, 4L columns] = the packed weights from wi times the image's shifted rows from o. */
    private static void tile4x4(int k, float[] wp, int wi, float[] p, int o, int[] off, float[] out, int ci, int ldo) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c02 = FloatVector.zero(S), c03 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c12 = FloatVector.zero(S), c13 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c22 = FloatVector.zero(S), c23 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c32 = FloatVector.zero(S), c33 = FloatVector.zero(S);
        int q = 0;
        for (; q + 2 <= k; q += 2, wi += 8) { // two steps per iteration, as in tile8x2
            int bi = off[q] + o;
            FloatVector b0 = FloatVector.fromArray(S, p, bi);
            FloatVector b1 = FloatVector.fromArray(S, p, bi + L);
            FloatVector b2 = FloatVector.fromArray(S, p, bi + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, p, bi + 3 * L);
            FloatVector a = FloatVector.broadcast(S, wp[wi]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            c02 = a.fma(b2, c02);
            c03 = a.fma(b3, c03);
            a = FloatVector.broadcast(S, wp[wi + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            c12 = a.fma(b2, c12);
            c13 = a.fma(b3, c13);
            a = FloatVector.broadcast(S, wp[wi + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            c22 = a.fma(b2, c22);
            c23 = a.fma(b3, c23);
            a = FloatVector.broadcast(S, wp[wi + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            c32 = a.fma(b2, c32);
            c33 = a.fma(b3, c33);
            bi = off[q + 1] + o;
            b0 = FloatVector.fromArray(S, p, bi);
            b1 = FloatVector.fromArray(S, p, bi + L);
            b2 = FloatVector.fromArray(S, p, bi + 2 * L);
            b3 = FloatVector.fromArray(S, p, bi + 3 * L);
            a = FloatVector.broadcast(S, wp[wi + 4]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            c02 = a.fma(b2, c02);
            c03 = a.fma(b3, c03);
            a = FloatVector.broadcast(S, wp[wi + 5]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            c12 = a.fma(b2, c12);
            c13 = a.fma(b3, c13);
            a = FloatVector.broadcast(S, wp[wi + 6]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            c22 = a.fma(b2, c22);
            c23 = a.fma(b3, c23);
            a = FloatVector.broadcast(S, wp[wi + 7]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            c32 = a.fma(b2, c32);
            c33 = a.fma(b3, c33);
        }
        if (q < k) {
            int bi = off[q] + o;
            FloatVector b0 = FloatVector.fromArray(S, p, bi);
            FloatVector b1 = FloatVector.fromArray(S, p, bi + L);
            FloatVector b2 = FloatVector.fromArray(S, p, bi + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, p, bi + 3 * L);
            FloatVector a = FloatVector.broadcast(S, wp[wi]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            c02 = a.fma(b2, c02);
            c03 = a.fma(b3, c03);
            a = FloatVector.broadcast(S, wp[wi + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            c12 = a.fma(b2, c12);
            c13 = a.fma(b3, c13);
            a = FloatVector.broadcast(S, wp[wi + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            c22 = a.fma(b2, c22);
            c23 = a.fma(b3, c23);
            a = FloatVector.broadcast(S, wp[wi + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            c32 = a.fma(b2, c32);
            c33 = a.fma(b3, c33);
        }
        c00.intoArray(out, ci);
        c01.intoArray(out, ci + L);
        c02.intoArray(out, ci + 2 * L);
        c03.intoArray(out, ci + 3 * L);
        c10.intoArray(out, ci += ldo);
        c11.intoArray(out, ci + L);
        c12.intoArray(out, ci + 2 * L);
        c13.intoArray(out, ci + 3 * L);
        c20.intoArray(out, ci += ldo);
        c21.intoArray(out, ci + L);
        c22.intoArray(out, ci + 2 * L);
        c23.intoArray(out, ci + 3 * L);
        c30.intoArray(out, ci += ldo);
        c31.intoArray(out, ci + L);
        c32.intoArray(out, ci + 2 * L);
        c33.intoArray(out, ci + 3 * L);
    }

    @Override
    public void dots(int m, int k, int n, float[] g, int ldg, float[] p, int[] off, float[] out) {
        if (m % (2 * L) == 0 && k % 8 == 0) {
            transposedDots(m, k, n, g, ldg, p, off, out);
            return;
        }
        float[] sums = BUFFERS.get()[1];
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int q = 0;
            for (; q + 4 <= k; q += 4) {
                VectorGemm.dot4x4(n, g, i * ldg, ldg, p, off[q], off[q + 1], off[q + 2], off[q + 3], sums);
                for (int r = 0; r < 4; r++) {
                    for (int s = 0; s < 4; s++) {
                        out[(i + r) * k + q + s] += sums[4 * r + s];
                    }
                }
            }
            for (; q < k; q++) {
                for (int r = i; r < i + 4; r++) {
                    out[r * k + q] += VectorGemm.dot(g, r * ldg, p, off[q], n);
                }
            }
        }
        for (; i < m; i++) {
            for (int q = 0; q < k; q++) {
                out[i * k + q] += VectorGemm.dot(g, i * ldg, p, off[q], n);
            }
        }
    }

    /**
     * {@link #dots} for m a multiple of two vectors and k of 8, as the transposed product out^T = B * g^T. With g
     * transposed (row o holds g[0..m-1, o]), a register tile of 8 rows of B (q) by 2 vectors of g^T's columns (i)
     * sums over o like {@link #product}'s tile: per step two vector loads of g^T, 8 broadcasts from the image and 16
     * FMAs, and no vector lanes to add up at the end (the 4 x 4 dot products add up 16 vectors per block). Measured
     * 5-11% faster backward passes on 32- and 64-channel layers (with 512-bit vectors; with 256-bit ones 16-channel
     * layers take it too, unmeasured). k must be a multiple of 8, the tile's rows: seed-cnn's first layer (k = 9)
     * measured slower with a scalar tail and keeps the dot products.
     */
    private static void transposedDots(int m, int k, int n, float[] g, int ldg, float[] p, int[] off, float[] out) {
        float[][] buffers = BUFFERS.get();
        if (buffers[2].length < n * m) {
            buffers[2] = new float[n * m];
        }
        float[] gt = buffers[2];
        int[] rows = VectorGemm.rowStarts(ldg);
        for (int i = 0; i < m; i += L) { // g transposed L rows at a time
            VectorGemm.transposeRows(g, i * ldg, ldg, rows, n, gt, i, m);
        }
        float[] sums = buffers[1];
        for (int q = 0; q < k; q += 8) {
            for (int i = 0; i < m; i += 2 * L) {
                dotTile8x2(n, gt, m, i, p, off, q, sums);
                for (int r = 0; r < 8; r++) {
                    for (int s = 0; s < 2 * L; s++) {
                        out[(i + s) * k + q + r] += sums[r * 2 * L + s];
                    }
                }
            }
        }
    }

    /** sums[r * 2L + s] = sum over o &lt; n of p[off[q + r] + o] * gt[o * m + i + s], for r &lt; 8, s &lt; 2L. */
    private static void dotTile8x2(int n, float[] gt, int m, int i, float[] p, int[] off, int q, float[] sums) {
        int p0 = off[q], p1 = off[q + 1], p2 = off[q + 2], p3 = off[q + 3];
        int p4 = off[q + 4], p5 = off[q + 5], p6 = off[q + 6], p7 = off[q + 7];
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        for (int o = 0, gi = i; o < n; o++, gi += m) {
            FloatVector b0 = FloatVector.fromArray(S, gt, gi);
            FloatVector b1 = FloatVector.fromArray(S, gt, gi + L);
            FloatVector a = FloatVector.broadcast(S, p[p0 + o]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, p[p1 + o]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, p[p2 + o]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, p[p3 + o]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, p[p4 + o]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, p[p5 + o]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(S, p[p6 + o]);
            c60 = a.fma(b0, c60);
            c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(S, p[p7 + o]);
            c70 = a.fma(b0, c70);
            c71 = a.fma(b1, c71);
        }
        c00.intoArray(sums, 0);
        c01.intoArray(sums, L);
        c10.intoArray(sums, 2 * L);
        c11.intoArray(sums, 3 * L);
        c20.intoArray(sums, 4 * L);
        c21.intoArray(sums, 5 * L);
        c30.intoArray(sums, 6 * L);
        c31.intoArray(sums, 7 * L);
        c40.intoArray(sums, 8 * L);
        c41.intoArray(sums, 9 * L);
        c50.intoArray(sums, 10 * L);
        c51.intoArray(sums, 11 * L);
        c60.intoArray(sums, 12 * L);
        c61.intoArray(sums, 13 * L);
        c70.intoArray(sums, 14 * L);
        c71.intoArray(sums, 15 * L);
    }

    /** L values at a time: the even lanes and the odd ones compressed to the front, each stored up to its count. */
    @Override
    public void splitColumns(float[] x, int src, int n, float[] p, int even, int odd) {
        for (int c = 0; c < n; c += L) {
            int len = Math.min(L, n - c);
            FloatVector v = FloatVector.fromArray(S, x, src + c, S.indexInRange(0, len));
            v.compress(EVEN).intoArray(p, even + c / 2, S.indexInRange(0, (len + 1) / 2));
            v.compress(ODD).intoArray(p, odd + c / 2, S.indexInRange(0, len / 2));
        }
    }
}
