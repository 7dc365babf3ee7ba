package org.cnn4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/** {@link Rows}' copy with the Vector API: whole vectors, then the last cols % L floats of each row under a mask. */
final class VectorRows implements Rows.Kernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    @Override
    public void copy(float[] src, int srcOff, int srcLd, float[] dst, int dstOff, int dstLd, int rows, int cols) {
        int whole = S.loopBound(cols);
        VectorMask<Float> last = S.indexInRange(whole, cols);
        for (int r = 0; r < rows; r++) {
            int s = srcOff + r * srcLd;
            int d = dstOff + r * dstLd;
            for (int j = 0; j < whole; j += L) {
                FloatVector.fromArray(S, src, s + j).intoArray(dst, d + j);
            }
            if (whole < cols) {
                FloatVector.fromArray(S, src, s + whole, last).intoArray(dst, d + whole, last);
            }
        }
    }
}
