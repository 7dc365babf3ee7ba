package org.cnn4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.cnn4j.kernel.Gemm;
import org.cnn4j.kernel.Parallel;

/**
 * For {@link CompareBuilds}: {@link Gemm#sgemm} on one thread, repeated {@link GemmShape#calls} times, CPU
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
        GemmShape g = GemmShape.parse(item);
        float[][] abc = operands.computeIfAbsent(item, i -> g.operands());
        long calls = g.calls();
        long t0 = CPU.getCurrentThreadCpuTime();
        for (long i = 0; i < calls; i++) {
            Gemm.sgemm(g.transA(), g.transB(), g.m(), g.n(), g.k(), 1f, abc[0], 0, g.lda(), abc[1], 0, g.ldb(),
                    0f, abc[2], 0, g.n());
        }
        long t1 = CPU.getCurrentThreadCpuTime();
        return new double[] {(t1 - t0) / (double) calls, 0, (double) g.m() * g.n() * g.k()};
    }
}
