package org.cnn4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.cnn4j.init.Init;
import org.cnn4j.kernel.Parallel;
import org.cnn4j.model.Zoo;
import org.cnn4j.nn.Mode;
import org.cnn4j.nn.Sequential;
import org.cnn4j.optim.SGD;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.Trainer;

/**
 * For {@link CompareBuilds}: one training step ({@link Trainer#step}: forward, cross-entropy, backward, SGD with
 * momentum) of a zoo model on a random batch, one thread, CPU nanoseconds {step, 0, 0}; or, as {@link InferProbe}, one
 * forward pass in EVAL mode. An item is "model:CxHxW", such as "resnet20:1x28x28".
 */
public class StepProbe implements Function<String, double[]> {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private final Map<String, Sequential> models = new HashMap<>();
    private final Map<String, Trainer> trainers = new HashMap<>();
    private final Map<String, Tensor> images = new HashMap<>();
    private final int[] labels;
    private final int batch;
    private final boolean train;

    public StepProbe(int batch) {
        this(batch, true);
    }

    StepProbe(int batch, boolean train) {
        this.batch = batch;
        this.train = train;
        this.labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = i % 10;
        }
        Parallel.setThreads(1);
    }

    @Override
    public double[] apply(String item) {
        Sequential model = models.computeIfAbsent(item, i -> {
            Shape sample = sample(i);
            Init.manualSeed(1);
            return Zoo.create(i.substring(0, i.indexOf(':')), sample, 10);
        });
        Trainer trainer = train ? trainers.computeIfAbsent(item,
                i -> new Trainer(model, new SGD(model.parameters(), 0.01, 0.9), null)) : null;
        Tensor x = images.computeIfAbsent(item, i -> Tensor.randn(sample(i).prepend(batch), 1f, 1));
        long t0 = CPU.getCurrentThreadCpuTime();
        if (trainer != null) {
            trainer.step(x, labels);
        } else {
            model.forward(x, Mode.EVAL);
        }
        return new double[] {CPU.getCurrentThreadCpuTime() - t0, 0, 0};
    }

    private static Shape sample(String item) {
        if (!item.matches("[^:]+:\\d+x\\d+x\\d+")) {
            throw new IllegalArgumentException("item '" + item + "': expected model:CxHxW, such as mlp:1x28x28");
        }
        String[] d = item.substring(item.indexOf(':') + 1).split("x");
        return Shape.of(Integer.parseInt(d[0]), Integer.parseInt(d[1]), Integer.parseInt(d[2]));
    }
}
