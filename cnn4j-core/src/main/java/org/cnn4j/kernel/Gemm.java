package org.cnn4j.kernel;

/**
 * Single-precision matrix multiply on row-major matrices, BLAS-style:
 * {@code C = alpha * op(A) * op(B) + beta * C}, where op(X) is X or its transpose, op(A) is m x k, op(B) is k x n
 * and C is m x n. {@code lda}, {@code ldb}, {@code ldc} are the row strides of the arrays as stored.
 * When beta is 0, C's old contents are ignored (not multiplied), as in BLAS.
 *
 * <p>The implementation is chosen once, when this class is initialised: the Vector API kernel ({@code VectorGemm})
 * when the {@code jdk.incubator.vector} module is in the boot layer (the JVM was started with
 * {@code --add-modules jdk.incubator.vector}), otherwise a plain-Java blocked kernel ({@code ScalarGemm}). The system
 * property {@code cnn4j.kernel=vector|scalar|reference} forces a choice. The vector class is loaded reflectively, so
 * this class links without the incubator module.
 *
 * <p>Safe to call from several threads at once. Large products (m*n*k of at least {@value #PARALLEL_WORK}) are split
 * by columns over {@link Parallel}'s workers; calls from inside a {@link Parallel} task stay on their thread.
 */
public final class Gemm {
    /**
     * Multiply-adds from which one product is worth splitting across threads: 2^22 splits both of mlp's hidden Linear
     * layers (64 x 256 x 784 and 64 x 256 x 256). Measured at 2 threads, alternating JVMs (2026-11-28): mlp's
     * inference 158-193K images/s against 135-160K with 2^23 (which split only the first layer), its training 40-53K
     * against 38-56K. (2^23 had measured 1.2x faster inference than 2^24 before, and 2^22 slower training; why that
     * changed was not found.)
     */
    static final long PARALLEL_WORK = 1L << 22;
    /** Column chunk handed to one thread: a multiple of every kernel's tile width. */
    private static final int PARALLEL_COLUMNS = 64;

    private static final GemmKernel KERNEL = choose(System.getProperty("cnn4j.kernel"));

    private Gemm() {
    }

    /** Name of the kernel in use: "vector", "scalar" or "reference". */
    public static String implementation() {
        return KERNEL.name();
    }

    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("negative size: m=" + m + ", n=" + n + ", k=" + k);
        }
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0f) {
            scale(m, n, beta, c, cOff, ldc);
            return;
        }
        long work = (long) m * n * k;
        int chunks = (n + PARALLEL_COLUMNS - 1) / PARALLEL_COLUMNS;
        if (work < PARALLEL_WORK || chunks < 2 || Parallel.threads() < 2) {
            KERNEL.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        Parallel.forRange(chunks, (from, to) -> {
            int j0 = from * PARALLEL_COLUMNS;
            int nj = Math.min(n, to * PARALLEL_COLUMNS) - j0;
            KERNEL.sgemm(transA, transB, m, nj, k, alpha, a, aOff, lda,
                    b, bOff + (transB ? j0 * ldb : j0), ldb, beta, c, cOff + j0, ldc);
        });
    }

    /** C = beta * C, without reading C when beta is 0. */
    private static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (beta == 0f) {
                java.util.Arrays.fill(c, ci, ci + n, 0f);
            } else if (beta != 1f) {
                for (int j = 0; j < n; j++) {
                    c[ci + j] *= beta;
                }
            }
        }
    }

    static GemmKernel choose(String forced) {
        if (forced == null) {
            return vectorAvailable() ? loadVector(GemmKernel.class, "VectorGemm") : new ScalarGemm();
        }
        return switch (forced) {
            case "vector" -> {
                if (!vectorAvailable()) {
                    throw new IllegalStateException(
                            "cnn4j.kernel=vector needs the JVM option --add-modules jdk.incubator.vector");
                }
                yield loadVector(GemmKernel.class, "VectorGemm");
            }
            case "scalar" -> new ScalarGemm();
            case "reference" -> new GemmKernel() {
                @Override
                public String name() {
                    return "reference";
                }

                @Override
                public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                  float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                  float beta, float[] c, int cOff, int ldc) {
                    ReferenceGemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb,
                            beta, c, cOff, ldc);
                }
            };
            default -> throw new IllegalArgumentException(
                    "cnn4j.kernel must be vector, scalar or reference, not " + forced);
        };
    }

    static boolean vectorAvailable() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /**
     * A new instance of the Vector API class {@code org.cnn4j.kernel.<name>}, loaded by name so that the callers link
     * without the incubator module.
     */
    static <T> T loadVector(Class<T> type, String name) {
        try {
            return type.cast(Class.forName("org.cnn4j.kernel." + name).getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load the Vector API kernel", e);
        }
    }
}
