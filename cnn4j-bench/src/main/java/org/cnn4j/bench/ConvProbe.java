package org.cnn4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.cnn4j.kernel.Parallel;
import org.cnn4j.nn.Mode;

/**
 * Times one forward and one backward pass of a {@link ConvCase} on one thread, in CPU nanoseconds: {forward,
 * backward, multiply-adds of forward}. {@link CompareBuilds} loads one of these per build under comparison, each in
 * its own class loader, and calls it through {@link Function}, a type all loaders share.
 */
public final class ConvProbe implements Function<String, double[]> {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private final Map<String, ConvCase> cases = new HashMap<>();
    private final int batch;

    public ConvProbe(int batch) {
        this.batch = batch;
        Parallel.setThreads(1);
    }

    @Override
    public double[] apply(String layer) {
        ConvCase c = cases.computeIfAbsent(layer, l -> ConvCase.of(l, batch));
        long t0 = CPU.getCurrentThreadCpuTime();
        c.conv().forward(c.input(), Mode.TRAIN);
        long t1 = CPU.getCurrentThreadCpuTime();
        c.conv().backward(c.gradOutput());
        long t2 = CPU.getCurrentThreadCpuTime();
        return new double[] {t1 - t0, t2 - t1, c.multiplyAdds()};
    }
}
