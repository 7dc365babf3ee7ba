package org.cnn4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Rows}' copy with the Vector API: a row of at least L floats in whole vectors, the last one ending at the
 * row's end (overlapping the one before it: both copy the same values); a shorter row by {@code System.arraycopy}.
 * (A masked last vector allocated: in the bench's lenet5 and seed-cnn runs at one thread C2 boxed the method's
 * vectors, 2 and 23 MB per training step; the last floats one at a time made seed-cnn's first layer, rows of 28,
 * 1.2x slower than with arraycopy. Rows of L/2 to L - 1 floats in two half-width vectors copied rows of 14 in 6.8
 * rather than 9.4 ns, but in one run of about eight of the core suite C2 left those vectors as allocating Java code
 * for good: 7.2 MB per training step in AllocationTest, JFR.)
 */
final class VectorRows implements Rows.Kernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private final Rows.Scalar shortRows = new Rows.Scalar();

    @Override
    public void copy(float[] src, int srcOff, int srcLd, float[] dst, int dstOff, int dstLd, int rows, int cols) {
        if (cols < L) {
            shortRows.copy(src, srcOff, srcLd, dst, dstOff, dstLd, rows, cols);
            return;
        }
        int whole = S.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int s = srcOff + r * srcLd;
            int d = dstOff + r * dstLd;
            for (int j = 0; j < whole; j += L) {
                FloatVector.fromArray(S, src, s + j).intoArray(dst, d + j);
            }
            if (whole < cols) {
                FloatVector.fromArray(S, src, s + cols - L).intoArray(dst, d + cols - L);
            }
        }
    }
}
