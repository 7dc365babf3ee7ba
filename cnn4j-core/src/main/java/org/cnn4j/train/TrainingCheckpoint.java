package org.cnn4j.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cnn4j.io.LoadedModel;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Sequential;
import org.cnn4j.optim.Optimizer;

/**
 * After every epoch, saves what a run needs to continue after an interruption, like a PyTorch checkpoint of {@code
 * model.state_dict()} and {@code optimizer.state_dict()}: the model with the optimizer's state arrays (one {@link
 * ModelFile}, written atomically, so it always holds one whole epoch's end), plus metadata: the given entries, the
 * epochs done ({@value #EPOCH}), the optimizer's step count ({@value #STEPS}), the best test accuracy so far
 * ({@value #BEST}), the seconds the run has taken so far, evaluations included ({@value #SECONDS}), and the
 * optimizer's class ({@value #OPTIMIZER}). {@link #restore} puts the state back. Not saved: the generators of {@link org.cnn4j.nn.Dropout} layers (none of the zoo
 * models has one), so a model with dropout continues with other masks than an uninterrupted run would draw.
 */
public final class TrainingCheckpoint implements TrainingListener {
    public static final String EPOCH = "checkpoint_epoch";
    public static final String STEPS = "checkpoint_optimizer_steps";
    public static final String BEST = "checkpoint_best_test_accuracy";
    public static final String SECONDS = "checkpoint_train_seconds";
    public static final String OPTIMIZER = "checkpoint_optimizer";

    /**
     * What a checkpoint records about the run besides the model and the optimizer's arrays; {@code optimizer} is
     * null in checkpoints written before it was recorded.
     */
    public record Progress(int epoch, long steps, double best, double seconds, String optimizer) {
        /** The entries of a checkpoint's metadata; IllegalArgumentException naming the file if one is missing or bad. */
        public static Progress of(LoadedModel checkpoint, Path file) {
            Map<String, String> m = checkpoint.metadata();
            try {
                return new Progress(Integer.parseInt(entry(m, EPOCH, file)), Long.parseLong(entry(m, STEPS, file)),
                        Double.parseDouble(entry(m, BEST, file)), Double.parseDouble(entry(m, SECONDS, file)),
                        m.get(OPTIMIZER));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("checkpoint " + file + " has an invalid number: " + e.getMessage(),
                        e);
            }
        }
    }

    /** A checkpoint's metadata entry; IllegalArgumentException naming the file and the key if it is missing. */
    public static String entry(Map<String, String> metadata, String key, Path file) {
        String v = metadata.get(key);
        if (v == null) {
            throw new IllegalArgumentException("checkpoint " + file + " does not record '" + key + "'");
        }
        return v;
    }

    private final Sequential model;
    private final Optimizer optimizer;
    private final Path file;
    private final Map<String, String> metadata;
    private double best;
    private final double secondsBefore;
    private final long created = System.nanoTime();

    /**
     * @param best    the best test accuracy of the epochs done before (-1 for a new run)
     * @param seconds the seconds the run took before (0 for a new run)
     */
    public TrainingCheckpoint(Sequential model, Optimizer optimizer, Path file, Map<String, String> metadata,
            double best, double seconds) {
        this.model = model;
        this.optimizer = optimizer;
        this.file = file;
        this.metadata = metadata;
        this.best = best;
        this.secondsBefore = seconds;
    }

    /** Seconds the run has taken so far: since this checkpoint was made (before training), plus the time before. */
    public double seconds() {
        return secondsBefore + (System.nanoTime() - created) / 1e9;
    }

    @Override
    public void onEpochEnd(EpochStats s) {
        if (!Double.isNaN(s.testAccuracy())) { // NaN: no test data
            best = Math.max(best, s.testAccuracy());
        }
        Map<String, String> m = new LinkedHashMap<>(metadata);
        m.put(EPOCH, Integer.toString(s.epoch()));
        m.put(STEPS, Long.toString(optimizer.steps()));
        m.put(BEST, Double.toString(best));
        m.put(SECONDS, Double.toString(seconds()));
        m.put(OPTIMIZER, optimizer.getClass().getSimpleName());
        try {
            ModelFile.save(model, file, m, optimizer.state());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Gives {@code optimizer} (built like the one that was saved, on the parameters of {@code loaded.model()}) the
     * saved state. Throws IllegalArgumentException, naming the file, when the checkpoint does not fit it: another
     * kind of optimizer, or arrays of other sizes.
     */
    public static void restore(LoadedModel loaded, Optimizer optimizer, Path file) {
        Progress saved = Progress.of(loaded, file);
        String kind = optimizer.getClass().getSimpleName();
        if (saved.optimizer() != null && !saved.optimizer().equals(kind)) {
            throw new IllegalArgumentException("checkpoint " + file + " holds the state of " + saved.optimizer()
                    + ", not of " + kind);
        }
        try {
            optimizer.restoreState(loaded.state(), saved.steps());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("checkpoint " + file + " does not fit the optimizer: " + e.getMessage(),
                    e);
        }
    }
}
