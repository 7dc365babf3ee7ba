package org.cnn4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cnn4j.data.DataLoader;
import org.cnn4j.data.DataSource;
import org.cnn4j.data.Dataset;
import org.cnn4j.data.Normalize;
import org.cnn4j.init.Init;
import org.cnn4j.io.Json;
import org.cnn4j.io.LoadedModel;
import org.cnn4j.io.ModelFile;
import org.cnn4j.kernel.Parallel;
import org.cnn4j.model.Zoo;
import org.cnn4j.nn.Sequential;
import org.cnn4j.optim.Adam;
import org.cnn4j.optim.AdamW;
import org.cnn4j.optim.CosineAnnealingLR;
import org.cnn4j.optim.LinearWarmup;
import org.cnn4j.optim.LrSchedule;
import org.cnn4j.optim.OneCycleLR;
import org.cnn4j.optim.Optimizer;
import org.cnn4j.optim.SGD;
import org.cnn4j.optim.StepLR;
import org.cnn4j.train.BestModelCheckpoint;
import org.cnn4j.train.EpochStats;
import org.cnn4j.train.MetricsFile;
import org.cnn4j.train.ProgressBar;
import org.cnn4j.train.Trainer;
import org.cnn4j.train.TrainingCheckpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Trains a zoo model. With no options: seed-cnn on the 8,000 embedded MNIST training digits, evaluated on the
 * 2,000 held-out ones. Writes model.cnn4j (the final model), best.cnn4j (the best test accuracy seen),
 * checkpoint.cnn4j (model and optimizer state after the last finished epoch, for --resume) and metrics.csv into the
 * output folder, then compares the result with the other runs beside it.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a model (default: seed-cnn on the embedded MNIST digits).")
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "seed-cnn", description = "Model from the zoo: ${COMPLETION-CANDIDATES}.",
            completionCandidates = ModelNames.class)
    String model;

    @Option(names = "--data", defaultValue = "mnist", description = DataOption.DESCRIPTION + " Default: ${DEFAULT-VALUE}.")
    String data;

    @Option(names = "--epochs", defaultValue = "6", description = "Passes over the training data. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "64", description = "Images per step. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--optimizer", defaultValue = "adam",
            description = "adam, adamw (decoupled weight decay) or sgd (momentum 0.9, Nesterov). Default: ${DEFAULT-VALUE}.")
    String optimizer;

    @Option(names = "--lr", description = "Learning rate (default: 0.002 for adam, 0.05 for sgd).")
    Double lr;

    @Option(names = "--weight-decay", description = "Weight decay (default: 0.01 for adamw, as in PyTorch; 0 otherwise).")
    Double weightDecay;

    @Option(names = "--schedule", defaultValue = "cosine",
            description = "Learning-rate schedule: cosine (to 0 over the run), warmup-cosine (linear warm-up over the first"
                    + " 5%% of steps, then cosine), onecycle (PyTorch's OneCycleLR with --lr as the peak), step (x0.1 after"
                    + " each third) or none. Default: ${DEFAULT-VALUE}.")
    String schedule;

    @Option(names = "--augment", defaultValue = "2", paramLabel = "PIXELS",
            description = "Shift training images randomly by up to this many pixels, the same as a random crop with "
                    + "this much zero padding (0: off). Default: ${DEFAULT-VALUE}.")
    int augment;

    @Option(names = "--flip", description = "Mirror training images left-right at random (for clothes or CIFAR-10, not digits).")
    boolean flip;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for weights, shuffling and augmentation. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: runs/MODEL).")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the interrupted run in DIR from the end of its last finished epoch (its "
                    + CHECKPOINT + "), with the options and the thread count it was started with; the result is the "
                    + "same as an uninterrupted run's (to the last bit unless --threads changes the count).")
    Path resume;

    @Option(names = "--json", description = "Print a JSON summary as the last line.")
    boolean json;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    static final String CHECKPOINT = "checkpoint.cnn4j";
    /** The options that define a run: saved in its files, restored by --resume. */
    private static final List<String> RUN_OPTIONS = List.of("--model", "--data", "--epochs", "--batch-size",
            "--optimizer", "--lr", "--weight-decay", "--schedule", "--augment", "--flip", "--seed", "--out");

    @Override
    public Integer call() throws Exception {
        common.apply();
        LoadedModel resumed = resume == null ? null : readCheckpoint();
        TrainingCheckpoint.Progress progress = resumed == null ? null
                : TrainingCheckpoint.Progress.of(resumed, resume.resolve(CHECKPOINT));
        check(epochs >= 1, "--epochs must be at least 1 (got " + epochs + ")");
        check(batchSize >= 1, "--batch-size must be at least 1 (got " + batchSize + ")");
        check(augment >= 0, "--augment must not be negative (got " + augment + ")");
        Path dir = resume != null ? resume : out != null ? out : Path.of("runs", model);
        Files.createDirectories(dir); // fails now, not after the first epoch, if DIR cannot be a folder
        DataSource source = DataOption.load(data);
        Dataset train = source.train();
        Dataset test = source.test();
        Sequential net;
        if (resumed == null) {
            Init.manualSeed(seed);
            net = Zoo.create(model, train.sampleShape(), train.numClasses());
        } else {
            net = resumed.model();
            net.outputShape(train.sampleShape().prepend(1)); // the data must still fit the model
        }
        double decay = weightDecay != null ? weightDecay : optimizer.equals("adamw") ? 0.01 : 0;
        Optimizer opt = optimizer(net, decay);
        Normalize norm = source.normalize();
        DataLoader trainLoader = DataLoader.builder(train).batchSize(batchSize).shuffle(true).seed(seed)
                .translate(augment).horizontalFlip(flip).normalize(norm).build();
        int done = 0;
        if (resumed != null) {
            TrainingCheckpoint.restore(resumed, opt, dir.resolve(CHECKPOINT));
            done = progress.epoch();
            check(progress.steps() == (long) done * trainLoader.batchesPerEpoch(), "checkpoint "
                    + dir.resolve(CHECKPOINT) + " took " + progress.steps() + " steps in " + done + " epochs, but "
                    + data + " now gives " + trainLoader.batchesPerEpoch() + " batches per epoch");
        }
        int steps = epochs * trainLoader.batchesPerEpoch();
        DataLoader testLoader = DataLoader.builder(test).batchSize(256).normalize(norm).build();

        System.out.printf("%s %s (%,d parameters) on %s: %,d training and %,d test images, %d epochs, batch %d, %s%n",
                resumed == null ? "training" : "continuing after epoch " + done + ":", model, net.parameterCount(),
                data, train.size(), test.size(), epochs, batchSize, opt);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("model", model);
        meta.put("data", data);
        meta.putAll(ModelOption.metadata(norm, source.classNames()));
        meta.put("seed", Long.toString(seed));
        meta.put("planned_epochs", Integer.toString(epochs));
        meta.put("batch_size", Integer.toString(batchSize));
        meta.put("optimizer", optimizer);
        meta.put("lr", Double.toString(opt.learningRate()));
        meta.put("weight_decay", Double.toString(decay));
        meta.put("schedule", schedule);
        meta.put("augment", Integer.toString(augment));
        meta.put("flip", Boolean.toString(flip));
        meta.put("threads", Integer.toString(Parallel.threads()));
        MetricsFile metrics = resumed == null ? new MetricsFile(dir.resolve("metrics.csv"))
                : MetricsFile.resume(dir.resolve("metrics.csv"), done);
        double bestBefore = resumed == null ? -1 : progress.best();
        double secondsBefore = resumed == null ? 0 : progress.seconds();
        BestModelCheckpoint best = new BestModelCheckpoint(net, dir.resolve("best.cnn4j"), meta, bestBefore);
        TrainingCheckpoint checkpoint = new TrainingCheckpoint(net, opt, dir.resolve(CHECKPOINT), meta, bestBefore,
                secondsBefore);
        Trainer trainer = new Trainer(net, opt, schedule(steps)).addListener(ProgressBar.onStdout())
                .addListener(metrics).addListener(best).addListener(checkpoint);
        List<EpochStats> history = trainer.fit(trainLoader, testLoader, epochs, done + 1);
        double seconds = checkpoint.seconds();
        EpochStats last = history.get(history.size() - 1);
        double accuracy = last.testAccuracy();
        meta.put("epochs", Integer.toString(epochs));
        meta.put("test_accuracy", Double.toString(accuracy));
        meta.put("train_seconds", String.format(java.util.Locale.ROOT, "%.1f", seconds));
        meta.put("images_per_second", String.format(java.util.Locale.ROOT, "%.0f", last.imagesPerSecond()));
        Path modelFile = dir.resolve("model.cnn4j");
        ModelFile.save(net, modelFile, meta);
        int correct = (int) Math.round(accuracy * test.size());
        System.out.printf("test accuracy %.2f%% (%,d/%,d) after %d epochs in %.1f s%n", 100 * accuracy, correct,
                test.size(), epochs, seconds);
        System.out.println("wrote " + modelFile + ", " + best.file() + " (best test accuracy "
                + String.format("%.2f%%", 100 * best.bestAccuracy()) + "), " + metrics.file());
        System.out.print(RunComparison.table(dir.toAbsolutePath().getParent(), dir.toAbsolutePath()));
        if (json) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("model", model);
            summary.put("parameters", net.parameterCount());
            summary.put("test_accuracy", accuracy);
            summary.put("epochs", epochs);
            summary.put("seconds", seconds);
            summary.put("images_per_second", last.imagesPerSecond());
            summary.put("out", dir.toString());
            System.out.println(Json.write(summary));
        }
        return 0;
    }

    /**
     * Reads DIR/checkpoint.cnn4j of --resume and takes the run's options from it; any run option given besides
     * --resume is an error, since a different option would make a different run.
     */
    private LoadedModel readCheckpoint() throws java.io.IOException {
        for (String name : RUN_OPTIONS) {
            check(!spec.commandLine().getParseResult().hasMatchedOption(name),
                    "--resume continues a run with the options it was started with: leave out " + name);
        }
        Path file = resume.resolve(CHECKPOINT);
        check(Files.isRegularFile(file), "--resume: " + resume + " holds no " + CHECKPOINT
                + " (a run writes one at the end of each epoch)");
        LoadedModel loaded = ModelFile.load(file);
        Map<String, String> m = loaded.metadata();
        try {
            model = TrainingCheckpoint.entry(m, "model", file);
            data = TrainingCheckpoint.entry(m, "data", file);
            epochs = Integer.parseInt(TrainingCheckpoint.entry(m, "planned_epochs", file));
            batchSize = Integer.parseInt(TrainingCheckpoint.entry(m, "batch_size", file));
            optimizer = TrainingCheckpoint.entry(m, "optimizer", file);
            lr = Double.valueOf(TrainingCheckpoint.entry(m, "lr", file));
            weightDecay = Double.valueOf(TrainingCheckpoint.entry(m, "weight_decay", file));
            schedule = TrainingCheckpoint.entry(m, "schedule", file);
            augment = Integer.parseInt(TrainingCheckpoint.entry(m, "augment", file));
            flip = Boolean.parseBoolean(TrainingCheckpoint.entry(m, "flip", file));
            seed = Long.parseLong(TrainingCheckpoint.entry(m, "seed", file));
            // not recorded by the first version of checkpoints: those continue on --threads or the default
            int threads = m.containsKey("threads") ? Integer.parseInt(m.get("threads")) : Parallel.threads();
            if (common.threads == null) {
                Parallel.setThreads(threads);
            } else if (common.threads != threads) {
                System.out.println("note: the run used " + threads + " threads; with " + common.threads
                        + " its results will differ from an uninterrupted run's in the last bits");
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("checkpoint " + file + " has an invalid number: " + e.getMessage(), e);
        }
        int done = TrainingCheckpoint.Progress.of(loaded, file).epoch();
        check(done >= 1, "checkpoint " + file + " records no finished epoch");
        check(done < epochs, "the run in " + resume + " has already finished its " + epochs + " epochs"
                + (Files.exists(resume.resolve("model.cnn4j")) ? "" : " (stopped before writing model.cnn4j: "
                        + CHECKPOINT + " holds its final weights)"));
        return loaded;
    }

    private Optimizer optimizer(Sequential net, double decay) {
        return switch (optimizer) {
            case "adam" -> new Adam(net.parameters(), lr != null ? lr : 0.002, 0.9, 0.999, 1e-8, decay);
            case "adamw" -> new AdamW(net.parameters(), lr != null ? lr : 0.002, 0.9, 0.999, 1e-8, decay);
            case "sgd" -> new SGD(net.parameters(), lr != null ? lr : 0.05, 0.9, 0, decay, true);
            default -> throw new IllegalArgumentException("--optimizer: unknown '" + optimizer
                    + "' (choose adam, adamw or sgd)");
        };
    }

    private LrSchedule schedule(int steps) {
        return switch (schedule) {
            case "cosine" -> new CosineAnnealingLR(steps);
            case "warmup-cosine" -> LinearWarmup.thenCosine(Math.max(1, steps / 20), Math.max(2, steps), 0.1, 0);
            case "onecycle" -> new OneCycleLR(steps);
            case "step" -> new StepLR(Math.max(1, steps / 3), 0.1);
            case "none" -> null;
            default -> throw new IllegalArgumentException("--schedule: unknown '" + schedule
                    + "' (choose cosine, warmup-cosine, onecycle, step or none)");
        };
    }

    static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
