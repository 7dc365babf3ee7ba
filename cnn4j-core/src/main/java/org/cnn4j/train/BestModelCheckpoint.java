package org.cnn4j.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Sequential;

/**
 * Saves the model (atomically, see {@link ModelFile}) whenever an epoch's test accuracy beats the best so far,
 * with the given metadata plus the epoch and its test accuracy.
 */
public final class BestModelCheckpoint implements TrainingListener {
    private final Sequential model;
    private final Path file;
    private final Map<String, String> metadata;
    private double best = -1;

    public BestModelCheckpoint(Sequential model, Path file, Map<String, String> metadata) {
        this(model, file, metadata, -1);
    }

    /** Continuing a run whose best test accuracy so far was {@code best} (saved in {@code file} already). */
    public BestModelCheckpoint(Sequential model, Path file, Map<String, String> metadata, double best) {
        this.model = model;
        this.file = file;
        this.metadata = metadata;
        this.best = best;
    }

    public Path file() {
        return file;
    }

    /** The best test accuracy so far, or -1 before the first epoch ends. */
    public double bestAccuracy() {
        return best;
    }

    @Override
    public void onEpochEnd(EpochStats s) {
        if (s.testAccuracy() > best) {
            best = s.testAccuracy();
            Map<String, String> m = new LinkedHashMap<>(metadata);
            m.put("epochs", Integer.toString(s.epoch()));
            m.put("test_accuracy", Double.toString(s.testAccuracy()));
            try {
                ModelFile.save(model, file, m);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write checkpoint " + file + ": " + e.getMessage(), e);
            }
        }
    }
}
