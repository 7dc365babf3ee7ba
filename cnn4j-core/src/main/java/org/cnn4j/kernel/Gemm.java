package org.cnn4j.kernel;

/**
 * Single-precision matrix multiply on row-major matrices, BLAS-style:
 * {@code C = alpha * op(A) * op(B) + beta * C}, where op(X) is X or its transpose, op(A) is m x k, op(B) is k x n
 * and C is m x n. {@code lda}, {@code ldb}, {@code ldc} are the row strides of the arrays as stored.
 * When beta is 0, C's old contents are ignored (not multiplied), as in BLAS.
 */
public final class Gemm {
    private Gemm() {
    }

    public static String implementation() {
        return "reference";
    }

    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        ReferenceGemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
}
