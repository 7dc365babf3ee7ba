package org.cnn4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.cnn4j.kernel.Gemm;
import org.cnn4j.kernel.Parallel;

/**
 * For {@link CompareBuilds}: {@link Gemm#sgemm} on one thread, repeated until about 0.2 GFLOP are done, CPU
 * nanoseconds per call {time, 0, m n k}. An item is a shape as in {@link GemmBench}: "NN:MxNxK".
 */
public final class GemmProbe implements Function<String, double[]> {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private final Map<String, float[][]> operands = new HashMap<>();

    public GemmProbe(int batch) {
        Parallel.setThreads(1);
    }

    @Override
    public double[] apply(String item) {
        String[] layoutAndSize = item.split(":");
        boolean transA = layoutAndSize[0].charAt(0) == 'T';
        boolean transB = layoutAndSize[0].charAt(1) == 'T';
        String[] size = layoutAndSize[1].split("x");
        int m = Integer.parseInt(size[0]);
        int n = Integer.parseInt(size[1]);
        int k = Integer.parseInt(size[2]);
        float[][] abc = operands.computeIfAbsent(item, i -> {
            SplittableRandom rnd = new SplittableRandom(1);
            return new float[][] {GemmBench.random(m * k, rnd), GemmBench.random(k * n, rnd), new float[m * n]};
        });
        long calls = Math.max(1, 100_000_000L / ((long) m * n * k));
        long t0 = CPU.getCurrentThreadCpuTime();
        for (long i = 0; i < calls; i++) {
            Gemm.sgemm(transA, transB, m, n, k, 1f, abc[0], 0, transA ? m : k, abc[1], 0, transB ? k : n,
                    0f, abc[2], 0, n);
        }
        long t1 = CPU.getCurrentThreadCpuTime();
        return new double[] {(t1 - t0) / (double) calls, 0, (double) m * n * k};
    }
}
