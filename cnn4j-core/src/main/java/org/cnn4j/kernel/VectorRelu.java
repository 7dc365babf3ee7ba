package org.cnn4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Relu}'s pass with the Vector API: the scalar loop's integer operations on L values at a time (y's bits
 * negated, shifted right by 31, ANDed with g's bits), the last (to - from) % L values by {@link Relu.Scalar}.
 */
final class VectorRelu implements Relu.Kernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private final Relu.Scalar rest = new Relu.Scalar();

    @Override
    public void gradient(float[] y, float[] g, float[] dx, int from, int to) {
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
            IntVector keep = FloatVector.fromArray(S, y, i).reinterpretAsInts().neg()
                    .lanewise(VectorOperators.ASHR, 31);
            FloatVector.fromArray(S, g, i).reinterpretAsInts().and(keep).reinterpretAsFloats().intoArray(dx, i);
        }
        rest.gradient(y, g, dx, i, to);
    }
}
