package org.cnn4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The four-chain sums against the plain loops, on odd lengths and offsets, added onto what acc holds. */
class ReductionsTest {
    @Test
    void agreeWithThePlainLoops() {
        SplittableRandom r = new SplittableRandom(9);
        for (int len : new int[] {0, 1, 3, 4, 7, 33, 65, 1000, 4099}) {
            for (int off : new int[] {0, 1, 5}) {
                float[] x = new float[off + len + 3];
                float[] h = new float[x.length];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) (r.nextGaussian() * 3 + 1);
                    h[i] = (float) r.nextGaussian();
                }
                double[] fast = {0.5, -2};
                double[] ref = {0.5, -2};
                Reductions.sumAndSquares(x, off, len, fast);
                Reductions.referenceSumAndSquares(x, off, len, ref);
                String what = "len " + len + ", offset " + off;
                assertEquals(ref[0], fast[0], 1e-9 * (1 + len), "sum, " + what);
                assertEquals(ref[1], fast[1], 1e-9 * (1 + len), "sum of squares, " + what);
                fast = new double[] {1, 1};
                ref = new double[] {1, 1};
                Reductions.sumAndDot(x, h, off, len, fast);
                Reductions.referenceSumAndDot(x, h, off, len, ref);
                assertEquals(ref[0], fast[0], 1e-9 * (1 + len), "sum, " + what);
                assertEquals(ref[1], fast[1], 1e-9 * (1 + len), "dot, " + what);
            }
        }
    }
}
