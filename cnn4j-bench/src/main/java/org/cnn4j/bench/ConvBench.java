package org.cnn4j.bench;

import java.util.concurrent.TimeUnit;
import org.cnn4j.kernel.Parallel;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Mode;
import org.cnn4j.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Forward and backward of each distinct convolution of seed-cnn (1x28x28 input) and resnet20 (3x32x32), batch 64,
 * in milliseconds per call. A layer is "model/name:in-out-kernel-stride-padding-size-bias" (size = input height and
 * width). Threads: {@code -p threads=2}.
 */
@State(Scope.Thread)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class ConvBench {
    @Param({
        "seed-cnn/conv1:1-32-3-1-1-28-b", "seed-cnn/conv2:32-32-3-1-1-28-b",
        "seed-cnn/conv3:32-64-3-1-1-14-b", "seed-cnn/conv4:64-64-3-1-1-14-b",
        "resnet20/stem:3-16-3-1-1-32-n", "resnet20/stage1:16-16-3-1-1-32-n",
        "resnet20/stage2-down:16-32-3-2-1-32-n", "resnet20/stage2-short:16-32-1-2-0-32-n",
        "resnet20/stage2:32-32-3-1-1-16-n",
        "resnet20/stage3-down:32-64-3-2-1-16-n", "resnet20/stage3-short:32-64-1-2-0-16-n",
        "resnet20/stage3:64-64-3-1-1-8-n"})
    public String layer;

    @Param({"64"})
    public int batch;

    @Param({"1"})
    public int threads;

    private Conv2d conv;
    private Tensor x;
    private Tensor gradOut;

    @Setup
    public void setUp() {
        Parallel.setThreads(threads);
        ConvCase c = ConvCase.of(layer, batch);
        conv = c.conv();
        x = c.input();
        gradOut = c.gradOutput();
    }

    @Benchmark
    public Tensor forward() {
        return conv.forward(x, Mode.TRAIN);
    }

    /** Backward after the forward pass of setUp (the layer keeps its input): dX, dW and db. */
    @Benchmark
    public Tensor backward() {
        return conv.backward(gradOut);
    }
}
