package org.cnn4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.cnn4j.io.Json;
import org.cnn4j.kernel.Gemm;
import org.cnn4j.kernel.Parallel;
import org.cnn4j.model.Zoo;
import org.cnn4j.loss.CrossEntropyLoss;
import org.cnn4j.nn.Layer;
import org.cnn4j.nn.Mode;
import org.cnn4j.nn.Sequential;
import org.cnn4j.optim.SGD;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.Allocations;
import org.cnn4j.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Training and inference speed of zoo models on random data: images per second after a warm-up, and the bytes a
 * training step allocates once warm. With --compare-pytorch each model is also run by the PyTorch reference script
 * (scripts/pytorch_reference.py, shipped in the jar) right after cnn4j's own run, with the same thread count; with
 * --rounds N the two take turns N times and each keeps its best figure. The header names PyTorch's BLAS: the script
 * sets OPENBLAS_CORETYPE (unless set) to the newest kernel the CPU allows, as OpenBLAS takes its generic one for CPUs
 * newer than itself.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Training and inference images/s of the reference models on random data, optionally beside"
                + " PyTorch.")
final class BenchCommand implements Callable<Integer> {
    static final String PYTHON = "/usr/bin/python3";
    private static final String SCRIPT = "pytorch_reference.py";

    @Option(names = "--models", split = ",", paramLabel = "NAME[,NAME...]",
            defaultValue = "mlp,lenet5,seed-cnn,resnet20,densenet-bc40",
            description = "Zoo models to time. Default: ${DEFAULT-VALUE}.")
    List<String> models;

    @Option(names = "--batch", defaultValue = "64", description = "Batch size. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--warmup", defaultValue = "5", paramLabel = "N",
            description = "Untimed batches before each measurement, at least; the warm-up also lasts half of"
                    + " --seconds, and then until the rate and the bytes allocated per batch settle (at most 4 x"
                    + " --seconds), so the JIT has compiled the kernels. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--iterations", defaultValue = "5", paramLabel = "N",
            description = "Timed batches per measurement, at least. Default: ${DEFAULT-VALUE}.")
    int iterations;

    @Option(names = "--seconds", defaultValue = "3", paramLabel = "S",
            description = "Time per measurement, at least. Default: ${DEFAULT-VALUE}.")
    double seconds;

    @Option(names = "--rounds", defaultValue = "1", paramLabel = "N",
            description = "Time each model N times (cnn4j and PyTorch taking turns) and keep each one's best: on a"
                    + " shared machine the load changes from minute to minute. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--compare-pytorch",
            description = "Also time each model in PyTorch (" + PYTHON + " with torch) and print cnn4j/PyTorch ratios.")
    boolean comparePytorch;

    @Option(names = "--profile", description = "Also print where the time of a training step and of inference goes, "
            + "per top-level layer.")
    boolean profile;

    @Option(names = "--json", description = "Print a JSON summary as the last line.")
    boolean json;

    @Mixin
    CommonOptions common;

    /** One model's figures; the PyTorch ones are NaN when it was not run. */
    record Result(String model, double train, double infer, long bytesPerStep, double torchTrain, double torchInfer) {
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        common.apply();
        if (batch < 2 || warmup < 0 || iterations < 1 || rounds < 1 || seconds < 0) {
            throw new IllegalArgumentException("--batch must be at least 2 (batch norm), --iterations and --rounds at"
                    + " least 1, --warmup and --seconds not negative");
        }
        for (String m : models) {
            Zoo.create(m, inputShape(m), 10); // unknown names fail before anything is timed
        }
        Torch torch = comparePytorch ? describeTorch() : null;
        System.out.printf("cnn4j bench: batch %d, %d thread%s, %s kernels, Java %s%s%s%n", batch, Parallel.threads(),
                Parallel.threads() == 1 ? "" : "s", Gemm.implementation(), Runtime.version().feature(),
                torch == null ? "" : ", PyTorch " + torch, rounds == 1 ? "" : ", best of " + rounds + " rounds");
        if (comparePytorch && torch == null) {
            System.out.println("PyTorch comparison skipped: " + PYTHON + " cannot import torch (apt-get install"
                    + " python3-torch libopenblas0-pthread)");
        }
        System.out.println(torch == null
                ? String.format("%-14s %12s %12s %14s", "model", "train img/s", "infer img/s", "bytes/step")
                : String.format("%-14s %12s %10s %7s %12s %10s %7s %14s", "model", "train img/s", "PyTorch", "ratio",
                        "infer img/s", "PyTorch", "ratio", "bytes/step"));
        List<Result> results = new ArrayList<>();
        for (String m : models) {
            Result r = run(m, torch != null);
            results.add(r);
            System.out.println(torch == null
                    ? String.format(Locale.ROOT, "%-14s %,12.0f %,12.0f %,14d", m, r.train, r.infer, r.bytesPerStep)
                    : String.format(Locale.ROOT, "%-14s %,12.0f %,10.0f %6.2fx %,12.0f %,10.0f %6.2fx %,14d", m,
                            r.train, r.torchTrain, r.train / r.torchTrain, r.infer, r.torchInfer,
                            r.infer / r.torchInfer, r.bytesPerStep));
        }
        if (json) {
            System.out.println(Json.write(summary(results, torch)));
        }
        return 0;
    }

    /** The input of one sample: CIFAR-sized for the ResNets and DenseNets, MNIST-sized for the others. */
    static Shape inputShape(String model) {
        return model.startsWith("resnet") || model.startsWith("densenet") ? Shape.of(3, 32, 32) : Shape.of(1, 28, 28);
    }

    private Result run(String name, boolean torch) throws IOException, InterruptedException {
        Shape sample = inputShape(name);
        Sequential model = Zoo.create(name, sample, 10);
        Tensor x = Tensor.randn(sample.prepend(batch), 1f, 1);
        SplittableRandom random = new SplittableRandom(2);
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = random.nextInt(10);
        }
        Trainer trainer = new Trainer(model, new SGD(model.parameters(), 0.01, 0.9), null);
        long[] bytes = new long[1];
        double train = 0;
        double infer = 0;
        double[] t = {Double.NaN, Double.NaN};
        for (int r = 0; r < rounds; r++) { // the best of each: the load of a shared machine only slows things down
            train = Math.max(train, rate(() -> trainer.step(x, labels), r == rounds - 1 ? bytes : null));
            infer = Math.max(infer, rate(() -> model.forward(x, Mode.EVAL), null));
            if (torch) {
                double[] round = pytorch(name);
                t = r == 0 ? round : new double[] {Math.max(t[0], round[0]), Math.max(t[1], round[1])};
            }
        }
        if (profile) {
            System.out.print(profile(model, x, labels));
        }
        return new Result(name, train, infer, bytes[0], t[0], t[1]);
    }

    /**
     * Images per second of {@code step} after the warm-up; if {@code bytesPerStep} is given, its first element
     * receives the bytes allocated per timed step (by all threads).
     */
    private double rate(Runnable step, long[] bytesPerStep) {
        warmUp(step);
        long allocated = Allocations.allocatedBytes();
        long start = System.nanoTime();
        int n = 0;
        while (n < iterations || System.nanoTime() - start < seconds * 1e9) {
            step.run();
            n++;
        }
        double secs = (System.nanoTime() - start) / 1e9;
        if (bytesPerStep != null) {
            bytesPerStep[0] = allocated < 0 ? -1 : (Allocations.allocatedBytes() - allocated) / n;
        }
        return n * batch / secs;
    }

    /**
     * Untimed batches until the JIT has compiled the kernels: at least --warmup of them and half of --seconds, then
     * until three consecutive windows of a sixth of --seconds agree within 10% on the rate and on the bytes allocated
     * per batch (or all allocate under 64 KB per batch), for at most 4 x --seconds. The Vector API's kernels run
     * interpreted, many times slower and allocating, until compiled: from a fresh JVM seed-cnn's training steps took
     * about 6 s to settle, which half of --seconds alone did not cover; the bytes per step reported must be those of
     * compiled kernels, which a settled rate alone does not promise.
     */
    private void warmUp(Runnable step) {
        long start = System.nanoTime();
        for (int i = 0; i < warmup || System.nanoTime() - start < seconds * 0.5e9; i++) {
            step.run();
        }
        long window = (long) (seconds * 1e9 / 6);
        double[] rates = new double[3];
        double[] bytes = new double[3];
        for (int w = 0; window > 0 && System.nanoTime() - start < seconds * 4e9; w++) {
            long w0 = System.nanoTime();
            long a0 = Allocations.allocatedBytes();
            int n = 0;
            while (n < 1 || System.nanoTime() - w0 < window) {
                step.run();
                n++;
            }
            rates[w % 3] = n * 1e9 / (System.nanoTime() - w0);
            bytes[w % 3] = a0 < 0 ? 0 : (double) (Allocations.allocatedBytes() - a0) / n;
            if (w >= 2 && agree(rates, 0) && agree(bytes, 64 * 1024)) {
                return;
            }
        }
    }

    /** Whether the values are within 10% of each other, or all below {@code small}. */
    private static boolean agree(double[] values, double small) {
        double min = Math.min(values[0], Math.min(values[1], values[2]));
        double max = Math.max(values[0], Math.max(values[1], values[2]));
        return max < small || min > 0 && max - min <= 0.1 * max;
    }

    /**
     * Milliseconds per batch of each top-level layer's forward and backward in TRAIN mode, and of its forward in EVAL
     * mode (inference), the layers run one by one, averaged over the measurement's batches. (Sequential fuses some
     * neighbouring layers, see its class comment; here each top-level layer is timed on its own, while containers
     * such as a Residual still fuse the layers inside.)
     * Backward runs as a training step runs it ({@link Sequential#backwardParameters}): the first layer with
     * parameters skips its input gradient, the layers before it run no backward at all ("-").
     */
    private String profile(Sequential model, Tensor x, int[] labels) {
        List<Layer> layers = model.layers();
        double[] fwd = new double[layers.size()];
        double[] bwd = new double[layers.size()];
        double[] eval = new double[layers.size()];
        int first = model.firstLayerWithParameters();
        CrossEntropyLoss loss = new CrossEntropyLoss();
        int n = Math.max(iterations, 3);
        for (int it = 0; it < n; it++) {
            loss.forward(timedForward(layers, x, Mode.TRAIN, fwd, n), labels);
            Tensor g = loss.backward();
            for (int i = layers.size() - 1; i >= first; i--) {
                long start = System.nanoTime();
                if (i > first) {
                    g = layers.get(i).backward(g);
                } else {
                    layers.get(i).backwardParameters(g);
                }
                bwd[i] += (System.nanoTime() - start) / 1e6 / n;
            }
        }
        for (int it = 0; it < n; it++) {
            timedForward(layers, x, Mode.EVAL, eval, n);
        }
        StringBuilder sb = new StringBuilder();
        Shape s = x.shape();
        for (int i = 0; i < layers.size(); i++) {
            s = layers.get(i).outputShape(s);
            String back = i < first ? String.format("%8s   ", "-") : String.format(Locale.ROOT, "%8.2f ms", bwd[i]);
            sb.append(String.format(Locale.ROOT, "  %2d %-16s %-18s fwd %8.2f ms  bwd %s  infer %8.2f ms%n", i,
                    layers.get(i).spec().type(), s, fwd[i], back, eval[i]));
        }
        return sb.toString();
    }

    /** Runs the layers forward on x, adding each one's milliseconds / n to ms[i]; returns the last output. */
    private static Tensor timedForward(List<Layer> layers, Tensor x, Mode mode, double[] ms, int n) {
        Tensor t = x;
        for (int i = 0; i < layers.size(); i++) {
            long start = System.nanoTime();
            t = layers.get(i).forward(t, mode);
            ms[i] += (System.nanoTime() - start) / 1e6 / n;
        }
        return t;
    }

    /** PyTorch as the reference script sees it: its version and the BLAS in use, such as "OpenBLAS SkylakeX". */
    private record Torch(String version, String blas) {
        @Override
        public String toString() {
            return version + " (" + blas + ")";
        }
    }

    /** PyTorch's version and BLAS, or null if /usr/bin/python3 cannot import torch. */
    private static Torch describeTorch() throws InterruptedException {
        String out;
        try {
            Process p = script(ProcessBuilder.Redirect.DISCARD, "--describe");
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0 || out.isEmpty()) {
                return null;
            }
        } catch (IOException e) {
            return null;
        }
        Map<String, Object> d = lastJsonLine(out, "--describe");
        return new Torch((String) d.get("torch"), (String) d.get("blas"));
    }

    /** The JSON object on the last line of the reference script's output (run with args, for the error message). */
    private static Map<String, Object> lastJsonLine(String out, String args) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> r = (Map<String, Object>) Json.parse(out.lines().reduce((a, b) -> b).orElseThrow());
            return r;
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IllegalStateException("the PyTorch reference script (" + args + ") printed no JSON object: " + out);
        }
    }

    /** Starts the reference script (fed to python on its standard input) with these arguments. */
    private static Process script(ProcessBuilder.Redirect errors, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(PYTHON, "-"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        pb.redirectError(errors);
        Process p = pb.start();
        try (InputStream code = BenchCommand.class.getResourceAsStream(SCRIPT); OutputStream in = p.getOutputStream()) {
            if (code == null) {
                throw new IllegalStateException(SCRIPT + " is missing from the jar");
            }
            code.transferTo(in);
        }
        return p;
    }

    /** Runs the reference script on one model: {train, infer} images/s. */
    private double[] pytorch(String name) throws IOException, InterruptedException {
        Process p = script(ProcessBuilder.Redirect.INHERIT, "--model", name, "--batch", String.valueOf(batch), "--threads",
                String.valueOf(Parallel.threads()), "--warmup", String.valueOf(warmup), "--iterations",
                String.valueOf(iterations), "--seconds", String.valueOf(seconds));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0 || out.isEmpty()) {
            throw new IllegalStateException("the PyTorch reference script failed on " + name + ": " + out);
        }
        Map<String, Object> r = lastJsonLine(out, "--model " + name);
        return new double[] {((Number) r.get("train")).doubleValue(), ((Number) r.get("infer")).doubleValue()};
    }

    private Map<String, Object> summary(List<Result> results, Torch torch) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("batch", batch);
        s.put("threads", Parallel.threads());
        s.put("rounds", rounds);
        s.put("kernel", Gemm.implementation());
        if (torch != null) {
            s.put("pytorch", torch.version());
            s.put("pytorch_blas", torch.blas());
        }
        List<Object> rows = new ArrayList<>();
        for (Result r : results) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("model", r.model);
            row.put("train_images_per_second", r.train);
            row.put("infer_images_per_second", r.infer);
            row.put("train_bytes_per_step", r.bytesPerStep);
            if (torch != null) {
                row.put("pytorch_train_images_per_second", r.torchTrain);
                row.put("pytorch_infer_images_per_second", r.torchInfer);
                row.put("train_ratio", r.train / r.torchTrain);
                row.put("infer_ratio", r.infer / r.torchInfer);
            }
            rows.add(row);
        }
        s.put("models", rows);
        return s;
    }
}
