package org.cnn4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * 16 x 16 blocks of floats transposed in AVX-512 registers, for {@link VectorGemm}'s packing of a transposed B and of
 * a plain A and its adding of a transposed product to C, and {@link VectorShiftedRows}' transposing of the output
 * gradient for weight gradients, where gathers did the same work at one vector per 16 values.
 *
 * <p>Transposing swaps the bits of an element's row and column index. Each of four stages swaps one bit, h = 8, 4, 2,
 * 1: rows i and i + h (i without bit h) become {@code LOW[h].selectFrom(row i, row i + h)} and {@code
 * HIGH[h].selectFrom(...)}, two-vector permutes (one instruction each: the compiled block holds 64 vpermi2d and 8
 * vpandd of the indices, 2026-11-29) whose indices take lane j from row i where bit h of j is clear, else lane j - h of
 * row i + h, and the other way round for the second row. The 16 rows stay in registers: 64 permutes for 256 values.
 * Measured on this project's AVX-512 host (2026-11-29), packing a transposed 576 x 64 B into 32-column panels:
 * 0.15-0.23 ns per value, against 0.42-0.52 with gathers and 0.40-0.45 with the stages passing through a small buffer
 * in memory.
 *
 * <p>Only for 512-bit vectors: {@link #AVAILABLE} says whether the preferred species is theirs (then its length L is
 * {@link #N}, the step of the callers' loops); callers keep gathers otherwise. The values move as ints (their bits
 * unchanged), whose permute takes its indices as they are, where a float permute would convert its float indices first.
 */
final class VectorTranspose {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    /** The side of a block: the lanes of a 512-bit vector of floats. */
    static final int N = 16;
    /** Whether the preferred vectors are 512 bits wide, so that blocks of {@link #N} match them. */
    static final boolean AVAILABLE = FloatVector.SPECIES_PREFERRED.length() == N;

    private static final IntVector LOW8 = low(8), HIGH8 = high(8), LOW4 = low(4), HIGH4 = high(4);
    private static final IntVector LOW2 = low(2), HIGH2 = high(2), LOW1 = low(1), HIGH1 = high(1);

    private VectorTranspose() {
    }

    /** Indices of the first row of a pair after the stage that swaps bit h: lane j of row i, or j - h of row i + h. */
    private static IntVector low(int h) {
        int[] index = new int[N];
        for (int j = 0; j < N; j++) {
            index[j] = (j & h) == 0 ? j : N + j - h;
        }
        return IntVector.fromArray(I, index, 0);
    }

    /** Indices of the second row of a pair: lane j + h of row i, or lane j of row i + h. */
    private static IntVector high(int h) {
        int[] index = new int[N];
        for (int j = 0; j < N; j++) {
            index[j] = (j & h) == 0 ? j + h : N + j;
        }
        return IntVector.fromArray(I, index, 0);
    }

    /**
     * dst[d + p * ldd + j] = src[s + j * lds + p] for j, p in 0..15: the 16 x 16 block of src at s (rows lds apart)
     * transposed into dst at d (rows ldd apart). The rows are loaded and stored in this method's own code, not by
     * helpers: a helper taking or returning a vector that C2 did not inline boxed it (it did not inline a store helper
     * of 16 calls here, and the product ran 1.3x slower than with gathers).
     */
    static void block(float[] src, int s, int lds, float[] dst, int d, int ldd) {
        IntVector r0 = FloatVector.fromArray(S, src, s).reinterpretAsInts();
        IntVector r1 = FloatVector.fromArray(S, src, s + 1 * lds).reinterpretAsInts();
        IntVector r2 = FloatVector.fromArray(S, src, s + 2 * lds).reinterpretAsInts();
        IntVector r3 = FloatVector.fromArray(S, src, s + 3 * lds).reinterpretAsInts();
        IntVector r4 = FloatVector.fromArray(S, src, s + 4 * lds).reinterpretAsInts();
        IntVector r5 = FloatVector.fromArray(S, src, s + 5 * lds).reinterpretAsInts();
        IntVector r6 = FloatVector.fromArray(S, src, s + 6 * lds).reinterpretAsInts();
        IntVector r7 = FloatVector.fromArray(S, src, s + 7 * lds).reinterpretAsInts();
        IntVector r8 = FloatVector.fromArray(S, src, s + 8 * lds).reinterpretAsInts();
        IntVector r9 = FloatVector.fromArray(S, src, s + 9 * lds).reinterpretAsInts();
        IntVector r10 = FloatVector.fromArray(S, src, s + 10 * lds).reinterpretAsInts();
        IntVector r11 = FloatVector.fromArray(S, src, s + 11 * lds).reinterpretAsInts();
        IntVector r12 = FloatVector.fromArray(S, src, s + 12 * lds).reinterpretAsInts();
        IntVector r13 = FloatVector.fromArray(S, src, s + 13 * lds).reinterpretAsInts();
        IntVector r14 = FloatVector.fromArray(S, src, s + 14 * lds).reinterpretAsInts();
        IntVector r15 = FloatVector.fromArray(S, src, s + 15 * lds).reinterpretAsInts();
        // swap bit 3 of row and column: rows i and i + 8
        IntVector a0 = LOW8.selectFrom(r0, r8), a8 = HIGH8.selectFrom(r0, r8);
        IntVector a1 = LOW8.selectFrom(r1, r9), a9 = HIGH8.selectFrom(r1, r9);
        IntVector a2 = LOW8.selectFrom(r2, r10), a10 = HIGH8.selectFrom(r2, r10);
        IntVector a3 = LOW8.selectFrom(r3, r11), a11 = HIGH8.selectFrom(r3, r11);
        IntVector a4 = LOW8.selectFrom(r4, r12), a12 = HIGH8.selectFrom(r4, r12);
        IntVector a5 = LOW8.selectFrom(r5, r13), a13 = HIGH8.selectFrom(r5, r13);
        IntVector a6 = LOW8.selectFrom(r6, r14), a14 = HIGH8.selectFrom(r6, r14);
        IntVector a7 = LOW8.selectFrom(r7, r15), a15 = HIGH8.selectFrom(r7, r15);
        // swap bit 2 of row and column: rows i and i + 4
        IntVector b0 = LOW4.selectFrom(a0, a4), b4 = HIGH4.selectFrom(a0, a4);
        IntVector b1 = LOW4.selectFrom(a1, a5), b5 = HIGH4.selectFrom(a1, a5);
        IntVector b2 = LOW4.selectFrom(a2, a6), b6 = HIGH4.selectFrom(a2, a6);
        IntVector b3 = LOW4.selectFrom(a3, a7), b7 = HIGH4.selectFrom(a3, a7);
        IntVector b8 = LOW4.selectFrom(a8, a12), b12 = HIGH4.selectFrom(a8, a12);
        IntVector b9 = LOW4.selectFrom(a9, a13), b13 = HIGH4.selectFrom(a9, a13);
        IntVector b10 = LOW4.selectFrom(a10, a14), b14 = HIGH4.selectFrom(a10, a14);
        IntVector b11 = LOW4.selectFrom(a11, a15), b15 = HIGH4.selectFrom(a11, a15);
        // swap bit 1 of row and column: rows i and i + 2
        IntVector c0 = LOW2.selectFrom(b0, b2), c2 = HIGH2.selectFrom(b0, b2);
        IntVector c1 = LOW2.selectFrom(b1, b3), c3 = HIGH2.selectFrom(b1, b3);
        IntVector c4 = LOW2.selectFrom(b4, b6), c6 = HIGH2.selectFrom(b4, b6);
        IntVector c5 = LOW2.selectFrom(b5, b7), c7 = HIGH2.selectFrom(b5, b7);
        IntVector c8 = LOW2.selectFrom(b8, b10), c10 = HIGH2.selectFrom(b8, b10);
        IntVector c9 = LOW2.selectFrom(b9, b11), c11 = HIGH2.selectFrom(b9, b11);
        IntVector c12 = LOW2.selectFrom(b12, b14), c14 = HIGH2.selectFrom(b12, b14);
        IntVector c13 = LOW2.selectFrom(b13, b15), c15 = HIGH2.selectFrom(b13, b15);
        // swap bit 0 of row and column: rows i and i + 1
        IntVector e0 = LOW1.selectFrom(c0, c1), e1 = HIGH1.selectFrom(c0, c1);
        IntVector e2 = LOW1.selectFrom(c2, c3), e3 = HIGH1.selectFrom(c2, c3);
        IntVector e4 = LOW1.selectFrom(c4, c5), e5 = HIGH1.selectFrom(c4, c5);
        IntVector e6 = LOW1.selectFrom(c6, c7), e7 = HIGH1.selectFrom(c6, c7);
        IntVector e8 = LOW1.selectFrom(c8, c9), e9 = HIGH1.selectFrom(c8, c9);
        IntVector e10 = LOW1.selectFrom(c10, c11), e11 = HIGH1.selectFrom(c10, c11);
        IntVector e12 = LOW1.selectFrom(c12, c13), e13 = HIGH1.selectFrom(c12, c13);
        IntVector e14 = LOW1.selectFrom(c14, c15), e15 = HIGH1.selectFrom(c14, c15);
        e0.reinterpretAsFloats().intoArray(dst, d);
        e1.reinterpretAsFloats().intoArray(dst, d + 1 * ldd);
        e2.reinterpretAsFloats().intoArray(dst, d + 2 * ldd);
        e3.reinterpretAsFloats().intoArray(dst, d + 3 * ldd);
        e4.reinterpretAsFloats().intoArray(dst, d + 4 * ldd);
        e5.reinterpretAsFloats().intoArray(dst, d + 5 * ldd);
        e6.reinterpretAsFloats().intoArray(dst, d + 6 * ldd);
        e7.reinterpretAsFloats().intoArray(dst, d + 7 * ldd);
        e8.reinterpretAsFloats().intoArray(dst, d + 8 * ldd);
        e9.reinterpretAsFloats().intoArray(dst, d + 9 * ldd);
        e10.reinterpretAsFloats().intoArray(dst, d + 10 * ldd);
        e11.reinterpretAsFloats().intoArray(dst, d + 11 * ldd);
        e12.reinterpretAsFloats().intoArray(dst, d + 12 * ldd);
        e13.reinterpretAsFloats().intoArray(dst, d + 13 * ldd);
        e14.reinterpretAsFloats().intoArray(dst, d + 14 * ldd);
        e15.reinterpretAsFloats().intoArray(dst, d + 15 * ldd);
    }
}
