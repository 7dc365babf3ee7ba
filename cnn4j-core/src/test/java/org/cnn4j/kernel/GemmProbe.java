package org.cnn4j.kernel;

/**
 * Started by {@link GemmTest} in a JVM of its own (without {@code --add-modules jdk.incubator.vector}): checks one
 * small product and prints the kernel {@link Gemm} chose.
 */
public final class GemmProbe {
    private GemmProbe() {
    }

    public static void main(String[] args) {
        float[] a = {1, 2, 3, 4, 5, 6};      // 2 x 3
        float[] b = {1, 0, 0, 1, 1, 1};      // 3 x 2
        float[] c = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        Gemm.sgemm(false, false, 2, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 0, 2);
        if (!java.util.Arrays.equals(c, new float[] {4, 5, 10, 11})) {
            throw new AssertionError(java.util.Arrays.toString(c));
        }
        System.out.println(Gemm.implementation());
    }
}
