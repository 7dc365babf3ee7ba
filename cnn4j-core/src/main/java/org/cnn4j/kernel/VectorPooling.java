package org.cnn4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Pooling}'s 2x2 max and average pooling with the Vector API, L input columns (L / 2 windows) of a pair of rows
 * at a time. Lane j of a vector is column c + j; the windows start at the even lanes. Max pooling: first each row's
 * two columns are compared (an even lane with its odd neighbour, swapped into place), then the top row's winner with
 * the bottom row's: the order of {@link Pooling.Scalar}'s four compares regrouped, which picks the same pixel (the
 * first of equal values, the last NaN). The even lanes are then packed together and stored, with the winners'
 * indices. Average pooling sums the same pairs in the scalar loop's order (see {@link #avgPool2x2}).
 */
final class VectorPooling implements Pooling.Kernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = S.withLanes(int.class);
    private static final int L = S.length();
    /** Lane j takes lane j ^ 1: each even lane meets its odd neighbour. */
    private static final VectorShuffle<Float> NEIGHBOUR = VectorShuffle.fromOp(S, j -> j ^ 1);
    /** Lane j takes lane j / 2: an output's gradient to both pixels of its window's row. */
    private static final VectorShuffle<Float> HALF = VectorShuffle.fromOp(S, j -> j / 2);
    private static final VectorMask<Float> EVEN = VectorMask.fromLong(S, 0x5555_5555_5555_5555L);
    private static final VectorMask<Integer> EVEN_INT = EVEN.cast(I);
    private static final IntVector LANES = IntVector.zero(I).addIndex(1);

    @Override
    public void maxPool2x2(float[] x, int planeFrom, int planeTo, int h, int w, int oh, int ow, float[] y,
                           int[] argmax) {
        int cols = 2 * ow; // a last odd column belongs to no window
        for (int plane = planeFrom; plane < planeTo; plane++) {
            for (int oy = 0; oy < oh; oy++) {
                int top = (plane * h + 2 * oy) * w;
                for (int c = 0; c < cols; c += L) {
                    int o = (plane * oh + oy) * ow + c / 2;
                    VectorMask<Float> in = S.indexInRange(c, cols);
                    FloatVector t = FloatVector.fromArray(S, x, top + c, in);
                    FloatVector b = FloatVector.fromArray(S, x, top + w + c, in);
                    IntVector ti = LANES.add(top + c);
                    // the top row's pairs
                    FloatVector tn = t.rearrange(NEIGHBOUR);
                    VectorMask<Float> win = wins(tn, t);
                    t = t.blend(tn, win);
                    IntVector topIndex = ti.blend(ti.add(1), win.cast(I));
                    // the bottom row's pairs
                    FloatVector bn = b.rearrange(NEIGHBOUR);
                    win = wins(bn, b);
                    b = b.blend(bn, win);
                    IntVector bottomIndex = ti.add(w).blend(ti.add(w + 1), win.cast(I));
                    // bottom against top
                    win = wins(b, t);
                    FloatVector best = t.blend(b, win);
                    IntVector index = topIndex.blend(bottomIndex, win.cast(I));
                    VectorMask<Float> out = S.indexInRange(0, Math.min(L, cols - c) / 2);
                    best.compress(EVEN).intoArray(y, o, out);
                    index.compress(EVEN_INT).intoArray(argmax, o, out.cast(I));
                }
            }
        }
    }

    /**
     * The same pairs of rows: forward, each even lane sums its window as ((0 + top) + its neighbour) + bottom + its
     * neighbour, and the even lanes are packed and divided by 4; backward, the L / 2 output gradients of those
     * windows are spread to both lanes of their pair (lane j takes g[j / 2]), divided by 4 and added to both rows.
     */
    @Override
    public void avgPool2x2(boolean backward, float[] in, float[] out, int planeFrom, int planeTo, int h, int w, int oh,
                           int ow) {
        int cols = 2 * ow;
        for (int plane = planeFrom; plane < planeTo; plane++) {
            for (int oy = 0; oy < oh; oy++) {
                int top = (plane * h + 2 * oy) * w;
                for (int c = 0; c < cols; c += L) {
                    int o = (plane * oh + oy) * ow + c / 2;
                    VectorMask<Float> pixels = S.indexInRange(c, cols);
                    VectorMask<Float> outputs = S.indexInRange(0, Math.min(L, cols - c) / 2);
                    if (backward) {
                        FloatVector share = FloatVector.fromArray(S, in, o, outputs).rearrange(HALF).div(4f);
                        FloatVector.fromArray(S, out, top + c, pixels).add(share).intoArray(out, top + c, pixels);
                        FloatVector.fromArray(S, out, top + w + c, pixels).add(share)
                                .intoArray(out, top + w + c, pixels);
                    } else {
                        FloatVector t = FloatVector.fromArray(S, in, top + c, pixels);
                        FloatVector b = FloatVector.fromArray(S, in, top + w + c, pixels);
                        FloatVector sum = FloatVector.zero(S).add(t).add(t.rearrange(NEIGHBOUR)).add(b)
                                .add(b.rearrange(NEIGHBOUR));
                        sum.compress(EVEN).div(4f).intoArray(out, o, outputs);
                    }
                }
            }
        }
    }

    /** Lanes where v takes over from best: larger, or NaN. */
    private static VectorMask<Float> wins(FloatVector v, FloatVector best) {
        return v.compare(VectorOperators.GT, best).or(v.test(VectorOperators.IS_NAN));
    }
}
