package org.cnn4j.kernel;

/**
 * Batch norm's element-wise passes over one plane of a channel (or, for BatchNorm1d, along the rows of its (N, C)
 * input: the column variants): {@link #normalize} y = max(a * (x - mean) + b, floor)
 * forward and {@link #normalizeGradient} dx = s * g + t * (x - mean) + c backward. C2 vectorizes the plain loops only
 * sometimes: on planes of 64 values (8x8 images) it mostly ran them scalar, and in a whole ResNet the same pass over
 * 16 x 32 x 32 planes took 0.36 or 1.8 ms from one run to the next. With the Vector API ({@code VectorAffine}, chosen
 * as {@link Gemm} chooses its kernel) they are written out in vectors; otherwise the plain loops of {@link Scalar}
 * run. (The column passes too: C2 left their plain loops scalar, 15% of mlp's inference.) Both compute each value
 * with the same float operations in the same order, so they agree to the bit.
 */
public final class Affine {
    /** The passes, as the implementations provide them. */
    interface Kernel {
        void normalize(float[] x, int off, int len, float a, float mean, float b, float floor, float[] y);

        void normalizeGradient(float[] g, float[] x, int off, int len, float s, float t, float mean, float c,
                               float[] dx);

        void normalizeColumns(float[] x, int rows, int ld, int from, int to, float[] a, float[] mean, float[] b,
                              float floor, float[] y);

        void normalizeGradientColumns(float[] g, float[] x, int rows, int ld, int from, int to, float[] s, float[] t,
                                      float[] mean, float[] c, float[] dx);
    }

    private static final Kernel KERNEL = Gemm.implementation().equals("vector")
            ? Gemm.loadVector(Kernel.class, "VectorAffine") : new Scalar();

    private Affine() {
    }

    /**
     * y[i] = max(a * (x[i] - mean) + b, floor) for i in [off, off + len): floor 0 applies a ReLU, -infinity none
     * (max(v, -infinity) is v, NaN included).
     */
    public static void normalize(float[] x, int off, int len, float a, float mean, float b, float floor, float[] y) {
        KERNEL.normalize(x, off, len, a, mean, b, floor, y);
    }

    /** dx[i] = s * g[i] + t * (x[i] - mean) + c for i in [off, off + len). */
    public static void normalizeGradient(float[] g, float[] x, int off, int len, float s, float t, float mean, float c,
                                         float[] dx) {
        KERNEL.normalizeGradient(g, x, off, len, s, t, mean, c, dx);
    }

    /**
     * {@link #normalize} on the columns [from, to) of a rows x ld matrix (BatchNorm1d's (N, C) input), column c with
     * its own a[c], mean[c] and b[c]: along each row, across columns (one call per value was slow). The same float
     * operations per value as normalize.
     */
    public static void normalizeColumns(float[] x, int rows, int ld, int from, int to, float[] a, float[] mean,
                                        float[] b, float floor, float[] y) {
        KERNEL.normalizeColumns(x, rows, ld, from, to, a, mean, b, floor, y);
    }

    /** {@link #normalizeGradient} on columns, as {@link #normalizeColumns}: s, t, mean and c per column. */
    public static void normalizeGradientColumns(float[] g, float[] x, int rows, int ld, int from, int to, float[] s,
                                                float[] t, float[] mean, float[] c, float[] dx) {
        KERNEL.normalizeGradientColumns(g, x, rows, ld, from, to, s, t, mean, c, dx);
    }

    /** The plain loops: for JVMs without the Vector API, for the vector loops' tails, and as the tests' reference. */
    static final class Scalar implements Kernel {
        @Override
        public void normalize(float[] x, int off, int len, float a, float mean, float b, float floor, float[] y) {
            for (int i = off; i < off + len; i++) {
                y[i] = Math.max(a * (x[i] - mean) + b, floor);
            }
        }

        @Override
        public void normalizeGradient(float[] g, float[] x, int off, int len, float s, float t, float mean, float c,
                                      float[] dx) {
            for (int i = off; i < off + len; i++) {
                dx[i] = s * g[i] + t * (x[i] - mean) + c;
            }
        }

        @Override
        public void normalizeColumns(float[] x, int rows, int ld, int from, int to, float[] a, float[] mean,
                                     float[] b, float floor, float[] y) {
            for (int r = 0; r < rows; r++) {
                int row = r * ld;
                for (int c = from; c < to; c++) {
                    y[row + c] = Math.max(a[c] * (x[row + c] - mean[c]) + b[c], floor);
                }
            }
        }

        @Override
        public void normalizeGradientColumns(float[] g, float[] x, int rows, int ld, int from, int to, float[] s,
                                             float[] t, float[] mean, float[] c, float[] dx) {
            for (int r = 0; r < rows; r++) {
                int row = r * ld;
                for (int j = from; j < to; j++) {
                    dx[row + j] = s[j] * g[row + j] + t[j] * (x[row + j] - mean[j]) + c[j];
                }
            }
        }
    }
}
