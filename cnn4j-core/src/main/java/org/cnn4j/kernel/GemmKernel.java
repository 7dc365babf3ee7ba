package org.cnn4j.kernel;

/**
 * One implementation of {@link Gemm#sgemm}. {@link Gemm} has already checked the arguments and handled the trivial
 * cases, so an implementation is only called with m, n, k >= 1 and alpha != 0.
 */
interface GemmKernel {
    /** Short name reported by {@link Gemm#implementation()}: "vector", "scalar" or "reference". */
    String name();

    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
               float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
               float beta, float[] c, int cOff, int ldc);
}
