package org.cnn4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

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

    /**
     * The vector sums give the same bits before and after the JIT compiles them (reduceLanes' order is left open, and
     * the compiled code's differed in the last bit): values of mixed magnitude, so the order of additions matters.
     */
    @Test
    void vectorSumsDoNotChangeOnceCompiled() {
        SplittableRandom r = new SplittableRandom(21);
        float[] x = new float[1000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(-8, 8)));
        }
        VectorReductions kernel = new VectorReductions();
        double[] first = new double[2];
        kernel.sumAndDot(x, x, 1, 199, 4, 250, first);
        for (int call = 0; call < 30_000; call++) {
            double[] again = new double[2];
            kernel.sumAndDot(x, x, 1, 199, 4, 250, again);
            if (Double.doubleToRawLongBits(first[0]) != Double.doubleToRawLongBits(again[0])
                    || Double.doubleToRawLongBits(first[1]) != Double.doubleToRawLongBits(again[1])) {
                fail("call " + call + " gave " + again[0] + ", " + again[1] + " after " + first[0] + ", " + first[1]);
            }
        }
    }

    /** Column sums (BatchNorm1d) equal the plain loop down each column, to the bit, on odd matrix sizes. */
    @Test
    void columnSumsEqualThePlainLoopDownEachColumn() {
        SplittableRandom r = new SplittableRandom(5);
        for (int[] size : new int[][] {{1, 1}, {7, 33}, {65, 17}, {3, 257}}) {
            int rows = size[0];
            int ld = size[1];
            float[] g = new float[rows * ld];
            float[] h = new float[rows * ld];
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(-6, 6)));
                h[i] = (float) r.nextGaussian();
            }
            int from = ld / 3;
            int to = ld - ld / 5;
            double[] sums = new double[ld];
            double[] dots = new double[ld];
            sums[from] = 0.5; // added onto
            Reductions.sumAndDotColumns(g, h, rows, ld, from, to, sums, dots);
            for (int c = 0; c < ld; c++) {
                double[] acc = {c == from ? 0.5 : 0, 0};
                if (c >= from && c < to) { // down the column: rows of one value, ld apart
                    Reductions.referenceSumAndDot(g, h, c, 1, rows, ld, acc);
                }
                assertEquals(Double.doubleToRawLongBits(acc[0]), Double.doubleToRawLongBits(sums[c]), "sum " + c);
                assertEquals(Double.doubleToRawLongBits(acc[1]), Double.doubleToRawLongBits(dots[c]), "dot " + c);
            }
        }
    }

    private static void agreeWithThePlainLoops(Reductions.Kernel kernel) {
        SplittableRandom r = new SplittableRandom(9);
        for (int len : new int[] {0, 1, 3, 4, 7, 15, 16, 17, 33, 65, 1000, 4099}) {
            for (int off : new int[] {0, 1, 5}) {
                float[] x = new float[off + 3 * (len + 1) + 3]; // room for 3 rows
                float[] h = new float[x.length];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) (r.nextGaussian() * 3 + 1);
                    h[i] = (float) r.nextGaussian();
                }
                assertEquals(Reductions.referenceSum(x, off, len), kernel.sum(x, off, len), 1e-9 * (1 + len),
                        "sum alone, len " + len + ", offset " + off);
                for (float[] y : new float[][] {x, h}) { // x with itself: the sum of squares
                    // one row; then rows of len values at a stride of len + 1, or overlapping at stride 1
                    for (int[] rowsStride : new int[][] {{1, 0}, {3, len + 1}, {2, 1}}) {
                        int rows = rowsStride[0];
                        int stride = rowsStride[1];
                        double[] fast = {0.5, -2};
                        double[] ref = {0.5, -2};
                        kernel.sumAndDot(x, y, off, len, rows, stride, fast);
                        Reductions.referenceSumAndDot(x, y, off, len, rows, stride, ref);
                        String what = (y == x ? "x with x" : "x with h") + ", len " + len + ", offset " + off
                                + ", " + rows + " rows " + stride + " apart";
                        assertEquals(ref[0], fast[0], 1e-9 * (1 + rows * len), "sum, " + what);
                        assertEquals(ref[1], fast[1], 1e-9 * (1 + rows * len), "dot, " + what);
                    }
                }
            }
        }
    }
}
