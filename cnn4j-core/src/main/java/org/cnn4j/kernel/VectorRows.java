package org.cnn4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Rows}' copy with the Vector API: a row of at least L floats in whole vectors, the last one ending at the
 * row's end (overlapping the one before it: both copy the same values); a row of L/2 to L - 1 floats in two
 * half-width vectors the same way (on AVX-512 rows of 8 to 15: 14 and 10 in seed-cnn and lenet5, one arraycopy each
 * before, were 6.8% of seed-cnn's training step at one thread; 9.4 -> 6.8 ns a row of 14, 9.0 -> 4.2 of 10); a
 * shorter row by {@code System.arraycopy}. (A masked last vector allocated: in the bench's lenet5 and seed-cnn runs
 * at one thread C2 boxed the method's vectors, 2 and 23 MB per training step; the last floats one at a time made
 * seed-cnn's first layer, rows of 28, 1.2x slower than with arraycopy.)
 */
final class VectorRows implements Rows.Kernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Half the preferred width (x86's 128, 256 and 512 bits), else the full width: no half-width rows. */
    private static final VectorSpecies<Float> HALF = switch (S.vectorBitSize()) {
        case 128, 256, 512 -> VectorSpecies.of(float.class, VectorShape.forBitSize(S.vectorBitSize() / 2));
        default -> S;
    };
    private static final int H = HALF.length();
    private final Rows.Scalar shortRows = new Rows.Scalar();

    @Override
    public void copy(float[] src, int srcOff, int srcLd, float[] dst, int dstOff, int dstLd, int rows, int cols) {
        if (cols < H) {
            shortRows.copy(src, srcOff, srcLd, dst, dstOff, dstLd, rows, cols);
            return;
        }
        if (cols < L) {
            halfRows(src, srcOff, srcLd, dst, dstOff, dstLd, rows, cols);
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

    /** Rows of H to L - 1 floats: two half-width vectors each, the second ending at the row's end. */
    private static void halfRows(float[] src, int srcOff, int srcLd, float[] dst, int dstOff, int dstLd, int rows,
                                 int cols) {
        for (int r = 0; r < rows; r++) {
            int s = srcOff + r * srcLd;
            int d = dstOff + r * dstLd;
            FloatVector.fromArray(HALF, src, s).intoArray(dst, d);
            FloatVector.fromArray(HALF, src, s + cols - H).intoArray(dst, d + cols - H);
        }
    }
}
