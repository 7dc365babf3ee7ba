package org.cnn4j.bench;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Compares the convolution layers of two or more builds of cnn4j in one JVM, with their measurements interleaved:
 * round r times every build once before round r + 1 starts, so a change in the host's load during the run affects
 * every build alike (on this project's shared machine, separate runs of the same code moved by up to 2x). Each build
 * is a cnn4j jar (the shaded {@code cnn4j-cli/target/cnn4j.jar}, or cnn4j-core's jar) loaded in its own class
 * loader; times are single-thread CPU time, and the table shows the median of the rounds.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp cnn4j-bench/target/benchmarks.jar org.cnn4j.bench.CompareBuilds \
 *     OLD.jar,NEW.jar [LAYER,LAYER,...] [ROUNDS] [BATCH]
 * </pre>
 *
 * LAYERs are written as in {@link ConvCase} (default: the convolutions of {@link ConvBench}); ROUNDS defaults to
 * 11 (after 5 warm-up rounds), BATCH to 64.
 */
public final class CompareBuilds {
    private static final int WARM_UP = 5;

    private CompareBuilds() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: CompareBuilds JAR,JAR[,...] [LAYER,LAYER,...] [ROUNDS] [BATCH]");
            System.exit(2);
        }
        List<Path> jars = Arrays.stream(args[0].split(",")).map(Path::of).toList();
        List<String> layers = args.length > 1 ? List.of(args[1].split(",")) : defaultLayers();
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 11;
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        URL probeCode = CompareBuilds.class.getProtectionDomain().getCodeSource().getLocation();
        List<Function<String, double[]>> probes = new java.util.ArrayList<>();
        for (Path jar : jars) {
            if (!Files.isRegularFile(jar)) {
                System.err.println("CompareBuilds: no such jar: " + jar);
                System.exit(2);
            }
            // the build's jar first, so its org.cnn4j classes win over the copies inside this benchmark jar
            ClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL(), probeCode},
                    ClassLoader.getPlatformClassLoader());
            @SuppressWarnings("unchecked")
            Function<String, double[]> probe = (Function<String, double[]>) loader
                    .loadClass(ConvProbe.class.getName()).getConstructor(int.class).newInstance(batch);
            probes.add(probe);
        }
        System.out.printf("median of %d rounds, batch %d, 1 thread, CPU time: forward ms / backward ms (GFLOP/s of"
                + " both)%n%-36s", rounds, batch, "layer");
        for (Path jar : jars) {
            System.out.printf("  %30s", jar.getFileName());
        }
        System.out.println();
        for (String layer : layers) {
            double[][] fwd = new double[jars.size()][rounds];
            double[][] bwd = new double[jars.size()][rounds];
            double macs = 0;
            for (int r = -WARM_UP; r < rounds; r++) {
                for (int j = 0; j < probes.size(); j++) {
                    double[] t = probes.get(j).apply(layer);
                    macs = t[2];
                    if (r >= 0) {
                        fwd[j][r] = t[0];
                        bwd[j][r] = t[1];
                    }
                }
            }
            System.out.printf("%-36s", layer);
            for (int j = 0; j < probes.size(); j++) {
                double f = median(fwd[j]);
                double b = median(bwd[j]);
                System.out.printf("  %8.2f / %8.2f (%5.1f)", f / 1e6, b / 1e6, 6 * macs / (f + b));
            }
            System.out.println();
        }
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }

    private static List<String> defaultLayers() throws NoSuchFieldException {
        return List.of(ConvBench.class.getField("layer").getAnnotation(org.openjdk.jmh.annotations.Param.class)
                .value());
    }
}
