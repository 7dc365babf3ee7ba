package org.cnn4j.bench;

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
 * (weights x im2col), "NT" the weight gradient (g x col^T), "TN" the input gradient (W^T x g). OpenBLAS's
 * single-thread figures for the same shapes, measured in the same run: {@code CompareBuilds cnn4j.jar,openblas gemm}
 * ({@link OpenBlasProbe}).
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

    private GemmShape gemm;
    private float[][] abc;

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
        gemm = GemmShape.parse(shape);
        abc = gemm.operands();
    }

    @Benchmark
    public float[] sgemm(Flops flops) {
        GemmShape g = gemm;
        Gemm.sgemm(g.transA(), g.transB(), g.m(), g.n(), g.k(), 1f, abc[0], 0, g.lda(), abc[1], 0, g.ldb(), 0f, abc[2], 0,
                g.n());
        flops.flop += 2.0 * g.m() * g.n() * g.k();
        return abc[2];
    }
}
