package org.cnn4j.kernel;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Random;

/**
 * Prints the single-thread GFLOP/s of each GEMM kernel on the shapes this project runs, plus the multi-threaded
 * {@link Gemm#sgemm} on the largest one. Not a test; from the repository root:
 * <pre>
 * mvn -q -pl cnn4j-core test-compile
 * java --add-modules jdk.incubator.vector -cp cnn4j-core/target/classes:cnn4j-core/target/test-classes \
 *     org.cnn4j.kernel.GemmSpeed [vector,scalar,reference]
 * </pre>
 * (without {@code --add-modules}, ask for {@code scalar,reference} only). Each figure is the best of 40 short timed
 * rounds, after a warm-up of every kernel on every shape.
 */
public final class GemmSpeed {
    private record Shape(String name, boolean transA, boolean transB, int m, int n, int k) {
    }

    private static final List<Shape> SHAPES = List.of(
            new Shape("conv 32x784x288", false, false, 32, 784, 288),
            new Shape("conv 64x196x576", false, false, 64, 196, 576),
            new Shape("conv 64x196x288", false, false, 64, 196, 288),
            new Shape("conv 32x784x9", false, false, 32, 784, 9),
            new Shape("dX  T.N 288x784x32", true, false, 288, 784, 32),
            new Shape("dW  N.T 32x288x784", false, true, 32, 288, 784),
            new Shape("lin N.T 64x256x784", false, true, 64, 256, 784),
            new Shape("lin N.N 64x256x784", false, false, 64, 256, 784),
            new Shape("lin T.N 784x256x64", true, false, 784, 256, 64),
            new Shape("lin N.T 1x256x784", false, true, 1, 256, 784),
            new Shape("lin N.N 1x256x784", false, false, 1, 256, 784),
            new Shape("tiny 4x4x4", false, false, 4, 4, 4),
            new Shape("tiny 8x8x8", false, false, 8, 8, 8),
            new Shape("small 16x16x16", false, false, 16, 16, 16),
            new Shape("small 8x10x84", false, true, 8, 10, 84),
            new Shape("square 256", false, false, 256, 256, 256),
            new Shape("square 1024", false, false, 1024, 1024, 1024));

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private GemmSpeed() {
    }

    public static void main(String[] args) {
        String[] kernels = (args.length > 0 ? args[0] : "vector,scalar,reference").split(",");
        for (String name : kernels) { // warm-up: let the JIT see every shape before anything is timed
            if (!name.equals("reference")) {
                GemmKernel kernel = Gemm.choose(name);
                for (Shape s : SHAPES) {
                    gflops(s, 3, true, (st, a, b, c) -> run(kernel, st, a, b, c));
                }
            }
        }
        System.out.printf("%-22s", "shape (M x N x K)");
        for (String name : kernels) {
            System.out.printf("%12s", name);
        }
        System.out.println("   GFLOP/s, 1 thread, CPU time");
        for (Shape s : SHAPES) {
            System.out.printf("%-22s", s.name);
            for (String name : kernels) {
                GemmKernel kernel = Gemm.choose(name);
                if (name.equals("reference") && s.m * (long) s.n * s.k > 1L << 26) {
                    System.out.printf("%12s", "-");
                    continue;
                }
                System.out.printf("%12.1f", gflops(s, 40, true, (st, a, b, c) -> run(kernel, st, a, b, c)));
            }
            System.out.println();
        }
        Shape big = SHAPES.getLast();
        int threads = Parallel.threads();
        for (int t : new int[] {1, threads}) {
            Parallel.setThreads(t);
            System.out.printf("Gemm.sgemm (%s) on %d thread(s), %s: %.1f GFLOP/s (wall time)%n",
                    Gemm.implementation(), t, big.name, gflops(big, 40, false, (st, a, b, c) -> Gemm.sgemm(false,
                            false, st.m, st.n, st.k, 1f, a, 0, st.k, b, 0, st.n, 0f, c, 0, st.n)));
        }
    }

    private interface Call {
        void run(Shape s, float[] a, float[] b, float[] c);
    }

    private static void run(GemmKernel kernel, Shape s, float[] a, float[] b, float[] c) {
        kernel.sgemm(s.transA, s.transB, s.m, s.n, s.k, 1f, a, 0, s.transA ? s.m : s.k, b, 0, s.transB ? s.k : s.n,
                0f, c, 0, s.n);
    }

    /**
     * Best GFLOP/s over rounds of a few milliseconds each, not counting the first. Single-thread figures use the
     * thread's CPU time rather than wall time: on a shared machine that leaves out the time other processes had the
     * core (not their cache pollution), and the best round is the one least disturbed.
     */
    private static double gflops(Shape s, int rounds, boolean cpuTime, Call call) {
        Random rnd = new Random(1);
        float[] a = new float[s.m * s.k];
        float[] b = new float[s.k * s.n];
        float[] c = new float[s.m * s.n];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextFloat() - 0.5f;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = rnd.nextFloat() - 0.5f;
        }
        double flop = 2.0 * s.m * s.n * s.k;
        int reps = (int) Math.max(1, Math.min(1_000_000, 2e8 / flop / 4));
        double best = 0;
        for (int round = 0; round <= rounds; round++) {
            long t0 = cpuTime ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
            for (int r = 0; r < reps; r++) {
                call.run(s, a, b, c);
            }
            long t = (cpuTime ? THREADS.getCurrentThreadCpuTime() : System.nanoTime()) - t0;
            if (round >= 1) {
                best = Math.max(best, flop * reps / t);
            }
        }
        return best;
    }
}
