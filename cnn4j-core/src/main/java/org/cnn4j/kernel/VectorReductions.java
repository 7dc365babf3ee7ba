package org.cnn4j.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Reductions}' sums and dot product with the Vector API: the floats are loaded half a vector at a time and
 * widened to a full vector of doubles (one instruction), so the sums keep double precision; two vectors of partial
 * sums per result hide the latency of the additions. Over several rows the partial sums run on from row to row and
 * their lanes are added up once per call; the last len % 2L values of each row go to {@link Reductions.Scalar}.
 */
final class VectorReductions implements Reductions.Kernel {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** As many floats as D has doubles. */
    private static final VectorSpecies<Float> F =
            VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));
    private static final int L = D.length();
    private final Reductions.Scalar rest = new Reductions.Scalar();
    /** Per thread: one vector's lanes, parked to be added in order. */
    private static final ThreadLocal<double[]> LANES = ThreadLocal.withInitial(() -> new double[L]);

    private static DoubleVector load(float[] x, int i) {
        return (DoubleVector) FloatVector.fromArray(F, x, i).convertShape(VectorOperators.F2D, D, 0);
    }

    @Override
    public double sum(float[] x, int off, int len) {
        DoubleVector s0 = DoubleVector.zero(D);
        DoubleVector s1 = s0;
        int end = off + len;
        int i = off;
        for (int bound = end - len % (2 * L); i < bound; i += 2 * L) {
            s0 = s0.add(load(x, i));
            s1 = s1.add(load(x, i + L));
        }
        return laneSum(s0.add(s1), LANES.get()) + rest.sum(x, i, end - i);
    }

    @Override
    public void sumAndDot(float[] g, float[] h, int off, int len, int rows, int stride, double[] acc) {
        DoubleVector s0 = DoubleVector.zero(D);
        DoubleVector s1 = s0;
        DoubleVector d0 = s0;
        DoubleVector d1 = s0;
        int vectors = len - len % (2 * L); // of each row: the rest goes to the scalar loops
        for (int r = 0; r < rows; r++) {
            for (int i = off + r * stride, bound = i + vectors; i < bound; i += 2 * L) {
                DoubleVector a = load(g, i);
                DoubleVector b = load(g, i + L);
                s0 = s0.add(a);
                s1 = s1.add(b);
                d0 = a.fma(load(h, i), d0);
                d1 = b.fma(load(h, i + L), d1);
            }
        }
        double[] lanes = LANES.get();
        acc[0] += laneSum(s0.add(s1), lanes);
        acc[1] += laneSum(d0.add(d1), lanes);
        if (vectors < len) {
            rest.sumAndDot(g, h, off + vectors, len - vectors, rows, stride, acc);
        }
    }

    /**
     * The sum of v's lanes, added in index order: DoubleVector.reduceLanes(ADD) leaves the order open, and compiled
     * code added them differently from interpreted code (the last bit changed after 3,000 calls), where the
     * statistics must not depend on when the JIT got to them. As VectorGemm's laneSum.
     */
    private static double laneSum(DoubleVector v, double[] lanes) {
        v.intoArray(lanes, 0);
        double s = 0;
        for (int l = 0; l < L; l++) {
            s += lanes[l];
        }
        return s;
    }
}
