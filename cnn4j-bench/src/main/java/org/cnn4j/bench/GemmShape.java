package org.cnn4j.bench;

import java.util.SplittableRandom;

/**
 * One SGEMM case of {@link GemmBench}: "NN:MxNxK", where the letters say whether A and B are transposed as in
 * {@code Gemm.sgemm(transA, transB, ...)} ("NT": C = A * B^T with B stored n x k; "TN": C = A^T * B with A stored
 * k x m), with random operands and their leading dimensions.
 */
record GemmShape(boolean transA, boolean transB, int m, int n, int k) {
    static GemmShape parse(String item) {
        if (!item.matches("[NT][NT]:\\d+x\\d+x\\d+")) {
            throw new IllegalArgumentException("shape '" + item + "': expected NN:MxNxK (or NT, TN, TT)");
        }
        String[] layoutAndSize = item.split(":");
        String[] size = layoutAndSize[1].split("x");
        return new GemmShape(layoutAndSize[0].charAt(0) == 'T', layoutAndSize[0].charAt(1) == 'T',
                Integer.parseInt(size[0]), Integer.parseInt(size[1]), Integer.parseInt(size[2]));
    }

    int lda() {
        return transA ? m : k;
    }

    int ldb() {
        return transB ? k : n;
    }

    /** A, B and C, the first two uniform in [-0.5, 0.5), the same for every build. */
    float[][] operands() {
        SplittableRandom rnd = new SplittableRandom(1);
        return new float[][] {random(m * k, rnd), random(k * n, rnd), new float[m * n]};
    }

    /** Calls that make about 0.1 G multiply-adds, enough for a timing well above the clock's resolution. */
    long calls() {
        return Math.max(1, 100_000_000L / ((long) m * n * k));
    }

    private static float[] random(int size, SplittableRandom rnd) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) rnd.nextDouble(-0.5, 0.5);
        }
        return x;
    }
}
