package org.cnn4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Both copies against a plain loop, on odd row lengths and strides, writing nothing outside the block. */
class RowsTest {
    @Test
    void scalarCopiesTheBlockAndNothingElse() {
        copiesTheBlockAndNothingElse(new Rows.Scalar());
    }

    @Test
    void vectorCopiesTheBlockAndNothingElse() {
        copiesTheBlockAndNothingElse(new VectorRows());
    }

    private static void copiesTheBlockAndNothingElse(Rows.Kernel kernel) {
        SplittableRandom r = new SplittableRandom(3);
        for (int cols : new int[] {0, 1, 3, 4, 7, 8, 14, 15, 16, 17, 33, 65}) {
            for (int rows : new int[] {1, 3, 9}) {
                int srcLd = cols + r.nextInt(0, 5);
                int dstLd = cols + r.nextInt(0, 5);
                int srcOff = r.nextInt(0, 4);
                int dstOff = r.nextInt(0, 4);
                // the arrays end where the block ends: a vector row must not read or write past it
                float[] src = new float[srcOff + (rows - 1) * srcLd + cols];
                for (int i = 0; i < src.length; i++) {
                    src[i] = (float) r.nextGaussian();
                }
                float[] expected = new float[dstOff + (rows - 1) * dstLd + cols];
                java.util.Arrays.fill(expected, -7f);
                float[] dst = expected.clone();
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < cols; j++) {
                        expected[dstOff + i * dstLd + j] = src[srcOff + i * srcLd + j];
                    }
                }
                kernel.copy(src, srcOff, srcLd, dst, dstOff, dstLd, rows, cols);
                assertArrayEquals(expected, dst, rows + " rows of " + cols);
            }
        }
    }
}
