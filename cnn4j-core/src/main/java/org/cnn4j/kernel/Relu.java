package org.cnn4j.kernel;

/**
 * The ReLU's backward pass, dx = g where its output y > 0, else +0. It tests y > 0 through the bits of y, without a
 * branch (the signs of activations are close to random, and a branch on them is mispredicted about half the time):
 * y = max(x, 0) is +0 or positive (or NaN), so its bit pattern read as an int is 0 or positive, and {@code -bits >>
 * 31} is all ones exactly when y > 0; that mask, ANDed with the gradient's bits, keeps g or makes +0. C2 ran the
 * plain loop one value at a time (0.6-0.9 ns per value in L2, 2026-11-29); with the Vector API ({@code VectorRelu},
 * chosen as {@link Gemm} chooses its kernel) it runs in vectors, 0.2-0.3 ns. Both give the same bits.
 */
public final class Relu {
    /** The pass, as the implementations provide it. */
    interface Kernel {
        void gradient(float[] y, float[] g, float[] dx, int from, int to);
    }

    private static final Kernel KERNEL = Gemm.implementation().equals("vector")
            ? Gemm.loadVector(Kernel.class, "VectorRelu") : new Scalar();

    private Relu() {
    }

    /**
     * dx[i] = g[i] where y[i] > 0, else +0, for i in [from, to), given the ReLU's output y (dx may be g: the pass
     * can run in place).
     */
    public static void gradient(float[] y, float[] g, float[] dx, int from, int to) {
        KERNEL.gradient(y, g, dx, from, to);
    }

    /** The plain loop: for JVMs without the Vector API, for the vector loop's tail, and as the tests' reference. */
    static final class Scalar implements Kernel {
        @Override
        public void gradient(float[] y, float[] g, float[] dx, int from, int to) {
            for (int i = from; i < to; i++) {
                int keep = -Float.floatToRawIntBits(y[i]) >> 31;
                dx[i] = Float.intBitsToFloat(Float.floatToRawIntBits(g[i]) & keep);
            }
        }
    }
}
