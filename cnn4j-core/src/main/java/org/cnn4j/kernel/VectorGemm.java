package org.cnn4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SGEMM with the Vector API, organised like BLIS (Van Zee and van de Geijn, 2015).
 *
 * <pre>
 * for jc in steps of nc <= NC over the columns of C  (op(B) block kc x nc, up to 1.5 MB: stays in a 2 MB L2)
 *   for pc in steps of kc <= KC over k
 *     pack op(B)[pc:pc+kc, jc:jc+nc] into NR-column panels (p-major: the NR values of one row, then the next row),
 *       except a plain B under few rows of A: then its whole panels are read where they lie (see B_IN_PLACE_M)
 *     for each panel of 8 or 12 rows of op(A)          (kc x 8 or 12 floats, stays in L1; see panelRows)
 *       pack it (p-major: the rows' values of one column, then the next), or read it in place (see below)
 *       for each NR-column panel of B                  (streamed from L2, or read from B itself)
 *         micro-kernel: 8 or 12 x NR tile = A panel * B panel (x L on a last panel of at most L columns);
 *           then C = alpha * tile + beta' * C (update), or the kernel writes whole tiles into C itself: then one
 *           call computes all the whole tiles of the row, one after another
 * the last columns of a plain B, where they fill at most a quarter of a vector: computed transposed (transposedTail)
 * </pre>
 *
 * The micro-kernel keeps the whole MR x NR tile in registers: MR = 8 rows of two vectors (8 x 32 floats, 16
 * accumulators on AVX-512; 8 x 16 on AVX2). Per step p it loads two vectors of the B panel, broadcasts the MR values
 * of the A panel and issues 16 fused multiply-adds; the loop does two steps per iteration (measured about 10% faster
 * than one). With AVX-512's 32 registers a packed A panel has 12 rows where m allows ({@link #tallKernel}: 24
 * accumulators, each B vector loaded once per 12 rows rather than 8): 1024^3 went from 74-78% to 78-84% of
 * OpenBLAS, the transposed-A products of the input gradients from 61-87% to 64-96% (CompareBuilds gemm beside
 * {@code openblas} and a harness of the same kind, 2026-11-28). Packing handles transB (a transposed B is transposed
 * in 16 x 16 blocks in registers with AVX-512, {@link VectorTranspose}, else read with gathers) and pads partial panels
 * with zeros, so the micro-kernel always runs the full tile (one vector wide on a last panel of at most L columns); at
 * the end it parks the accumulators in a small per-thread tile array (passing 16 vectors to a helper that C2 does not
 * inline would box them, a 10x cliff) and the tile is added to C, or, for a
 * whole tile with alpha 1, writes them into C itself: stored where beta' is 0 and the product short ({@link
 * #DIRECT_STORE_K}), added to C's values where beta' is 1 (its accumulators start from them). The two orders of
 * summation differ in the last bits, so an element's bits can depend on whether its tile was whole, or its column
 * in a transposed tail ({@link #transposedTail}), or whether the product was computed unpacked ({@link
 * #UNPACKED_M}), and with it on how {@link Gemm} split the columns over threads;
 * partial tiles at the right and bottom edges are written with scalar code (masked vector stores run as slow
 * per-lane fallbacks until C2 has compiled them, which halved the speed of shapes such as 64 x 196 x 576). beta' is
 * beta in the first k-block and 1 in later ones; with beta 0, C is never read. Blocks are split evenly (k = 576
 * gives two blocks of 288, not 384 + 192).
 *
 * <p>Short products with a plain B (alpha 1, beta 0 or 1, B small enough to stay in cache; see {@link #UNPACKED_M})
 * skip all of this, as OpenBLAS's small-matrix kernel does: tiles of 4 rows by 4 vectors computed from op(A) and B
 * where they lie ({@link #unpackedKernel}).
 *
 * <p>A plain (not transposed) A panel is packed only when it is reused over many B panels ({@link #PACK_A_N} columns
 * or more) and for the last, partial panel of rows. Otherwise a second copy of the micro-kernel reads A where it
 * lies, eight rows of it: the conv-shaped products (M = 16..64 output channels, N = a few hundred pixels) spent up to
 * half their time packing A, while packing pays at 1024^3. A transposed A is always packed: its panels' columns are
 * contiguous, so packing is a copy.
 *
 * <p>Every micro-kernel counts its loop on the step pair q and computes each index from q (a packed A at 2q * rows + r,
 * a plain A's row r at aBase + r * lda + 2q, B at bBase + 2q * NR, or 2q * ldb where B is read in place), so C2 checks
 * the array bounds of A and of a packed B once before the loop (B at a variable stride: once per load). With running
 * indices (ai += 2 * rows per iteration) it checked them at every broadcast of A: the 12-row kernel's loop was 179
 * instructions for its 48 FMAs, against 86, and 1024^3 ran 1.1-1.3x slower (CompareBuilds gemm, 2026-11-28, AVX-512);
 * reading a plain A in place with running indices was 1.1-1.4x slower on 64 x 196 x 576, 32 x 256 x 288 and 64 x 64 x
 * 576. The 8-row packed kernel counted on q had measured 0.85-0.95x at 1024^3 before the 12-row kernel took over that
 * product; now it measures the same as with running indices on the products it still runs (16 x 1024 x 144 and 288,
 * transposed-A 16 x 784 x 288, 8 x 2048 x 256), and its loop is 61 instructions for 32 FMAs against 131. With 256-bit
 * vectors (-XX:MaxVectorSize=32 on this host, as on an AVX2 machine, where it is the only packed kernel), 1024^3 went
 * from 34.9 to 47.6 GFLOP/s (OpenBLAS's Haswell kernel: 61.5).
 *
 * <p>Two more kernels work on the unpacked operands instead (besides the short products' one above). With a transposed
 * B and few rows but long ones ({@link #DOT_KERNEL_M}), or few columns, transposing B while packing costs about as much
 * as the multiply itself (measured with gathers, at about 2 cycles per float here), while rows of op(A) and of B are
 * both contiguous along k: a dot-product kernel computes 4 x 4 blocks of C, each loaded vector used four times. With a
 * plain B and fewer than {@link #ROW_KERNEL_M} rows, most of each tile would be padding: a row kernel adds up scaled
 * rows of B, four vectors of columns at a time. A transposed B much wider than A is tall has the product computed
 * transposed, C^T = B A^T, so that packing transposes the smaller operand ({@link #TRANSPOSED_M}).
 *
 * <p>Packing buffers are per thread and grow on demand: concurrent calls are safe and a steady state allocates
 * nothing.
 */
final class VectorGemm implements GemmKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows of the 8-row kernels' register tile (packedKernel, rowsKernel); see TALL_MR for the 12-row one. */
    static final int MR = 8;
    /** Columns of the register tile: two vectors. */
    static final int NR = 2 * L;
    /**
     * Rows of the tall tile ({@link #tallKernel}) where there are 32 vector registers (AVX-512): 12, else the same
     * 8 rows. Packed A panels are tall where the split pads at most 3 rows (see {@link #panelRows}).
     */
    static final int TALL_MR = S.vectorBitSize() >= 512 ? 12 : MR;
    /** C with fewer rows than this goes to the row kernel (measured: it beats tiles padded from 1-3 rows to 8). */
    static final int ROW_KERNEL_M = 4;
    /**
     * With a transposed B, at most this many rows and at least {@link #DOT_KERNEL_K_PER_ROW} steps per row, dot
     * products beat packing (transposing) B; otherwise the packed kernel is faster: transposing B costs the same for
     * any m, so it pays over many rows, and short dot products spend most of their time adding up vector lanes.
     * Measured (CompareBuilds gemm, 7-9 rounds, the AVX-512 host of 2026-11-28), dot products against packing, GFLOP/s:
     * 16 x 144 x 1024 47 / 20, 24 x 144 x 1024 47 / 31, 32 x 144 x 1024 47 / 36, 8 x 100 x 2048 66 / 18; but 16 x 288
     * x 256 32 / 41, 24 x 288 x 256 30 / 47, 32 x 288 x 784 52 / 60, 64 x 576 x 196 29 / 97, 64 x 576 x 64 12 / 53,
     * 64 x 64 x 4096 41 / 53. (Every m up to 64 took the dot products before, as measured on the previous host.)
     * From {@link #NR} rows on, a product wide enough is computed transposed instead ({@link #TRANSPOSED_M}). With B
     * transposed in registers ({@link VectorTranspose}), packing is still slower below that: dot products against
     * packing (DOT_KERNEL_M 3), GFLOP/s, 16 x 144 x 1024 80 / 41, 24 x 144 x 1024 77 / 50, 8 x 100 x 2048 76 / 23, 4 x
     * 400 x 500 67 / 20, 8 x 72 x 784 78 / 30, 16 x 288 x 256 70 / 66 (CompareBuilds gemm, 9 rounds, 2026-11-29).
     */
    static final int DOT_KERNEL_M = 32;
    static final int DOT_KERNEL_K_PER_ROW = 32;
    /**
     * Largest block sizes along k and n (see the class comment). NC = 1024 packs each A panel half as often as 512 at
     * 1024^3: 82.6 and 116.5 against 80.0 and 111.8 GFLOP/s in two rows of one CompareBuilds run, conv shapes equal.
     */
    private static final int KC = 384;
    private static final int NC = 1024;
    /**
     * Up to this many steps along k, a whole tile of C = op(A) op(B) (alpha 1, beta 0) is stored by the micro-kernel
     * itself rather than parked in the tile array and copied by {@link #update}: that copy is the same work for any
     * k, so it weighs most on short products. Measured (CompareBuilds gemm, 2026-11-28), stored directly against
     * parked: 32 x 784 x 9 1.10-1.18x, 16 x 1024 x 27 1.05-1.16x, but 16 x 1024 x 144 0.91-0.95x; 1024^3 and k = 288
     * within the noise. Where beta' is 1, whole tiles are added to C by the kernel at any k (not measured against
     * parking for a single k block with beta 1, as gradients accumulate). (With AVX-512, such short products with
     * alpha 1 and beta 0 or 1 are now mostly computed unpacked, {@link #UNPACKED_M}: these figures are from before.)
     */
    static final int DIRECT_STORE_K = 64;
    /**
     * Up to this many rows (at most three 12-row A panels, four of 8 rows with 256-bit vectors), a plain B is not
     * packed when A's panels are (n >= {@link #PACK_A_N}, or A transposed): the packed kernels read its whole panels
     * where they lie, row p of a panel at B's own stride, and only the partial last panel is packed (padded). Packing
     * B costs about 1 / m of the product, and with so few panels of A the copy is not repaid. Measured (CompareBuilds
     * gemm, 7 rounds, 2026-11-29), in place against packed: 16 x 1024 x 27 1.28-1.31x, 16 x 1024 x 144 1.29-1.34x, 32 x
     * 784 x 288 1.15-1.18x, 32 x 784 x 9 1.04-1.12x; with 64 or more rows it loses (0.92-0.93x at 64 x 196 x 288 and
     * 576), and at 1024^3 it runs at 0.6x. Measured on AVX-512 only. A transposed A is always packed, so B is read in
     * place under it at any n: T's product of a transposed last column panel ({@link #transposedTail}) with A as its
     * B, 4 x 288 x 64 under 288 x 196 x 64, spent 5.9% of the whole product's time packing that B (perf), 2.0% read in
     * place; transposed-A products with n below {@link #PACK_A_N}, in place against packed (both orders): 16 x 256 x 32
     * (ResNet's 1 x 1 shortcuts' input gradients) 1.32-1.35x, 32 x 64 x 64 1.12-1.17x, 32 x 256 x 16 1.15-1.20x, 8 x
     * 400 x 25 1.54-1.67x, 24 x 100 x 48 0.98-0.99x. (With AVX-512, most of these products with alpha 1 and beta 0
     * or 1 are now computed unpacked, {@link #UNPACKED_M}: the figures are from before.)
     */
    static final int B_IN_PLACE_M = 32;
    /**
     * From this many columns on, each A panel is packed (reused over at least 16 B panels, the copy pays: measured
     * 82 against 68 GFLOP/s at 1024^3); narrower products read A in place (64 x 64 x 576: 76 against 39).
     */
    static final int PACK_A_N = 16 * NR;
    /**
     * A transposed B wider than A is tall (n k > m (k + n)) and at most this many rows of A, from {@link #NR} up:
     * the product is computed transposed, C^T = B A^T, where packing transposes A rather than B, and the result T is
     * added to C transposed (m n more values moved, fewer than the n k - m k it saves). Measured (CompareBuilds gemm, 7
     * rounds, both orders, 2026-11-29), transposed against direct: 32 x 288 x 784 1.37-1.45x, 32 x 288 x 256
     * 1.33-1.34x, 64 x 256 x 784 (mlp's first layer) 1.12-1.14x, 64 x 256 x 256 1.09-1.10x, 64 x 576 x 196
     * 1.08-1.11x, 64 x 288 x 196 1.02x; and against the dot products, which such products with few rows but long
     * ones took before ({@link #DOT_KERNEL_M}): 32 x 144 x 1024 1.3-1.5x. Measured on AVX-512 only. The bound keeps T
     * (m x NC at most) near packed B's size. With both transposes in registers ({@link VectorTranspose}), measured
     * again: the direct product on these shapes 0.78-0.97x, and computing 64 x 576 x 64, 64 x 288 x 64, 64 x 64 x 576
     * and 128 x 576 x 64 transposed too (outside the condition) 0.90-0.97x (CompareBuilds gemm, 7 rounds, 2026-11-29).
     */
    static final int TRANSPOSED_M = 256;

    /**
     * A product with alpha 1 and beta 0 or 1, a plain B, at least 4 rows, and 4 vectors of columns or more, at most
     * one vector past the last whole 4-vector tile, is computed from op(A) and B where they lie ({@link
     * #multiplyUnpacked}), where B has at most {@link #UNPACKED_B_L1} values (read again for every 4 rows of C, from
     * L1), or at most {@link #UNPACKED_B_L2} and C at most this many rows (read again at most 8 times, from L2); with
     * AVX-512 only (the 4 x 4-vector tile needs 16 accumulators of the 32 registers). Measured (CompareBuilds gemm, 9
     * rounds, both orders, 2026-11-29), unpacked against packed, GFLOP/s: 32 x 784 x 9 97.1 / 75.0 and 97.0 / 78.5
     * (OpenBLAS, which runs such products unpacked too, 94.7 and 97.5), 32 x 256 x 144 104.6 / 90.6 and 104.5 / 90.6,
     * 32 x 256 x 288 102.8 / 91.0 and 103.2 / 91.9, transposed-A 576 x 64 x 64 111.9 / 99.7 and 106.7 / 98.8, mlp's
     * 64 x 256 x 10 90.9 / 59.0 and 88.2 / 57.1; 16 x 1024 x 27 and transposed-A 288 x 256 x 32 within the noise.
     * Outside these bounds the packed kernels won (one JVM per shape, a harness of CompareBuilds' kind): where B is
     * read again more often, 64 x 196 x 288 83 / 100, transposed-A 576 x 196 x 64 93 / 102, 144 x 1024 x 16 88 / 94,
     * 1024 x 1024 x 16 80 / 90; where B does not fit in L2, 32 x 600 x 800 82 / 103, 32 x 1024 x 576 84 / 103, 32 x
     * 4096 x 256 85 / 97. The columns past the whole tiles take one vector of 4 rows at a time (4 broadcasts for 4
     * FMAs): with more than one vector of them, LeNet-5's 16 x 100 x 150 and transposed-A 150 x 100 x 16 ran at
     * 0.89-0.96x of the packed kernels (CompareBuilds gemm, 9 rounds, both orders).
     */
    static final int UNPACKED_M = 32;
    /** See {@link #UNPACKED_M}: 8,192 floats, half of a 32 KB L1. */
    static final int UNPACKED_B_L1 = 8192;
    /** See {@link #UNPACKED_M}: 131,072 floats, half of a 1 MB L2. */
    static final int UNPACKED_B_L2 = 1 << 17;
    /** Whether {@link #unpackedKernel} runs at all: with AVX-512's 512-bit vectors only (see {@link #UNPACKED_M}). */
    private static final boolean UNPACKED = S.vectorBitSize() == 512;

    /** Whether vectors are AVX-512's, and so scatters compiled (see {@link #addTransposed}). */
    private static final boolean SCATTER = S.vectorBitSize() >= 512;

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private static final class Buffers {
        float[] a = new float[0];
        float[] b = new float[0];
        /** C transposed, where the product is computed as C^T = B op(A)^T. */
        float[] t = new float[0];
        final float[] tile = new float[TALL_MR * NR];
        /** j * ld for the L lanes of a gather: from a transposed B (ld = ldb), or from T (ld = m). */
        final int[] rowStarts = new int[L];

        /** i * ldc for the L lanes of a scatter into a column of C (addTransposed). */
        final int[] columnStarts = new int[L];

        int[] rowStarts(int ldb) {
            return starts(rowStarts, ldb);
        }

        int[] columnStarts(int ldc) {
            return starts(columnStarts, ldc);
        }

        private static int[] starts(int[] starts, int ld) {
            if (starts[1] != ld) {
                for (int j = 0; j < L; j++) {
                    starts[j] = j * ld;
                }
            }
            return starts;
        }

        float[] a(int size) {
            return a = atLeast(a, size);
        }

        float[] b(int size) {
            return b = atLeast(b, size);
        }

        float[] t(int size) {
            return t = atLeast(t, size);
        }

        /** The buffer, or a larger one where it holds fewer than size floats. */
        private static float[] atLeast(float[] buffer, int size) {
            return buffer.length < size ? new float[size] : buffer;
        }
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        Buffers buf = BUFFERS.get();
        if (unpacked(transB, m, n, k, alpha, beta)) {
            multiplyUnpacked(transA, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, buf);
            return;
        }
        if (computedTransposed(transA, transB, m, n, k)) { // NC rows of C^T at a time: A is transposed while packing
            int nStep = blockSize(n, NC, NR);
            for (int j0 = 0; j0 < n; j0 += nStep) {
                multiplyTransposed(transA, transB, m, j0, Math.min(nStep, n - j0), k, alpha, a, aOff, lda, b, bOff,
                        ldb, beta, c, cOff, ldc, buf);
            }
            return;
        }
        int tail = transposedTail(transA, transB, n, k);
        int n0 = n - tail;
        multiply(transA, transB, m, n0, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, buf);
        if (tail > 0) {
            multiplyTransposed(transA, transB, m, n0, tail, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
                    buf);
        }
    }

    /**
     * C = op(A) B + beta C (beta 0 or 1) for a product that {@link #unpacked} accepts: the whole 4-row tiles of whole
     * vectors by {@link #unpackedKernel}, their last n % L columns by the packed kernels, the last 1 to 3 rows by the
     * row kernel. (A masked last vector in the kernel would do without the packed kernels, but C2 did not remove its
     * vectors there: the bench's lenet5 and seed-cnn allocated 1.2 and 4.6 MB per training step.)
     */
    private static void multiplyUnpacked(boolean transA, int m, int n, int k, float[] a, int aOff, int lda,
                                         float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc,
                                         Buffers buf) {
        int rows = m / 4 * 4;
        int cols = n / L * L;
        unpackedKernel(transA, rows, cols, k, a, aOff, lda, b, bOff, ldb, beta == 1f, c, cOff, ldc,
                transA ? null : buf.a(4 * k));
        if (cols < n) {
            multiply(transA, false, rows, n - cols, k, 1f, a, aOff, lda, b, bOff + cols, ldb, beta, c, cOff + cols,
                    ldc, buf);
        }
        if (rows < m) {
            rowKernel(transA, m - rows, n, k, 1f, a, aOff + rows * (transA ? 1 : lda), lda, b, bOff, ldb, beta, c,
                    cOff + rows * ldc, ldc, buf);
        }
    }

    /**
     * C's columns j0..j0+cols of the product, computed as T = op(B)[:, j0:j0+cols]^T op(A)^T (cols x m, in the
     * per-thread buffer t) and added to C transposed.
     */
    private static void multiplyTransposed(boolean transA, boolean transB, int m, int j0, int cols, int k, float alpha,
                                           float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta,
                                           float[] c, int cOff, int ldc, Buffers buf) {
        float[] t = buf.t(cols * m);
        multiply(!transB, !transA, cols, m, k, alpha, b, bOff + (transB ? j0 * ldb : j0), ldb, a, aOff, lda, 0f, t, 0,
                m, buf);
        addTransposed(m, cols, t, beta, c, cOff + j0, ldc, buf.rowStarts(m), buf.columnStarts(ldc), buf.tile);
    }

    /**
     * The columns at the right edge of a plain B that are computed transposed (0 for none), as the rows of T =
     * op(B)[:, n0:]^T op(A)^T: the last n % NR columns where they fill at most a quarter of a vector (n = 196 = 6 x 32
     * + 4). In C's own tiles they would cost a whole vector of B per step (a one-vector kernel); T has those columns
     * as its 1 to L / 4 rows. With a plain A, T's product is dot products of B's columns with A's rows ({@link
     * #dotKernel}), used where they are at least {@link #DOT_KERNEL_K_PER_ROW} steps per row of T (4 rows would
     * otherwise go to the packed kernels, which would transpose all of A). With a transposed A, T's rows are sums of
     * A's rows ({@link #rowKernel}, up to 3 rows), or a 4-row panel of the packed kernels with A read in place
     * ({@link #B_IN_PLACE_M}). Measured (CompareBuilds gemm, 7 rounds, both orders, 2026-11-29), against the
     * one-vector kernels: 64 x 196 x 288 1.06-1.14x, 64 x 196 x 576 1.09-1.16x, transposed-A 288 x 196 x 64
     * 1.04-1.06x, 576 x 196 x 64 1.02-1.06x; the one-vector kernels' share of 64 x 196 x 576 was 8.5-9% (perf), T's dot
     * products and their copy of B's last columns take 5-6%. Measured on AVX-512 only.
     */
    static int transposedTail(boolean transA, boolean transB, int n, int k) {
        int tail = n % NR;
        return !transB && n > NR && tail <= L / 4 && (transA || k >= DOT_KERNEL_K_PER_ROW * tail) ? tail : 0;
    }

    /** Whether the product is computed from the operands where they lie ({@link #UNPACKED_M}). */
    static boolean unpacked(boolean transB, int m, int n, int k, float alpha, float beta) {
        long bSize = (long) k * n;
        return UNPACKED && !transB && alpha == 1f && (beta == 0f || beta == 1f) && m >= ROW_KERNEL_M && n >= 4 * L
                && n % (4 * L) <= L && (bSize <= UNPACKED_B_L1 || m <= UNPACKED_M && bSize <= UNPACKED_B_L2);
    }

    /** Whether the product is computed as C^T = B A^T ({@link #TRANSPOSED_M}). */
    static boolean computedTransposed(boolean transA, boolean transB, int m, int n, int k) {
        return transB && !transA && m >= NR && m <= TRANSPOSED_M && (long) n * k > (long) m * (k + n);
    }

    private static void multiply(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                 float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                 float beta, float[] c, int cOff, int ldc, Buffers buf) {
        // a transposed B: dot products below the row kernel's rows too (it reads a plain B)
        if (transB && (m < ROW_KERNEL_M || m <= DOT_KERNEL_M && k >= DOT_KERNEL_K_PER_ROW * m || n < NR)) {
            dotKernel(transA, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, buf);
            return;
        }
        if (m < ROW_KERNEL_M) {
            rowKernel(transA, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, buf);
            return;
        }
        int kcStep = blockSize(k, KC, 1);
        int ncStep = blockSize(n, NC, NR);
        boolean packAll = n >= PACK_A_N;
        boolean inPlace = !transB && m <= B_IN_PLACE_M && (packAll || transA); // whole panels of B read in place
        float[] pa = buf.a(TALL_MR * Math.min(k, kcStep) + L);
        float[] pb = buf.b(roundUp(Math.min(n, ncStep), NR) * Math.min(k, kcStep));
        float[] tile = buf.tile;
        for (int jc = 0; jc < n; jc += ncStep) {
            int nc = Math.min(ncStep, n - jc);
            int packedFrom = inPlace ? nc / NR * NR : 0; // the panels from here on are packed
            for (int pc = 0; pc < k; pc += kcStep) {
                int kc = Math.min(kcStep, k - pc);
                float betaBlock = pc == 0 ? beta : 1f;
                packB(transB, b, bOff, ldb, pc, kc, jc + packedFrom, nc - packedFrom, pb, buf.rowStarts(ldb));
                for (int ir = 0, rows; ir < m; ir += rows) {
                    boolean pack = packAll || m - ir < MR || transA;
                    rows = pack ? panelRows(m - ir) : MR;
                    int mr = Math.min(rows, m - ir);
                    int ci = cOff + ir * ldc + jc;
                    // whole tiles (alpha 1) go to C by the kernel itself: added to C where beta is 1 (every k block
                    // after the first), stored where beta is 0 and k is short; the rest are parked for update
                    boolean wholeRows = alpha == 1f && mr == rows;
                    boolean add = wholeRows && betaBlock == 1f;
                    boolean storeRows = add || wholeRows && betaBlock == 0f && kc <= DIRECT_STORE_K;
                    if (pack) {
                        packA(transA, a, aOff, lda, ir, mr, rows, pc, kc, pa, buf.rowStarts(lda));
                    }
                    for (int jr = 0, panels; jr < nc; jr += panels * NR) {
                        int nr = Math.min(NR, nc - jr);
                        boolean direct = storeRows && nr == NR; // the kernel writes whole tiles into C
                        panels = direct && pack ? nc / NR - jr / NR : 1; // all the row's whole tiles in one call
                        float[] out = direct ? c : tile;
                        int oi = direct ? ci + jr : 0;
                        int ldo = direct ? ldc : NR;
                        // whole panels from B itself where it is read in place, the others from pb
                        boolean packedB = jr >= packedFrom;
                        float[] bp = packedB ? pb : b;
                        int bBase = packedB ? (jr - packedFrom) * kc : bOff + pc * ldb + jc + jr;
                        int bStride = packedB ? NR : ldb;
                        // from one B panel to the next: a call's whole panels all come from one place, B itself
                        // (every whole panel where B is read in place: packedFrom = nc / NR * NR) or pb
                        int bNext = packedB ? kc * NR : NR;
                        if (nr <= L && !pack) { // a last panel of at most L columns (always packed): one vector wide
                            narrowRowsKernel(kc, a, aOff + ir * lda + pc, lda, pb, bBase, tile);
                        } else if (nr <= L && rows == TALL_MR && TALL_MR > MR) {
                            narrowTallKernel(kc, pa, pb, bBase, tile);
                        } else if (!pack) { // never with B in place, which needs a packed A (packAll or transA)
                            rowsKernel(kc, a, aOff + ir * lda + pc, lda, pb, bBase, out, oi, ldo, direct && add);
                        } else if (rows == MR) {
                            packedKernel(kc, pa, bp, bBase, bStride, bNext, panels, out, oi, ldo, direct && add);
                        } else {
                            tallKernel(kc, pa, bp, bBase, bStride, bNext, panels, out, oi, ldo, direct && add);
                        }
                        if (!direct) {
                            update(tile, c, ci + jr, ldc, mr, nr, alpha, betaBlock);
                        }
                    }
                }
            }
        }
    }

    /**
     * C = op(A) B (add: C += op(A) B) for m rows, a multiple of 4, and n columns, a multiple of L, with B read where it
     * lies, as OpenBLAS's small-matrix kernel does: tiles of 4 rows by 4 vectors (16 accumulators), the 4 rows of C in
     * turn against all of B, each step loading 4 vectors of B's row p and broadcasting op(A)'s 4 values of column p;
     * then the vectors left, one vector of the 4 rows at a time. A transposed A is read where it lies too (its column
     * p's 4 values are side by side, and pa is null); a plain A's 4 rows are first copied into pa, side by side, since
     * with the rows lda apart the loop ran out of registers (73 against 85 GFLOP/s on 32 x 784 x 9, G3 harness). The
     * copy is 4 values a step, not {@link #packA}: that transposes 16 rows at a time where A has them, and 32 x 256 x
     * 144 and 288 and 64 x 256 x 10 ran 0.83-0.95x with it (CompareBuilds gemm, 9 rounds, both orders).
     * Packing costs as much as the product itself on short products ({@link #UNPACKED_M}); B is read again for every 4
     * rows.
     */
    private static void unpackedKernel(boolean transA, int m, int n, int k, float[] a, int aOff, int lda,
                                       float[] b, int bOff, int ldb, boolean add, float[] c, int cOff, int ldc,
                                       float[] pa) {
        int wide = n / (4 * L) * (4 * L);
        for (int i = 0; i < m; i += 4) {
            // op(A)'s 4 values of column p side by side at ap[as + p * ld]
            float[] ap = transA ? a : pa;
            int as = transA ? aOff + i : 0;
            int ld = transA ? lda : 4;
            if (!transA) {
                for (int p = 0; p < k; p++) {
                    int ai = aOff + i * lda + p;
                    pa[4 * p] = a[ai];
                    pa[4 * p + 1] = a[ai + lda];
                    pa[4 * p + 2] = a[ai + 2 * lda];
                    pa[4 * p + 3] = a[ai + 3 * lda];
                }
            }
            int ci = cOff + i * ldc;
            for (int j = 0; j < wide; j += 4 * L) {
                int o = ci + j;
                FloatVector c00 = add ? FloatVector.fromArray(S, c, o) : FloatVector.zero(S);
                FloatVector c01 = add ? FloatVector.fromArray(S, c, o + L) : FloatVector.zero(S);
                FloatVector c02 = add ? FloatVector.fromArray(S, c, o + 2 * L) : FloatVector.zero(S);
                FloatVector c03 = add ? FloatVector.fromArray(S, c, o + 3 * L) : FloatVector.zero(S);
                FloatVector c10 = add ? FloatVector.fromArray(S, c, o + ldc) : FloatVector.zero(S);
                FloatVector c11 = add ? FloatVector.fromArray(S, c, o + ldc + L) : FloatVector.zero(S);
                FloatVector c12 = add ? FloatVector.fromArray(S, c, o + ldc + 2 * L) : FloatVector.zero(S);
                FloatVector c13 = add ? FloatVector.fromArray(S, c, o + ldc + 3 * L) : FloatVector.zero(S);
                FloatVector c20 = add ? FloatVector.fromArray(S, c, o + 2 * ldc) : FloatVector.zero(S);
                FloatVector c21 = add ? FloatVector.fromArray(S, c, o + 2 * ldc + L) : FloatVector.zero(S);
                FloatVector c22 = add ? FloatVector.fromArray(S, c, o + 2 * ldc + 2 * L) : FloatVector.zero(S);
                FloatVector c23 = add ? FloatVector.fromArray(S, c, o + 2 * ldc + 3 * L) : FloatVector.zero(S);
                FloatVector c30 = add ? FloatVector.fromArray(S, c, o + 3 * ldc) : FloatVector.zero(S);
                FloatVector c31 = add ? FloatVector.fromArray(S, c, o + 3 * ldc + L) : FloatVector.zero(S);
                FloatVector c32 = add ? FloatVector.fromArray(S, c, o + 3 * ldc + 2 * L) : FloatVector.zero(S);
                FloatVector c33 = add ? FloatVector.fromArray(S, c, o + 3 * ldc + 3 * L) : FloatVector.zero(S);
                for (int p = 0; p < k; p++) {
                    int bi = bOff + p * ldb + j;
                    int ai = as + p * ld;
                    FloatVector b0 = FloatVector.fromArray(S, b, bi);
                    FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
                    FloatVector b2 = FloatVector.fromArray(S, b, bi + 2 * L);
                    FloatVector b3 = FloatVector.fromArray(S, b, bi + 3 * L);
                    FloatVector av = FloatVector.broadcast(S, ap[ai]);
                    c00 = av.fma(b0, c00);
                    c01 = av.fma(b1, c01);
                    c02 = av.fma(b2, c02);
                    c03 = av.fma(b3, c03);
                    av = FloatVector.broadcast(S, ap[ai + 1]);
                    c10 = av.fma(b0, c10);
                    c11 = av.fma(b1, c11);
                    c12 = av.fma(b2, c12);
                    c13 = av.fma(b3, c13);
                    av = FloatVector.broadcast(S, ap[ai + 2]);
                    c20 = av.fma(b0, c20);
                    c21 = av.fma(b1, c21);
                    c22 = av.fma(b2, c22);
                    c23 = av.fma(b3, c23);
                    av = FloatVector.broadcast(S, ap[ai + 3]);
                    c30 = av.fma(b0, c30);
                    c31 = av.fma(b1, c31);
                    c32 = av.fma(b2, c32);
                    c33 = av.fma(b3, c33);
                }
                c00.intoArray(c, o);
                c01.intoArray(c, o + L);
                c02.intoArray(c, o + 2 * L);
                c03.intoArray(c, o + 3 * L);
                c10.intoArray(c, o + ldc);
                c11.intoArray(c, o + ldc + L);
                c12.intoArray(c, o + ldc + 2 * L);
                c13.intoArray(c, o + ldc + 3 * L);
                c20.intoArray(c, o + 2 * ldc);
                c21.intoArray(c, o + 2 * ldc + L);
                c22.intoArray(c, o + 2 * ldc + 2 * L);
                c23.intoArray(c, o + 2 * ldc + 3 * L);
                c30.intoArray(c, o + 3 * ldc);
                c31.intoArray(c, o + 3 * ldc + L);
                c32.intoArray(c, o + 3 * ldc + 2 * L);
                c33.intoArray(c, o + 3 * ldc + 3 * L);
            }
            for (int j = wide; j < n; j += L) {
                int o = ci + j;
                FloatVector c0 = add ? FloatVector.fromArray(S, c, o) : FloatVector.zero(S);
                FloatVector c1 = add ? FloatVector.fromArray(S, c, o + ldc) : FloatVector.zero(S);
                FloatVector c2 = add ? FloatVector.fromArray(S, c, o + 2 * ldc) : FloatVector.zero(S);
                FloatVector c3 = add ? FloatVector.fromArray(S, c, o + 3 * ldc) : FloatVector.zero(S);
                for (int p = 0; p < k; p++) {
                    FloatVector b0 = FloatVector.fromArray(S, b, bOff + p * ldb + j);
                    int ai = as + p * ld;
                    c0 = FloatVector.broadcast(S, ap[ai]).fma(b0, c0);
                    c1 = FloatVector.broadcast(S, ap[ai + 1]).fma(b0, c1);
                    c2 = FloatVector.broadcast(S, ap[ai + 2]).fma(b0, c2);
                    c3 = FloatVector.broadcast(S, ap[ai + 3]).fma(b0, c3);
                }
                c0.intoArray(c, o);
                c1.intoArray(c, o + ldc);
                c2.intoArray(c, o + 2 * ldc);
                c3.intoArray(c, o + 3 * ldc);
            }
        }
    }

    /**
     * C = alpha * op(A) * B + beta * C for a few rows: each row of op(A) is combined directly with the unpacked B as a
     * sum of scaled rows of B (a transposed A row is first copied into a buffer).
     */
    private static void rowKernel(boolean transA, int m, int n, int k, float alpha,
                                  float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                  float beta, float[] c, int cOff, int ldc, Buffers buf) {
        for (int i = 0; i < m; i++) {
            float[] aRow = a;
            int ai = aOff + i * lda;
            if (transA) {
                aRow = buf.a(k);
                ai = 0;
                for (int p = 0; p < k; p++) {
                    aRow[p] = a[aOff + p * lda + i];
                }
            }
            rowTimesB(n, k, alpha, aRow, ai, b, bOff, ldb, beta, c, cOff + i * ldc, buf.tile);
        }
    }

    /**
     * C = alpha * op(A) * B^T + beta * C, B stored n x k, as dot products of rows of op(A) with rows of B, both
     * contiguous along k, so nothing needs transposing (a transposed A is first copied row-major). A 4 x 4 block of
     * dot products shares each loaded vector four times; leftover rows and columns take single dot products.
     */
    private static void dotKernel(boolean transA, int m, int n, int k, float alpha,
                                  float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                  float beta, float[] c, int cOff, int ldc, Buffers buf) {
        if (transA) {
            float[] rows = buf.a(m * k);
            for (int p = 0; p < k; p++) {
                for (int i = 0; i < m; i++) {
                    rows[i * k + p] = a[aOff + p * lda + i];
                }
            }
            a = rows;
            aOff = 0;
            lda = k;
        }
        float[] sums = buf.tile;
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int j = 0;
            for (; j + 4 <= n; j += 4) {
                int bj = bOff + j * ldb;
                dot4x4(k, a, aOff + i * lda, lda, b, bj, bj + ldb, bj + 2 * ldb, bj + 3 * ldb, sums);
                for (int r = 0; r < 4; r++) {
                    for (int q = 0; q < 4; q++) {
                        set(c, cOff + (i + r) * ldc + j + q, alpha * sums[4 * r + q], beta);
                    }
                }
            }
            for (; j < n; j++) {
                for (int r = i; r < i + 4; r++) {
                    set(c, cOff + r * ldc + j, alpha * dot(a, aOff + r * lda, b, bOff + j * ldb, k), beta);
                }
            }
        }
        for (; i < m; i++) {
            for (int j = 0; j < n; j++) {
                set(c, cOff + i * ldc + j, alpha * dot(a, aOff + i * lda, b, bOff + j * ldb, k), beta);
            }
        }
    }

    /**
     * The index map of a gather of L rows ld apart (j * ld for lane j): per thread, valid until this thread's next
     * call here or into the GEMM.
     */
    static int[] rowStarts(int ld) {
        return BUFFERS.get().rowStarts(ld);
    }

    /**
     * dst[d + p * ldd + j] = src[s + j * lds + p] for p &lt; cols and j &lt; L: L rows of src, lds apart, transposed
     * into cols rows of dst, ldd apart (an ldd below L lets each row's last lanes land where the next row goes). L x L
     * blocks in registers where vectors are AVX-512's ({@link VectorTranspose}), the rest a gather per row of dst
     * (rowStarts: j * lds for lane j).
     */
    static void transposeRows(float[] src, int s, int lds, int[] rowStarts, int cols, float[] dst, int d, int ldd) {
        int p = 0;
        if (VectorTranspose.AVAILABLE) {
            for (; p + L <= cols; p += L) {
                VectorTranspose.block(src, s + p, lds, dst, d + p * ldd, ldd);
            }
        }
        for (; p < cols; p++) {
            FloatVector.fromArray(S, src, s + p, rowStarts, 0).intoArray(dst, d + p * ldd);
        }
    }

    /** c[ci] = v + beta * c[ci], not reading c[ci] when beta is 0. */
    private static void set(float[] c, int ci, float v, float beta) {
        c[ci] = beta == 0f ? v : v + beta * c[ci];
    }

    /**
     * sums[4r + q] = dot(row r of x, row q of y) for four rows each, k long: the rows of x start ldx apart from xi,
     * those of y at yi, y1, y2 and y3.
     */
    static void dot4x4(int k, float[] x, int xi, int ldx, float[] y, int yi, int y1, int y2, int y3, float[] sums) {
        FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S), s02 = FloatVector.zero(S);
        FloatVector s03 = FloatVector.zero(S), s10 = FloatVector.zero(S), s11 = FloatVector.zero(S);
        FloatVector s12 = FloatVector.zero(S), s13 = FloatVector.zero(S), s20 = FloatVector.zero(S);
        FloatVector s21 = FloatVector.zero(S), s22 = FloatVector.zero(S), s23 = FloatVector.zero(S);
        FloatVector s30 = FloatVector.zero(S), s31 = FloatVector.zero(S), s32 = FloatVector.zero(S);
        FloatVector s33 = FloatVector.zero(S);
        int x1 = xi + ldx;
        int x2 = x1 + ldx;
        int x3 = x2 + ldx;
        int p = 0;
        for (int bound = S.loopBound(k); p < bound; p += L) { // a bound C2 can check once, not at every load
            FloatVector a0 = FloatVector.fromArray(S, x, xi + p);
            FloatVector a1 = FloatVector.fromArray(S, x, x1 + p);
            FloatVector a2 = FloatVector.fromArray(S, x, x2 + p);
            FloatVector a3 = FloatVector.fromArray(S, x, x3 + p);
            FloatVector b0 = FloatVector.fromArray(S, y, yi + p);
            FloatVector b1 = FloatVector.fromArray(S, y, y1 + p);
            FloatVector b2 = FloatVector.fromArray(S, y, y2 + p);
            FloatVector b3 = FloatVector.fromArray(S, y, y3 + p);
            s00 = a0.fma(b0, s00);
            s01 = a0.fma(b1, s01);
            s02 = a0.fma(b2, s02);
            s03 = a0.fma(b3, s03);
            s10 = a1.fma(b0, s10);
            s11 = a1.fma(b1, s11);
            s12 = a1.fma(b2, s12);
            s13 = a1.fma(b3, s13);
            s20 = a2.fma(b0, s20);
            s21 = a2.fma(b1, s21);
            s22 = a2.fma(b2, s22);
            s23 = a2.fma(b3, s23);
            s30 = a3.fma(b0, s30);
            s31 = a3.fma(b1, s31);
            s32 = a3.fma(b2, s32);
            s33 = a3.fma(b3, s33);
        }
        // park the accumulators, then add up each one's lanes in a fixed order (see laneSum)
        s00.intoArray(sums, 0 * L);
        s01.intoArray(sums, 1 * L);
        s02.intoArray(sums, 2 * L);
        s03.intoArray(sums, 3 * L);
        s10.intoArray(sums, 4 * L);
        s11.intoArray(sums, 5 * L);
        s12.intoArray(sums, 6 * L);
        s13.intoArray(sums, 7 * L);
        s20.intoArray(sums, 8 * L);
        s21.intoArray(sums, 9 * L);
        s22.intoArray(sums, 10 * L);
        s23.intoArray(sums, 11 * L);
        s30.intoArray(sums, 12 * L);
        s31.intoArray(sums, 13 * L);
        s32.intoArray(sums, 14 * L);
        s33.intoArray(sums, 15 * L);
        for (int v = 0; v < 16; v++) {
            sums[v] = laneSum(sums, v * L); // index v < v * L for v > 0: only overwrites lanes already added up
        }
        for (; p < k; p++) { // the last k % L steps, scalar (a masked vector step makes this method too big for C1)
            float xp0 = x[xi + p];
            float xp1 = x[x1 + p];
            float xp2 = x[x2 + p];
            float xp3 = x[x3 + p];
            addColumn(sums, 0, y[yi + p], xp0, xp1, xp2, xp3);
            addColumn(sums, 1, y[y1 + p], xp0, xp1, xp2, xp3);
            addColumn(sums, 2, y[y2 + p], xp0, xp1, xp2, xp3);
            addColumn(sums, 3, y[y3 + p], xp0, xp1, xp2, xp3);
        }
    }

    /** One step p of the four dot products with row q of y: sums[4r + q] += x_r[p] * y_q[p]. */
    private static void addColumn(float[] sums, int q, float yq, float x0, float x1, float x2, float x3) {
        sums[q] += x0 * yq;
        sums[4 + q] += x1 * yq;
        sums[8 + q] += x2 * yq;
        sums[12 + q] += x3 * yq;
    }

    static float dot(float[] x, int xi, float[] y, int yi, int k) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        int p = 0;
        for (int bound = k - k % (2 * L); p < bound; p += 2 * L) {
            s0 = FloatVector.fromArray(S, x, xi + p).fma(FloatVector.fromArray(S, y, yi + p), s0);
            s1 = FloatVector.fromArray(S, x, xi + p + L).fma(FloatVector.fromArray(S, y, yi + p + L), s1);
        }
        if (p < k) {
            VectorMask<Float> mask = S.indexInRange(p, k);
            s0 = FloatVector.fromArray(S, x, xi + p, mask).fma(FloatVector.fromArray(S, y, yi + p, mask), s0);
            p += L;
        }
        if (p < k) {
            VectorMask<Float> mask = S.indexInRange(p, k);
            s1 = FloatVector.fromArray(S, x, xi + p, mask).fma(FloatVector.fromArray(S, y, yi + p, mask), s1);
        }
        float[] lanes = BUFFERS.get().tile;
        s0.add(s1).intoArray(lanes, 0);
        return laneSum(lanes, 0);
    }

    /**
     * The sum of L parked lanes, added in index order. FloatVector.reduceLanes(ADD) leaves the order open, and the
     * compiled and interpreted versions differ in the last bit, so the same product could change from run to run.
     */
    private static float laneSum(float[] lanes, int off) {
        float s = 0f;
        for (int i = 0; i < L; i++) {
            s += lanes[off + i];
        }
        return s;
    }

    /**
     * C[i, :] = alpha * x * B + beta * C[i, :] for one row x of op(A): four vectors of columns at a time, then one
     * (masked) vector at a time. The sums go through the scratch array so no vector crosses a method call.
     */
    private static void rowTimesB(int n, int k, float alpha, float[] x, int xi, float[] b, int bOff, int ldb,
                                  float beta, float[] c, int ci, float[] scratch) {
        int j = 0;
        for (; j + 4 * L <= n; j += 4 * L) {
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = FloatVector.zero(S);
            FloatVector s2 = FloatVector.zero(S);
            FloatVector s3 = FloatVector.zero(S);
            for (int p = 0; p < k; p++) {
                FloatVector xp = FloatVector.broadcast(S, x[xi + p]);
                int bi = bOff + p * ldb + j;
                s0 = xp.fma(FloatVector.fromArray(S, b, bi), s0);
                s1 = xp.fma(FloatVector.fromArray(S, b, bi + L), s1);
                s2 = xp.fma(FloatVector.fromArray(S, b, bi + 2 * L), s2);
                s3 = xp.fma(FloatVector.fromArray(S, b, bi + 3 * L), s3);
            }
            s0.intoArray(scratch, 0);
            s1.intoArray(scratch, L);
            s2.intoArray(scratch, 2 * L);
            s3.intoArray(scratch, 3 * L);
            axpby(4 * L, alpha, scratch, 0, beta, c, ci + j);
        }
        for (; j < n; j += L) {
            VectorMask<Float> mask = S.indexInRange(j, n);
            FloatVector s0 = FloatVector.zero(S);
            for (int p = 0; p < k; p++) {
                s0 = FloatVector.broadcast(S, x[xi + p]).fma(FloatVector.fromArray(S, b, bOff + p * ldb + j, mask), s0);
            }
            s0.intoArray(scratch, 0);
            axpby(Math.min(L, n - j), alpha, scratch, 0, beta, c, ci + j);
        }
    }

    /** Splits size into equal blocks of at most max (a multiple of unit), so no block is a tiny leftover. */
    private static int blockSize(int size, int max, int unit) {
        int blocks = (size + max - 1) / max;
        return roundUp((size + blocks - 1) / blocks, unit);
    }

    private static int roundUp(int x, int unit) {
        return (x + unit - 1) / unit * unit;
    }

    /**
     * Rows of the packed A panel that starts where {@code left} rows of op(A) remain: {@link #TALL_MR} while the rest
     * still splits into whole panels of 12 and 8 rows (counted in groups of 4: 16 = 8 + 8, 20 = 12 + 8, 64 = 4 x 12 +
     * 2 x 8), else 8; the last panel may be partial (padded with zeros).
     */
    static int panelRows(int left) {
        int quads = (left + 3) / 4;
        return TALL_MR > MR && quads >= 3 && quads != 4 ? TALL_MR : MR;
    }

    /**
     * Packs the panel op(A)[ir:ir+mr, pc:pc+kc] with (r, p) at p * rows + r, rows mr..rows-1 zero. A transposed A's
     * column p of the panel is contiguous: a whole panel's column is copied as one vector, whose lanes past the
     * panel's rows land where the next column goes (or, after the last, in the L floats pa has to spare). Copied by
     * System.arraycopy, 12 floats a call, packing took a third of 576 x 64 x 64's time (perf, the arraycopy stubs);
     * as vectors 576 x 64 x 64 ran 1.16-1.22x faster (CompareBuilds gemm, 11 rounds, both orders, 2026-11-29); in a
     * loop of their own, with the columns past A's end (where a vector would read beyond it) copied after it, rather
     * than one loop testing each column, packing's share of 576 x 64 x 64 went from 21% to 13-16% (perf), transposed-A
     * products 0.95-1.10x, mostly 1.02-1.07x (8 shapes, both orders). A plain A's column p is gathered the same way,
     * one vector of rows ir.. at stride lda (rowStarts), where A holds L rows from ir (the lanes past the panel's rows
     * are read, never used): packing's share of 1024^3 6.5% -> 4.3% with the gather against one float at a time
     * (perf), 1024^3 1.00-1.09x (CompareBuilds gemm, both orders); 4.1-4.2% -> 3.0% in a loop of its own. With
     * AVX-512, 16 columns at a time are one 16 x 16 block of those rows transposed in registers ({@link
     * VectorTranspose}), each column stored as its gather would be: 1024^3 1.03-1.04x (9 rounds, both orders,
     * 2026-11-29), at 1.00x of OpenBLAS in both runs. (C2's
     * compiles of multiply, which inlines this, peak at about 7,000 live nodes: far from the cutoff at which the Vector
     * API's intrinsics would be left out.)
     */
    private static void packA(boolean transA, float[] a, int aOff, int lda, int ir, int mr, int rows, int pc, int kc,
                              float[] pa, int[] rowStarts) {
        boolean wholeVectors = mr == rows && rows <= L; // a column of the panel is one vector
        if (transA && wholeVectors) { // whole vectors while they stay inside A, then copies
            int col0 = aOff + pc * lda + ir;
            int vectors = Math.min(kc, Math.max(0, Math.floorDiv(a.length - L - col0, lda) + 1));
            for (int p = 0; p < vectors; p++) {
                FloatVector.fromArray(S, a, col0 + p * lda).intoArray(pa, p * rows);
            }
            for (int p = vectors; p < kc; p++) {
                System.arraycopy(a, col0 + p * lda, pa, p * rows, mr);
            }
            return;
        }
        if (!transA && wholeVectors && aOff + (ir + L - 1) * lda + pc + kc <= a.length) { // a plain A holds L rows
            transposeRows(a, aOff + ir * lda + pc, lda, rowStarts, kc, pa, 0, rows);
            return;
        }
        for (int p = 0; p < kc; p++) {
            int d = p * rows;
            if (transA) { // a partial panel's column p
                System.arraycopy(a, aOff + (pc + p) * lda + ir, pa, d, mr);
            } else {
                int src = aOff + ir * lda + pc + p;
                for (int r = 0; r < mr; r++) {
                    pa[d + r] = a[src + r * lda];
                }
            }
            java.util.Arrays.fill(pa, d + mr, d + rows, 0f);
        }
    }

    /**
     * Packs op(B)[pc:pc+kc, jc:jc+nc] as NR-column panels; panel j holds (p, j) at j*kc*NR + p*NR + j%NR. A transposed
     * B's whole panels are transposed 16 x 16 blocks at a time in registers where vectors are AVX-512's, the last kc %
     * 16 rows with gathers: the packing's share of 64 x 576 x 64 (B transposed) went from 25% to 10% (perf), and the
     * product ran 1.15-1.20x faster (CompareBuilds gemm, both orders, 2026-11-29).
     */
    private static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int jc, int nc,
                              float[] pb, int[] rowStarts) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int dst = jr * kc;
            if (transB && nr == NR) {
                int src0 = bOff + (jc + jr) * ldb + pc;
                transposeRows(b, src0, ldb, rowStarts, kc, pb, dst, NR); // the panel's first L columns
                transposeRows(b, src0 + L * ldb, ldb, rowStarts, kc, pb, dst + L, NR);
            } else if (transB) {
                int src = bOff + (jc + jr) * ldb + pc;
                for (int p = 0; p < kc; p++) {
                    int d = dst + p * NR;
                    for (int j = 0; j < nr; j++) {
                        pb[d + j] = b[src + j * ldb + p];
                    }
                    for (int j = nr; j < NR; j++) {
                        pb[d + j] = 0f;
                    }
                }
            } else if (nr == NR) {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (pc + p) * ldb + jc + jr;
                    int d = dst + p * NR;
                    FloatVector.fromArray(S, b, src).intoArray(pb, d);
                    FloatVector.fromArray(S, b, src + L).intoArray(pb, d + L);
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (pc + p) * ldb + jc + jr;
                    int d = dst + p * NR;
                    System.arraycopy(b, src, pb, d, nr);
                    java.util.Arrays.fill(pb, d + nr, d + NR, 0f);
                }
            }
        }
    }

    /**
     * The micro-kernel on a packed A panel (element (r, p) at p * MR + r): A panel * B panel, stored in out with row r
     * at oi + r * ldo (the tile array for {@link #update} to add to C, or C itself), or with {@code add} added to
     * the values there (C's tile where beta' is 1: its accumulators start from them). The B panel's row p starts at
     * bBase + p * ldb: ldb is NR in a packed panel, B's own row stride where B is read in place ({@link
     * #B_IN_PLACE_M}). The stride MR is a constant, which lets C2 fold the A offsets into the addressing of the
     * broadcasts; B's variable stride costs a bounds check per load of B (4 per 32 or 48 FMAs), not per broadcast.
     *
     * <p>It computes {@code panels} tiles along a row of C, one after another: tile t from the B panel at bBase + t *
     * bNext into the columns from oi + t * NR (more than one only where the kernel writes whole tiles into C). One call
     * per row of tiles rather than per tile measured, in CompareBuilds gemm runs over the 23 shapes (a JIT profile
     * mixed as a model's), 1.03-1.32x on 32 x 784 x 9, 1.00-1.25x on transposed-A 144 x 1024 x 16, 1.04-1.11x on 288 x
     * 784 x 32, the other shapes within the noise; alone in a JVM, 32 x 784 x 9 ran the same either way (2026-11-29).
     * The same loop cost the kernel reading A in place ({@link #rowsKernel}) 1.2-1.3x on its products (64 x 196 x 576,
     * 64 x 64 x 288), so that one keeps a call per tile.
     */
    private static void packedKernel(int kc, float[] pa, float[] b, int bBase, int ldb, int bNext, int panels,
                                     float[] out, int oi, int ldo, boolean add) {
        for (int t = 0; t < panels; t++) { // tile t of the row: B panel t, C columns t * NR on
            int bt = bBase + t * bNext;
            int ot = oi + t * NR;
            FloatVector c00 = add ? FloatVector.fromArray(S, out, ot) : FloatVector.zero(S);
            FloatVector c01 = add ? FloatVector.fromArray(S, out, ot + L) : FloatVector.zero(S);
            FloatVector c10 = add ? FloatVector.fromArray(S, out, ot + ldo) : FloatVector.zero(S);
            FloatVector c11 = add ? FloatVector.fromArray(S, out, ot + ldo + L) : FloatVector.zero(S);
            FloatVector c20 = add ? FloatVector.fromArray(S, out, ot + 2 * ldo) : FloatVector.zero(S);
            FloatVector c21 = add ? FloatVector.fromArray(S, out, ot + 2 * ldo + L) : FloatVector.zero(S);
            FloatVector c30 = add ? FloatVector.fromArray(S, out, ot + 3 * ldo) : FloatVector.zero(S);
            FloatVector c31 = add ? FloatVector.fromArray(S, out, ot + 3 * ldo + L) : FloatVector.zero(S);
            FloatVector c40 = add ? FloatVector.fromArray(S, out, ot + 4 * ldo) : FloatVector.zero(S);
            FloatVector c41 = add ? FloatVector.fromArray(S, out, ot + 4 * ldo + L) : FloatVector.zero(S);
            FloatVector c50 = add ? FloatVector.fromArray(S, out, ot + 5 * ldo) : FloatVector.zero(S);
            FloatVector c51 = add ? FloatVector.fromArray(S, out, ot + 5 * ldo + L) : FloatVector.zero(S);
            FloatVector c60 = add ? FloatVector.fromArray(S, out, ot + 6 * ldo) : FloatVector.zero(S);
            FloatVector c61 = add ? FloatVector.fromArray(S, out, ot + 6 * ldo + L) : FloatVector.zero(S);
            FloatVector c70 = add ? FloatVector.fromArray(S, out, ot + 7 * ldo) : FloatVector.zero(S);
            FloatVector c71 = add ? FloatVector.fromArray(S, out, ot + 7 * ldo + L) : FloatVector.zero(S);
            int steps = kc / 2;
            for (int q = 0; q < steps; q++) { // two steps per iteration: 32 FMAs in flight
                int ai = q * 2 * MR;
                int bi = bt + q * 2 * ldb;
                FloatVector b0 = FloatVector.fromArray(S, b, bi);
                FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
                FloatVector av = FloatVector.broadcast(S, pa[ai]);
                c00 = av.fma(b0, c00);
                c01 = av.fma(b1, c01);
                av = FloatVector.broadcast(S, pa[ai + 1]);
                c10 = av.fma(b0, c10);
                c11 = av.fma(b1, c11);
                av = FloatVector.broadcast(S, pa[ai + 2]);
                c20 = av.fma(b0, c20);
                c21 = av.fma(b1, c21);
                av = FloatVector.broadcast(S, pa[ai + 3]);
                c30 = av.fma(b0, c30);
                c31 = av.fma(b1, c31);
                av = FloatVector.broadcast(S, pa[ai + 4]);
                c40 = av.fma(b0, c40);
                c41 = av.fma(b1, c41);
                av = FloatVector.broadcast(S, pa[ai + 5]);
                c50 = av.fma(b0, c50);
                c51 = av.fma(b1, c51);
                av = FloatVector.broadcast(S, pa[ai + 6]);
                c60 = av.fma(b0, c60);
                c61 = av.fma(b1, c61);
                av = FloatVector.broadcast(S, pa[ai + 7]);
                c70 = av.fma(b0, c70);
                c71 = av.fma(b1, c71);
                b0 = FloatVector.fromArray(S, b, bi + ldb);
                b1 = FloatVector.fromArray(S, b, bi + ldb + L);
                av = FloatVector.broadcast(S, pa[ai + 8]);
                c00 = av.fma(b0, c00);
                c01 = av.fma(b1, c01);
                av = FloatVector.broadcast(S, pa[ai + 9]);
                c10 = av.fma(b0, c10);
                c11 = av.fma(b1, c11);
                av = FloatVector.broadcast(S, pa[ai + 10]);
                c20 = av.fma(b0, c20);
                c21 = av.fma(b1, c21);
                av = FloatVector.broadcast(S, pa[ai + 11]);
                c30 = av.fma(b0, c30);
                c31 = av.fma(b1, c31);
                av = FloatVector.broadcast(S, pa[ai + 12]);
                c40 = av.fma(b0, c40);
                c41 = av.fma(b1, c41);
                av = FloatVector.broadcast(S, pa[ai + 13]);
                c50 = av.fma(b0, c50);
                c51 = av.fma(b1, c51);
                av = FloatVector.broadcast(S, pa[ai + 14]);
                c60 = av.fma(b0, c60);
                c61 = av.fma(b1, c61);
                av = FloatVector.broadcast(S, pa[ai + 15]);
                c70 = av.fma(b0, c70);
                c71 = av.fma(b1, c71);
            }
            int p = 2 * steps;
            if (p < kc) {
                int ai = p * MR;
                int bi = bt + p * ldb;
                FloatVector b0 = FloatVector.fromArray(S, b, bi);
                FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
                FloatVector av = FloatVector.broadcast(S, pa[ai]);
                c00 = av.fma(b0, c00);
                c01 = av.fma(b1, c01);
                av = FloatVector.broadcast(S, pa[ai + 1]);
                c10 = av.fma(b0, c10);
                c11 = av.fma(b1, c11);
                av = FloatVector.broadcast(S, pa[ai + 2]);
                c20 = av.fma(b0, c20);
                c21 = av.fma(b1, c21);
                av = FloatVector.broadcast(S, pa[ai + 3]);
                c30 = av.fma(b0, c30);
                c31 = av.fma(b1, c31);
                av = FloatVector.broadcast(S, pa[ai + 4]);
                c40 = av.fma(b0, c40);
                c41 = av.fma(b1, c41);
                av = FloatVector.broadcast(S, pa[ai + 5]);
                c50 = av.fma(b0, c50);
                c51 = av.fma(b1, c51);
                av = FloatVector.broadcast(S, pa[ai + 6]);
                c60 = av.fma(b0, c60);
                c61 = av.fma(b1, c61);
                av = FloatVector.broadcast(S, pa[ai + 7]);
                c70 = av.fma(b0, c70);
                c71 = av.fma(b1, c71);
            }
            c00.intoArray(out, ot);
            c01.intoArray(out, ot + L);
            c10.intoArray(out, ot + ldo);
            c11.intoArray(out, ot + ldo + L);
            c20.intoArray(out, ot + 2 * ldo);
            c21.intoArray(out, ot + 2 * ldo + L);
            c30.intoArray(out, ot + 3 * ldo);
            c31.intoArray(out, ot + 3 * ldo + L);
            c40.intoArray(out, ot + 4 * ldo);
            c41.intoArray(out, ot + 4 * ldo + L);
            c50.intoArray(out, ot + 5 * ldo);
            c51.intoArray(out, ot + 5 * ldo + L);
            c60.intoArray(out, ot + 6 * ldo);
            c61.intoArray(out, ot + 6 * ldo + L);
            c70.intoArray(out, ot + 7 * ldo);
            c71.intoArray(out, ot + 7 * ldo + L);
        }
    }

    /**
     * The micro-kernel on a packed panel of {@link #TALL_MR} = 12 rows (element (r, p) at p * 12 + r), for AVX-512's 32
     * vector registers: 24 accumulators, each loaded B vector used 12 times rather than 8. Otherwise as {@link
     * #packedKernel}.
     */
    private static void tallKernel(int kc, float[] pa, float[] b, int bBase, int ldb, int bNext, int panels,
                                   float[] out, int oi, int ldo, boolean add) {
        for (int t = 0; t < panels; t++) { // tile t of the row: B panel t, C columns t * NR on
            int bt = bBase + t * bNext;
            int ot = oi + t * NR;
            FloatVector c00 = add ? FloatVector.fromArray(S, out, ot) : FloatVector.zero(S);
            FloatVector c01 = add ? FloatVector.fromArray(S, out, ot + L) : FloatVector.zero(S);
            FloatVector c10 = add ? FloatVector.fromArray(S, out, ot + ldo) : FloatVector.zero(S);
            FloatVector c11 = add ? FloatVector.fromArray(S, out, ot + ldo + L) : FloatVector.zero(S);
            FloatVector c20 = add ? FloatVector.fromArray(S, out, ot + 2 * ldo) : FloatVector.zero(S);
            FloatVector c21 = add ? FloatVector.fromArray(S, out, ot + 2 * ldo + L) : FloatVector.zero(S);
            FloatVector c30 = add ? FloatVector.fromArray(S, out, ot + 3 * ldo) : FloatVector.zero(S);
            FloatVector c31 = add ? FloatVector.fromArray(S, out, ot + 3 * ldo + L) : FloatVector.zero(S);
            FloatVector c40 = add ? FloatVector.fromArray(S, out, ot + 4 * ldo) : FloatVector.zero(S);
            FloatVector c41 = add ? FloatVector.fromArray(S, out, ot + 4 * ldo + L) : FloatVector.zero(S);
            FloatVector c50 = add ? FloatVector.fromArray(S, out, ot + 5 * ldo) : FloatVector.zero(S);
            FloatVector c51 = add ? FloatVector.fromArray(S, out, ot + 5 * ldo + L) : FloatVector.zero(S);
            FloatVector c60 = add ? FloatVector.fromArray(S, out, ot + 6 * ldo) : FloatVector.zero(S);
            FloatVector c61 = add ? FloatVector.fromArray(S, out, ot + 6 * ldo + L) : FloatVector.zero(S);
            FloatVector c70 = add ? FloatVector.fromArray(S, out, ot + 7 * ldo) : FloatVector.zero(S);
            FloatVector c71 = add ? FloatVector.fromArray(S, out, ot + 7 * ldo + L) : FloatVector.zero(S);
            FloatVector c80 = add ? FloatVector.fromArray(S, out, ot + 8 * ldo) : FloatVector.zero(S);
            FloatVector c81 = add ? FloatVector.fromArray(S, out, ot + 8 * ldo + L) : FloatVector.zero(S);
            FloatVector c90 = add ? FloatVector.fromArray(S, out, ot + 9 * ldo) : FloatVector.zero(S);
            FloatVector c91 = add ? FloatVector.fromArray(S, out, ot + 9 * ldo + L) : FloatVector.zero(S);
            FloatVector ca0 = add ? FloatVector.fromArray(S, out, ot + 10 * ldo) : FloatVector.zero(S);
            FloatVector ca1 = add ? FloatVector.fromArray(S, out, ot + 10 * ldo + L) : FloatVector.zero(S);
            FloatVector cb0 = add ? FloatVector.fromArray(S, out, ot + 11 * ldo) : FloatVector.zero(S);
            FloatVector cb1 = add ? FloatVector.fromArray(S, out, ot + 11 * ldo + L) : FloatVector.zero(S);
            int steps = kc / 2;
            for (int q = 0; q < steps; q++) { // as packedKernel, 48 FMAs per iteration
                int ai = q * 2 * TALL_MR;
                int bi = bt + q * 2 * ldb;
                FloatVector b0 = FloatVector.fromArray(S, b, bi);
                FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
                FloatVector av = FloatVector.broadcast(S, pa[ai]);
                c00 = av.fma(b0, c00);
                c01 = av.fma(b1, c01);
                av = FloatVector.broadcast(S, pa[ai + 1]);
                c10 = av.fma(b0, c10);
                c11 = av.fma(b1, c11);
                av = FloatVector.broadcast(S, pa[ai + 2]);
                c20 = av.fma(b0, c20);
                c21 = av.fma(b1, c21);
                av = FloatVector.broadcast(S, pa[ai + 3]);
                c30 = av.fma(b0, c30);
                c31 = av.fma(b1, c31);
                av = FloatVector.broadcast(S, pa[ai + 4]);
                c40 = av.fma(b0, c40);
                c41 = av.fma(b1, c41);
                av = FloatVector.broadcast(S, pa[ai + 5]);
                c50 = av.fma(b0, c50);
                c51 = av.fma(b1, c51);
                av = FloatVector.broadcast(S, pa[ai + 6]);
                c60 = av.fma(b0, c60);
                c61 = av.fma(b1, c61);
                av = FloatVector.broadcast(S, pa[ai + 7]);
                c70 = av.fma(b0, c70);
                c71 = av.fma(b1, c71);
                av = FloatVector.broadcast(S, pa[ai + 8]);
                c80 = av.fma(b0, c80);
                c81 = av.fma(b1, c81);
                av = FloatVector.broadcast(S, pa[ai + 9]);
                c90 = av.fma(b0, c90);
                c91 = av.fma(b1, c91);
                av = FloatVector.broadcast(S, pa[ai + 10]);
                ca0 = av.fma(b0, ca0);
                ca1 = av.fma(b1, ca1);
                av = FloatVector.broadcast(S, pa[ai + 11]);
                cb0 = av.fma(b0, cb0);
                cb1 = av.fma(b1, cb1);
                b0 = FloatVector.fromArray(S, b, bi + ldb);
                b1 = FloatVector.fromArray(S, b, bi + ldb + L);
                av = FloatVector.broadcast(S, pa[ai + 12]);
                c00 = av.fma(b0, c00);
                c01 = av.fma(b1, c01);
                av = FloatVector.broadcast(S, pa[ai + 13]);
                c10 = av.fma(b0, c10);
                c11 = av.fma(b1, c11);
                av = FloatVector.broadcast(S, pa[ai + 14]);
                c20 = av.fma(b0, c20);
                c21 = av.fma(b1, c21);
                av = FloatVector.broadcast(S, pa[ai + 15]);
                c30 = av.fma(b0, c30);
                c31 = av.fma(b1, c31);
                av = FloatVector.broadcast(S, pa[ai + 16]);
                c40 = av.fma(b0, c40);
                c41 = av.fma(b1, c41);
                av = FloatVector.broadcast(S, pa[ai + 17]);
                c50 = av.fma(b0, c50);
                c51 = av.fma(b1, c51);
                av = FloatVector.broadcast(S, pa[ai + 18]);
                c60 = av.fma(b0, c60);
                c61 = av.fma(b1, c61);
                av = FloatVector.broadcast(S, pa[ai + 19]);
                c70 = av.fma(b0, c70);
                c71 = av.fma(b1, c71);
                av = FloatVector.broadcast(S, pa[ai + 20]);
                c80 = av.fma(b0, c80);
                c81 = av.fma(b1, c81);
                av = FloatVector.broadcast(S, pa[ai + 21]);
                c90 = av.fma(b0, c90);
                c91 = av.fma(b1, c91);
                av = FloatVector.broadcast(S, pa[ai + 22]);
                ca0 = av.fma(b0, ca0);
                ca1 = av.fma(b1, ca1);
                av = FloatVector.broadcast(S, pa[ai + 23]);
                cb0 = av.fma(b0, cb0);
                cb1 = av.fma(b1, cb1);
            }
            int p = 2 * steps;
            if (p < kc) {
                int ai = p * TALL_MR;
                int bi = bt + p * ldb;
                FloatVector b0 = FloatVector.fromArray(S, b, bi);
                FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
                FloatVector av = FloatVector.broadcast(S, pa[ai]);
                c00 = av.fma(b0, c00);
                c01 = av.fma(b1, c01);
                av = FloatVector.broadcast(S, pa[ai + 1]);
                c10 = av.fma(b0, c10);
                c11 = av.fma(b1, c11);
                av = FloatVector.broadcast(S, pa[ai + 2]);
                c20 = av.fma(b0, c20);
                c21 = av.fma(b1, c21);
                av = FloatVector.broadcast(S, pa[ai + 3]);
                c30 = av.fma(b0, c30);
                c31 = av.fma(b1, c31);
                av = FloatVector.broadcast(S, pa[ai + 4]);
                c40 = av.fma(b0, c40);
                c41 = av.fma(b1, c41);
                av = FloatVector.broadcast(S, pa[ai + 5]);
                c50 = av.fma(b0, c50);
                c51 = av.fma(b1, c51);
                av = FloatVector.broadcast(S, pa[ai + 6]);
                c60 = av.fma(b0, c60);
                c61 = av.fma(b1, c61);
                av = FloatVector.broadcast(S, pa[ai + 7]);
                c70 = av.fma(b0, c70);
                c71 = av.fma(b1, c71);
                av = FloatVector.broadcast(S, pa[ai + 8]);
                c80 = av.fma(b0, c80);
                c81 = av.fma(b1, c81);
                av = FloatVector.broadcast(S, pa[ai + 9]);
                c90 = av.fma(b0, c90);
                c91 = av.fma(b1, c91);
                av = FloatVector.broadcast(S, pa[ai + 10]);
                ca0 = av.fma(b0, ca0);
                ca1 = av.fma(b1, ca1);
                av = FloatVector.broadcast(S, pa[ai + 11]);
                cb0 = av.fma(b0, cb0);
                cb1 = av.fma(b1, cb1);
            }
            c00.intoArray(out, ot);
            c01.intoArray(out, ot + L);
            c10.intoArray(out, ot + ldo);
            c11.intoArray(out, ot + ldo + L);
            c20.intoArray(out, ot + 2 * ldo);
            c21.intoArray(out, ot + 2 * ldo + L);
            c30.intoArray(out, ot + 3 * ldo);
            c31.intoArray(out, ot + 3 * ldo + L);
            c40.intoArray(out, ot + 4 * ldo);
            c41.intoArray(out, ot + 4 * ldo + L);
            c50.intoArray(out, ot + 5 * ldo);
            c51.intoArray(out, ot + 5 * ldo + L);
            c60.intoArray(out, ot + 6 * ldo);
            c61.intoArray(out, ot + 6 * ldo + L);
            c70.intoArray(out, ot + 7 * ldo);
            c71.intoArray(out, ot + 7 * ldo + L);
            c80.intoArray(out, ot + 8 * ldo);
            c81.intoArray(out, ot + 8 * ldo + L);
            c90.intoArray(out, ot + 9 * ldo);
            c91.intoArray(out, ot + 9 * ldo + L);
            ca0.intoArray(out, ot + 10 * ldo);
            ca1.intoArray(out, ot + 10 * ldo + L);
            cb0.intoArray(out, ot + 11 * ldo);
            cb1.intoArray(out, ot + 11 * ldo + L);
        }
    }

    /**
     * {@link #tallKernel} on a last, packed panel of B with at most L columns (n = 784 = 24 x 32 + 16, say; columns
     * that fill at most a quarter of a vector are mostly computed transposed instead, {@link #transposedTail}): one
     * vector of B per step, 12 FMAs (a whole-width tile would spend as many on the zero padding again). Even and odd
     * steps add into separate accumulators (24 chains of FMAs, 12 would leave the FMA units waiting on their
     * latency), summed at the end. Its tile goes to {@code tile} for {@link #update}.
     */
    private static void narrowTallKernel(int kc, float[] pa, float[] pb, int bBase, float[] tile) {
        FloatVector c0 = FloatVector.zero(S), d0 = FloatVector.zero(S);
        FloatVector c1 = FloatVector.zero(S), d1 = FloatVector.zero(S);
        FloatVector c2 = FloatVector.zero(S), d2 = FloatVector.zero(S);
        FloatVector c3 = FloatVector.zero(S), d3 = FloatVector.zero(S);
        FloatVector c4 = FloatVector.zero(S), d4 = FloatVector.zero(S);
        FloatVector c5 = FloatVector.zero(S), d5 = FloatVector.zero(S);
        FloatVector c6 = FloatVector.zero(S), d6 = FloatVector.zero(S);
        FloatVector c7 = FloatVector.zero(S), d7 = FloatVector.zero(S);
        FloatVector c8 = FloatVector.zero(S), d8 = FloatVector.zero(S);
        FloatVector c9 = FloatVector.zero(S), d9 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), d10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S), d11 = FloatVector.zero(S);
        int steps = kc / 2;
        for (int q = 0; q < steps; q++) { // even steps into c, odd ones into d
            int p = 2 * q;
            FloatVector b0 = FloatVector.fromArray(S, pb, bBase + p * NR);
            FloatVector b1 = FloatVector.fromArray(S, pb, bBase + p * NR + NR);
            c0 = FloatVector.broadcast(S, pa[p * TALL_MR]).fma(b0, c0);
            d0 = FloatVector.broadcast(S, pa[p * TALL_MR + TALL_MR]).fma(b1, d0);
            c1 = FloatVector.broadcast(S, pa[p * TALL_MR + 1]).fma(b0, c1);
            d1 = FloatVector.broadcast(S, pa[p * TALL_MR + TALL_MR + 1]).fma(b1, d1);
            c2 = FloatVector.broadcast(S, pa[p * TALL_MR + 2]).fma(b0, c2);
            d2 = FloatVector.broadcast(S, pa[p * TALL_MR + TALL_MR + 2]).fma(b1, d2);
            c3 = FloatVector.broadcast(S, pa[p * TALL_MR + 3]).fma(b0, c3);
            d3 = FloatVector.broadcast(S, pa[p * TALL_MR + TALL_MR + 3]).fma(b1, d3);
            c4 = FloatVector.broadcast(S, pa[p * TALL_MR + 4]).fma(b0, c4);
            d4 = FloatVector.broadcast(S, pa[p * TALL_MR + TALL_MR + 4]).fma(b1, d4);
            c5 = FloatVector.broadcast(S, pa[p * TALL_MR + 5]).fma(b0, c5);
            d5 = FloatVector.broadcast(S, pa[p * TALL_MR + TALL_MR + 5]).fma(b1, d5);
            c6 = FloatVector.broadcast(S, pa[p * TALL_MR + 6]).fma(b0, c6);
            d6 = FloatVector.broadcast(S, pa[p * TALL_MR + TALL_MR + 6]).fma(b1, d6);
            c7 = FloatVector.broadcast(S, pa[p * TALL_MR + 7]).fma(b0, c7);
            d7 = FloatVector.broadcast(S, pa[p * TALL_MR + TALL_MR + 7]).fma(b1, d7);
            c8 = FloatVector.broadcast(S, pa[p * TALL_MR + 8]).fma(b0, c8);
            d8 = FloatVector.broadcast(S, pa[p * TALL_MR + TALL_MR + 8]).fma(b1, d8);
            c9 = FloatVector.broadcast(S, pa[p * TALL_MR + 9]).fma(b0, c9);
            d9 = FloatVector.broadcast(S, pa[p * TALL_MR + TALL_MR + 9]).fma(b1, d9);
            c10 = FloatVector.broadcast(S, pa[p * TALL_MR + 10]).fma(b0, c10);
            d10 = FloatVector.broadcast(S, pa[p * TALL_MR + TALL_MR + 10]).fma(b1, d10);
            c11 = FloatVector.broadcast(S, pa[p * TALL_MR + 11]).fma(b0, c11);
            d11 = FloatVector.broadcast(S, pa[p * TALL_MR + TALL_MR + 11]).fma(b1, d11);
        }
        if (2 * steps < kc) {
            int p = 2 * steps;
            FloatVector b0 = FloatVector.fromArray(S, pb, bBase + p * NR);
            c0 = FloatVector.broadcast(S, pa[p * TALL_MR]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, pa[p * TALL_MR + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, pa[p * TALL_MR + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, pa[p * TALL_MR + 3]).fma(b0, c3);
            c4 = FloatVector.broadcast(S, pa[p * TALL_MR + 4]).fma(b0, c4);
            c5 = FloatVector.broadcast(S, pa[p * TALL_MR + 5]).fma(b0, c5);
            c6 = FloatVector.broadcast(S, pa[p * TALL_MR + 6]).fma(b0, c6);
            c7 = FloatVector.broadcast(S, pa[p * TALL_MR + 7]).fma(b0, c7);
            c8 = FloatVector.broadcast(S, pa[p * TALL_MR + 8]).fma(b0, c8);
            c9 = FloatVector.broadcast(S, pa[p * TALL_MR + 9]).fma(b0, c9);
            c10 = FloatVector.broadcast(S, pa[p * TALL_MR + 10]).fma(b0, c10);
            c11 = FloatVector.broadcast(S, pa[p * TALL_MR + 11]).fma(b0, c11);
        }
        c0.add(d0).intoArray(tile, 0);
        c1.add(d1).intoArray(tile, NR);
        c2.add(d2).intoArray(tile, 2 * NR);
        c3.add(d3).intoArray(tile, 3 * NR);
        c4.add(d4).intoArray(tile, 4 * NR);
        c5.add(d5).intoArray(tile, 5 * NR);
        c6.add(d6).intoArray(tile, 6 * NR);
        c7.add(d7).intoArray(tile, 7 * NR);
        c8.add(d8).intoArray(tile, 8 * NR);
        c9.add(d9).intoArray(tile, 9 * NR);
        c10.add(d10).intoArray(tile, 10 * NR);
        c11.add(d11).intoArray(tile, 11 * NR);
    }

    /**
     * {@link #rowsKernel} on a last, packed panel of B with at most L columns: as {@link #narrowTallKernel}, 8 rows
     * of a plain A read in place.
     */
    private static void narrowRowsKernel(int kc, float[] a, int aBase, int lda, float[] pb, int bBase, float[] tile) {
        FloatVector c0 = FloatVector.zero(S), d0 = FloatVector.zero(S);
        FloatVector c1 = FloatVector.zero(S), d1 = FloatVector.zero(S);
        FloatVector c2 = FloatVector.zero(S), d2 = FloatVector.zero(S);
        FloatVector c3 = FloatVector.zero(S), d3 = FloatVector.zero(S);
        FloatVector c4 = FloatVector.zero(S), d4 = FloatVector.zero(S);
        FloatVector c5 = FloatVector.zero(S), d5 = FloatVector.zero(S);
        FloatVector c6 = FloatVector.zero(S), d6 = FloatVector.zero(S);
        FloatVector c7 = FloatVector.zero(S), d7 = FloatVector.zero(S);
        int a0 = aBase;
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        int a4 = a3 + lda;
        int a5 = a4 + lda;
        int a6 = a5 + lda;
        int a7 = a6 + lda;
        int steps = kc / 2;
        for (int q = 0; q < steps; q++) { // even steps into c, odd ones into d
            int p = 2 * q;
            FloatVector b0 = FloatVector.fromArray(S, pb, bBase + p * NR);
            FloatVector b1 = FloatVector.fromArray(S, pb, bBase + p * NR + NR);
            c0 = FloatVector.broadcast(S, a[a0 + p]).fma(b0, c0);
            d0 = FloatVector.broadcast(S, a[a0 + p + 1]).fma(b1, d0);
            c1 = FloatVector.broadcast(S, a[a1 + p]).fma(b0, c1);
            d1 = FloatVector.broadcast(S, a[a1 + p + 1]).fma(b1, d1);
            c2 = FloatVector.broadcast(S, a[a2 + p]).fma(b0, c2);
            d2 = FloatVector.broadcast(S, a[a2 + p + 1]).fma(b1, d2);
            c3 = FloatVector.broadcast(S, a[a3 + p]).fma(b0, c3);
            d3 = FloatVector.broadcast(S, a[a3 + p + 1]).fma(b1, d3);
            c4 = FloatVector.broadcast(S, a[a4 + p]).fma(b0, c4);
            d4 = FloatVector.broadcast(S, a[a4 + p + 1]).fma(b1, d4);
            c5 = FloatVector.broadcast(S, a[a5 + p]).fma(b0, c5);
            d5 = FloatVector.broadcast(S, a[a5 + p + 1]).fma(b1, d5);
            c6 = FloatVector.broadcast(S, a[a6 + p]).fma(b0, c6);
            d6 = FloatVector.broadcast(S, a[a6 + p + 1]).fma(b1, d6);
            c7 = FloatVector.broadcast(S, a[a7 + p]).fma(b0, c7);
            d7 = FloatVector.broadcast(S, a[a7 + p + 1]).fma(b1, d7);
        }
        if (2 * steps < kc) {
            int p = 2 * steps;
            FloatVector b0 = FloatVector.fromArray(S, pb, bBase + p * NR);
            c0 = FloatVector.broadcast(S, a[a0 + p]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, a[a1 + p]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, a[a2 + p]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, a[a3 + p]).fma(b0, c3);
            c4 = FloatVector.broadcast(S, a[a4 + p]).fma(b0, c4);
            c5 = FloatVector.broadcast(S, a[a5 + p]).fma(b0, c5);
            c6 = FloatVector.broadcast(S, a[a6 + p]).fma(b0, c6);
            c7 = FloatVector.broadcast(S, a[a7 + p]).fma(b0, c7);
        }
        c0.add(d0).intoArray(tile, 0);
        c1.add(d1).intoArray(tile, NR);
        c2.add(d2).intoArray(tile, 2 * NR);
        c3.add(d3).intoArray(tile, 3 * NR);
        c4.add(d4).intoArray(tile, 4 * NR);
        c5.add(d5).intoArray(tile, 5 * NR);
        c6.add(d6).intoArray(tile, 6 * NR);
        c7.add(d7).intoArray(tile, 7 * NR);
    }

    /**
     * The micro-kernel reading a plain (not transposed) A in place: element (r, p) of the panel at aBase + r * lda + p;
     * B is always packed here. Otherwise as {@link #packedKernel}, one tile per call.
     */
    private static void rowsKernel(int kc, float[] a, int aBase, int lda, float[] pb, int bBase, float[] out, int oi,
                                   int ldo, boolean add) {
        FloatVector c00 = add ? FloatVector.fromArray(S, out, oi) : FloatVector.zero(S);
        FloatVector c01 = add ? FloatVector.fromArray(S, out, oi + L) : FloatVector.zero(S);
        FloatVector c10 = add ? FloatVector.fromArray(S, out, oi + ldo) : FloatVector.zero(S);
        FloatVector c11 = add ? FloatVector.fromArray(S, out, oi + ldo + L) : FloatVector.zero(S);
        FloatVector c20 = add ? FloatVector.fromArray(S, out, oi + 2 * ldo) : FloatVector.zero(S);
        FloatVector c21 = add ? FloatVector.fromArray(S, out, oi + 2 * ldo + L) : FloatVector.zero(S);
        FloatVector c30 = add ? FloatVector.fromArray(S, out, oi + 3 * ldo) : FloatVector.zero(S);
        FloatVector c31 = add ? FloatVector.fromArray(S, out, oi + 3 * ldo + L) : FloatVector.zero(S);
        FloatVector c40 = add ? FloatVector.fromArray(S, out, oi + 4 * ldo) : FloatVector.zero(S);
        FloatVector c41 = add ? FloatVector.fromArray(S, out, oi + 4 * ldo + L) : FloatVector.zero(S);
        FloatVector c50 = add ? FloatVector.fromArray(S, out, oi + 5 * ldo) : FloatVector.zero(S);
        FloatVector c51 = add ? FloatVector.fromArray(S, out, oi + 5 * ldo + L) : FloatVector.zero(S);
        FloatVector c60 = add ? FloatVector.fromArray(S, out, oi + 6 * ldo) : FloatVector.zero(S);
        FloatVector c61 = add ? FloatVector.fromArray(S, out, oi + 6 * ldo + L) : FloatVector.zero(S);
        FloatVector c70 = add ? FloatVector.fromArray(S, out, oi + 7 * ldo) : FloatVector.zero(S);
        FloatVector c71 = add ? FloatVector.fromArray(S, out, oi + 7 * ldo + L) : FloatVector.zero(S);
        int a0 = aBase;
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        int a4 = a3 + lda;
        int a5 = a4 + lda;
        int a6 = a5 + lda;
        int a7 = a6 + lda;
        int steps = kc / 2;
        for (int q = 0; q < steps; q++) { // as in packedKernel
            int p = 2 * q;
            int bi = bBase + q * 2 * NR;
            FloatVector b0 = FloatVector.fromArray(S, pb, bi);
            FloatVector b1 = FloatVector.fromArray(S, pb, bi + L);
            FloatVector av = FloatVector.broadcast(S, a[a0 + p]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, a[a1 + p]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, a[a2 + p]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, a[a3 + p]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, a[a4 + p]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, a[a5 + p]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(S, a[a6 + p]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(S, a[a7 + p]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
            b0 = FloatVector.fromArray(S, pb, bi + NR);
            b1 = FloatVector.fromArray(S, pb, bi + NR + L);
            av = FloatVector.broadcast(S, a[a0 + p + 1]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, a[a1 + p + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, a[a2 + p + 1]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, a[a3 + p + 1]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, a[a4 + p + 1]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, a[a5 + p + 1]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(S, a[a6 + p + 1]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(S, a[a7 + p + 1]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
        }
        if (kc % 2 != 0) {
            int p = kc - 1;
            int bi = bBase + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, pb, bi);
            FloatVector b1 = FloatVector.fromArray(S, pb, bi + L);
            FloatVector av = FloatVector.broadcast(S, a[a0 + p]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, a[a1 + p]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, a[a2 + p]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, a[a3 + p]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, a[a4 + p]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, a[a5 + p]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(S, a[a6 + p]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(S, a[a7 + p]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
        }
        c00.intoArray(out, oi);
        c01.intoArray(out, oi + L);
        c10.intoArray(out, oi + ldo);
        c11.intoArray(out, oi + ldo + L);
        c20.intoArray(out, oi + 2 * ldo);
        c21.intoArray(out, oi + 2 * ldo + L);
        c30.intoArray(out, oi + 3 * ldo);
        c31.intoArray(out, oi + 3 * ldo + L);
        c40.intoArray(out, oi + 4 * ldo);
        c41.intoArray(out, oi + 4 * ldo + L);
        c50.intoArray(out, oi + 5 * ldo);
        c51.intoArray(out, oi + 5 * ldo + L);
        c60.intoArray(out, oi + 6 * ldo);
        c61.intoArray(out, oi + 6 * ldo + L);
        c70.intoArray(out, oi + 7 * ldo);
        c71.intoArray(out, oi + 7 * ldo + L);
    }

    /**
     * C = T^T + beta * C, where T (n x m) holds C's columns as its rows. C's rows are taken L at a time: L x L blocks
     * transposed in registers ({@link VectorTranspose}, AVX-512; through the block buffer where beta is not 0), else
     * gathers, each one's L lines of T serving all L rows (row by row, the whole of T passed through the cache for
     * every row). With the blocks, the products computed transposed measured 1.06-1.14x faster (32 x 288 x 256, 64 x
     * 288 x 196, 64 x 576 x 196, 32 x 288 x 784, packing their A transposed the same way; CompareBuilds gemm,
     * 2026-11-29). The last n % L columns of C are written by a scatter of T's row per column, where the vectors are
     * AVX-512's (without it, C2 does not compile scatters and the Java fallback allocates): for T's 4 rows under 288 x
     * 196 x 64, 0.95% of the product's time against 2.5% one value at a time (perf).
     */
    private static void addTransposed(int m, int n, float[] t, float beta, float[] c, int cOff, int ldc,
                                      int[] rowStarts, int[] columnStarts, float[] block) {
        int wholeN = n / L * L;
        for (int i0 = 0; i0 < m; i0 += L) {
            int rows = Math.min(L, m - i0);
            for (int j = 0; j < wholeN; j += L) {
                // the L x L block at once (AVAILABLE: L = 16), into C or through block (the tile: 12 x 32 floats)
                if (rows == L && VectorTranspose.AVAILABLE) {
                    int ci = cOff + i0 * ldc + j;
                    if (beta == 0f) {
                        VectorTranspose.block(t, j * m + i0, m, c, ci, ldc);
                        continue;
                    }
                    VectorTranspose.block(t, j * m + i0, m, block, 0, L);
                    for (int i = 0; i < L; i++) {
                        axpby(L, 1f, block, i * L, beta, c, ci + i * ldc);
                    }
                    continue;
                }
                for (int i = i0; i < i0 + rows; i++) {
                    int ci = cOff + i * ldc + j;
                    FloatVector x = FloatVector.fromArray(S, t, j * m + i, rowStarts, 0);
                    if (beta != 0f) {
                        x = FloatVector.fromArray(S, c, ci).mul(beta).add(x);
                    }
                    x.intoArray(c, ci);
                }
            }
            for (int j = wholeN; j < n; j++) { // C's column j, rows i0.., from T's row j
                if (rows == L && SCATTER) {
                    int ci = cOff + i0 * ldc + j;
                    FloatVector x = FloatVector.fromArray(S, t, j * m + i0);
                    if (beta != 0f) {
                        x = FloatVector.fromArray(S, c, ci, columnStarts, 0).mul(beta).add(x);
                    }
                    x.intoArray(c, ci, columnStarts, 0);
                } else {
                    for (int i = i0; i < i0 + rows; i++) {
                        set(c, cOff + i * ldc + j, t[j * m + i], beta);
                    }
                }
            }
        }
    }

    /** C[tile] = alpha * tile + beta * C[tile] on the top-left mr x nr corner. */
    private static void update(float[] tile, float[] c, int ci, int ldc, int mr, int nr, float alpha, float beta) {
        if (nr < NR) { // scalar: masked vector stores are slow until C2 has compiled them, and edges are rare
            for (int r = 0; r < mr; r++) {
                for (int j = 0; j < nr; j++) {
                    set(c, ci + r * ldc + j, alpha * tile[r * NR + j], beta);
                }
            }
            return;
        }
        for (int r = 0; r < mr; r++) {
            int row = ci + r * ldc;
            FloatVector x0 = FloatVector.fromArray(S, tile, r * NR).mul(alpha);
            FloatVector x1 = FloatVector.fromArray(S, tile, r * NR + L).mul(alpha);
            if (beta != 0f) {
                x0 = FloatVector.fromArray(S, c, row).mul(beta).add(x0);
                x1 = FloatVector.fromArray(S, c, row + L).mul(beta).add(x1);
            }
            x0.intoArray(c, row);
            x1.intoArray(c, row + L);
        }
    }

    /** c[ci:ci+len] = alpha * x[xi:xi+len] + beta * c[ci:ci+len], not reading c when beta is 0. */
    private static void axpby(int len, float alpha, float[] x, int xi, float beta, float[] c, int ci) {
        for (int v = 0; v < len; v += L) {
            if (v + L <= len) {
                FloatVector r = FloatVector.fromArray(S, x, xi + v).mul(alpha);
                if (beta != 0f) {
                    r = FloatVector.fromArray(S, c, ci + v).mul(beta).add(r);
                }
                r.intoArray(c, ci + v);
            } else {
                VectorMask<Float> mask = S.indexInRange(v, len);
                FloatVector r = FloatVector.fromArray(S, x, xi + v, mask).mul(alpha);
                if (beta != 0f) {
                    r = FloatVector.fromArray(S, c, ci + v, mask).mul(beta).add(r);
                }
                r.intoArray(c, ci + v, mask);
            }
        }
    }
}
