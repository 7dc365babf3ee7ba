package org.cnn4j.bench;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Param;

/**
 * Compares two or more builds of cnn4j in one JVM, with their measurements interleaved: round r times every build
 * once before round r + 1 starts, so a change in the host's load during the run affects every build alike (on this
 * project's shared machine, separate runs of the same code moved by up to 2x). Each build is a cnn4j jar (the shaded
 * {@code cnn4j-cli/target/cnn4j.jar}) loaded in its own class loader, which gets only the probe classes of this
 * package from the benchmark jar: every other class comes from the build's own jar. Times are single-thread CPU
 * time; the table shows the median of the rounds.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp cnn4j-bench/target/benchmarks.jar org.cnn4j.bench.CompareBuilds \
 *     OLD.jar,NEW.jar [conv|batchnorm|step|infer|gemm] [ITEM,ITEM,...] [ROUNDS] [BATCH]
 * </pre>
 *
 * What is timed: {@code conv} (the default), forward and backward of convolutions ({@link ConvProbe}; items as in
 * {@link ConvCase}, default the layers of {@link ConvBench}); {@code batchnorm}, BatchNorm2d forward and backward
 * ({@link BatchNormProbe}); {@code step}, a whole training step of a zoo model ({@link StepProbe}); {@code infer}, its
 * forward pass in EVAL mode ({@link InferProbe}); {@code gemm}, one
 * single-thread SGEMM call ({@link GemmProbe}; items and default shapes as in {@link GemmBench}), where the build
 * name {@code openblas} in place of a jar stands for OpenBLAS's single-thread cblas_sgemm on the same shapes ({@link
 * OpenBlasProbe}; run java with {@code --enable-native-access=ALL-UNNAMED}). ROUNDS defaults to 11 (after at least 5
 * warm-up rounds and 2 seconds per item), BATCH to 64. For gemm, a last column gives the first build's speed over the
 * last one's, the median of the rounds' ratios.
 */
public final class CompareBuilds {
    /** The build name that stands for OpenBLAS's cblas_sgemm (kind gemm only): see {@link OpenBlasProbe}. */
    private static final String OPENBLAS = "openblas";
    private static final int WARM_UP = 5;
    /**
     * Warm-up also lasts this long per item: the JIT compiles the large unrolled kernels last, and a first item's
     * backward measured 10x slow after 5 rounds of 10 ms (seed-cnn conv1: 40.6 against 4.1 ms).
     */
    private static final long WARM_UP_NANOS = 2_000_000_000L;

    private CompareBuilds() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            fail("usage: CompareBuilds JAR,JAR[,...] [conv|batchnorm|step|infer|gemm] [ITEM,ITEM,...] [ROUNDS]"
                    + " [BATCH]");
        }
        List<Path> jars = Arrays.stream(args[0].split(",")).map(Path::of).toList();
        String kind = args.length > 1 ? args[1] : "conv";
        Class<?> probeClass = switch (kind) {
            case "conv" -> ConvProbe.class;
            case "batchnorm" -> BatchNormProbe.class;
            case "step" -> StepProbe.class;
            case "infer" -> InferProbe.class;
            case "gemm" -> GemmProbe.class;
            default -> throw new IllegalArgumentException(
                    "unknown kind " + kind + " (conv, batchnorm, step, infer or gemm)");
        };
        List<String> items = args.length > 2 ? List.of(args[2].split(",")) : defaultItems(kind);
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 11;
        int batch = args.length > 4 ? Integer.parseInt(args[4]) : 64;
        URL probeCode = CompareBuilds.class.getProtectionDomain().getCodeSource().getLocation();
        List<Function<String, double[]>> probes = new java.util.ArrayList<>();
        for (Path jar : jars) {
            if (jar.toString().equals(OPENBLAS)) {
                if (!kind.equals("gemm")) {
                    fail("CompareBuilds: openblas stands in for a build only with kind gemm");
                }
                OpenBlasProbe openblas = new OpenBlasProbe();
                System.out.println("OpenBLAS kernels: " + openblas.core());
                probes.add(openblas);
                continue;
            }
            if (!Files.isRegularFile(jar)) {
                fail("CompareBuilds: no such jar: " + jar);
            }
            ClassLoader build = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            @SuppressWarnings("unchecked")
            Function<String, double[]> probe = (Function<String, double[]>) new ProbeLoader(probeCode, build)
                    .loadClass(probeClass.getName()).getConstructor(int.class).newInstance(batch);
            probes.add(probe);
        }
        System.out.printf("%s: median of %d rounds, batch %d, 1 thread, CPU time: ms (forward / backward, GFLOP/s of"
                + " both where known; per step or pass; or per call, GFLOP/s)%n%-36s", kind, rounds, batch, "item");
        for (Path jar : jars) {
            System.out.printf("  %30s", jar.getFileName());
        }
        System.out.println(kind.equals("gemm") && jars.size() > 1 ? "  first/last" : "");
        for (String item : items) {
            double[][] fwd = new double[jars.size()][rounds];
            double[][] bwd = new double[jars.size()][rounds];
            double macs = 0;
            for (Function<String, double[]> probe : probes) { // the first call reads the item
                try {
                    probe.apply(item);
                } catch (IllegalArgumentException e) { // an item the probe cannot read, or an unknown model
                    fail("CompareBuilds: " + e.getMessage());
                }
            }
            long warmUntil = System.nanoTime() + WARM_UP_NANOS;
            for (int w = 0; w < WARM_UP || System.nanoTime() < warmUntil; w++) {
                for (Function<String, double[]> probe : probes) {
                    probe.apply(item);
                }
            }
            for (int r = 0; r < rounds; r++) {
                for (int j = 0; j < probes.size(); j++) {
                    double[] t = probes.get(j).apply(item);
                    macs = t[2];
                    fwd[j][r] = t[0];
                    bwd[j][r] = t[1];
                }
            }
            System.out.printf("%-36s", item);
            for (int j = 0; j < probes.size(); j++) {
                double f = median(fwd[j]);
                double b = median(bwd[j]);
                if (b == 0 && macs > 0) { // one GEMM call
                    System.out.printf("  %8.3f ms (%5.1f GFLOP/s)    ", f / 1e6, 2 * macs / f);
                } else if (b == 0) { // a whole training step or forward pass: one time
                    System.out.printf("  %19.2f ms per %s", f / 1e6, kind.equals("infer") ? "pass" : "step");
                } else {
                    System.out.printf(macs > 0 ? "  %8.2f / %8.2f (%5.1f)" : "  %8.2f / %8.2f        ", f / 1e6,
                            b / 1e6, 6 * macs / (f + b));
                }
            }
            if (kind.equals("gemm") && probes.size() > 1) { // speed of the first build over the last, round by round
                double[] ratio = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    ratio[r] = fwd[probes.size() - 1][r] / fwd[0][r];
                }
                System.out.printf("  %9.2fx", median(ratio));
            }
            System.out.println();
        }
    }

    /**
     * Serves only this package's probe classes from the benchmark jar; everything else comes from the parent, the
     * build's jar, even where the benchmark jar has its own copy (an older build may lack a class: that must fail,
     * not quietly mix in the newer one).
     */
    private static final class ProbeLoader extends URLClassLoader {
        ProbeLoader(URL probeCode, ClassLoader build) {
            super(new URL[] {probeCode}, build);
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            if (!name.startsWith(CompareBuilds.class.getPackageName() + ".")) {
                throw new ClassNotFoundException(name + " (not in the build's jar)");
            }
            return super.findClass(name);
        }
    }

    private static void fail(String message) {
        System.err.println(message);
        System.exit(2);
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }

    private static List<String> defaultItems(String kind) throws NoSuchFieldException {
        return switch (kind) {
            case "batchnorm" -> List.of("48-32", "16-32", "64-8", "120-8");
            case "step", "infer" -> List.of("seed-cnn:1x28x28", "resnet20:1x28x28", "densenet-bc40:1x28x28");
            case "gemm" -> List.of(GemmBench.class.getField("shape").getAnnotation(Param.class).value());
            default -> List.of(ConvBench.class.getField("layer").getAnnotation(Param.class).value());
        };
    }
}
