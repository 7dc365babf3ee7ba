package org.cnn4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Affine}'s passes with the Vector API: one vector at a time with the scalar loop's operations (no fused
 * multiply-add, which would round differently), the last len % L values by {@link Affine.Scalar} (for the column
 * passes, the last (to - from) % L columns of every row).
 */
final class VectorAffine implements Affine.Kernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private final Affine.Scalar rest = new Affine.Scalar();

    @Override
    public void normalize(float[] x, int off, int len, float a, float mean, float b, float floor, float[] y) {
        int end = off + len;
        int i = off;
        for (int bound = off + S.loopBound(len); i < bound; i += L) {
            FloatVector.fromArray(S, x, i).sub(mean).mul(a).add(b).max(floor).intoArray(y, i);
        }
        rest.normalize(x, i, end - i, a, mean, b, floor, y);
    }

    @Override
    public void normalizeGradient(float[] g, float[] x, int off, int len, float s, float t, float mean, float c,
                                  float[] dx) {
        int end = off + len;
        int i = off;
        for (int bound = off + S.loopBound(len); i < bound; i += L) {
            FloatVector sg = FloatVector.fromArray(S, g, i).mul(s);
            FloatVector tx = FloatVector.fromArray(S, x, i).sub(mean).mul(t);
            sg.add(tx).add(c).intoArray(dx, i);
        }
        rest.normalizeGradient(g, x, i, end - i, s, t, mean, c, dx);
    }

    @Override
    public void normalizeColumns(float[] x, int rows, int ld, int from, int to, float[] a, float[] mean, float[] b,
                                 float floor, float[] y) {
        int end = from + S.loopBound(to - from);
        for (int r = 0; r < rows; r++) {
            int row = r * ld;
            for (int c = from; c < end; c += L) {
                FloatVector.fromArray(S, x, row + c).sub(FloatVector.fromArray(S, mean, c))
                        .mul(FloatVector.fromArray(S, a, c)).add(FloatVector.fromArray(S, b, c)).max(floor)
                        .intoArray(y, row + c);
            }
        }
        rest.normalizeColumns(x, rows, ld, end, to, a, mean, b, floor, y);
    }

    @Override
    public void normalizeGradientColumns(float[] g, float[] x, int rows, int ld, int from, int to, float[] s,
                                         float[] t, float[] mean, float[] c, float[] dx) {
        int end = from + S.loopBound(to - from);
        for (int r = 0; r < rows; r++) {
            int row = r * ld;
            for (int j = from; j < end; j += L) {
                FloatVector sg = FloatVector.fromArray(S, g, row + j).mul(FloatVector.fromArray(S, s, j));
                FloatVector tx = FloatVector.fromArray(S, x, row + j).sub(FloatVector.fromArray(S, mean, j))
                        .mul(FloatVector.fromArray(S, t, j));
                sg.add(tx).add(FloatVector.fromArray(S, c, j)).intoArray(dx, row + j);
            }
        }
        rest.normalizeGradientColumns(g, x, rows, ld, end, to, s, t, mean, c, dx);
    }
}
