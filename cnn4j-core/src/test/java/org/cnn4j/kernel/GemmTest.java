package org.cnn4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The fast kernels against {@link ReferenceGemm}, on awkward sizes, strides, offsets, alpha and beta. */
class GemmTest {
    /** Sentinel around and between the rows of C: a kernel must never write there. */
    private static final float OUTSIDE = -7777f;

    /**
     * m, n, k triples: edges of every tile and block size, k over KC, n over NC, the 12-row kernel with k = 1 and 3
     * (24 x 600), last column panels of at most L columns (the one-vector kernels, or transposed tails: n = 33, 129,
     * 196), tiny and degenerate cases. (With AVX-512, alpha 1 and beta 0 or 1 send some of these products, n = 129
     * under a plain B among them, to the unpacked kernel: shortProductsReadTheOperandsInPlace.)
     */
    private static final int[][] SIZES = {
            {1, 1, 1}, {1, 7, 1}, {7, 1, 33}, {7, 33, 65}, {33, 7, 129}, {65, 129, 7}, {129, 65, 33},
            {257, 33, 7}, {8, 32, 1}, {16, 64, 256}, {9, 31, 257}, {33, 17, 520}, {1, 257, 65}, {257, 1, 65},
            {24, 600, 9}, {520, 40, 12}, {32, 784, 9}, {64, 196, 288}, {3, 70, 40}, {65, 90, 17}, {9, 1100, 400},
            {24, 600, 1}, {24, 600, 3}, {2, 3, 0}, {0, 5, 5}, {5, 0, 5}};

    private static final float[][] ALPHA_BETA = {{1f, 0f}, {1f, 1f}, {-1.5f, 0.25f}, {0.5f, 0f}, {0f, 2f}};

    @ParameterizedTest
    @ValueSource(strings = {"vector", "scalar", "gemm"})
    void agreesWithReference(String kernelName) {
        Random rnd = new Random(42);
        int cases = 0;
        for (int[] size : SIZES) {
            for (int t = 0; t < 4; t++) {
                boolean transA = (t & 1) != 0;
                boolean transB = (t & 2) != 0;
                float[] ab = ALPHA_BETA[(cases++) % ALPHA_BETA.length];
                check(kernelName, transA, transB, size[0], size[1], size[2], ab[0], ab[1], rnd);
            }
        }
    }

    /**
     * A plain B under at most {@link VectorGemm#B_IN_PLACE_M} rows of A is read where it lies (whole panels) and
     * packed only for its last, partial panel: short products whose whole tiles the kernel stores into C itself
     * (alpha 1, beta 0, k up to 64), and the other alpha and beta, one A panel and several, with and without a partial
     * last panel of B, one and two k blocks. (n leaves more than a vector past the unpacked kernel's whole tiles, so
     * that alpha 1 with beta 0 or 1 stays on this path with AVX-512 too: {@link #shortProductsReadTheOperandsInPlace}.)
     */
    @Test
    void bReadInPlaceUnderFewRows() {
        Random rnd = new Random(11);
        for (int[] size : new int[][] {{5, 600, 9}, {12, 736, 64}, {32, 1050, 3}, {20, 540, 70}, {31, 513, 500}}) {
            for (float[] ab : new float[][] {{1f, 0f}, {1f, 1f}, {-1.5f, 0.25f}}) {
                check("vector", false, false, size[0], size[1], size[2], ab[0], ab[1], rnd);
            }
        }
    }

    /**
     * Short products with a plain B, alpha 1 and beta 0 or 1 are computed from the operands where they lie, with
     * AVX-512 ({@link VectorGemm#unpacked}): whole 4 x 4-vector tiles, a vector left one at a time (n = 80, 784), the
     * last n % L columns by the packed kernels (n = 136, 580, 1030) and the last 1 to 3 rows by the row kernel (m = 5,
     * 7, 13, 31, 99); B up to half of L1 under any number of rows (99 x 64 x 16), up to half of L2 under at most {@link
     * VectorGemm#UNPACKED_M} rows (31 x 1030 x 27, 32 x 256 x 288); plain and transposed A.
     */
    @ParameterizedTest
    @ValueSource(strings = {"vector", "gemm"})
    void shortProductsReadTheOperandsInPlace(String kernelName) {
        boolean avx512 = VectorGemm.NR == 32; // L = 16 floats: 512-bit vectors, the only ones the path runs on
        assertFalse(VectorGemm.unpacked(false, 8, 1024, 9, 0.5f, 0f));
        assertFalse(VectorGemm.unpacked(false, 8, 1024, 9, 1f, 0.5f));
        assertFalse(VectorGemm.unpacked(true, 8, 1024, 9, 1f, 0f));
        assertFalse(VectorGemm.unpacked(false, 3, 1024, 9, 1f, 0f));
        assertFalse(VectorGemm.unpacked(false, VectorGemm.UNPACKED_M + 1, 1024, 9, 1f, 0f)); // B beyond half of L1
        assertFalse(VectorGemm.unpacked(false, 16, 1024, 256, 1f, 0f)); // B beyond half of L2
        assertFalse(VectorGemm.unpacked(false, 16, 100, 150, 1f, 0f)); // more than a vector past the whole tiles
        Random rnd = new Random(19);
        for (int[] size : new int[][] {{4, 64, 1}, {5, 580, 9}, {7, 80, 3}, {13, 136, 20}, {32, 784, 9},
                {31, 1030, 27}, {32, 256, 288}, {99, 64, 16}}) {
            assertEquals(avx512, VectorGemm.unpacked(false, size[0], size[1], size[2], 1f, 1f));
            for (boolean transA : new boolean[] {false, true}) {
                check(kernelName, transA, false, size[0], size[1], size[2], 1f, 0f, rnd);
                check(kernelName, transA, false, size[0], size[1], size[2], 1f, 1f, rnd);
            }
        }
    }

    /**
     * A transposed B wider than A is tall is computed as C^T = B A^T and added to C transposed: C's rows and columns
     * in whole and partial vectors, C wider than one block of columns (33 x 1100), every kind of alpha and beta.
     */
    @ParameterizedTest
    @ValueSource(strings = {"vector", "gemm"})
    void wideProductsOfATransposedBAreComputedTransposed(String kernelName) {
        Random rnd = new Random(13);
        assertFalse(VectorGemm.computedTransposed(false, true, VectorGemm.TRANSPOSED_M + 1, 2000, 400));
        for (int[] size : new int[][] {{32, 288, 100}, {45, 200, 300}, {33, 1100, 100}, {64, 256, 784},
                {VectorGemm.TRANSPOSED_M, 2000, 400}}) {
            assertTrue(VectorGemm.computedTransposed(false, true, size[0], size[1], size[2]));
            for (float[] ab : ALPHA_BETA) {
                check(kernelName, false, true, size[0], size[1], size[2], ab[0], ab[1], rnd);
            }
        }
    }

    /**
     * The last columns of a plain B that fill at most a quarter of a vector are computed transposed, T = B^T op(A)^T,
     * and added to C's last columns: with a plain A where T's rows are long enough for the dot products, with a
     * transposed A at any k; one tail column and a quarter vector of them, A under B read in place and not, one k
     * block and several, every kind of alpha and beta (with AVX-512, alpha 1 with beta 0 or 1 sends 20 x 193 x k and
     * 20 x 196 x k to the unpacked kernel instead).
     */
    @ParameterizedTest
    @ValueSource(strings = {"vector", "gemm"})
    void narrowLastColumnsAreComputedTransposed(String kernelName) {
        int nr = VectorGemm.NR;
        int quarter = nr / 8; // L / 4
        assertEquals(0, VectorGemm.transposedTail(false, false, 6 * nr, 300));
        assertEquals(0, VectorGemm.transposedTail(false, true, 6 * nr + 1, 300));
        assertEquals(0, VectorGemm.transposedTail(true, false, 6 * nr + quarter + 1, 300));
        assertEquals(0, VectorGemm.transposedTail(false, false, 6 * nr + 1, VectorGemm.DOT_KERNEL_K_PER_ROW - 1));
        assertEquals(0, VectorGemm.transposedTail(true, false, 1, 300));
        Random rnd = new Random(17);
        for (int tail : new int[] {1, quarter}) {
            for (int[] mk : new int[][] {{20, 7}, {64, 300}, {90, 45}, {64, 800}}) {
                int n = 6 * nr + tail;
                for (boolean transA : new boolean[] {false, true}) {
                    int k = transA ? mk[1] : VectorGemm.DOT_KERNEL_K_PER_ROW * tail + mk[1];
                    assertEquals(tail, VectorGemm.transposedTail(transA, false, n, k));
                    for (float[] ab : ALPHA_BETA) {
                        check(kernelName, transA, false, mk[0], n, k, ab[0], ab[1], rnd);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vector", "scalar"})
    void betaZeroNeverReadsC(String kernelName) {
        Random rnd = new Random(7);
        for (int t = 0; t < 4; t++) {
            check(kernelName, (t & 1) != 0, (t & 2) != 0, 19, 45, 300, 2f, 0f, rnd);
            check(kernelName, (t & 1) != 0, (t & 2) != 0, 19, 45, 0, 1f, 0f, rnd);
        }
    }

    /**
     * Packed A panels of 12 and 8 rows (AVX-512) cover any m from 5 rows on with at most 3 rows of padding, tall ones
     * first; with 8-row panels only, the last one is padded. (This checks the split; the 12-row kernel's results are
     * checked by agreesWithReference, on hosts with 512-bit vectors, where it runs.)
     */
    @Test
    void packedPanelsSplitTheRowsWithoutWaste() {
        for (int m = 1; m <= 300; m++) {
            int computed = 0;
            int last = VectorGemm.TALL_MR;
            for (int left = m; left > 0; left -= VectorGemm.panelRows(left)) {
                int rows = VectorGemm.panelRows(left);
                assertTrue(rows == VectorGemm.MR || rows == VectorGemm.TALL_MR, "panel of " + rows + " rows");
                assertTrue(rows <= last, "a tall panel after a short one at m = " + m);
                last = rows;
                computed += rows;
            }
            int expected = VectorGemm.TALL_MR == VectorGemm.MR ? (m + 7) / 8 * 8 : Math.max(8, (m + 3) / 4 * 4);
            assertEquals(expected, computed, "rows computed for m = " + m);
        }
    }

    /**
     * The same product must give the same bits on the first call (interpreted) and after the JIT has compiled the
     * kernel: a reduction whose order changes between the two would make training runs irreproducible. A transposed B
     * with few rows takes the dot-product path, with a vector part and a scalar tail (5 x 6 x 77); a short plain
     * product the unpacked kernel on AVX-512, a whole tile and a vector (8 x 80 x 9), else the packed kernels.
     */
    @ParameterizedTest
    @ValueSource(strings = {"5x6x77 NT", "8x80x9 NN"})
    void resultsDoNotChangeOnceTheKernelIsCompiled(String product) {
        Random r = new Random(17);
        String[] mnk = product.split("[x ]");
        int m = Integer.parseInt(mnk[0]);
        int n = Integer.parseInt(mnk[1]);
        int k = Integer.parseInt(mnk[2]);
        boolean transB = product.endsWith("NT");
        float[] a = new float[m * k];
        float[] b = new float[n * k];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) r.nextGaussian();
        }
        int ldb = transB ? k : n;
        float[] first = new float[m * n];
        Gemm.sgemm(false, transB, m, n, k, 1f, a, 0, k, b, 0, ldb, 0f, first, 0, n);
        float[] again = new float[m * n];
        for (int call = 0; call < 30_000; call++) {
            Gemm.sgemm(false, transB, m, n, k, 1f, a, 0, k, b, 0, ldb, 0f, again, 0, n);
            if (!Arrays.equals(first, again)) {
                fail("call " + call + " gave " + Arrays.toString(again) + " after " + Arrays.toString(first));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vector", "gemm"})
    void wholeTilesOverSeveralKBlocks(String kernelName) {
        // whole tiles over three k blocks, alpha 1 and several betas; after the first block (and from the first with
        // beta 1) each kernel adds its tile to C itself: 12-row tiles (8-row ones with 256-bit vectors) with B in place
        // (24 rows) and packed (40), 8-row packed tiles (16 rows), a plain A read in place (n = 96), and then a last
        // panel of 8 columns, one vector wide (n = 104: too wide for a transposed tail)
        Random rnd = new Random(7);
        for (float beta : new float[] {0f, 1f, 0.5f}) {
            for (int[] size : new int[][] {{24, 600, 800}, {40, 600, 800}, {16, 600, 800}, {16, 96, 800},
                    {16, 104, 800}}) {
                check(kernelName, false, false, size[0], size[1], size[2], 1f, beta, rnd);
                check(kernelName, true, false, size[0], size[1], size[2], 1f, beta, rnd);
            }
        }
    }

    @Test
    void largeProductRunsInParallelAndAgrees() {
        int before = Parallel.threads();
        Parallel.setThreads(3);
        try {
            // m*n*k = 2^24 * 1.1, over the threshold, n = 7 * 64 + 5 gives uneven column chunks
            check("gemm", false, false, 128, 453, 318, 1f, 0f, new Random(3));
            check("gemm", true, true, 128, 453, 318, 0.5f, 2f, new Random(4));
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void concurrentCallsDoNotInterfere() throws Exception {
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = t;
                results.add(pool.submit(() -> {
                    Random rnd = new Random(seed);
                    for (int i = 0; i < 15; i++) {
                        int m = 1 + rnd.nextInt(70);
                        int n = 1 + rnd.nextInt(300);
                        int k = 1 + rnd.nextInt(300);
                        check("gemm", rnd.nextBoolean(), rnd.nextBoolean(), m, n, k, 1f, rnd.nextBoolean() ? 0f : 1f,
                                rnd);
                    }
                    return null;
                }));
            }
            for (Future<?> f : results) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void vectorKernelIsChosenWhenTheModuleIsPresent() {
        assertTrue(Gemm.vectorAvailable(), "surefire runs with --add-modules jdk.incubator.vector");
        assertEquals(System.getProperty("cnn4j.kernel", "vector"), Gemm.implementation());
    }

    @Test
    void scalarKernelIsChosenWithoutTheVectorModule() throws Exception {
        assertEquals("scalar", probe());
        assertEquals("reference", probe("-Dcnn4j.kernel=reference"));
    }

    @Test
    void rejectsNegativeSizesAndUnknownKernels() {
        float[] x = new float[4];
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, -1, 1, 1, 1f, x, 0, 1, x, 0, 1, 0f, x, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Gemm.choose("fast"));
    }

    /** Runs {@link GemmProbe} in a JVM without the incubator module and returns what it printed. */
    private static String probe(String... jvmOptions) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(Arrays.asList(jvmOptions));
        cmd.add("-cp");
        cmd.add(location(Gemm.class) + File.pathSeparator + location(GemmProbe.class));
        cmd.add(GemmProbe.class.getName());
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), out);
        return out;
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One product with offsets and padded row strides, compared with the reference; C starts as NaN when beta is 0
     * (it must not leak) and everything outside the m x n window must stay untouched.
     */
    private static void check(String kernelName, boolean transA, boolean transB, int m, int n, int k, float alpha,
                              float beta, Random rnd) {
        int aRows = transA ? k : m;
        int aCols = transA ? m : k;
        int bRows = transB ? n : k;
        int bCols = transB ? k : n;
        int lda = aCols + rnd.nextInt(3);
        int ldb = bCols + rnd.nextInt(3);
        int ldc = n + rnd.nextInt(3);
        int aOff = rnd.nextInt(5);
        int bOff = rnd.nextInt(5);
        int cOff = rnd.nextInt(5);
        float[] a = random(aOff + aRows * lda + 3, rnd);
        float[] b = random(bOff + bRows * ldb + 3, rnd);
        float[] c = new float[cOff + m * ldc + 3];
        Arrays.fill(c, OUTSIDE);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                c[cOff + i * ldc + j] = beta == 0f ? Float.NaN : rnd.nextFloat() * 2 - 1;
            }
        }
        float[] want = c.clone();
        if (beta == 0f) { // the reference would read the NaN; BLAS semantics say C is ignored
            for (int i = 0; i < want.length; i++) {
                want[i] = Float.isNaN(want[i]) ? 0f : want[i];
            }
        }
        ReferenceGemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, want, cOff, ldc);
        if (kernelName.equals("gemm")) {
            Gemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } else if (m > 0 && n > 0 && k > 0) { // the kernels leave trivial cases to Gemm
            Gemm.choose(kernelName).sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb,
                    beta, c, cOff, ldc);
        } else {
            return;
        }
        double tol = 1e-4 * Math.sqrt(Math.max(k, 1));
        for (int i = 0; i < c.length; i++) {
            double diff = Math.abs(c[i] - want[i]);
            if (!(diff <= tol * Math.max(1, Math.abs(want[i])))) {
                fail(String.format("%s transA=%b transB=%b m=%d n=%d k=%d alpha=%s beta=%s: c[%d] = %s, want %s",
                        kernelName, transA, transB, m, n, k, alpha, beta, i, c[i], want[i]));
            }
        }
    }

    private static float[] random(int size, Random rnd) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = rnd.nextFloat() * 2 - 1;
        }
        return x;
    }
}
