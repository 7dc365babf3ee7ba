package org.cnn4j.kernel;

/**
 * Copies of a block of rows between two row strides: an image's rows into a padded buffer and results out of one
 * (DirectConv, Winograd). Their rows are short, 8 to 32 floats, and one {@code System.arraycopy} per row cost more
 * than the copy itself; with the Vector API ({@code VectorRows}, chosen as {@link Gemm} chooses its kernel) a row of
 * at least one vector is a few vector loads and stores; otherwise, and for shorter rows, {@link Scalar} copies row by
 * row.
 */
public final class Rows {
    /** The copy, as the implementations provide it. */
    interface Kernel {
        void copy(float[] src, int srcOff, int srcLd, float[] dst, int dstOff, int dstLd, int rows, int cols);
    }

    private static final Kernel KERNEL = Gemm.implementation().equals("vector")
            ? Gemm.loadVector(Kernel.class, "VectorRows") : new Scalar();

    private Rows() {
    }

    /**
     * dst[dstOff + r * dstLd + j] = src[srcOff + r * srcLd + j] for r &lt; rows and j &lt; cols; nothing else of dst
     * is written. The two blocks must not overlap.
     */
    public static void copy(float[] src, int srcOff, int srcLd, float[] dst, int dstOff, int dstLd, int rows,
                            int cols) {
        KERNEL.copy(src, srcOff, srcLd, dst, dstOff, dstLd, rows, cols);
    }

    /** Row by row, for JVMs without the Vector API. */
    static final class Scalar implements Kernel {
        @Override
        public void copy(float[] src, int srcOff, int srcLd, float[] dst, int dstOff, int dstLd, int rows, int cols) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(src, srcOff + r * srcLd, dst, dstOff + r * dstLd, cols);
            }
        }
    }
}
