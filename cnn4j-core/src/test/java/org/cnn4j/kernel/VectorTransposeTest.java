package org.cnn4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link VectorTranspose}'s register transpose against the definition, at odd strides and offsets. */
class VectorTransposeTest {
    private static final int N = VectorTranspose.N;
    private static final float OUTSIDE = -7777f;

    @Test
    void blockIsTheTransposeAndWritesNothingElse() {
        Random rnd = new Random(5);
        for (int[] strides : new int[][] {{N, N}, {17, 33}, {65, 19}, {N + 1, 2 * N}}) {
            int lds = strides[0];
            int ldd = strides[1];
            int s = 3;
            int d = 5;
            float[] src = new float[s + N * lds];
            for (int i = 0; i < src.length; i++) {
                src[i] = rnd.nextFloat() - 0.5f;
            }
            float[] dst = new float[d + N * ldd + 7];
            java.util.Arrays.fill(dst, OUTSIDE);
            VectorTranspose.block(src, s, lds, dst, d, ldd);
            for (int i = 0; i < dst.length; i++) {
                int p = (i - d) / ldd;
                int j = (i - d) % ldd;
                boolean inside = i >= d && p < N && j < N;
                float expected = inside ? src[s + j * lds + p] : OUTSIDE;
                assertEquals(expected, dst[i], "lds " + lds + ", ldd " + ldd + ", dst[" + i + "]");
            }
        }
    }
}
