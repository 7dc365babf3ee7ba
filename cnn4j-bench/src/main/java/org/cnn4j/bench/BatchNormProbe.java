package org.cnn4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.cnn4j.kernel.Parallel;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Mode;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * For {@link CompareBuilds}: one forward and one backward pass of BatchNorm2d in training mode on one thread, CPU
 * nanoseconds {forward, backward, 0}. An item is "channels-size", the input being batch x channels x size x size.
 */
public final class BatchNormProbe implements Function<String, double[]> {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private final Map<String, Tensor[]> inputs = new HashMap<>();
    private final Map<String, BatchNorm2d> layers = new HashMap<>();
    private final int batch;

    public BatchNormProbe(int batch) {
        this.batch = batch;
        Parallel.setThreads(1);
    }

    @Override
    public double[] apply(String item) {
        BatchNorm2d bn = layers.computeIfAbsent(item, i -> new BatchNorm2d(Integer.parseInt(i.split("-")[0])));
        Tensor[] xg = inputs.computeIfAbsent(item, i -> {
            String[] f = i.split("-");
            int size = Integer.parseInt(f[1]);
            Shape s = Shape.of(batch, Integer.parseInt(f[0]), size, size);
            return new Tensor[] {Tensor.randn(s, 1f, 1), Tensor.randn(s, 1f, 2)};
        });
        long t0 = CPU.getCurrentThreadCpuTime();
        bn.forward(xg[0], Mode.TRAIN);
        long t1 = CPU.getCurrentThreadCpuTime();
        bn.backward(xg[1]);
        long t2 = CPU.getCurrentThreadCpuTime();
        return new double[] {t1 - t0, t2 - t1, 0};
    }
}
