package org.cnn4j.kernel;

/**
 * Sums of float arrays in double precision, for statistics such as batch norm's mean and variance. A plain loop
 * {@code s += x[i]} waits for each addition to finish before starting the next (4 cycles per value here); these
 * keep independent partial sums, added up at the end in a fixed order (so, like the plain loop, the result is the
 * same on every run; it differs from the plain loop's in the last bits). With the Vector API ({@code
 * VectorReductions}, chosen as {@link Gemm} chooses its kernel) the partial sums are the lanes of double vectors, and
 * batch norm's statistics (and convolutions' bias gradients) run at memory speed; otherwise {@link Scalar} keeps four
 * of them. They pay off on long rows; BatchNorm1d, one value per channel and image, sums down the columns of its
 * (N, C) input instead ({@link #sumAndDotColumns}). A sum of squares is the dot product of x with itself.
 * {@link #referenceSum} and {@link #referenceSumAndDot} are the plain loops they are tested against.
 */
public final class Reductions {
    /** The sums, as the implementations provide them: {@link #sum}, {@link #sumAndDot}. */
    interface Kernel {
        double sum(float[] x, int off, int len);

        /** As {@link Reductions#sumAndDot}, over {@code rows} ranges of len values, {@code stride} apart. */
        void sumAndDot(float[] g, float[] h, int off, int len, int rows, int stride, double[] acc);
    }

    private static final Kernel KERNEL = Gemm.implementation().equals("vector")
            ? Gemm.loadVector(Kernel.class, "VectorReductions") : new Scalar();

    private Reductions() {
    }

    /** The sum of x[off, off + len). */
    public static double sum(float[] x, int off, int len) {
        return KERNEL.sum(x, off, len);
    }

    /**
     * acc[0] += the sum of g over rows ranges [off + r * stride, off + r * stride + len), r = 0 .. rows - 1, acc[1] +=
     * the sum of g[i] * h[i] over the same ranges: batch norm's statistics of one channel, a plane of each image. The
     * partial sums run on across the rows, and are added up once at the end (short planes, 8 x 8, spent as long
     * adding up a vector's lanes as adding the plane).
     */
    public static void sumAndDot(float[] g, float[] h, int off, int len, int rows, int stride, double[] acc) {
        KERNEL.sumAndDot(g, h, off, len, rows, stride, acc);
    }

    /**
     * sums[c] += the sum of column c of the rows x ld matrix g, dots[c] += the sum of g * h over it, for c in [from,
     * to): BatchNorm1d's statistics, along the rows and across columns. Each column is added up in row order, as the
     * plain loop down the column does (referenceSumAndDot on rows of one value, ld apart).
     */
    public static void sumAndDotColumns(float[] g, float[] h, int rows, int ld, int from, int to, double[] sums,
                                        double[] dots) {
        for (int r = 0; r < rows; r++) {
            int row = r * ld;
            for (int c = from; c < to; c++) {
                sums[c] += g[row + c];
                dots[c] += (double) g[row + c] * h[row + c];
            }
        }
    }

    /** Four chains of additions, for JVMs without the Vector API (and the tails of the vector loops). */
    static final class Scalar implements Kernel {
        @Override
        public double sum(float[] x, int off, int len) {
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int end = off + len;
            int i = off;
            for (; i + 4 <= end; i += 4) {
                s0 += x[i];
                s1 += x[i + 1];
                s2 += x[i + 2];
                s3 += x[i + 3];
            }
            for (; i < end; i++) {
                s0 += x[i];
            }
            return (s0 + s1) + (s2 + s3);
        }

        @Override
        public void sumAndDot(float[] g, float[] h, int off, int len, int rows, int stride, double[] acc) {
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            double d0 = 0, d1 = 0, d2 = 0, d3 = 0;
            for (int r = 0; r < rows; r++) {
                int end = off + r * stride + len;
                int i = off + r * stride;
                for (; i + 4 <= end; i += 4) {
                    s0 += g[i];
                    s1 += g[i + 1];
                    s2 += g[i + 2];
                    s3 += g[i + 3];
                    d0 += (double) g[i] * h[i];
                    d1 += (double) g[i + 1] * h[i + 1];
                    d2 += (double) g[i + 2] * h[i + 2];
                    d3 += (double) g[i + 3] * h[i + 3];
                }
                for (; i < end; i++) {
                    s0 += g[i];
                    d0 += (double) g[i] * h[i];
                }
            }
            acc[0] += (s0 + s1) + (s2 + s3);
            acc[1] += (d0 + d1) + (d2 + d3);
        }
    }

    /** The plain loop of {@link #sum}. */
    static double referenceSum(float[] x, int off, int len) {
        double s = 0;
        for (int i = off; i < off + len; i++) {
            s += x[i];
        }
        return s;
    }

    /** The plain loop of {@link #sumAndDot}. */
    static void referenceSumAndDot(float[] g, float[] h, int off, int len, int rows, int stride, double[] acc) {
        for (int r = 0; r < rows; r++) {
            for (int i = off + r * stride; i < off + r * stride + len; i++) {
                acc[0] += g[i];
                acc[1] += (double) g[i] * h[i];
            }
        }
    }
}
