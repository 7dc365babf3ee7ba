package org.cnn4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.cnn4j.kernel.Gemm;
import org.cnn4j.kernel.Parallel;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-thread {@link Gemm#sgemm} in GFLOP/s: the "flop" counter is floating-point operations (2 m n k per call)
 * per nanosecond, which is GFLOP/s. The shapes are 1024^3 and the per-image products that {@code Conv2d} computes in
 * seed-cnn (28x28 and 14x14 images) and resnet20 (32x32, 16x16, 8x8): "NN:MxNxK" is the forward pass
 * (weights x im2col), "NT" the weight gradient (g x col^T), "TN" the input gradient (W^T x g). The same list is in
 * openblas_sgemm.py, which prints OpenBLAS's single-thread figures for comparison.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
public class GemmBench {
    @Param({
        "NN:1024x1024x1024",
        "NN:32x784x9", "NN:32x784x288", "NN:64x196x288", "NN:64x196x576",
        "NT:32x288x784", "NT:64x288x196", "NT:64x576x196",
        "TN:288x784x32", "TN:288x196x64", "TN:576x196x64",
        "NN:16x1024x27", "NN:16x1024x144", "NN:32x256x144", "NN:32x256x288", "NN:64x64x288", "NN:64x64x576",
        "NT:16x144x1024", "NT:32x288x256", "NT:64x576x64",
        "TN:144x1024x16", "TN:288x256x32", "TN:576x64x64"})
    public String shape;

    private boolean transA;
    private boolean transB;
    private int m;
    private int n;
    private int k;
    private float[] a;
    private float[] b;
    private float[] c;

    /** Floating-point operations done, reported per nanosecond (GFLOP/s). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double flop;

        @Setup(Level.Iteration)
        public void reset() {
            flop = 0;
        }
    }

    @Setup
    public void setUp() {
        Parallel.setThreads(1);
        String[] layoutAndSize = shape.split(":");
        transA = layoutAndSize[0].charAt(0) == 'T';
        transB = layoutAndSize[0].charAt(1) == 'T';
        String[] size = layoutAndSize[1].split("x");
        m = Integer.parseInt(size[0]);
        n = Integer.parseInt(size[1]);
        k = Integer.parseInt(size[2]);
        SplittableRandom rnd = new SplittableRandom(1);
        a = random(m * k, rnd);
        b = random(k * n, rnd);
        c = new float[m * n];
    }

    static float[] random(int size, SplittableRandom rnd) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) rnd.nextDouble(-0.5, 0.5);
        }
        return x;
    }

    @Benchmark
    public float[] sgemm(Flops flops) {
        Gemm.sgemm(transA, transB, m, n, k, 1f, a, 0, transA ? m : k, b, 0, transB ? k : n, 0f, c, 0, n);
        flops.flop += 2.0 * m * n * k;
        return c;
    }
}
