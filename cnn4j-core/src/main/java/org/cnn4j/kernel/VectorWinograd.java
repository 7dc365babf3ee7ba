package org.cnn4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Winograd}'s transforms with the Vector API, on L tiles at once, one per lane: the patches are gathered (lane
 * l reads tile l's value at the same place in its patch), transformed with whole-vector arithmetic, and V stored as
 * it is laid out (L consecutive tiles of one channel); the outputs go to the tiles' pixels as rows of 4 pixels per
 * tile after a transpose in registers with AVX-512 ({@link #writeTiles}), else by scatters, and the last, partial
 * vector of tiles one value at a time ({@link #scatter}). Each transform runs in two halves through a scratch tile,
 * columns then rows, as {@link Winograd.ScalarTransforms} does.
 *
 * <p>The 1-D transforms read and write arrays, never take or return vectors: inlined all into one method, the whole
 * transform exceeds what the JIT inlines, and a vector passed to a method that is not inlined is allocated on the heap
 * (measured: 4 MB per call).
 */
final class VectorWinograd implements Winograd.Transforms {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** A row of a tile's 4 output pixels. */
    private static final VectorSpecies<Float> QUAD = FloatVector.SPECIES_128;
    /**
     * Per thread: one vector of tiles half transformed (36 L), then six gathered or transformed vectors (6 L); output
     * parks its 16 output pixels of the L tiles in the first 16 L.
     */
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[42 * L]);

    @Override
    public int lanes() {
        return L;
    }

    @Override
    public void filters(float[] g, int from, int count, int ld, float[] u, int to) {
        float[] t = TILE.get();
        for (int f = 0; f < count; f += L) {
            for (int j = 0; j < 3; j++) { // columns of g: G g, 6 x 3
                filterTransform(g, from + j * ld + f, 3 * ld, t, j * L, 3 * L);
            }
            for (int i = 0; i < 6; i++) { // rows of G g: (G g) Gᵀ, 6 x 6, position ξ = 6 i + j
                filterTransform(t, 3 * i * L, L, u, to + 6 * i * ld + f, ld);
            }
        }
    }

    @Override
    public void input(float[] p, int[] base, int tiles, int channels, int plane, int ld, float[] v, int block,
                      int ldv) {
        float[] t = TILE.get();
        int g = 36 * L;
        for (int c = 0; c < channels; c++) {
            for (int k = 0; k < tiles; k += L) {
                for (int j = 0; j < 6; j++) { // columns: Bᵀ d
                    int at = c * plane + j;
                    for (int i = 0; i < 6; i++) {
                        FloatVector.fromArray(S, p, at + i * ld, base, k).intoArray(t, g + i * L);
                    }
                    inputTransform(t, g, t, j * L, 6 * L);
                }
                for (int i = 0; i < 6; i++) { // rows: (Bᵀ d) B, position ξ = 6 i + j
                    inputTransform(t, 6 * i * L, v, 6 * i * block + c * ldv + k, block);
                }
            }
        }
    }

    @Override
    public void gradient(float[] dy, int[] base, int tiles, int outChannels, int plane, int ld, float[][] m, int ldm) {
        float[] t = TILE.get();
        int g = 36 * L;
        for (int oc = 0; oc < outChannels; oc++) {
            for (int k = 0; k < tiles; k += L) {
                int at = oc * plane;
                for (int j = 0; j < 4; j++) { // columns: A dY, 6 x 4
                    for (int i = 0; i < 4; i++) {
                        FloatVector.fromArray(S, dy, at + i * ld + j, base, k).intoArray(t, g + i * L);
                    }
                    gradientTransform(t, g, t, j * L, 4 * L);
                }
                for (int i = 0; i < 6; i++) { // rows: (A dY) Aᵀ, 6 x 6, position ξ = 6 i + j
                    gradientTransform(t, 4 * i * L, t, g, L);
                    for (int j = 0; j < 6; j++) {
                        FloatVector.fromArray(S, t, g + j * L).intoArray(m[6 * i + j], oc * ldm + k);
                    }
                }
            }
        }
    }

    @Override
    public void output(float[][] m, int ldm, int tiles, int outChannels, float[] bias, float[] y, int[] base,
                       int plane, int ld) {
        float[] t = TILE.get();
        int g = 36 * L;
        for (int k = 0; k < tiles; k += L) {
            for (int oc = 0; oc < outChannels; oc++) {
                int at = oc * ldm + k;
                boolean whole = k + L <= tiles;
                FloatVector b = FloatVector.broadcast(S, bias == null ? 0f : bias[oc]);
                // steps 0-5: column j = step of Aᵀ M (4 x 6), from M's column j copied to g; steps 6-9: row r = step
                // - 6 of (Aᵀ M) A (4 x 4) to g, then plus bias in place of row r of Aᵀ M. One call site of
                // outputTransform for both halves (see scatter).
                for (int step = 0; step < 10; step++) {
                    boolean column = step < 6;
                    int r = step - 6;
                    if (column) {
                        for (int i = 0; i < 6; i++) {
                            FloatVector.fromArray(S, m[6 * i + step], at).intoArray(t, g + i * L);
                        }
                    }
                    outputTransform(t, column ? g : 6 * r * L, t, column ? step * L : g, column ? 6 * L : L);
                    // pixel (r, s) of the L tiles: parked in t at (4 r + s) L, or scattered into y
                    for (int s = 0; s < 4 && !column; s++) {
                        FloatVector v = FloatVector.fromArray(S, t, g + s * L).add(b);
                        if (whole && !VectorTranspose.AVAILABLE) {
                            v.intoArray(y, oc * plane + r * ld + s, base, k);
                        } else {
                            v.intoArray(t, (4 * r + s) * L);
                        }
                    }
                }
                if (!whole) {
                    scatter(t, y, oc * plane, ld, base, k, tiles - k);
                } else if (VectorTranspose.AVAILABLE) {
                    writeTiles(t, y, oc * plane, ld, base, k);
                }
            }
        }
    }

    /**
     * The last, partial vector of tiles' output pixels, which {@link #output} left in t (pixel (r, s) of the L tiles
     * at (4 r + s) L), to their places in y one value at a time, for the first count tiles: pixel (r, s) of tile k + l
     * to y[o + r * ld + s + base[k + l]], a tile's row of 4 pixels after the other. Whole vectors of tiles go by
     * {@link #writeTiles}, or where vectors are not AVX-512's, by scatters in output itself.
     *
     * <p>Why output looks the way it does. C2 inlines what output calls into one compile, and each inlined
     * outputTransform costs about 8,300 nodes while it parses (its Vector API calls before they become
     * instructions). With outputTransform inlined at two call sites, for the columns and for the rows, that compile
     * always reached C2's inlining budget (NodeCountInliningCutoff in -XX:+LogCompilation, at about 17,500 live
     * nodes), and in some JVMs what was cut was part of the Vector API's own code, left as calls to its Java
     * fallbacks, which allocate: 0.3 to 20 MB per training step of seed-cnn in 3 of 12 JVMs that ran AllocationTest
     * alone (JFR). With one call site for both halves it peaks at about 14,000 live nodes, the scatter included, and
     * 31 compiles in 6 JVMs had no cutoff (docs/BENCHMARKS.md, 2026-11-29). With {@link #writeTiles} in place of the
     * scatters (inlined; the transpose it calls is not) the 9 C2 compiles of output in a seed-cnn and resnet20 run
     * peaked at 11,700-12,000 live nodes, none cut (-XX:+LogCompilation, 2026-11-29).
     */
    private static void scatter(float[] t, float[] y, int o, int ld, int[] base, int k, int count) {
        for (int l = 0; l < count; l++) { // tile k + l: its 4 rows of 4 pixels
            int at = o + base[k + l];
            for (int r = 0; r < 4; r++) {
                int to = at + r * ld;
                int from = 4 * r * L + l;
                y[to] = t[from];
                y[to + 1] = t[from + L];
                y[to + 2] = t[from + 2 * L];
                y[to + 3] = t[from + 3 * L];
            }
        }
    }

    /**
     * A whole vector of L = 16 tiles' output pixels, which {@link #output} left in t (pixel (r, s) at (4 r + s) L), to
     * their places in y: the 16 x 16 block transposed in place ({@link VectorTranspose}), tile l's 16 pixels then at 16
     * l row by row, and each tile's 4 rows of 4 pixels stored as 128-bit vectors. The scatters this replaces (one per
     * pixel of the 16 tiles, each with its index checks) took about 45% of output's time in resnet20's inference
     * (perf).
     */
    private static void writeTiles(float[] t, float[] y, int o, int ld, int[] base, int k) {
        VectorTranspose.block(t, 0, L, t, 0, L);
        for (int l = 0; l < L; l++) {
            int at = o + base[k + l];
            for (int r = 0; r < 4; r++) {
                FloatVector.fromArray(QUAD, t, 16 * l + 4 * r).intoArray(y, at + r * ld);
            }
        }
    }

    /** out[o + r * os ..] = (G g)_r, a vector each, r &lt; 6, for g_i = in[i0 + i * is ..]. */
    private static void filterTransform(float[] in, int i0, int is, float[] out, int o, int os) {
        FloatVector g0 = FloatVector.fromArray(S, in, i0);
        FloatVector g1 = FloatVector.fromArray(S, in, i0 + is);
        FloatVector g2 = FloatVector.fromArray(S, in, i0 + 2 * is);
        FloatVector g02 = g0.add(g2);
        FloatVector a = g0.mul(1f / 24).add(g2.mul(1f / 6));
        FloatVector b = g1.mul(1f / 12);
        g0.mul(1f / 4).intoArray(out, o);
        g02.add(g1).mul(-1f / 6).intoArray(out, o + os);
        g02.sub(g1).mul(-1f / 6).intoArray(out, o + 2 * os);
        a.add(b).intoArray(out, o + 3 * os);
        a.sub(b).intoArray(out, o + 4 * os);
        g2.intoArray(out, o + 5 * os);
    }

    /** out[o + r * os ..] = (A y)_r, a vector each, r &lt; 6, for y_i = in[i0 + i * L ..]. */
    private static void gradientTransform(float[] in, int i0, float[] out, int o, int os) {
        FloatVector y0 = FloatVector.fromArray(S, in, i0);
        FloatVector y1 = FloatVector.fromArray(S, in, i0 + L);
        FloatVector y2 = FloatVector.fromArray(S, in, i0 + 2 * L);
        FloatVector y3 = FloatVector.fromArray(S, in, i0 + 3 * L);
        FloatVector e = y0.add(y2);
        FloatVector f = y1.add(y3);
        FloatVector e4 = y2.mul(4f).add(y0);
        FloatVector f2 = y1.mul(2f).add(y3.mul(8f));
        y0.intoArray(out, o);
        e.add(f).intoArray(out, o + os);
        e.sub(f).intoArray(out, o + 2 * os);
        e4.add(f2).intoArray(out, o + 3 * os);
        e4.sub(f2).intoArray(out, o + 4 * os);
        y3.intoArray(out, o + 5 * os);
    }

    /** out[o + r * os ..] = (Bᵀ d)_r, a vector each, r &lt; 6, for d_i = in[i0 + i * L ..]. */
    private static void inputTransform(float[] in, int i0, float[] out, int o, int os) {
        FloatVector d0 = FloatVector.fromArray(S, in, i0);
        FloatVector d1 = FloatVector.fromArray(S, in, i0 + L);
        FloatVector d2 = FloatVector.fromArray(S, in, i0 + 2 * L);
        FloatVector d3 = FloatVector.fromArray(S, in, i0 + 3 * L);
        FloatVector d4 = FloatVector.fromArray(S, in, i0 + 4 * L);
        FloatVector d5 = FloatVector.fromArray(S, in, i0 + 5 * L);
        FloatVector d42 = d4.sub(d2);
        FloatVector d31 = d3.sub(d1);
        d0.mul(4f).add(d4).sub(d2.mul(5f)).intoArray(out, o);
        d3.add(d4).sub(d1.add(d2).mul(4f)).intoArray(out, o + os);
        d4.sub(d3).add(d1.sub(d2).mul(4f)).intoArray(out, o + 2 * os);
        d31.mul(2f).add(d42).intoArray(out, o + 3 * os);
        d42.sub(d31.mul(2f)).intoArray(out, o + 4 * os);
        d1.mul(4f).add(d5).sub(d3.mul(5f)).intoArray(out, o + 5 * os);
    }

    /** out[o + r * os ..] = (Aᵀ m)_r, a vector each, r &lt; 4, for m_i = in[i0 + i * L ..]. */
    private static void outputTransform(float[] in, int i0, float[] out, int o, int os) {
        FloatVector m1 = FloatVector.fromArray(S, in, i0 + L);
        FloatVector m2 = FloatVector.fromArray(S, in, i0 + 2 * L);
        FloatVector m3 = FloatVector.fromArray(S, in, i0 + 3 * L);
        FloatVector m4 = FloatVector.fromArray(S, in, i0 + 4 * L);
        FloatVector a = m1.add(m2);
        FloatVector s = m1.sub(m2);
        FloatVector c = m3.add(m4);
        FloatVector d = m3.sub(m4);
        FloatVector.fromArray(S, in, i0).add(a).add(c).intoArray(out, o);
        d.mul(2f).add(s).intoArray(out, o + os);
        c.mul(4f).add(a).intoArray(out, o + 2 * os);
        d.mul(8f).add(s).add(FloatVector.fromArray(S, in, i0 + 5 * L)).intoArray(out, o + 3 * os);
    }
}
