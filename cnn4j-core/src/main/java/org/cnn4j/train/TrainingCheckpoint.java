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
 * ({@value #BEST}) and the seconds the run has taken so far, evaluations included ({@value #SECONDS}). {@link
 * #restore} puts the state back. Not saved: the generators of {@link org.cnn4j.nn.Dropout} layers (none of the zoo
 * models has one), so a model with dropout continues with other masks than an uninterrupted run would draw.
 */
public final class TrainingCheckpoint implements TrainingListener {
    public static final String EPOCH = "checkpoint_epoch";
    public static final String STEPS = "checkpoint_optimizer_steps";
    public static final String BEST = "checkpoint_best_test_accuracy";
    public static final String SECONDS = "checkpoint_train_seconds";

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
        best = Math.max(best, s.testAccuracy());
        Map<String, String> m = new LinkedHashMap<>(metadata);
        m.put(EPOCH, Integer.toString(s.epoch()));
        m.put(STEPS, Long.toString(optimizer.steps()));
        m.put(BEST, Double.toString(best));
        m.put(SECONDS, Double.toString(seconds()));
        try {
            ModelFile.save(model, file, m, optimizer.state());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Gives {@code optimizer} (built like the one that was saved, on the parameters of {@code loaded.model()}) the
     * saved state. Throws IllegalArgumentException, naming the file, when the checkpoint does not fit it.
     */
    public static void restore(LoadedModel loaded, Optimizer optimizer, Path file) {
        try {
            optimizer.restoreState(loaded.state(), Long.parseLong(loaded.metadata().getOrDefault(STEPS, "-1")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("checkpoint " + file + " does not fit the optimizer: " + e.getMessage(),
                    e);
        }
    }
}
