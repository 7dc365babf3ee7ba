package org.cnn4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The four-chain and the vector sums against the plain loop, on odd lengths and offsets, added onto what acc holds. */
class ReductionsTest {
    @Test
    void scalarAgreesWithThePlainLoops() {
        agreeWithThePlainLoops(new Reductions.Scalar());
    }

    @Test
    void vectorAgreesWithThePlainLoops() {
        agreeWithThePlainLoops(new VectorReductions());
    }

    private static void agreeWithThePlainLoops(Reductions.Kernel kernel) {
        SplittableRandom r = new SplittableRandom(9);
        for (int len : new int[] {0, 1, 3, 4, 7, 15, 16, 17, 33, 65, 1000, 4099}) {
            for (int off : new int[] {0, 1, 5}) {
                float[] x = new float[off + len + 3];
                float[] h = new float[x.length];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) (r.nextGaussian() * 3 + 1);
                    h[i] = (float) r.nextGaussian();
                }
                for (float[] y : new float[][] {x, h}) { // x with itself: the sum of squares
                    double[] fast = {0.5, -2};
                    double[] ref = {0.5, -2};
                    kernel.sumAndDot(x, y, off, len, fast);
                    Reductions.referenceSumAndDot(x, y, off, len, ref);
                    String what = (y == x ? "x with x" : "x with h") + ", len " + len + ", offset " + off;
                    assertEquals(ref[0], fast[0], 1e-9 * (1 + len), "sum, " + what);
                    assertEquals(ref[1], fast[1], 1e-9 * (1 + len), "dot, " + what);
                }
            }
        }
    }
}
