package org.cnn4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Affine}'s passes with the Vector API: one vector at a time with the scalar loop's operations (no fused
 * multiply-add, which would round differently), the last len % L values by {@link Affine.Scalar}.
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
}
