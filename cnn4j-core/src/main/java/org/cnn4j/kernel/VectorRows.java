package org.cnn4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Rows}' copy with the Vector API: whole vectors, then the last cols % L floats of each row one by one. (A
 * masked vector for the last part allocated: in the bench's lenet5 and seed-cnn runs at one thread C2 boxed the
 * method's vectors, 2 and 23 MB per training step.)
 */
final class VectorRows implements Rows.Kernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    @Override
    public void copy(float[] src, int srcOff, int srcLd, float[] dst, int dstOff, int dstLd, int rows, int cols) {
        int whole = S.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int s = srcOff + r * srcLd;
            int d = dstOff + r * dstLd;
            for (int j = 0; j < whole; j += L) {
                FloatVector.fromArray(S, src, s + j).intoArray(dst, d + j);
            }
            for (int j = whole; j < cols; j++) {
                dst[d + j] = src[s + j];
            }
        }
    }
}
